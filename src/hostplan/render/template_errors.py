"""What went wrong in a proposal template, said in Chinese at the template file and line.

A contract repo can supply its own templates (--template-dir), so their mistakes are input errors: the
message names the file and line the user has to open, never a traceback.
"""

from __future__ import annotations

import os
import re
import traceback
from typing import Any

from ..reasons import shown

_NO_FILTER = re.compile(r"No filter named '([^']+)'")
_NO_TEST = re.compile(r"No test named '([^']+)'")
_UNDEFINED = re.compile(r"^'([^']+)' is undefined$")
_NO_ATTRIBUTE = re.compile(r"^'(?:[\w.]+\.)?(\w+) object' has no attribute '(.+)'$")
_NONE_ATTRIBUTE = re.compile(r"^'None' has no attribute '(.+)'$")
_NO_ELEMENT = re.compile(r"^(?:[\w.]+\.)?(\w+)(?: object)? has no element (.+)$")


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


# Jinja's names for tokens, as the user wrote them in the template
_TOKENS = {
    "end of statement block": "%}",
    "end of print statement": "}}",
    "end of comment": "#}",
    "begin of statement block": "{%",
    "begin of print statement": "{{",
    "end of template": "模板结尾",
}
_EXPECTED_TOKENS = {**_TOKENS, "name": "名称（变量名、过滤器名等）", "integer": "整数", "string": "字符串"}


def _token(text: str, expected: bool = False) -> str:
    return (_EXPECTED_TOKENS if expected else _TOKENS).get(text) or f"“{text}”"


def _tag(name: str) -> str:
    return f"{{% {name} %}}"


# (pattern on Jinja's TemplateSyntaxError message, Chinese message): the message may use the pattern's
# groups; a group named got/want is a token name and is shown as the user wrote it.
_SYNTAX: list[tuple[str, str]] = [
    (r"^Encountered unknown tag '(?P<tag>\w+)'\..*The innermost block that needs to be closed is '(?P<open>\w+)'",
     "遇到 {tag_}，但 {open_} 块还没有关闭：缺少 {end_}，或标签拼写错误"),
    (r"^Unexpected end of template\..*The innermost block that needs to be closed is '(?P<open>\w+)'",
     "模板在 {open_} 块关闭之前就结束了：缺少 {end_}"),
    (r"^Encountered unknown tag '(?P<tag>\w+)'", "未知或多余的标签 {tag_}（检查拼写，以及它是否与前面的块配对）"),
    (r"^Expected an expression, got '(?P<got>[^']*)'", "此处缺少表达式（变量、值或计算），却遇到了 {got}"),
    (r"^unexpected end of template, expected '(?P<want>[^']*)'", "模板意外结束：缺少 {want}，标签没有闭合"),
    (r"^unexpected char (?P<q>['\"])(?P<char>['\"])(?P=q) at \d+", "引号 {char} 没有闭合：字符串缺少结束引号"),
    (r"^unexpected char (?P<q>['\"])(?P<char>.+?)(?P=q) at \d+", "模板表达式中不能出现字符“{char}”"),
    (r"^Missing end of comment tag", "注释 {{# 没有闭合：缺少 #}}"),
    (r"^Missing end of raw directive", "{{% raw %}} 没有闭合：缺少 {{% endraw %}}"),
    (r"^expected token '(?P<want>[^']*)', got '(?P<got>[^']*)'", "此处应为 {want}，却遇到了 {got}"),
    (r"^unexpected '(?P<got>[^']*)', expected '(?P<want>[^']*)'", "此处应为 {want}，却遇到了 {got}（括号没有闭合？）"),
    (r"^unexpected '(?P<got>[^']*)'", "此处不能出现 {got}"),
    (r"^expected name or number", "“.” 之后应为字段名或数字"),
    (r"^expected subscript expression", "[ ] 中应为下标（数字或键）"),
    (r"^Unexpected end of template", "模板意外结束：有块没有关闭"),
    (r"^tag name expected", "{{% 之后应为标签名，如 {{% if … %}}"),
    (r"^block '(?P<name>[^']+)' defined twice", "块 {name} 定义了两次"),
    (r"^non-default argument follows default argument", "宏参数中，没有默认值的参数不能写在有默认值的参数之后"),
    (r"^You cannot chain multiple tests with is", "不能连用多个 is 测试，请用 and 连接"),
    (r"^invalid syntax for function call expression", "函数调用的写法不对"),
    (r"^expected call", "此处应为函数或宏的调用"),
    (r"^cannot use extend from a non top-level scope", "{{% extends %}} 只能写在模板的最外层"),
    (r"^Required blocks can only contain comments or whitespace", "required 块中只能有注释和空白"),
    (r"^" + _NO_FILTER.pattern, "没有名为 {0} 的过滤器"),
    (r"^" + _NO_TEST.pattern, "没有名为 {0} 的测试"),
]
_SYNTAX_COMPILED = [(re.compile(p, re.DOTALL), zh) for p, zh in _SYNTAX]


