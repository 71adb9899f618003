"""Writing outputs safely: never over a user's file without force, never a half-written file."""

from __future__ import annotations

import errno
import os
import tempfile
from pathlib import Path

from .errors import HostplanError


def check_writable(path: Path, force: bool) -> None:
    if path.is_dir():
        raise HostplanError(f"{path}: 是一个目录，请给出文件路径")
    if path.exists() and not force:
        raise HostplanError(f"{path}: 文件已存在，未覆盖。确认要覆盖请加 --force")


def write_atomic(path: Path, data: bytes | str, *, force: bool = False, what: str | None = None) -> None:
    """Write to a temporary file in the same folder, then rename over the target. `what` names the output in
    an error ("Markdown 文件 shop.md"); the path alone by default."""
    check_writable(path, force)
    raw = data.encode("utf-8") if isinstance(data, str) else data
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise HostplanError(f"{path}: 目录 {folder} 不存在")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise HostplanError(f"无法写入 {what or path}：{os_reason(exc)}") from None
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
        raise HostplanError(f"无法写入 {what or path}：{os_reason(exc)}") from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    os.chmod(path, 0o644)


def os_reason(exc: OSError) -> str:
    """Why a file could not be written, in the user's words."""
    reasons = {errno.EACCES: "没有写入权限", errno.EPERM: "没有写入权限", errno.ENOSPC: "磁盘空间不足",
               errno.EROFS: "文件系统是只读的", errno.EDQUOT: "超出磁盘配额",
               errno.ENOENT: "目录不存在或无法在其中创建文件", errno.ENAMETOOLONG: "文件名过长"}
    name = errno.errorcode.get(exc.errno or 0)
    return reasons.get(exc.errno or 0, f"系统错误 {name}" if name else "系统错误")
