"""What went wrong in a proposal template, said in Chinese at the template file and line.

A contract repo can supply its own templates (--template-dir), so their mistakes are input errors: the
message names the file and line the user has to open, never a traceback.
"""

from __future__ import annotations

import os
import re
import traceback
from typing import Any

_INNERMOST = re.compile(r"The innermost block that needs to be closed is '(\w+)'")
_UNKNOWN_TAG = re.compile(r"Encountered unknown tag '(\w+)'")
_NO_FILTER = re.compile(r"No filter named '([^']+)'")
_NO_TEST = re.compile(r"No test named '([^']+)'")
_UNDEFINED = re.compile(r"^'([^']+)' is undefined$")
_NO_ATTRIBUTE = re.compile(r"^'(?:[\w.]+\.)?(\w+) object' has no (?:attribute|element) (.+)$")


def display_path(filename: str) -> str:
    """Relative to the working folder when the template is under it, as the user typed it."""
    try:
        rel = os.path.relpath(filename)
    except ValueError:  # another drive on Windows
        return filename
    return filename if rel.startswith("..") else rel


def _search_dirs(env: Any) -> list[str]:
    loaders = getattr(env.loader, "loaders", [env.loader])
    return [os.path.abspath(d) for loader in loaders for d in getattr(loader, "searchpath", [])]


def template_location(exc: BaseException, env: Any) -> tuple[str, int] | None:
    """The innermost template frame of the traceback (Jinja rewrites frames to template file and line)."""
    dirs = _search_dirs(env)
    found = None
    for frame, line in traceback.walk_tb(exc.__traceback__):
        name = os.path.abspath(frame.f_code.co_filename)
        if any(name.startswith(d + os.sep) for d in dirs):
            found = (name, line)
    return found


def _syntax_message(message: str) -> str:
    m = _INNERMOST.search(message)
    if m:
        return f"模板在 {{% {m.group(1)} %}} 块关闭之前就结束了：缺少 {{% end{m.group(1)} %}}"
    m = _UNKNOWN_TAG.search(message)
    if m:
        return f"未知或多余的标签 {{% {m.group(1)} %}}（检查拼写，以及它是否与前面的块配对）"
    m = _NO_FILTER.search(message)
    if m:
        return f"没有名为 {m.group(1)} 的过滤器"
    m = _NO_TEST.search(message)
    if m:
        return f"没有名为 {m.group(1)} 的测试"
    return f"模板语法错误（{message}）"


def _undefined_message(message: str) -> str:
    m = _UNDEFINED.match(message)
    if m:
        return f"未定义的变量 {m.group(1)}"
    m = _NO_ATTRIBUTE.match(message)
    if m:
        return f"{m.group(1)} 没有字段 {m.group(2).strip(chr(39))}（拼写错误，或该字段在规格中不存在）"
    return f"引用了不存在的值（{message}）"


def describe(exc: BaseException, env: Any) -> str:
    """`file:line: 中文说明` for any exception raised while loading or rendering the templates."""
    from jinja2 import TemplateNotFound, TemplateSyntaxError, UndefinedError
    from jinja2.sandbox import SecurityError

    if isinstance(exc, TemplateSyntaxError):
        where: tuple[str, int] | None = (exc.filename, exc.lineno) if exc.filename else None
        what = _syntax_message(exc.message or "")
    else:
        where = template_location(exc, env)
        if isinstance(exc, TemplateNotFound):
            dirs = "、".join(display_path(d) for d in _search_dirs(env))
            what = f"找不到模板 {exc.name}（已在 {dirs} 中查找）"
        elif isinstance(exc, UndefinedError):
            what = _undefined_message(exc.message or "")
        elif isinstance(exc, SecurityError):
            what = f"模板试图执行不允许的操作（沙箱拒绝）：{exc}"
        elif isinstance(exc, RecursionError):
            what = "模板无限递归（多半是模板包含了自己）"
        elif isinstance(exc, ZeroDivisionError):
            what = "模板中的计算除以零"
        elif isinstance(exc, ValueError) and re.search(r"[\u4e00-\u9fff]", str(exc)):
            what = str(exc)  # our own messages, e.g. a None printed (escape.finalize)
        else:
            what = f"模板渲染失败（{type(exc).__name__}: {exc}）"
    if where is None:
        return what
    return f"{display_path(where[0])}:{where[1]}: {what}"
