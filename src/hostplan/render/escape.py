"""Spec text is data: every value a template prints is escaped so it cannot change the Markdown structure."""

from __future__ import annotations

import re
from typing import Any

from markupsafe import Markup

# characters that start inline Markdown constructs (emphasis, code, links, html, table cells)
_INLINE = re.compile(r"([\\`*_\[\]<|])")
_ENTITY = re.compile(r"&(?=#?\w+;)")
# block markers that matter when a value begins a line: headings, quotes, list items, setext rules
_LINE_START = re.compile(r"^(#|>|~|[-+](?=\s|$)|=+$|-+$)")
_ORDERED = re.compile(r"^(\d+)([.)])(?=\s|$)")
_NEWLINES = re.compile(r"[ \t]*\r?\n[ \t]*")
_CJK = re.compile(r"[\u2e80-\u9fff\uff00-\uffef\u3000-\u303f]")

# fast path: most values (names, quantities, Chinese sentences) contain none of these
_MAYBE_SPECIAL = re.compile(r"[\\`*_\[\]<|&\n\r]|^\s*(?:[#>~=+-]|\d+[.)])")

# characters XML 1.0 (and so Word) cannot store
BAD_XML_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def _join_lines(text: str) -> str:
    """A multi-line field becomes one line: no space between Chinese characters, one space otherwise."""

    def repl(m: re.Match[str]) -> str:
        before = text[m.start() - 1] if m.start() else ""
        after = text[m.end()] if m.end() < len(text) else ""
        return "" if _CJK.match(before or " ") and _CJK.match(after or " ") else " "

    return _NEWLINES.sub(repl, text)


def md_escape(value: Any) -> str:
    """Escape a value for use inside a Markdown paragraph, list item, heading or table cell."""
    if isinstance(value, Markup):
        return str(value)
    text = str(value)
    if not _MAYBE_SPECIAL.search(text):
        return text
    if "\n" in text or "\r" in text:
        text = _join_lines(text.strip())
    text = _INLINE.sub(r"\\\1", text)
    text = _ENTITY.sub(r"\\&", text)
    text = _ORDERED.sub(r"\1\\\2", text)
    return _LINE_START.sub(lambda m: "\\" + m.group(1), text)


def finalize(value: Any) -> Any:
    """Jinja finalize hook: runs on every {{ expression }} output."""
    if value is None:
        # a None reaching the page is a template bug (a module absent from the spec printed anyway)
        raise ValueError("模板输出了空值（None）：请用 {% if … %} 包住规格中可省略的字段")
    return md_escape(value)