def _syntax_message(message: str) -> str:
    for pattern, zh in _SYNTAX_COMPILED:
        m = pattern.search(message)
        if m is None:
            continue
        groups = m.groupdict()
        extra = {}
        if "tag" in groups:
            extra["tag_"] = _tag(groups["tag"])
        if "open" in groups:
            extra["open_"] = _tag(groups["open"])
            extra["end_"] = _tag("end" + groups["open"])
        if "got" in groups:
            groups["got"] = _token(groups["got"])
        if "want" in groups:
            groups["want"] = _token(groups["want"], expected=True)
        return zh.format(*m.groups(), **groups, **extra)
    return f"模板语法错误（Jinja 的原文：{message}）"  # a rare message: keep what Jinja said rather than nothing


_CONTAINERS = {"dict": "映射", "str": "文本", "None": "空值（None）"}


def _undefined_message(message: str) -> str:
    m = _UNDEFINED.match(message)
    if m:
        return f"未定义的变量 {m.group(1)}"
    m = _NONE_ATTRIBUTE.match(message)
    if m:
        return f"空值（None）没有字段 {m.group(1)}：规格中没有填写这一项，请先用 {{% if … %}} 判断"
    m = _NO_ATTRIBUTE.match(message)
    if m and m.group(1) == "dict":
        return f"映射中没有键 {m.group(2)}"
    if m:
        return f"{m.group(1)} 没有字段 {m.group(2)}（拼写错误，或该字段在规格中不存在）"
    m = _NO_ELEMENT.match(message)
    if m and m.group(1) in ("list", "tuple"):
        return f"列表中没有下标为 {m.group(2)} 的项（下标从 0 开始）"
    if m:
        return f"{_CONTAINERS.get(m.group(1), m.group(1))}中没有 {m.group(2)} 这一项"
    return f"引用了不存在的值（Jinja 的原文：{message}）"


# Python's TypeError texts from an expression in a template
_TYPE_ERRORS = [
    (re.compile(r"unsupported operand type\(s\)|can only concatenate|can't multiply"),
     "运算两边的类型不能这样计算（如数字与文本相加）：连接文本请用 ~"),
    (re.compile(r"not supported between instances of"), "不能比较不同类型的值（如数字与文本）"),
    (re.compile(r"'(?:[\w.]+\.)?(\w+)' object is not callable"), "{0} 不是函数，不能调用"),
    (re.compile(r"'(?:[\w.]+\.)?(\w+)' object is not iterable"), "{0} 不是列表，不能用于 {{% for %}}"),
    (re.compile(r"object of type '(?:[\w.]+\.)?(\w+)' has no len\(\)"), "{0} 没有长度，不能用 length"),
    (re.compile(r"takes (?:\d+|from \d+ to \d+) positional arguments? but \d+ (?:was|were) given|"
                r"missing \d+ required positional argument|got an unexpected keyword argument"),
     "调用函数或过滤器时参数的个数或名称不对"),
]


def _type_error_message(exc: TypeError) -> str:
    for pattern, zh in _TYPE_ERRORS:
        m = pattern.search(str(exc))
        if m:
            return zh.format(*m.groups())
    return f"模板中的值类型不对（Python 的原文：{exc}）"


_UNSAFE_ATTRIBUTE = re.compile(r"access to attribute '([^']+)' of '([^']+)' object is unsafe")


def _security_message(message: str) -> str:
    m = _UNSAFE_ATTRIBUTE.search(message)
    if m:
        return f"模板不能访问 {m.group(2)} 的内部属性 {m.group(1)}（沙箱拒绝）"
    if "is not safely callable" in message:
        return "模板不能调用会修改数据的函数（沙箱拒绝）"
    return "模板试图执行不允许的操作（沙箱拒绝）"


def describe(exc: BaseException, env: Any) -> str:
    """`file:line: 中文说明` for any exception raised while loading or rendering the templates."""
    from jinja2 import TemplateNotFound, TemplateSyntaxError, UndefinedError
    from jinja2.sandbox import SecurityError

    if isinstance(exc, TemplateSyntaxError):
        # the lexer's own failures (an unclosed comment or raw block) pass the file as the name (Jinja 3.1)
        filename = exc.filename or (exc.name if exc.name and os.path.isabs(exc.name) else None)
        where: tuple[str, int] | None = (filename, exc.lineno) if filename else None
        what = _syntax_message(exc.message or "")
    else:
        where = template_location(exc, env)
        if isinstance(exc, TemplateNotFound):
            dirs = "、".join(shown(d) for d in _search_dirs(env))
            what = f"找不到模板 {exc.name}（已在 {dirs} 中查找）"
        elif isinstance(exc, UndefinedError):
            what = _undefined_message(exc.message or "")
        elif isinstance(exc, SecurityError):
            what = _security_message(str(exc))
        elif isinstance(exc, RecursionError):
            what = "模板无限递归（多半是模板包含了自己）"
        elif isinstance(exc, ZeroDivisionError):
            what = "模板中的计算除以零"
        elif isinstance(exc, TypeError):
            what = _type_error_message(exc)
        elif isinstance(exc, OverflowError) and "MAX_RANGE" in str(exc):
            what = "range() 的范围过大：沙箱最多允许 100000 项"
        elif isinstance(exc, ValueError) and re.search(r"[\u4e00-\u9fff]", str(exc)):
            what = str(exc)  # our own messages, e.g. a None printed (escape.finalize)
        else:
            what = f"模板渲染失败（Python 的原文：{type(exc).__name__}: {exc}）"
    if where is None:
        return what
    return f"{shown(where[0])}:{where[1]}: {what}"
