"""Writing outputs safely: never over a user's file without force, never a half-written file."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from .errors import HostplanError


def check_writable(path: Path, force: bool) -> None:
    if path.is_dir():
        raise HostplanError(f"{path}: 是一个目录，请给出文件路径")
    if path.exists() and not force:
        raise HostplanError(f"{path}: 文件已存在，未覆盖。确认要覆盖请加 --force")


def write_atomic(path: Path, data: bytes | str, *, force: bool = False) -> None:
    """Write to a temporary file in the same folder, then rename over the target."""
    check_writable(path, force)
    raw = data.encode("utf-8") if isinstance(data, str) else data
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise HostplanError(f"{path}: 目录 {folder} 不存在")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise HostplanError(f"{path}: 无法写入：{_reason(exc)}") from None
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(raw)
            fh.flush()
            os.fsync(fh.fileno())
        if not force and path.exists():
            raise HostplanError(f"{path}: 文件已存在，未覆盖。确认要覆盖请加 --force")
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise HostplanError(f"{path}: 无法写入：{_reason(exc)}") from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    os.chmod(path, 0o644)


def _reason(exc: OSError) -> str:
    import errno

    return {errno.ENOSPC: "磁盘空间不足", errno.EACCES: "没有写入权限", errno.EPERM: "没有写入权限",
            errno.EROFS: "文件系统只读", errno.EDQUOT: "超出磁盘配额"}.get(exc.errno or 0, exc.strerror or str(exc))
