"""Readers for contract documents: Markdown, plain text and Word (.docx) -> one text with a line index.

A .docx becomes one line per paragraph and one line per table row (cells joined by " | ", like a
Markdown table), so the same contract in Word and in Markdown gives the same findings; each line remembers
where it came from (段落 12 / 表格 1 第 2 行 第 3 列) for the report. python-docx is imported only here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ..encoding import encoding_problem, gbk_text
from ..errors import HostplanError, Problem
from ..reasons import read_reason

DOC_SUFFIXES = {".md", ".markdown", ".txt", ".docx"}
SPEC_SUFFIXES = {".yaml", ".yml"}
MAX_DOC_BYTES = 64 * 1024 * 1024
CELL_SEP = " | "

_HTML_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_FENCE = re.compile(r"^(```|~~~).*?^\1[^\n]*$", re.DOTALL | re.MULTILINE)


@dataclass
class Document:
    path: str
    text: str  # what is shown and what positions refer to
    lint_text: str  # same length as text: comments and code blocks blanked out
    kind: str  # markdown | text | docx
    labels: dict[int, str] = field(default_factory=dict)  # line -> 段落 3 (docx only)
    cells: dict[int, list[int]] = field(default_factory=dict)  # line -> start column of each table cell
    encoding: str = "utf-8"  # gb18030 or utf-16 when a contract saved so on Windows was read as such


class Unreadable(HostplanError):
    def __init__(self, message: str, problem: Problem | None = None) -> None:
        super().__init__(message)
        self.problem = problem  # where in the file, when known


def _blank(match: re.Match[str]) -> str:
    return re.sub(r"[^\n]", " ", match.group(0))


def decode(raw: bytes, name: str) -> str:
    """UTF-8 text (a BOM is allowed), or an Unreadable naming the first byte that is not UTF-8."""
    return _decode(raw, name, gbk=False)[0]


def _decode(raw: bytes, name: str, gbk: bool) -> tuple[str, str]:
    if gbk and raw[:2] in (b"\xff\xfe", b"\xfe\xff"):  # Notepad's "Unicode": UTF-16 with its byte-order mark
        try:
            return raw.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            pass
    try:
        return raw.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError as exc:
        text = gbk_text(raw) if gbk else None
        if text is not None:
            return text, "gb18030"
        problem = encoding_problem(raw, exc, name)
        raise Unreadable(problem.message, problem) from None


# A line break inside a paragraph: after a line with text that is not a heading or table row and does not end
# in a Markdown hard break ("  "), before a line that does not start a new block (heading, quote, list item,
# numbered clause, blank line). One regex pass, so a 20 MB document is not split into lines in Python.
_SOFT_BREAK = re.compile(
    r"^((?![^\S\n]*[#|])(?=[^\n]*\S)[^\n]*)(?<!  )\n"
    r"(?![^\S\n]*(?:[#>|*+-]|\d+[.、)）]|[一二三四五六七八九十]+、|第[一二三四五六七八九十百零〇\d]+[条章节]|\n|\Z))",
    re.MULTILINE)


def _join_soft_breaks(text: str) -> str:
    """A paragraph wrapped over several lines is one paragraph: its inner line breaks become spaces (same
    length, so offsets still match the original), and 及时回复\n（30 分钟内） is read as one clause."""
    return _SOFT_BREAK.sub(r"\1 ", text)


def from_text(text: str, path: str, kind: str = "markdown") -> Document:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lint_text = text
    if kind == "markdown":
        lint_text = _HTML_COMMENT.sub(_blank, lint_text)
        lint_text = _FENCE.sub(_blank, lint_text)
        lint_text = _join_soft_breaks(lint_text)
    return Document(path, text, lint_text, kind)


def read_document(path: Path, display: str) -> Document:
    try:
        size = path.stat().st_size
        if size > MAX_DOC_BYTES:
            raise Unreadable(f"文件过大（{size / 1024 / 1024:.0f} MB），上限 {MAX_DOC_BYTES // 1024 // 1024} MB")
        if path.suffix.lower() == ".docx":
            return read_docx(path, display)
        raw = path.read_bytes()
    except OSError as exc:
        raise Unreadable(read_reason(exc)) from None
    return document_from_bytes(raw, display, "text" if path.suffix.lower() == ".txt" else "markdown")


def document_from_bytes(raw: bytes, display: str, kind: str = "markdown") -> Document:
    """A Markdown or text contract from its bytes: UTF-8, or GBK or UTF-16 (Windows Notepad's "ANSI" and
    "Unicode", as a contract someone else wrote may be saved), which are read and noted (HP010). Anything else is
    Unreadable, with the first bad byte."""
    text, encoding = _decode(raw, display, gbk=True)
    doc = from_text(text, display, kind)
    doc.encoding = encoding
    return doc


def read_docx(path: Path, display: str) -> Document:
    try:  # python-docx: only when a .docx is linted
        from docx.table import Table
        from docx.text.paragraph import Paragraph
    except ImportError:  # pragma: no cover - a dependency of hostplan
        raise Unreadable("读取 .docx 需要 python-docx：pip install python-docx") from None
    from ..reasons import NotWord, open_word

    try:
        document = open_word(path)
    except NotWord as exc:
        raise Unreadable(f"不是可读取的 Word 文件：{exc}") from None
    lines: list[str] = []
    labels: dict[int, str] = {}
    cells: dict[int, list[int]] = {}
    para_no = 0
    table_no = 0
    body = document.element.body
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            para_no += 1
            text = Paragraph(child, document).text
            lines.append(text.replace("\n", " "))
            labels[len(lines)] = f"段落 {para_no}"
        elif tag == "tbl":
            table_no += 1
            table = Table(child, document)
            for r, row in enumerate(table.rows, 1):
                parts: list[str] = []
                starts: list[int] = []
                seen: set[int] = set()
                col = 1
                for cell in row.cells:
                    if id(cell._tc) in seen:  # a merged cell is returned once per grid column
                        continue
                    seen.add(id(cell._tc))
                    starts.append(col)
                    value = " ".join(p.text for p in cell.paragraphs).replace("\n", " ")
                    parts.append(value)
                    col += len(value) + len(CELL_SEP)
                lines.append(CELL_SEP.join(parts))
                labels[len(lines)] = f"表格 {table_no} 第 {r} 行"
                cells[len(lines)] = starts
    text = "\n".join(lines)
    return Document(display, text, text, "docx", labels, cells)


def location_label(doc: Document, line: int, column: int) -> str:
    label = doc.labels.get(line, "")
    starts = doc.cells.get(line)
    if label and starts:
        n = sum(1 for s in starts if s <= column)
        label += f" 第 {max(n, 1)} 列"
    return label
