"""The command-line parser's own words in Chinese: help headings, placeholders and usage errors.

typer/click print these in English and (in the click typer vendors) without gettext, so the finished text
is translated here, by the command classes for help and by `main()` for usage errors.
"""

from __future__ import annotations

import re
import shutil
import unicodedata
from typing import Any

import typer
from typer.core import TyperCommand, TyperGroup

# command-line argument names as they appear in usage lines
ARGUMENTS = {"paths": "路径", "spec": "规格", "specs": "规格", "code": "规则编号", "tickets": "工单表"}
METAVARS = {"str": "文本", "text": "文本", "path": "路径", "file": "文件", "int": "整数", "int range": "整数",
            "integer": "整数", "float": "数值", "float range": "数值", "boolean": "是/否", "choice": "选项"}

_HELP_SUBS: list[tuple[re.Pattern[str], Any]] = [
    (re.compile(r"^Usage: ", re.M), "用法："),
    (re.compile(r"^Arguments:$", re.M), "参数："),
    (re.compile(r"^Options:$", re.M), "选项："),
    (re.compile(r"^Commands:$", re.M), "命令："),
    (re.compile(r"Show this message and exit\."), "显示本帮助并退出"),
    (re.compile(r"\[required\]"), "[必填]"),
    (re.compile(r"\[default: ([^\]]*)\]"), lambda m: f"[默认：{m.group(1).replace('; ', '；')}]"),
    (re.compile(r"\bx>=(\d+)"), r"≥ \1"),
    (re.compile(r"\[OPTIONS\]"), "[选项]"),
    (re.compile(r"COMMAND \[ARGS\]\.\.\."), "命令 [参数]..."),
    (re.compile(r"<([a-z ]+)>"), lambda m: f"<{METAVARS.get(m.group(1), m.group(1))}>"),
    (re.compile(r"([{\[])([a-z_]+)([}\]])"),
     lambda m: (f"[{ARGUMENTS[m.group(2)]}]" if m.group(1) == "[" else ARGUMENTS[m.group(2)])
     if m.group(2) in ARGUMENTS else m.group(0)),
]


SECTIONS = ("参数：", "选项：", "命令：")
_MAX_FIRST = 30  # as click: a longer first column puts its help on the next line


def _width(s: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)


def _align(block: list[str]) -> list[str]:
    """Re-pad a two-column help block by display width (click pads by characters, so Chinese drifts)."""
    rows: list[tuple[str, list[str]]] = []
    for line in block:
        m = re.match(r"  (\S.*?)(?: {2,}(.*))?$", line)
        if m and not line.startswith("   "):
            first = m.group(1)
            arg = re.fullmatch(r"([a-z_]+)(\.\.\.)?", first)
            if arg and arg.group(1) in ARGUMENTS:
                first = ARGUMENTS[arg.group(1)] + (arg.group(2) or "")
            rows.append((first, [m.group(2)] if m.group(2) else []))
        elif rows:
            rows[-1][1].append(line.strip())
        else:
            return block
    col = min(max((_width(f) for f, _ in rows), default=0), _MAX_FIRST) + 2
    room = max(20, min(shutil.get_terminal_size((100, 24)).columns, 120) - 2 - col)
    out = []
    for first, helps in rows:
        lines = wrap(" ".join(helps), room)
        if not lines:
            out.append(f"  {first}")
        elif _width(first) > _MAX_FIRST:
            out.append(f"  {first}")
            out.extend(" " * (2 + col) + h for h in lines)
        else:
            out.append(f"  {first}{' ' * (col - _width(first))}{lines[0]}")
            out.extend(" " * (2 + col) + h for h in lines[1:])
    return out


_TOKEN = re.compile(r"[!-~]+|\s+|.", re.S)  # an ASCII word, a space, or one other character
_NO_LINE_START = set("，。；：、）》”’！？,.;:)")


def wrap(text: str, width: int) -> list[str]:
    """Greedy wrap by display width: Chinese may break between any two characters, ASCII words stay whole,
    and a line does not start with closing punctuation."""
    lines: list[str] = []
    line, used = "", 0
    for tok in _TOKEN.findall(text.strip()):
        if tok.isspace():
            tok = " "
        w = _width(tok)
        if used + w > width and line.strip() and not (len(tok) == 1 and tok in _NO_LINE_START):
            lines.append(line.rstrip())
            line, used = "", 0
            if tok == " ":
                continue
        line += tok
        used += w
    if line.strip():
        lines.append(line.rstrip())
    return lines


def translate_help(text: str) -> str:
    for pattern, repl in _HELP_SUBS:
        text = pattern.sub(repl, text)
    lines = text.split("\n")
    out: list[str] = []
    i = 0
    width = max(40, min(shutil.get_terminal_size((100, 24)).columns, 120))
    while i < len(lines):
        line = lines[i]
        i += 1
        if line.startswith("  ") and not line.startswith("   ") and _width(line) > width:
            out.extend("  " + part for part in wrap(line.strip(), width - 2))  # a description paragraph
            continue
        out.append(line)
        if out[-1] in SECTIONS:
            block = []
            while i < len(lines) and lines[i].startswith("  "):
                block.append(lines[i])
                i += 1
            out.extend(_align(block))
    return "\n".join(out)


