"""Readers for contract documents: Markdown, plain text and Word (.docx) -> one text with a line index.

A .docx becomes one line per paragraph and one line per table row (cells joined by " | ", like a
Markdown table), so the same contract in Word and in Markdown gives the same findings; each line remembers
where it came from (段落 12 / 表格 1 第 2 行 第 3 列) for the report. python-docx is imported only here.
Text in content controls, tracked insertions (not deletions), tables inside cells and text boxes is read in
document order; a table or text box inside a cell follows its row. Headers and footers come after the body, so
the body's line numbers do not depend on them; their blank and page-number-only lines are left out.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..encoding import encoding_problem, gbk_text
from ..errors import HostplanError, Problem
from ..reasons import read_reason

DOC_SUFFIXES = {".md", ".markdown", ".txt", ".docx"}
SPEC_SUFFIXES = {".yaml", ".yml"}
MAX_DOC_BYTES = 64 * 1024 * 1024
CELL_SEP = " | "

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


def _blank_comments(text: str) -> str:
    """<!-- … --> blanked out, as re.sub(r"<!--.*?-->", …, DOTALL) would, but in one pass: that regex scans to the
    end of the text from every <!-- without a -->, which made 14,000 of them take 15 s."""
    out: list[str] = []
    done = 0
    while (start := text.find("<!--", done)) != -1 and (close := text.find("-->", start + 4)) != -1:
        end = close + 3
        out += [text[done:start], re.sub(r"[^\n]", " ", text[start:end])]
        done = end
    return "".join(out) + text[done:] if out else text


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
        lint_text = _blank_comments(lint_text)
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
    from ..reasons import NotWord, open_word

    try:
        document = open_word(path)  # imports python-docx: only when a .docx is linted
    except ImportError:  # pragma: no cover - a dependency of hostplan
        raise Unreadable("读取 .docx 需要 python-docx：pip install python-docx") from None
    except NotWord as exc:
        raise Unreadable(f"不是可读取的 Word 文件：{exc}") from None
    body = document.element.body
    if body is None:
        raise Unreadable("不是可读取的 Word 文件：没有正文（word/document.xml 中缺少 w:body）")
    reader = _WordReader()
    reader.blocks(body, "")
    reader.headers_and_footers(document)
    text = "\n".join(reader.lines)
    return Document(display, text, text, "docx", reader.labels, reader.cells)


# WordprocessingML, read from the XML itself: python-docx's Paragraph.text and Table.rows skip content controls
# (w:sdt), tracked insertions (w:ins), nested tables and text boxes, and Table.rows is quadratic on merged cells.
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_P, _TBL, _TR, _TC, _R, _T, _BR = (_W + t for t in ("p", "tbl", "tr", "tc", "r", "t", "br"))
_SDT, _SDT_CONTENT, _CUSTOM_XML = _W + "sdt", _W + "sdtContent", _W + "customXml"
_TXBX = _W + "txbxContent"
_ALTERNATE, _CHOICE, _FALLBACK = _MC + "AlternateContent", _MC + "Choice", _MC + "Fallback"
# inside a paragraph: wrappers whose runs are part of the text once changes are accepted (w:del and w:moveFrom,
# the deleted and moved-away text, are not, nor are field instructions, math or properties)
_OPEN_INLINE = {_W + t for t in ("ins", "moveTo", "hyperlink", "smartTag", "customXml", "fldSimple", "sdtContent",
                                 "dir", "bdo")}
_RUN_CHARS = {_W + "tab": "\t", _W + "ptab": "\t", _W + "cr": "\n", _W + "noBreakHyphen": "-"}
_SHAPES = {_W + "drawing", _W + "pict", _ALTERNATE, _W + "object"}  # where a run keeps its text boxes
# a header or footer line of page-number furniture only (第 1 页 共 5 页, - 3 -, Page 2 of 9): nothing to review
_PAGE_NUMBER_ONLY = re.compile(r"(?:[\s\d|/.,，:：·•\-–—()（）]|第|共|页码?|[Pp]age|of)*")


def _opened(parent: Any) -> Iterator[Any]:
    """The children of a body, cell, row or table, with content controls and custom-XML wrappers opened (what they
    hold is the document's text); a table of contents is left out, as it repeats the headings."""
    stack = [iter(parent)]
    while stack:
        for el in stack[-1]:
            if el.tag == _SDT:
                content = el.find(_SDT_CONTENT)
                if content is not None and not _is_toc(el):
                    stack.append(iter(content))
                    break
            elif el.tag == _CUSTOM_XML:
                stack.append(iter(el))
                break
            else:
                yield el
        else:
            stack.pop()


def _is_toc(sdt: Any) -> bool:
    gallery = sdt.find(f"{_W}sdtPr/{_W}docPartObj/{_W}docPartGallery")
    return gallery is not None and gallery.get(_W + "val") == "Table of Contents"


def _paragraph(p: Any) -> tuple[str, list[Any]]:
    """A paragraph's text as it reads once tracked changes are accepted, and the text boxes anchored in it."""
    out: list[str] = []
    boxes: list[Any] = []
    stack = [iter(p)]
    while stack:
        for el in stack[-1]:
            tag = el.tag
            if tag == _R:
                for c in el:
                    if c.tag == _T:
                        out.append(c.text or "")
                    elif c.tag == _BR:
                        # a line break reads as a space; a page or column break as nothing, as in python-docx
                        if c.get(_W + "type") in (None, "textWrapping"):
                            out.append("\n")
                    elif c.tag in _RUN_CHARS:
                        out.append(_RUN_CHARS[c.tag])
                    elif c.tag in _SHAPES:
                        boxes.extend(_text_boxes(c))
            elif tag in _OPEN_INLINE:
                stack.append(iter(el))
                break
            elif tag == _SDT:
                content = el.find(_SDT_CONTENT)
                if content is not None:
                    stack.append(iter(content))
                    break
            elif tag == _ALTERNATE:
                stack.append(iter(_alternative(el)))
                break
        else:
            stack.pop()
    return "".join(out).replace("\n", " ").replace("\r", " "), boxes


def _alternative(alternate: Any) -> list[Any]:
    """Word writes a text box twice, as DrawingML (mc:Choice) and as VML (mc:Fallback): read one."""
    choice = alternate.find(_CHOICE)
    return [choice] if choice is not None else list(alternate.iterfind(_FALLBACK))


def _text_boxes(shape: Any) -> list[Any]:
    """The w:txbxContent of a drawing, in document order (not the ones inside another text box)."""
    found: list[Any] = []
    stack = [iter([shape])]
    while stack:
        for el in stack[-1]:
            if el.tag == _TXBX:
                found.append(el)
            elif el.tag == _ALTERNATE:
                stack.append(iter(_alternative(el)))
                break
            elif len(el):
                stack.append(iter(el))
                break
        else:
            stack.pop()
    return found


class _WordReader:
    """Lines, labels and cell starts of a Word document, in document order. Recursion follows nesting (a table in
    a cell, a text box): lxml's parser refuses XML nested deeper than 256 elements, so the stack stays small."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.labels: dict[int, str] = {}
        self.cells: dict[int, list[int]] = {}
        self.furniture = False  # reading a header or footer

    def add(self, text: str, label: str, starts: list[int] | None = None) -> None:
        if self.furniture and _PAGE_NUMBER_ONLY.fullmatch(text):
            return  # blank or a page number: a line that cannot hold a clause
        self.lines.append(text)
        self.labels[len(self.lines)] = label
        if starts is not None:
            self.cells[len(self.lines)] = starts

    def blocks(self, parent: Any, prefix: str) -> None:
        """Paragraphs (段落 N) and tables (表格 N) of a body, text box, header or footer."""
        para_no = table_no = 0
        for el in _opened(parent):
            if el.tag == _P:
                para_no += 1
                text, boxes = _paragraph(el)
                self.add(text, f"{prefix}段落 {para_no}")
                self.text_boxes(boxes, f"{prefix}段落 {para_no} ")
            elif el.tag == _TBL:
                table_no += 1
                self.table(el, f"{prefix}表格 {table_no}")

    def text_boxes(self, boxes: list[Any], prefix: str) -> None:
        for n, box in enumerate(boxes, 1):
            self.blocks(box, f"{prefix}文本框{f' {n}' if len(boxes) > 1 else ''} ")

    def table(self, tbl: Any, label: str) -> None:
        """One line per row, its cells joined by CELL_SEP; a table or text box inside a cell follows its row."""
        rows = (el for el in _opened(tbl) if el.tag == _TR)
        for r, tr in enumerate(rows, 1):
            parts: list[str] = []
            starts: list[int] = []
            inner: list[tuple[str, Any, str]] = []  # (kind, element, label) after the row, in document order
            col = 1
            # one column per w:tc: a cell merged across columns is one w:tc; one merged down (vMerge) is read once,
            # in its first row, as Word shows it
            for c, tc in enumerate((el for el in _opened(tr) if el.tag == _TC), 1):
                where = f"{label} 第 {r} 行 第 {c} 列 "
                texts: list[str] = []
                cell_inner: list[tuple[str, Any]] = []
                for el in _opened(tc):
                    if el.tag == _P:
                        text, boxes = _paragraph(el)
                        texts.append(text)
                        cell_inner += [("box", b) for b in boxes]
                    elif el.tag == _TBL:
                        cell_inner.append(("table", el))
                tables = sum(1 for kind, _ in cell_inner if kind == "table")
                boxes_n = len(cell_inner) - tables
                t = b = 0
                for kind, el in cell_inner:
                    if kind == "table":
                        t += 1
                        inner.append((kind, el, f"{where}内嵌表格{f' {t}' if tables > 1 else ''}"))
                    else:
                        b += 1
                        inner.append((kind, el, f"{where}文本框{f' {b}' if boxes_n > 1 else ''} "))
                value = " ".join(texts)
                starts.append(col)
                parts.append(value)
                col += len(value) + len(CELL_SEP)
            self.add(CELL_SEP.join(parts), f"{label} 第 {r} 行", starts)
            for kind, el, where in inner:
                if kind == "table":
                    self.table(el, where)
                else:
                    self.blocks(el, where)

    def headers_and_footers(self, document: Any) -> None:
        """After the body, so its line numbers are the same as without them: each header and footer Word shows,
        once (sections that link to the previous one share its part)."""
        sections = list(document.sections)
        even = document.settings.odd_and_even_pages_header_footer
        seen: set[int] = set()
        self.furniture = True
        for i, section in enumerate(sections, 1):
            where = f"第 {i} 节" if len(sections) > 1 else ""
            for kind, name in (("header", "页眉"), ("footer", "页脚")):
                shown = [("", getattr(section, kind))]
                if section.different_first_page_header_footer:
                    shown.append(("首页", getattr(section, f"first_page_{kind}")))
                if even:
                    shown.append(("偶数页", getattr(section, f"even_page_{kind}")))
                for which, part in shown:
                    if part.is_linked_to_previous:  # no part of its own (asking for .part would add one)
                        continue
                    try:
                        element = part.part.element
                    except KeyError:  # a reference to a part the file does not have
                        continue
                    if id(element) in seen:
                        continue
                    seen.add(id(element))
                    self.blocks(element, f"{where}{which}{name} ")
        self.furniture = False


def location_label(doc: Document, line: int, column: int) -> str:
    label = doc.labels.get(line, "")
    starts = doc.cells.get(line)
    if label and starts:
        n = sum(1 for s in starts if s <= column)
        label += f" 第 {max(n, 1)} 列"
    return label
