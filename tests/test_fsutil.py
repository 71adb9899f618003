"""Outputs are written whole or not at all, and a failed write is a clear error, not a traceback."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from hostplan.errors import HostplanError
from hostplan.fsutil import write_atomic


def test_full_disk_names_the_file_and_leaves_nothing_behind(tmp_path: Path, monkeypatch) -> None:
    target = tmp_path / "结算单.md"

    def full(*_a, **_k):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(HostplanError, match=r"无法写入 .*结算单\.md：磁盘空间不足"):
        write_atomic(target, "内容")
    assert list(tmp_path.iterdir()) == []


def test_unwritable_folder_is_a_clear_error(tmp_path: Path, monkeypatch) -> None:
    import tempfile

    def denied(*_a, **_k):
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(tempfile, "mkstemp", denied)
    with pytest.raises(HostplanError, match=r"无法写入 .*a\.yaml：没有写入权限"):
        write_atomic(tmp_path / "a.yaml", "x")


def test_existing_file_is_kept_without_force(tmp_path: Path) -> None:
    target = tmp_path / "a.yaml"
    target.write_text("用户写的", encoding="utf-8")
    with pytest.raises(HostplanError, match="文件已存在，未覆盖"):
        write_atomic(target, "新的")
    assert target.read_text(encoding="utf-8") == "用户写的"
    write_atomic(target, "新的", force=True)
    assert target.read_text(encoding="utf-8") == "新的"