def _hint(h: str) -> str:
    """'--jobs' / '-j' → --jobs/-j; 'paths' → 路径."""
    names = re.findall(r"'([^']*)'", h) or [h.strip()]
    return "/".join(ARGUMENTS.get(n, n) for n in names)


def _value_problem(msg: str) -> str:
    rules: list[tuple[str, Any]] = [
        (r"^'?(.*?)'? is not a valid (int range|integer|int)\.?$", lambda m: f"“{m.group(1)}”不是整数"),
        (r"^'?(.*?)'? is not a valid (float range|float)\.?$", lambda m: f"“{m.group(1)}”不是数字"),
        (r"^'?(.*?)'? is not a valid boolean.*$", lambda m: f"“{m.group(1)}”不是是/否值"),
        (r"^'?(.*?)'? is not a valid (.+?)\.?$", lambda m: f"“{m.group(1)}”无效"),
        (r"^(.*?) is not in the range x>=(\S+?)\.?$", lambda m: f"{m.group(1)} 应 ≥ {m.group(2)}"),
        (r"^(.*?) is not in the range x<=(\S+?)\.?$", lambda m: f"{m.group(1)} 应 ≤ {m.group(2)}"),
        (r"^(.*?) is not in the range (.+?)\.?$", lambda m: f"{m.group(1)} 不在范围 {m.group(2)} 内"),
        (r"^'?(.*?)'? is not one of (.+?)\.?$", lambda m: f"“{m.group(1)}”应为 {m.group(2)} 之一"),
        (r"^(?:Path|File|Directory) '(.*)' does not exist\.?$", lambda m: f"{m.group(1)} 不存在"),
        (r"^(?:Path|File) '(.*)' is a directory\.?$", lambda m: f"{m.group(1)} 是目录，应为文件"),
        (r"^(?:Path|File|Directory) '(.*)' is not readable\.?$", lambda m: f"{m.group(1)} 无法读取"),
    ]
    for pattern, repl in rules:
        m = re.match(pattern, msg.strip(), re.S)
        if m:
            return repl(m)
    return msg


def usage_error_text(message: str) -> str:
    """A click usage error message in Chinese (the original is kept when it is not one we know)."""
    m = re.match(r"No such option: (\S+)(?: \(Possible options: (.*)\)| Did you mean (.*)\?)?$", message, re.S)
    if m:
        alt = m.group(2) or m.group(3)
        return f"没有选项 {m.group(1)}" + (f"（是不是 {alt.replace(', ', '、')}？）" if alt else "")
    m = re.match(r"No such command '(.*)'\.?$", message)
    if m:
        return f"没有命令 {m.group(1)}：运行 hostplan -h 查看全部命令"
    m = re.match(r"Missing (argument|option|parameter) (.+?)\.(?: (.*))?$", message, re.S)
    if m:
        kind = {"argument": "参数", "option": "选项", "parameter": "参数"}[m.group(1)]
        extra = f"：{_value_problem(m.group(3))}" if m.group(3) else ""
        return f"缺少{kind} {_hint(m.group(2))}{extra}"
    m = re.match(r"Invalid value for (.+?): (.*)$", message, re.S)
    if m:
        return f"{_hint(m.group(1))} 的值无效：{_value_problem(m.group(2))}"
    m = re.match(r"Invalid value: (.*)$", message, re.S)
    if m:
        return f"值无效：{_value_problem(m.group(1))}"
    m = re.match(r"Option '(.+?)' requires an argument\.?$", message)
    if m:
        return f"选项 {m.group(1)} 后面需要一个值"
    m = re.match(r"Option '(.+?)' does not take a value\.?$", message)
    if m:
        return f"选项 {m.group(1)} 不接受值"
    m = re.match(r"Got unexpected extra arguments?(?:\(s\))? \((.*)\)$", message, re.S)
    if m:
        return f"多余的参数：{m.group(1)}"
    return f"命令行参数有误：{message}"


class ZhCommand(TyperCommand):
    def get_help(self, ctx: Any) -> str:
        return translate_help(super().get_help(ctx))

    def get_usage(self, ctx: Any) -> str:
        return translate_help(super().get_usage(ctx))


class ZhGroup(TyperGroup):
    def get_help(self, ctx: Any) -> str:
        return translate_help(super().get_help(ctx))

    def get_usage(self, ctx: Any) -> str:
        return translate_help(super().get_usage(ctx))


def usage_error_class() -> type[Exception]:
    """click's UsageError, wherever this typer takes click from (it does not export it)."""
    return next(c for c in typer.BadParameter.__mro__ if c.__name__ == "UsageError")
