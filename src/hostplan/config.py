"""Repo configuration: `.hostplan.toml` or `[tool.hostplan]` in pyproject.toml, found from a path upward."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from .errors import HostplanError

CONFIG_NAMES = (".hostplan.toml", "pyproject.toml")


@dataclass(frozen=True)
class Config:
    root: Path | None = None  # the folder holding the config file (or the repo root), None if none found
    path: Path | None = None  # the config file itself
    values: dict[str, Any] = field(default_factory=dict)

    def paths(self, key: str) -> list[Path]:
        """A list of folder names from the config, relative to the config file."""
        raw = self.values.get(key, [])
        if isinstance(raw, str):
            raw = [raw]
        base = self.root or Path.cwd()
        return [(base / p).resolve() for p in raw]

    def category_dirs(self) -> list[Path]:
        dirs = self.paths("category-dirs")
        if self.root is not None and (self.root / "categories").is_dir():
            dirs.insert(0, (self.root / "categories").resolve())
        return dirs


def _read(path: Path) -> dict[str, Any] | None:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise HostplanError(f"{path}: 配置文件无法读取：{exc}") from None
    if path.name == "pyproject.toml":
        tool = data.get("tool", {})
        return tool.get("hostplan") if isinstance(tool, dict) and "hostplan" in tool else None
    return data


def load_config(path: str | Path) -> Config:
    """Read one config file given explicitly (--config)."""
    p = Path(path).resolve()
    if not p.is_file():
        raise HostplanError(f"{path}: 配置文件不存在")
    values = _read(p) or {}
    return Config(p.parent, p, values)


@cache
def find_config(start: Path) -> Config:
    """The nearest config at or above start; without one, the enclosing git repo root (for categories/)."""
    start = start.resolve()
    folder = start if start.is_dir() else start.parent
    git_root: Path | None = None
    for d in (folder, *folder.parents):
        for name in CONFIG_NAMES:
            candidate = d / name
            if candidate.is_file():
                values = _read(candidate)
                if values is not None:
                    return Config(d, candidate, values)
        if git_root is None and (d / ".git").exists():
            git_root = d
            break
    return Config(git_root, None, {})
