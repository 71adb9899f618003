"""Markdown (the rendered proposal) -> Word, with Chinese contract typesetting.

The .docx is built from the markdown-it tokens of the very text written to the .md file, so the two
outputs cannot say different things. Layout hints travel as HTML comments the Markdown reader ignores:
<!-- cover --> (centered cover page until the next page break), <!-- pagebreak -->, <!-- signature -->
(what follows, up to and including the next table, stays on one page; that table is the signature block,
without borders).
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import HostplanError
from .escape import BAD_XML_CHARS

BODY_FONT = ("Times New Roman", "宋体")
HEADING_FONT = ("Arial", "黑体")
SIZE_BODY = 12.0  # 小四
SIZE_TABLE = 10.5  # 五号
SIZE_H1 = 14.0  # 四号
SIZE_H2 = 12.0  # 小四
SIZE_TITLE = 22.0  # 二号
SIZE_HEADER = 9.0  # 小五
TEXT_WIDTH_TWIPS = 8844  # A4 less the default margins; used only if a reference document has no page size

ZIP_DATE = (1980, 1, 1, 0, 0, 0)
FIRST_PARTS = ("[Content_Types].xml", "_rels/.rels")


# --- low-level XML helpers --------------------------------------------------------------------------


def _qn(tag: str) -> str:
    from docx.oxml.ns import qn

    return str(qn(tag))


def _el(tag: str, **attrs: str) -> Any:
    from docx.oxml import OxmlElement

    el = OxmlElement(tag)
    for k, v in attrs.items():
        el.set(_qn(k), v)
    return el


def _child(parent: Any, tag: str, *, first: bool = False) -> Any:
    """The child element tag of parent, created if missing."""
    found = parent.find(_qn(tag))
    if found is None:
        found = _el(tag)
        if first:
            parent.insert(0, found)
        else:
            parent.append(found)
    return found


def set_fonts(rpr: Any, latin: str, east_asia: str) -> None:
    """Latin and East Asian fonts; theme attributes are removed because Word lets them win over names."""
    fonts = rpr.get_or_add_rFonts()
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(_qn(attr), None)
    fonts.set(_qn("w:ascii"), latin)
    fonts.set(_qn("w:hAnsi"), latin)
    fonts.set(_qn("w:cs"), latin)
    fonts.set(_qn("w:eastAsia"), east_asia)


def _style_fonts(style: Any, fonts: tuple[str, str] | None, size: float, *, bold: bool | None = None) -> None:
    """Size and weight; with fonts, also black text in those fonts (None: inherit a reference's fonts)."""
    style.font.size = _pt(size)
    style.font.bold = bold
    style.font.italic = False
    if fonts is None:
        return
    from docx.shared import RGBColor

    style.font.color.rgb = RGBColor(0, 0, 0)
    set_fonts(style.element.get_or_add_rPr(), *fonts)


def _pt(v: float) -> Any:
    from docx.shared import Pt

    return Pt(v)


def _first_line_chars(ppr: Any, chars: int, size: float) -> None:
    """First-line indent in characters (w:firstLineChars), with the twips equivalent for older readers."""
    ind = ppr.get_or_add_ind()
    ind.set(_qn("w:firstLineChars"), str(chars * 100))
    ind.set(_qn("w:firstLine"), str(int(chars * size * 20)))


def _no_indent(ppr: Any) -> None:
    ind = ppr.get_or_add_ind()
    ind.set(_qn("w:firstLineChars"), "0")
    ind.set(_qn("w:firstLine"), "0")


# --- the styles a proposal uses ---------------------------------------------------------------------

STYLE_BODY = "Body Text"
STYLE_TABLE = "Table Text"
STYLE_LIST = "List Paragraph"
STYLE_COVER = "Cover Text"


def _get_or_add(doc: Any, name: str, kind: int, base: str | None = "Normal") -> tuple[Any, bool]:
    try:
        return doc.styles[name], False
    except KeyError:
        style = doc.styles.add_style(name, kind)
        if base:
            style.base_style = doc.styles[base] if base in [s.name for s in doc.styles] else None
        style.quick_style = True
        return style, True


def setup_styles(doc: Any, *, keep_existing: bool) -> None:
    """Chinese contract styles. With a reference document, its own styles are kept and only missing ones added."""
    from docx.enum.style import WD_STYLE_TYPE
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    para = WD_STYLE_TYPE.PARAGRAPH
    # styles added to a reference document inherit its fonts from its Normal style
    body_font = None if keep_existing else BODY_FONT
    heading_font = None if keep_existing else HEADING_FONT

    def style(name: str, base: str | None = "Normal") -> tuple[Any, bool]:
        s, created = _get_or_add(doc, name, para, base)
        return s, created or not keep_existing

    if not keep_existing:
        # document defaults: Chinese language and fonts for every run that sets nothing itself
        defaults = doc.styles.element.find(_qn("w:docDefaults"))
        if defaults is not None:
            rpr = defaults.find(_qn("w:rPrDefault") + "/" + _qn("w:rPr"))
            if rpr is None:
                rpr = doc.styles["Normal"].element.get_or_add_rPr()
            set_fonts(rpr, *BODY_FONT)
            lang = _child(rpr, "w:lang")
            lang.set(_qn("w:val"), "en-US")
            lang.set(_qn("w:eastAsia"), "zh-CN")
    normal, fresh = style("Normal", None)
    if fresh:
        _style_fonts(normal, body_font, SIZE_BODY)
        pf = normal.paragraph_format
        pf.space_before = _pt(0)
        pf.space_after = _pt(0)
        pf.line_spacing = 1.5
        pf.widow_control = True
    body, fresh = style(STYLE_BODY)
    if fresh:
        _style_fonts(body, body_font, SIZE_BODY)
        body.paragraph_format.space_before = _pt(3)
        body.paragraph_format.space_after = _pt(0)
        body.paragraph_format.line_spacing = 1.5
        body.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        _first_line_chars(body.element.get_or_add_pPr(), 2, SIZE_BODY)
    lst, fresh = style(STYLE_LIST)
    if fresh:
        _style_fonts(lst, body_font, SIZE_BODY)
        lst.paragraph_format.space_after = _pt(0)
        lst.paragraph_format.line_spacing = 1.5
        lst.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        _no_indent(lst.element.get_or_add_pPr())
    table, fresh = style(STYLE_TABLE)
    if fresh:
        _style_fonts(table, body_font, SIZE_TABLE)
        pf = table.paragraph_format
        pf.line_spacing = 1.15
        pf.space_before = _pt(2)
        pf.space_after = _pt(2)
        _no_indent(table.element.get_or_add_pPr())
    cover, fresh = style(STYLE_COVER)
    if fresh:
        _style_fonts(cover, body_font, 14.0)
        cover.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
        cover.paragraph_format.space_after = _pt(10)
        _no_indent(cover.element.get_or_add_pPr())
    title, fresh = style("Title")
    if fresh:
        _style_fonts(title, heading_font, SIZE_TITLE, bold=False)
        pf = title.paragraph_format
        pf.alignment = WD_ALIGN_PARAGRAPH.CENTER
        pf.space_before = _pt(150)
        pf.space_after = _pt(36)
        pf.line_spacing = 1.2
        _no_indent(title.element.get_or_add_pPr())
        # the default template draws a coloured rule under the title
        ppr = title.element.get_or_add_pPr()
        border = ppr.find(_qn("w:pBdr"))
        if border is not None:
            ppr.remove(border)
    for level, size, before, after in ((1, SIZE_H1, 18, 6), (2, SIZE_H2, 12, 6), (3, SIZE_BODY, 6, 3)):
        h, fresh = style(f"Heading {level}")
        if fresh:
            _style_fonts(h, heading_font, size, bold=False)
            pf = h.paragraph_format
            pf.space_before = _pt(before)
            pf.space_after = _pt(after)
            pf.line_spacing = 1.5
            pf.keep_with_next = True
            pf.alignment = WD_ALIGN_PARAGRAPH.LEFT
            ppr = h.element.get_or_add_pPr()
            _no_indent(ppr)
            _child(ppr, "w:outlineLvl").set(_qn("w:val"), str(level - 1))
    for name in ("Header", "Footer"):
        hf, fresh = style(name)
        if fresh:
            _style_fonts(hf, body_font, SIZE_HEADER)
            hf.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
            hf.paragraph_format.line_spacing = 1.0
            _no_indent(hf.element.get_or_add_pPr())


# --- numbering: 1. / （1） / ① restarting with every list --------------------------------------------

ORDERED_LEVELS = (("decimal", "%1."), ("decimal", "（%2）"), ("decimalEnclosedCircle", "%3"))
BULLET_LEVELS = ("●", "○", "■")


class Numbering:
    """Owns the abstract list definitions and hands out a fresh w:num (restarting at 1) for every list."""

    def __init__(self, doc: Any) -> None:
        self.part = doc.part.numbering_part
        self.root = self.part.element
        existing = [int(x) for x in self.root.xpath("./w:abstractNum/@w:abstractNumId")]
        base = max(existing, default=0) + 1
        self.ordered_id = self._abstract(base, ordered=True)
        self.bullet_id = self._abstract(base + 1, ordered=False)
        nums = [int(x) for x in self.root.xpath("./w:num/@w:numId")]
        self.next_num = max(nums, default=0) + 1
        self.pending: list[str] = []

    def _abstract(self, ident: int, *, ordered: bool) -> int:
        ab = _el("w:abstractNum", **{"w:abstractNumId": str(ident)})
        _child(ab, "w:multiLevelType").set(_qn("w:val"), "multilevel")
        for lvl in range(3):
            el = _el("w:lvl", **{"w:ilvl": str(lvl)})
            el.append(_el("w:start", **{"w:val": "1"}))
            if ordered:
                fmt, text = ORDERED_LEVELS[lvl]
            else:
                fmt, text = "bullet", BULLET_LEVELS[lvl]
            el.append(_el("w:numFmt", **{"w:val": fmt}))
            el.append(_el("w:lvlText", **{"w:val": text}))
            el.append(_el("w:lvlJc", **{"w:val": "left"}))
            ppr = _el("w:pPr")
            left = 840 + 420 * lvl
            ppr.append(_el("w:ind", **{"w:left": str(left), "w:hanging": "420"}))
            el.append(ppr)
            ab.append(el)
        # abstractNum elements must precede num elements
        first_num = self.root.find(_qn("w:num"))
        if first_num is not None:
            first_num.addprevious(ab)
        else:
            self.root.append(ab)
        return ident

    def new_list(self, ordered: bool, start: int = 1) -> int:
        ident = self.next_num
        self.next_num += 1
        overrides = "".join(f'<w:lvlOverride w:ilvl="{lvl}"><w:startOverride w:val="{start if lvl == 0 else 1}"/>'
                            "</w:lvlOverride>" for lvl in range(3))
        self.pending.append(f'<w:num w:numId="{ident}"><w:abstractNumId '
                            f'w:val="{self.ordered_id if ordered else self.bullet_id}"/>{overrides}</w:num>')
        return ident

    def flush(self) -> None:
        """Add the lists' w:num elements in one parse (they follow every abstractNum, as the schema wants)."""
        from docx.oxml.parser import parse_xml

        if self.pending:
            parsed = parse_xml(f'<w:numbering xmlns:w="{W_NS}">{"".join(self.pending)}</w:numbering>'.encode())
            for num in list(parsed):
                self.root.append(num)
            self.pending = []


# --- page setup, header and footer ------------------------------------------------------------------


def setup_page(section: Any) -> None:
    from docx.shared import Cm

    section.page_width = Cm(21.0)
    section.page_height = Cm(29.7)
    section.top_margin = Cm(2.54)
    section.bottom_margin = Cm(2.54)
    section.left_margin = Cm(2.8)
    section.right_margin = Cm(2.6)
    section.header_distance = Cm(1.5)
    section.footer_distance = Cm(1.5)


def _field(paragraph: Any, instruction: str, placeholder: str) -> None:
    """A Word field (PAGE, NUMPAGES) that Word and LibreOffice update on open and print."""
    run = paragraph.add_run()
    run._r.append(_el("w:fldChar", **{"w:fldCharType": "begin"}))
    run = paragraph.add_run()
    instr = _el("w:instrText")
    instr.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    instr.text = f" {instruction} "
    run._r.append(instr)
    run = paragraph.add_run()
    run._r.append(_el("w:fldChar", **{"w:fldCharType": "separate"}))
    paragraph.add_run(placeholder)
    run = paragraph.add_run()
    run._r.append(_el("w:fldChar", **{"w:fldCharType": "end"}))


def _has_content(part: Any) -> bool:
    el = part._element
    return bool("".join(el.itertext()).strip()) or bool(el.xpath(".//w:drawing | .//w:pict"))


def setup_header_footer(section: Any, title: str, style_ids: dict[str, str], *, keep_existing: bool = False) -> None:
    """Title in the header with a rule under it, 第 X 页 共 Y 页 in the footer, neither on the cover page.

    A reference document's own header or footer (the letterhead: company name, logo, address line) is kept,
    as pandoc's --reference-doc does; only a missing one gets the proposal's.
    """
    keep_header = keep_existing and _has_content(section.header)
    keep_footer = keep_existing and _has_content(section.footer)
    if not keep_header and not keep_footer:
        section.different_first_page_header_footer = True
    if not keep_header:
        header = section.header
        header.is_linked_to_previous = False
        p = header.paragraphs[0] if header.paragraphs else header.add_paragraph()
        p._p.style = style_ids["Header"]
        p.text = title
        bdr = _child(p._p.get_or_add_pPr(), "w:pBdr")
        bdr.append(_el("w:bottom", **{"w:val": "single", "w:sz": "4", "w:space": "1", "w:color": "auto"}))
    if not keep_footer:
        footer = section.footer
        footer.is_linked_to_previous = False
        p = footer.paragraphs[0] if footer.paragraphs else footer.add_paragraph()
        p._p.style = style_ids["Footer"]
        p.add_run("第 ")
        _field(p, "PAGE", "1")
        p.add_run(" 页 共 ")
        _field(p, "NUMPAGES", "1")
        p.add_run(" 页")


# --- tables -------------------------------------------------------------------------------------------


def _display_width(text: str) -> int:
    # ambiguous-width signs (≤ ≥ × –) are set full width by the Chinese fonts a table falls back to
    return sum(2 if unicodedata.east_asian_width(ch) in "WFA" else 1 for ch in text)


# A run Word keeps on one line: anything but spaces and CJK characters or punctuation (which break anywhere),
# such as an amount (-1100.00), a time (09:00–22:00) or a spec path (fees.late_payment).
_UNBROKEN = re.compile(r"[^\s\u2e80-\u303f\u3040-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef]+")
SHORT_CELL = 12  # half-width characters: a cell this short (未达标, -1100.00, 月度店铺评分) is never wrapped
LONGEST_RUN = 24  # a longer unbroken run (a URL) may be broken by Word rather than widen its column further
NARROWEST = 8  # a column with more text is at least four Chinese characters wide


def _least_width(cells: list[str]) -> int:
    """The narrowest a column can be without breaking a short cell or an unbroken run, in half-width characters;
    one character to spare, as Latin digits and signs set a little wider than half a Chinese character."""
    least = 0
    for text in cells:
        width = _display_width(text)
        if width <= SHORT_CELL:
            least = max(least, width + 1)
        else:
            runs = (_display_width(r) + 1 for r in _UNBROKEN.findall(text))
            least = max(least, min(max(runs, default=2), LONGEST_RUN), min(width, NARROWEST))
    return least


def column_widths(rows: list[list[str]], total: int) -> list[int]:
    """Column widths in twips summing to total, as browsers lay out auto tables: every column gets its minimum
    (a short cell whole, an amount or a code unbroken, at least four Chinese characters), the rest of the width
    goes to the columns in proportion to how much more text they hold — so an explanation column takes the
    width and the short columns around it stay as narrow as their content."""
    cols = max(len(r) for r in rows)
    unit = SIZE_TABLE * 10  # twips per half-width character
    padding = 260  # cell margins
    header, body = rows[0], rows[1:] or rows
    longest = [max((_display_width(r[c]) for r in rows if c < len(r)), default=4) for c in range(cols)]
    # a header wraps at its characters; the body cells set how narrow a column may be
    least_chars = [max(_least_width([r[c] for r in body if c < len(r)]),
                       min(_display_width(header[c]) if c < len(header) else 0, 4)) for c in range(cols)]
    most = [int(w * unit) + padding for w in longest]
    least = [int(w * unit) + padding for w in least_chars]
    if sum(most) <= total:
        widths = [int(w * total / sum(most)) for w in most]
    elif sum(least) >= total:
        widths = [int(w * total / sum(least)) for w in least]
    else:
        spare = total - sum(least)
        extra = [m - n for m, n in zip(most, least, strict=True)]
        widths = [n + int(spare * e / sum(extra)) for n, e in zip(least, extra, strict=True)]
    widths[-1] += total - sum(widths)
    return widths


# --- the builder: Markdown tokens -> WordprocessingML ----------------------------------------------------
# The body is written as XML text and parsed once: python-docx's object API costs ~0.1 ms per element,
# which would make a 10-page proposal too slow to render in bulk. Element order follows the OOXML schema.

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _x(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def _run(text: str, *, bold: bool = False, italic: bool = False) -> str:
    props = ("<w:b/><w:bCs/>" if bold else "") + ("<w:i/><w:iCs/>" if italic else "")
    rpr = f"<w:rPr>{props}</w:rPr>" if props else ""
    return f'<w:r>{rpr}<w:t xml:space="preserve">{_x(text)}</w:t></w:r>'


def _para(runs: str, style: str, *, keep_next: bool = False, break_before: bool = False,
          num: tuple[int, int] | None = None, left: int | None = None, jc: str | None = None,
          space_before: int | None = None) -> str:
    ppr = f'<w:pStyle w:val="{style}"/>'
    if keep_next:
        ppr += "<w:keepNext/>"
    if break_before:
        ppr += "<w:pageBreakBefore/>"
    if num is not None:
        ppr += f'<w:numPr><w:ilvl w:val="{num[0]}"/><w:numId w:val="{num[1]}"/></w:numPr>'
    if space_before is not None:
        ppr += f'<w:spacing w:before="{space_before}"/>'
    if left is not None:
        ppr += f'<w:ind w:left="{left}" w:firstLineChars="0" w:firstLine="0"/>'
    if jc:
        ppr += f'<w:jc w:val="{jc}"/>'
    return f"<w:p><w:pPr>{ppr}</w:pPr>{runs}</w:p>"


@dataclass
class _List:
    num_id: int
    level: int
    ordered: bool


@dataclass
class _Cell:
    tokens: list[Any]
    header: bool
    align: str | None


@dataclass
class _State:
    cover: bool = False
    break_before: bool = False
    signature: bool = False
    lists: list[_List] = field(default_factory=list)
    item_started: bool = False
    quote: int = 0


class Builder:
    def __init__(self, doc: Any, text_width: int, style_ids: dict[str, str]) -> None:
        self.doc = doc
        self.numbering = Numbering(doc)
        self.text_width = text_width
        self.state = _State()
        self.out: list[str] = []
        # style names -> ids (a reference document may give them other ids)
        self.ids = style_ids

    def sid(self, name: str) -> str:
        return self.ids.get(name, name.replace(" ", ""))

    def _break(self) -> bool:
        brk = self.state.break_before
        self.state.break_before = False
        return brk

    def inline(self, children: list[Any], *, bold: bool = False) -> str:
        strong = 1 if bold else 0
        em = 0
        parts: list[str] = []
        for tok in children or []:
            t = tok.type
            if t == "text" or t == "code_inline":
                if tok.content:
                    parts.append(_run(tok.content, bold=strong > 0, italic=em > 0))
            elif t == "strong_open":
                strong += 1
            elif t == "strong_close":
                strong -= 1
            elif t == "em_open":
                em += 1
            elif t == "em_close":
                em -= 1
            elif t == "softbreak":
                parts.append(_run(" "))
            elif t == "hardbreak":
                parts.append("<w:r><w:br/></w:r>")
            elif t == "image" and tok.content:
                parts.append(_run(tok.content))
            # links keep their text (the text tokens between link_open/close); inline HTML is dropped
        return "".join(parts)

    def heading(self, level: int, children: list[Any]) -> None:
        style = "Title" if level == 1 else f"Heading {min(level - 1, 3)}"
        self.out.append(_para(self.inline(children), self.sid(style), break_before=self._break()))

    def body(self, children: list[Any]) -> None:
        st = self.state
        runs = self.inline(children)
        # a lead-in ending in a colon stays on the page with the list or table it introduces
        texts = [t.content for t in children or [] if t.type == "text" and t.content.strip()]
        keep = st.signature or bool(texts and texts[-1].rstrip().endswith(("：", ":")))
        if st.lists:
            lst = st.lists[-1]
            if not st.item_started:
                st.item_started = True
                self.out.append(_para(runs, self.sid(STYLE_LIST), num=(lst.level, lst.num_id), keep_next=keep,
                                      break_before=self._break()))
            else:  # a further paragraph of the same item lines up with the item's text
                self.out.append(_para(runs, self.sid(STYLE_LIST), left=840 + 420 * lst.level, keep_next=keep,
                                      break_before=self._break()))
        elif st.cover:
            self.out.append(_para(runs, self.sid(STYLE_COVER), break_before=self._break()))
        else:
            left = 420 * st.quote if st.quote else None
            self.out.append(_para(runs, self.sid(STYLE_BODY), keep_next=keep, break_before=self._break(),
                                  left=left))

    def table(self, rows: list[list[_Cell]]) -> None:
        signature = self.state.signature
        self.state.signature = False
        ncols = max(len(r) for r in rows)
        texts = [["".join(t.content for t in c.tokens if t.type == "inline") for c in r] for r in rows]
        widths = [self.text_width // ncols] * ncols if signature else column_widths(texts, self.text_width)
        border = "nil" if signature else "single"
        edges = "".join(f'<w:{side} w:val="{border}" w:sz="4" w:space="0" w:color="000000"/>'
                        for side in ("top", "left", "bottom", "right", "insideH", "insideV"))
        out = [
            "<w:tbl><w:tblPr>"
            f'<w:tblW w:w="{sum(widths)}" w:type="dxa"/><w:jc w:val="center"/>'
            f"<w:tblBorders>{edges}</w:tblBorders>"
            '<w:tblLayout w:type="fixed"/>'
            '<w:tblCellMar><w:left w:w="108" w:type="dxa"/><w:right w:w="108" w:type="dxa"/></w:tblCellMar>'
            '<w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="0" w:lastColumn="0" '
            'w:noHBand="0" w:noVBand="1"/>'
            "</w:tblPr><w:tblGrid>",
            "".join(f'<w:gridCol w:w="{w}"/>' for w in widths),
            "</w:tblGrid>",
        ]
        table_style = self.sid(STYLE_TABLE)
        for r, cells in enumerate(rows):
            header = bool(cells) and cells[0].header and not signature
            trpr = "<w:cantSplit/>" + ("<w:tblHeader/>" if header else "")
            if signature and r > 0:
                # room for a company seal (about 4 cm) on the 盖章 row
                tall = any("盖章" in "".join(t.content for t in c.tokens) for c in cells)
                trpr = f'<w:trHeight w:val="{2000 if tall else 700}"/>' + trpr
            out.append(f"<w:tr><w:trPr>{trpr}</w:trPr>")
            for c in range(ncols):
                cell = cells[c] if c < len(cells) else _Cell([], False, None)
                shade = '<w:shd w:val="clear" w:color="auto" w:fill="D9D9D9"/>' if header else ""
                jc = "center" if header else (cell.align if cell.align in ("center", "right") else None)
                runs = "".join(self.inline(t.children, bold=cell.header) for t in cell.tokens if t.type == "inline")
                para = _para(runs, table_style, keep_next=signature or header, jc=jc,
                             space_before=120 if signature else None)
                out.append(f'<w:tc><w:tcPr><w:tcW w:w="{widths[c]}" w:type="dxa"/>{shade}'
                           f'<w:vAlign w:val="{"center" if header else "top"}"/></w:tcPr>{para}</w:tc>')
            out.append("</w:tr>")
        out.append("</w:tbl>")
        self.out.append("".join(out))
        # an empty line after every table so the next paragraph does not touch its border
        self.out.append(_para("", table_style))

    def html(self, content: str) -> None:
        marker = content.strip()
        if marker == "<!-- cover -->":
            self.state.cover = True
        elif marker == "<!-- pagebreak -->":
            self.state.cover = False
            self.state.break_before = True
        elif marker == "<!-- signature -->":
            self.state.signature = True
        # any other HTML is not contract text and is left out

    def code(self, content: str) -> None:
        for line in content.rstrip("\n").split("\n"):
            self.out.append(_para(_run(line), self.sid(STYLE_TABLE)))

    def run(self, tokens: list[Any]) -> None:
        i = 0
        n = len(tokens)
        while i < n:
            tok = tokens[i]
            t = tok.type
            if t == "heading_open":
                self.heading(int(tok.tag[1]), tokens[i + 1].children)
                i += 3
                continue
            if t == "paragraph_open":
                self.body(tokens[i + 1].children)
                i += 3
                continue
            if t in ("ordered_list_open", "bullet_list_open"):
                ordered = t == "ordered_list_open"
                start = int(tok.attrGet("start") or 1) if ordered else 1
                num_id = self.numbering.new_list(ordered, start)
                self.state.lists.append(_List(num_id, min(len(self.state.lists), 2), ordered))
            elif t in ("ordered_list_close", "bullet_list_close"):
                self.state.lists.pop()
            elif t == "list_item_open":
                self.state.item_started = False
            elif t == "list_item_close":
                self.state.item_started = True
            elif t == "blockquote_open":
                self.state.quote += 1
            elif t == "blockquote_close":
                self.state.quote -= 1
            elif t == "table_open":
                i = self._collect_table(tokens, i)
                continue
            elif t == "html_block":
                self.html(tok.content)
            elif t in ("fence", "code_block"):
                self.code(tok.content)
            i += 1

    def _collect_table(self, tokens: list[Any], i: int) -> int:
        rows: list[list[_Cell]] = []
        header = False
        cell: _Cell | None = None
        while tokens[i].type != "table_close":
            tok = tokens[i]
            if tok.type == "thead_open":
                header = True
            elif tok.type == "thead_close":
                header = False
            elif tok.type == "tr_open":
                rows.append([])
            elif tok.type in ("th_open", "td_open"):
                style = tok.attrGet("style") or ""
                m = re.search(r"text-align:(\w+)", str(style))
                cell = _Cell([], header, m.group(1) if m else None)
                rows[-1].append(cell)
            elif tok.type in ("th_close", "td_close"):
                cell = None
            elif tok.type == "inline" and cell is not None:
                cell.tokens.append(tok)
            i += 1
        if rows:
            self.table(rows)
        return i + 1

    def finish(self) -> None:
        """Parse the written XML once and put it in the body, before the section properties."""
        from docx.oxml.parser import parse_xml

        body = self.doc.element.body
        xml = f'<w:body xmlns:w="{W_NS}">{"".join(self.out)}</w:body>'
        parsed = parse_xml(xml.encode("utf-8"))
        self.numbering.flush()
        sect = body.find(_qn("w:sectPr"))
        for child in list(parsed):
            if sect is not None:
                sect.addprevious(child)
            else:
                body.append(child)


# --- document assembly ------------------------------------------------------------------------------


def _prepared_base(reference: Path | None) -> Any:
    import docx

    if reference is None:
        doc = docx.Document()
        _slim_default_template(doc)
    else:
        from ..reasons import NotWord, open_word, shown

        try:
            doc = open_word(reference)
        except NotWord as exc:
            raise HostplanError(f"{shown(reference)}: 参考文档不是可读取的 Word 文件：{exc}") from None
        _strip_reference(doc)
    keep = reference is not None
    setup_styles(doc, keep_existing=keep)
    if not keep:
        setup_page(doc.sections[0])
    return doc


_REFERENCE_DROPS = ("/comments", "/commentsExtended", "/commentsIds", "/commentsExtensible", "/people")
_PACKAGE_DROPS = ("/thumbnail", "/custom-properties")


def _strip_reference(doc: Any) -> None:
    """Keep what a reference document is for -- styles, list definitions, page setup, header and footer (the
    letterhead) -- and drop its own content: body, comments, thumbnail, custom and application properties.
    The document properties (title, author) are then the proposal's, as without a reference."""
    body = doc.element.body
    for child in list(body):
        if child.tag != _qn("w:sectPr"):
            body.remove(child)
    for rel_id, rel in list(doc.part.rels.items()):
        if not rel.is_external and rel.reltype.endswith(_REFERENCE_DROPS):
            doc.part.drop_rel(rel_id)
    package_rels = doc.part.package.rels
    for rel_id, rel in list(package_rels.items()):
        if rel.reltype.endswith(_PACKAGE_DROPS):
            package_rels.pop(rel_id)
        elif rel.reltype.endswith("/extended-properties"):
            # app.xml names the letterhead's template, company and part titles: use python-docx's neutral one
            rel.target_part._blob = _default_app_xml()


def _default_app_xml() -> bytes:
    import docx

    for rel in docx.Document().part.package.rels.values():
        if rel.reltype.endswith("/extended-properties"):
            return bytes(rel.target_part.blob)
    return b""


def _slim_default_template(doc: Any) -> None:
    """python-docx's template carries 100 table styles and a Word 2010 copy of them (0.8 MB of XML) and a
    thumbnail of an empty page; a proposal uses none of them, and parsing and zipping them dominated the time."""
    styles = doc.styles.element
    for style in styles.findall(_qn("w:style")):
        if style.get(_qn("w:type")) == "table" and style.get(_qn("w:styleId")) not in ("TableNormal", "TableGrid"):
            styles.remove(style)
    for rel_id, rel in list(doc.part.rels.items()):
        if rel.reltype.endswith("/stylesWithEffects"):
            doc.part.drop_rel(rel_id)
    package_rels = doc.part.package.rels
    for rel_id, rel in list(package_rels.items()):
        if rel.reltype.endswith("/thumbnail"):
            package_rels.pop(rel_id)


@functools.lru_cache(maxsize=8)
def _base_bytes(reference: str | None, stamp: tuple[int, int]) -> tuple[bytes, dict[str, str]]:
    """The styled, empty document saved once per process (and per reference file version), with its
    style name -> id table (python-docx looks names up by scanning every style)."""
    doc = _prepared_base(Path(reference) if reference else None)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue(), {s.name: s.style_id for s in doc.styles}


def _base_document(reference: Path | None) -> tuple[Any, dict[str, str]]:
    import docx

    from ..reasons import read_reason, shown

    if reference is None:
        raw, ids = _base_bytes(None, (0, 0))
        return docx.Document(io.BytesIO(raw)), ids
    try:
        st = reference.stat()
    except OSError as exc:
        raise HostplanError(f"{shown(reference)}: 无法读取参考文档：{read_reason(exc)}") from None
    if not reference.is_file():
        raise HostplanError(f"{shown(reference)}: 参考文档应为 .docx 文件")
    raw, ids = _base_bytes(str(reference.resolve()), (st.st_mtime_ns, st.st_size))
    return docx.Document(io.BytesIO(raw)), ids


def _text_width(section: Any) -> int:
    try:
        width = int(section.page_width - section.left_margin - section.right_margin)
        return max(width // 635, 2000)  # EMU -> twips
    except TypeError:
        return TEXT_WIDTH_TWIPS


def _core_properties(doc: Any, title: str, date: dt.date) -> None:
    cp = doc.core_properties
    stamp = dt.datetime(date.year, date.month, date.day)
    cp.title = title
    cp.subject = "托管服务方案"
    cp.author = "hostplan"
    cp.last_modified_by = "hostplan"
    # every property, so none of a reference document's survives
    cp.comments = ""
    cp.keywords = ""
    cp.category = ""
    cp.content_status = ""
    cp.identifier = ""
    cp.version = ""
    cp.language = "zh-CN"
    cp.revision = 1
    cp.created = stamp
    cp.modified = stamp
    cp.last_printed = stamp


class _FixedZip:
    """python-docx's physical package writer interface, with fixed timestamps and attributes."""

    def __init__(self, stream: io.BytesIO) -> None:
        self.zip = zipfile.ZipFile(stream, "w", zipfile.ZIP_DEFLATED)

    def write(self, pack_uri: Any, blob: bytes) -> None:
        info = zipfile.ZipInfo(pack_uri.membername, date_time=ZIP_DATE)
        info.compress_type = zipfile.ZIP_DEFLATED
        info.create_system = 0
        info.external_attr = 0
        self.zip.writestr(info, blob, compresslevel=6)

    def close(self) -> None:
        self.zip.close()


def save_reproducible(doc: Any) -> bytes:
    """Same parts in the same order with fixed zip metadata: identical input gives identical bytes."""
    from docx.opc.pkgwriter import PackageWriter

    pkg = doc.part.package
    parts = list(pkg.iter_parts())
    for part in parts:
        part.before_marshal()
    buf = io.BytesIO()
    writer = _FixedZip(buf)
    PackageWriter._write_content_types_stream(writer, parts)
    PackageWriter._write_pkg_rels(writer, pkg.rels)
    PackageWriter._write_parts(writer, parts)  # type: ignore[arg-type]
    writer.close()
    return buf.getvalue()


@functools.cache
def _markdown_parser() -> Any:
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark").enable("table")


def render_docx(markdown: str, *, title: str, date: dt.date, reference_docx: Path | None = None) -> bytes:
    """Build the Word document from the proposal's Markdown; returns the .docx bytes."""
    # render_markdown refuses these with the spec field; this guards text handed in directly
    m = BAD_XML_CHARS.search(title)
    if m:
        raise HostplanError(f"title: 标题含有 Word 无法保存的控制字符 U+{ord(m.group()):04X}"
                            f"（第 {m.start() + 1} 个字符），请删除后再渲染")
    m = BAD_XML_CHARS.search(markdown)
    if m:
        line = markdown.count("\n", 0, m.start()) + 1
        raise HostplanError(f"方案文本第 {line} 行含有 Word 无法保存的控制字符 U+{ord(m.group()):04X}，请删除后再渲染")
    tokens = _markdown_parser().parse(markdown)
    doc, style_ids = _base_document(reference_docx)
    section = doc.sections[0]
    setup_header_footer(section, title, style_ids, keep_existing=reference_docx is not None)
    builder = Builder(doc, _text_width(section), style_ids)
    builder.run(tokens)
    builder.finish()
    _core_properties(doc, title, date)
    return save_reproducible(doc)
