"""Repo configuration: `.hostplan.toml` or `[tool.hostplan]` in pyproject.toml, found from a path upward."""

from __future__ import annotations

import errno
import os
import re
import tomllib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from .errors import HostplanError
from .reasons import read_reason, shown

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
        if not isinstance(raw, list) or not all(isinstance(p, str) for p in raw):
            raise HostplanError(f"{self.where(key) or '配置'}: 配置项 {key} 应为路径或路径列表，如 {key} = [\"path/to/dir\"]")
        base = self.root or Path.cwd()
        return [(base / p).resolve() for p in raw]

    def where(self, key: str, needle: str | None = None) -> str:
        """Where a config item is written, for an error message: "path:line:column" of its value (of `needle`
        in it, such as one pattern of a list, when given), just the path when the line cannot be told, "" when
        the values come from no file. `key` is the item's name in its table ([lint], [tool.hostplan.lint] or
        the top level); a dotted key (severity.HP104) is looked for as written or as a table entry."""
        if self.path is None:
            return ""
        try:
            text = self.path.read_bytes().decode("utf-8-sig")
        except (OSError, UnicodeDecodeError):
            return shown(self.path)
        found = locate(text, key, needle)
        return f"{shown(self.path)}:{found[0]}:{found[1]}" if found else shown(self.path)

    def category_dirs(self) -> list[Path]:
        dirs = self.paths("category-dirs")
        if self.root is not None and os.path.isdir(self.root / "categories"):
            dirs.insert(0, (self.root / "categories").resolve())
        return dirs


_TABLE = re.compile(r"^\s*\[+\s*([^\]]*?)\s*\]+")
_OWN_TABLES = ("", "lint", "tool.hostplan", "tool.hostplan.lint")


def _bare(name: str) -> str:
    """A TOML key as a dotted name without quotes or spaces: "tool . hostplan" -> tool.hostplan."""
    return ".".join(part.strip().strip("\"'") for part in name.split("."))


def locate(text: str, key: str, needle: str | None = None) -> tuple[int, int] | None:
    """(line, column), 1-based, of the value of `key` in a hostplan config's text, or of `needle` from that line
    on (a value in a list or inline table that may run over several lines); None when it is not found."""
    lines = text.split("\n")
    parts = key.split(".")
    table = ""
    hit: tuple[int, int] | None = None
    for n, line in enumerate(lines):
        header = _TABLE.match(line)
        if header:
            table = _bare(header.group(1))
            # a sub-table: [lint.severity] holds severity.HP104 as HP104 = ...
            if len(parts) > 1 and any(table == f"{t}.{parts[0]}".lstrip(".") for t in _OWN_TABLES):
                rest = re.escape(parts[1])
                for m_line in range(n + 1, len(lines)):
                    if _TABLE.match(lines[m_line]):
                        break
                    m = re.match(rf"^\s*([\"']?){rest}\1\s*=\s*", lines[m_line])
                    if m:
                        return m_line + 1, m.end() + 1
            continue
        if table not in _OWN_TABLES:
            continue
        m = re.match(r"^\s*((?:[A-Za-z0-9_-]+|\"[^\"]*\"|'[^']*')(?:\s*\.\s*(?:[A-Za-z0-9_-]+|\"[^\"]*\"|'[^']*'))*)\s*=\s*",
                     line)
        if not m:
            continue
        name = _bare(m.group(1))
        full = f"{table}.{name}".lstrip(".")
        for prefix in ("tool.hostplan.lint.", "tool.hostplan.", "lint."):
            if full.startswith(prefix):
                full = full[len(prefix):]
                break
        if full == key:
            hit = (n + 1, m.end() + 1)
        elif full == parts[0] and len(parts) > 1:  # severity = { HP104 = "x" }: the entry in the inline table
            needle = needle or parts[1]
            hit = (n + 1, m.end() + 1)
        if hit is None:
            continue
        if needle:
            for k in range(n, min(n + 200, len(lines))):
                start = lines[k].find(needle, m.end() if k == n else 0)
                if start >= 0:
                    return k + 1, start + 1
        return hit
    return None


