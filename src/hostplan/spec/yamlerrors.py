"""PyYAML's (and libyaml's) English scanner/parser errors -> a Chinese message at 1-based line:column.

The C loader (libyaml) and the pure-Python one word the same error differently ("mapping values are not
allowed in this context" / "... here"), so each message is matched by a pattern that covers both. An
unknown message keeps its original text after a Chinese prefix rather than being dropped.
"""

from __future__ import annotations

import re

import yaml

from .chars import INVISIBLE_RE, invisible_label

# (pattern on the problem text, on the context text or "", Chinese message, where to point). Where: "" the
# problem mark; "end" the context mark (the unclosed quote or bracket) when the problem is at the end of the
# file; "key" the context mark (the line whose key has no colon, not the next line where PyYAML noticed).
# A message may use {char} (the character at the error) and {name} (the alias name).
_TABLE: list[tuple[str, str, str, str]] = [
    (r"found (?:a tab character|character '\\t')", "", "不能用 Tab 缩进或对齐，请改用空格", ""),
    (r"mapping values are not allowed", "",
     "此处不能出现“键: 值”：冒号后是否缺少空格、缩进是否对齐？文本中含“: ”时请给整个值加引号", ""),
    (r"could not find expected ':'", "", "缺少冒号“:”：这个键后面没有冒号，或多行文本需要加引号", "key"),
    (r"found character '?(?P<c>.?)'? ?that cannot start any token", "",
     "字符“{char}”不能作为值的开头：以 @、`、% 等开头的文本请加引号", ""),
    (r"found unexpected end of stream", r"quoted scalar",
     "引号没有闭合：从这里开始的引号直到文件结尾都没有配对的结束引号", "end"),
    (r"found unexpected end of stream", "", "文件意外结束：引号或括号没有闭合", "end"),
    (r"(?:did not find expected|expected) ',' or '\]'", "", "列表 [ ] 中缺少逗号，或右方括号“]”没有闭合", "end"),
    (r"(?:did not find expected|expected) ',' or '\}'", "", "映射 { } 中缺少逗号，或右花括号“}”没有闭合", "end"),
    (r"found undefined alias(?: '(?P<name>[^']*)')?", "",
     "引用了未定义的别名“*{name}”：请先用 &{name} 定义锚点；以 * 开头的普通文本请加引号", ""),
    (r"found unknown escape character", "",
     "双引号文本中有无效的转义（反斜杠 \\ 后的字符）：反斜杠请写成 \\\\，或改用单引号", ""),
    (r"(?:did not find expected '-' indicator|expected <block end>, but found '\?')", "",
     "列表中混入了不是列表项的行：同一层的每一项都应以“- ”开头并对齐", ""),
    (r"(?:did not find expected key|expected <block end>, but found)", "",
     "缩进不一致：这一行与上文同一层的键没有对齐", ""),
    (r"did not find expected node content", "",
     "这里缺少值：列表 [ ] 或映射 { } 没有闭合，或逗号后面没有内容", "end"),
    (r"but found another document", "", "文件中有多个 YAML 文档（---）：一个规格文件只写一份方案", ""),
    (r"(?:did not find expected|expected) alphabetic or numeric character", r"anchor|alias",
     "锚点 & 或别名 * 后缺少名称：以 & 或 * 开头的普通文本请加引号", ""),
    (r"found duplicate %?YAML directive", "", "重复的 %YAML 指令", ""),
    (r"found incompatible YAML document", "", "不支持的 YAML 版本：请删除 %YAML 指令", ""),
]
_COMPILED = [(re.compile(p), re.compile(c) if c else None, zh, w) for p, c, zh, w in _TABLE]


def _at_end(lines: list[str], mark: yaml.Mark | None) -> bool:
    if mark is None:
        return True
    rest = [lines[mark.line][mark.column:]] if mark.line < len(lines) else []
    return not "".join(rest + lines[mark.line + 1:]).strip()


def _mid_line(lines: list[str], mark: yaml.Mark | None) -> bool:
    """The error is after other content on its line (not at the line's indentation)."""
    if mark is None or mark.line >= len(lines):
        return False
    line = lines[mark.line]
    return mark.column > len(line) - len(line.lstrip(" "))


def _alias_at(lines: list[str], mark: yaml.Mark | None) -> str:
    """libyaml does not name an undefined alias: read it from the text (*name)."""
    if mark is None or mark.line >= len(lines):
        return ""
    m = re.match(r"\*([^\s,\[\]{}]+)", lines[mark.line][mark.column:])
    return m.group(1) if m else ""


def _char_at(lines: list[str], line: int, col: int) -> str:
    if 0 <= line < len(lines) and 0 <= col < len(lines[line]):
        return lines[line][col]
    return ""


def translate(exc: yaml.MarkedYAMLError, text: str) -> tuple[int, int, str]:
    """(line, column, message): 1-based position (0, 0 when PyYAML gives none) and the Chinese message."""
    problem = exc.problem or ""
    context = exc.context or ""
    lines = text.split("\n")
    mark = exc.problem_mark or exc.context_mark
    here = _char_at(lines, exc.problem_mark.line, exc.problem_mark.column) if exc.problem_mark else ""
    message = ""
    for pat, ctx_pat, zh, where in _COMPILED:
        m = pat.search(problem)
        if m is None or (ctx_pat is not None and not ctx_pat.search(context)):
            continue
        if exc.context_mark is not None and (where == "key" or where == "end" and _at_end(lines, exc.problem_mark)):
            mark = exc.context_mark
        groups = m.groupdict()
        char = groups.get("c") or here
        name = groups.get("name") or _alias_at(lines, exc.problem_mark)
        if zh.startswith("缩进不一致") and _mid_line(lines, exc.problem_mark):
            zh = "值后面多了内容：引号闭合后不能再写文字，整段文本请放在一对引号内"
        # libyaml does not name the character: a tab found where a token should start is tab indentation
        message = _TABLE[0][2] if char == "\t" else zh.replace("{char}", char).replace("{name}", name)
        break
    if not message:
        message = f"无法解析（{problem or context or exc}）"
    hidden = _hidden_near(lines, exc.problem_mark.line, exc.problem_mark.column) if exc.problem_mark else ""
    if hidden:
        message += f"。此处有不可见字符 {hidden}，请删除"
    line, col = (mark.line + 1, mark.column + 1) if mark else (0, 0)
    return line, col, f"YAML 语法错误：{message}"


def _hidden_near(lines: list[str], line: int, col: int) -> str:
    """An invisible character at or just before the error position: often the real cause (a pasted BOM)."""
    if 0 <= line < len(lines):
        m = INVISIBLE_RE.search(lines[line], max(col - 1, 0), col + 1)
        if m:
            return invisible_label(m.group())
    return ""
