"""Find the data that ships with hostplan (categories, templates, lexicons, rules).

Inside a wheel the data lives in hostplan/data/; in a source checkout (editable install) it is the
top-level folder of the same name.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


@cache
def data_dir(name: str) -> Path:
    for candidate in (_PACKAGE / "data" / name, _PACKAGE.parent.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"hostplan 安装不完整：找不到数据目录 {name}")