# tomllib's messages -> Chinese. A group is a Python literal in tomllib's text (a character, a key tuple);
# "{0}" in the message is replaced by it as the user wrote it.
_TOML_MESSAGES: list[tuple[str, str]] = [
    (r"Expected ']' at the end of a table declaration", "表名缺少右方括号“]”，应写成 [表名]"),
    (r"Expected ']]' at the end of an array declaration", "数组表名缺少“]]”，应写成 [[表名]]"),
    (r"Expected '=' after a key in a key/value pair", "键后面缺少“=”：应写成 键 = 值（文本值要加引号）"),
    (r"Expected newline or end of document after a statement",
     "一行只能写一个 键 = 值：这里多出了内容（含空格的文本值要加引号）"),
    (r"Invalid initial character for a key part", "键名不能以这个字符开头：含中文或特殊字符的键名请加引号"),
    (r"Invalid statement", "无法识别的一行：应为 键 = 值 或 [表名]（含中文的键名请加引号）"),
    (r"Invalid value", "无效的值：文本请加引号（如 category = \"food\"），列表写成 [\"a\", \"b\"]"),
    (r"Invalid date or datetime", "无效的日期或时间"),
    (r"Unclosed array", "列表 [ ] 没有闭合，或元素之间缺少逗号"),
    (r"Unclosed inline table", "内联表 { } 没有闭合，或键值对之间缺少逗号"),
    (r"Unterminated string", "字符串没有闭合：缺少结束引号"),
    (r"Expected (.*)", "字符串没有闭合：缺少结束引号 {0}"),
    (r"Unescaped '\\' in a string", "字符串中的反斜杠 \\ 要写成 \\\\，或改用单引号字符串"),
    (r"Invalid hex value", "\\u 或 \\U 转义后的十六进制数字无效"),
    (r"Escaped character is not a Unicode scalar value", "转义得到的不是有效的 Unicode 字符"),
    (r"(?:Illegal|Found invalid) character '\\n'", "字符串没有闭合：缺少结束引号（多行文本请用三引号 \"\"\"）"),
    (r"(?:Illegal|Found invalid) character (.*)", "不允许的字符 {0}：控制字符须转义"),
    (r"Cannot declare (.*) twice", "表 [{0}] 声明了两次"),
    (r"Duplicate inline table key (.*)", "内联表 { } 中的键 {0} 重复"),
    (r"Cannot (?:overwrite a value|redefine namespace|mutate immutable namespace)(?: .*)?", "重复的键：这个键（或表）已经定义过"),
]
_TOML_POSITION = re.compile(r"^(.*) \(at (?:line (\d+), column (\d+)|end of document)\)$", re.DOTALL)


def _as_written(literal: str) -> str:
    """A key tuple as a dotted name, a character as itself (U+0001 when it is invisible)."""
    import ast

    try:
        value = ast.literal_eval(literal)
    except (ValueError, SyntaxError):
        return literal
    if isinstance(value, tuple):
        return ".".join(str(v) for v in value)
    if isinstance(value, str) and len(value) == 1 and not value.isprintable():
        return f"U+{ord(value):04X}"
    return str(value)


def _toml_problem(exc: tomllib.TOMLDecodeError, text: str) -> tuple[int, int, str]:
    """(line, column, Chinese message) of a TOML syntax error, 1-based."""
    m = _TOML_POSITION.match(str(exc))
    message = m.group(1) if m else str(exc)
    if m and m.group(2):
        line, column = int(m.group(2)), int(m.group(3))
    else:  # at the end of the document
        lines = text.split("\n")
        line, column = len(lines), len(lines[-1]) + 1
    for pattern, zh in _TOML_MESSAGES:
        hit = re.fullmatch(pattern, message)
        if hit:
            return line, column, zh.replace("{0}", _as_written(hit.group(1))) if hit.groups() else zh
    return line, column, f"TOML 语法错误（原文：{message}）"


def _read(path: Path) -> dict[str, Any] | None:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise HostplanError(f"{shown(path)}: 配置文件无法读取：{read_reason(exc)}") from None
    try:
        text = raw.decode("utf-8-sig")  # Notepad saves UTF-8 with a BOM
    except UnicodeDecodeError as exc:
        from .encoding import encoding_problem

        p = encoding_problem(raw, exc, shown(path))
        raise HostplanError(f"{p.path}:{p.line}:{p.column}: 配置{p.message}") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line, column, message = _toml_problem(exc, text)
        raise HostplanError(f"{shown(path)}:{line}:{column}: 配置文件语法错误：{message}") from None
    if path.name == "pyproject.toml":
        tool = data.get("tool", {})
        return tool.get("hostplan") if isinstance(tool, dict) and "hostplan" in tool else None
    return data


def load_config(path: str | Path) -> Config:
    """Read one config file given explicitly (--config)."""
    p = Path(path).resolve()
    if not os.path.isfile(p):
        try:
            os.stat(p)
        except OSError as exc:  # missing, or in a folder that cannot be searched
            if exc.errno == errno.ENOENT:
                raise HostplanError(f"{path}: 配置文件不存在") from None
            raise HostplanError(f"{path}: 配置文件无法读取：{read_reason(exc)}") from None
        raise HostplanError(f"{path}: 不是配置文件（是一个目录）")
    values = _read(p) or {}
    return Config(p.parent, p, values)


@cache
def find_config(start: Path) -> Config:
    """The nearest config at or above start; without one, the enclosing git repo root (for categories/)."""
    start = start.resolve()
    # os.path, not Path: Path.is_file() raises PermissionError for a name in a folder that cannot be searched
    # (chmod 000) on Python 3.11; such a folder has no config we could read, so the search goes on above it
    folder = start if os.path.isdir(start) else start.parent
    git_root: Path | None = None
    for d in (folder, *folder.parents):
        for name in CONFIG_NAMES:
            candidate = d / name
            if os.path.isfile(candidate):
                values = _read(candidate)
                if values is not None:
                    return Config(d, candidate, values)
        if git_root is None and os.path.exists(d / ".git"):
            git_root = d
            break
    return Config(git_root, None, {})
