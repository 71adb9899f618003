"""Text helpers shared by the text checks: width normalisation that keeps offsets, sentence and
sub-clause spans, "does this clause state a number with a unit", and prohibition context.

Everything here is one linear pass over the text; no pattern can backtrack more than a few characters.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from functools import cache

from ..spec.numerals import CN_NUMBER


@cache
def _width_table() -> dict[int, str]:
    """Full-width forms -> half-width, one character for one so offsets stay valid (NFKC where it is 1:1)."""
    table: dict[int, str] = {0x3000: " "}
    for code in range(0xFF01, 0xFF5F):
        table[code] = unicodedata.normalize("NFKC", chr(code))
    for code in range(0xFF5F, 0xFFEF):
        mapped = unicodedata.normalize("NFKC", chr(code))
        if len(mapped) == 1 and mapped != chr(code):
            table[code] = mapped
    return table


_WIDE = re.compile("[\u3000\uff01-\uffee]+")


def _narrow(m: re.Match[str]) -> str:
    return m.group().translate(_width_table())


# the full-width punctuation of ordinary Chinese text: str.replace is a C pass, where each run the
# pattern finds costs a Python call (a contract has a full-width comma every few words)
_COMMON_WIDE = tuple((ch, unicodedata.normalize("NFKC", ch)) for ch in "，：；（）！？％")


def normalise(text: str) -> str:
    """Full-width letters, digits and punctuation to half-width; len(result) == len(text) always.
    Only the full-width runs are translated (str.translate on a whole 20 MB text is twice as slow)."""
    for wide, narrow in _COMMON_WIDE:
        if wide in text:
            text = text.replace(wide, narrow)
    return _WIDE.sub(_narrow, text)


def _alt(words: object) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))  # type: ignore[call-overload]


# --- quantities -----------------------------------------------------------------------------------

QUANTITY_KINDS = ("time", "frequency", "amount", "target", "any")  # target: a figure to reach, not a deadline


@cache
def _quantity_patterns() -> dict[str, str]:
    """Built from the spec's own unit tables (spec/units.py), imported only when a clause needs checking."""
    from ..spec.units import COUNT_UNITS, CURRENCY_PREFIX, CURRENCY_SUFFIX, DURATION_UNITS

    # 每一条 / 第一天 / 任一方 name no quantity: a Chinese numeral right after these is not a figure
    num = rf"(?:\d+(?:[.,]\d+)*|(?<![任第同某唯统逐])(?!一[条位件名款项])(?<!每(?=一[条位件名款项])){CN_NUMBER}|半)"
    ascii_units = [u for u in DURATION_UNITS if u.isascii()]
    cn_duration = [u for u in DURATION_UNITS if not u.isascii()] + ["年", "季度", "个季度"]
    time_unit = rf"(?:\s*(?:{_alt(cn_duration)})|\s*(?:{_alt(ascii_units)})(?![A-Za-z]))"
    # 18:00, 18点, 5月10日 (a date), 次日, 当日, 当天, 月底前, 周三前 are deadlines too
    clock = r"(?:\d{1,2}:\d{2}|\d{1,2}\s*点|次日|当日|当天|隔日|月底|月初|(?:周|星期|礼拜)[一二三四五六日天]前)"
    time = rf"{num}{time_unit}|{clock}"
    freq = (
        rf"每\s*(?:{num}\s*)?(?:个)?(?:{_alt(cn_duration)}|季度|年|半年|工作日|周[一二三四五六日天])"
        rf"|(?:{num})\s*次\s*/\s*(?:{_alt(cn_duration)}|季度|年)|[日周月年]报|(?:{num})\s*次"
    )
    money_units = [u for u in CURRENCY_SUFFIX if not u.isascii()]
    money = (
        rf"(?:{_alt(p for p in CURRENCY_PREFIX if not p.isalpha() or not p.isascii())})\s*\d"
        rf"|\d[\d,.]*\s*(?:{_alt(money_units)}|%)|{num}\s*(?:{_alt(money_units)})|百分之{num}"
    )
    counts = [u for u in COUNT_UNITS if not u.isascii()]
    anything = rf"{time}|{freq}|{money}|\d+(?:\.\d+)?\s*(?:分|%)|{num}\s*(?:{_alt(counts)})|[<>≤≥=]\s*\d"
    # 三个月 is a deadline, not a count
    target = rf"{money}|\d+(?:\.\d+)?\s*(?:分|%)|{num}\s*(?:{_alt(counts)})(?!月|工作日|小时|星期|季度|自然日)|[<>≤≥=]\s*\d"
    return {"time": time, "frequency": f"{freq}|{time}", "amount": money, "target": target, "any": anything,
            # for a clause after the term's own: a frequency proper; a standard's figure that is not money
            "cadence": freq, "measure": rf"\d+(?:\.\d+)?\s*(?:分|%)|{num}\s*(?:{_alt(counts)})(?!月|工作日|小时|星期|季度|自然日)"
                                        rf"|[<>≤≥=]\s*\d"}


@cache
def quantity_re(kind: str) -> re.Pattern[str]:
    """Compiled on first use: a clean file never needs them, and they are the largest patterns here."""
    return re.compile(_quantity_patterns()[kind])


def has_quantity(clause: str, kind: str = "any") -> bool:
    return quantity_re(kind).search(clause) is not None


# --- sentences and sub-clauses -------------------------------------------------------------------

# after normalise() the full-width ；！？，：｜ are their half-width forms; a table cell (|) is a sentence of its own
SENTENCE_CHARS = "。;!?\n|"
SUBCLAUSE_CHARS = "。;!?\n|,:"
SENTENCE_END = re.compile(r"[。;!?\n|]")
# not the colon of 18:00 nor the comma of 5,000: 每日 18:00 前及时提交 states its own deadline
SUBCLAUSE_END = re.compile(r"[。;!?\n|,:](?!(?<=\d[,:])\d)")
_REACH = 400  # a wall of text without punctuation: stop looking this far from the term


class Spans:
    """The sentence (or sub-clause) holding text[start:end], looking at most _REACH characters each way (a
    wall of text without punctuation stops there). The separators are found in one pass per kind, on first
    use, and each lookup is a bisection, so n terms cost O(n log n) whatever the length of the text."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._marks: dict[re.Pattern[str], list[int]] = {}

    def around(self, start: int, end: int, sep: re.Pattern[str] = SENTENCE_END) -> tuple[int, int]:
        marks = self._marks.get(sep)
        if marks is None:
            marks = self._marks[sep] = [m.start() for m in sep.finditer(self.text)]
        i = bisect_left(marks, start)
        lo = marks[i - 1] + 1 if i else 0
        if lo < start - _REACH:
            lo = start - _REACH
        j = bisect_left(marks, end, i)
        hi = marks[j] if j < len(marks) else len(self.text)
        if hi > end + _REACH:
            hi = end + _REACH
        return lo, hi


PROHIBITION_RE = re.compile(r"不得|不能|不可|不准|不许|不允许|不应|不要|禁止|严禁|杜绝|避免|切勿|勿|不写|别写|别说|不用|不使用|拒绝|"
                            r"不承诺|违规")
_PENALTY = r"扣款|扣除|扣\s*\d|罚款|罚金|违约金|承担[^。;!?\n|]*责任|赔偿|损失"
PENALTY_WORD = re.compile(_PENALTY)
# 造成的损失由乙方赔偿: a 的-phrase then the penalty in one sentence
PENALTY_RE = re.compile(rf"的\s*[,:]?[^。;!?\n|]*?(?:{_PENALTY})")
_CONDITION_END = re.compile(r"的\s*$")
_OR_NEXT = re.compile(r"\s*(?:或者|或是|或)")
# 处理不及时, 因客服承诺终身保修造成的…: the term names the breach (or its cause), it is not promised
_BREACH_BEFORE = re.compile(r"(?:不|未|没有)\s*$")
# ... or the clause opens with 因/由于 and names what the term caused (not 原因, 因此, 因为 inside an obligation)
_CAUSE_OPENS = re.compile(r"[^\S\n]*(?:因|由于)(?![此为而])")
_CAUSED = re.compile(r"造成|导致|引起|引发")


def penalised(spans: Spans, start: int, end: int, clause: tuple[int, int], sentence_end: int) -> bool:
    """The term describes the conduct a penalty punishes, not an obligation: its own sub-clause is the condition
    (承诺终身保修的，每次扣款 500 元; 未及时回复的，扣款), or it is named as breached or as the cause of a loss
    (处理不及时造成的损失由乙方赔偿; 因客服承诺终身保修造成的损失由乙方承担). 乙方应及时回复，未及时回复的，扣款
    still uses 及时 in the obligation itself."""
    text, shi = spans.text, sentence_end
    if PENALTY_WORD.search(text, end, shi) is None:  # most sentences: no penalty at all
        return False
    lo, hi = clause
    while hi < shi and text[hi] in ",:":
        if _CONDITION_END.search(text, end, hi):
            return PENALTY_WORD.search(text, hi, shi) is not None
        if not _OR_NEXT.match(text, hi + 1):  # 承诺终身保修，或宣称假一赔十的，…: one condition
            break
        hi = spans.around(hi + 1, hi + 1, SUBCLAUSE_END)[1]
    breach = _BREACH_BEFORE.search(text, lo, start) is not None or (
        _CAUSE_OPENS.match(text, lo) is not None and _CAUSED.search(text, end, hi) is not None)
    return breach and PENALTY_RE.search(text, end, shi) is not None


_QUOTES = {"“": "”", "‘": "’", "「": "」", "『": "』", '"': '"', "'": "'"}
_QUOTE_MARK = re.compile("[“‘「『\"'”’」』]")


def _quoted(text: str, lo: int, start: int, end: int, hi: int) -> bool:
    """Is text[start:end] inside a pair of quotes within text[lo:hi]? The nearest quote mark before it decides."""
    last = None
    for last in _QUOTE_MARK.finditer(text, lo, start):  # noqa: B007 - only the last one counts
        pass
    if last is None:
        return False
    close = _QUOTES.get(last.group())
    return close is not None and text.find(close, end, hi) != -1


def prohibited(spans: Spans, start: int, end: int) -> bool:
    """The term is being forbidden or merely mentioned, not used: 不得作出治疗承诺; 禁止承诺（如‘能治病’）."""
    text = spans.text
    clause = spans.around(start, end, SUBCLAUSE_END)
    if PROHIBITION_RE.search(text, clause[0], start):
        return True
    slo, shi = spans.around(start, end)
    if penalised(spans, start, end, clause, shi):
        return True
    return _quoted(text, slo, start, end, shi) and PROHIBITION_RE.search(text, slo, shi) is not None


# --- keyword groups -------------------------------------------------------------------------------


@cache
def _word(w: str) -> str:
    return normalise(w)


def keywords_present(text: str, groups: Sequence[Sequence[str]], normalised: bool = False) -> bool:
    """Any group whose words all occur in text (category clauses and modules are recognised this way)."""
    norm = text if normalised else normalise(text)
    return any(all(_word(w) in norm for w in group) for group in groups)


# a table cell is no sentence end here: | 聊天记录保存期限 | 3 个月 | states the period
_STATEMENT_END = re.compile(r"[。;!?\n]")


def keywords_with_quantity(norm: str, groups: Sequence[Sequence[str]], kind: str) -> bool:
    """Any group whose words occur in one sentence together with a quantity of `kind`: 聊天记录保存 3 个月, not
    乙方应保存聊天记录 (a module that must state its figure)."""
    spans = Spans(norm)
    figure = quantity_re(kind)
    for group in groups:
        words = [_word(w) for w in group]
        if not words or not all(w in norm for w in words):
            continue
        at = norm.find(words[0])
        while at != -1:
            lo, hi = spans.around(at, at + len(words[0]), _STATEMENT_END)
            if all(norm.find(w, lo, hi) != -1 for w in words[1:]) and figure.search(norm, lo, hi):
                return True
            at = norm.find(words[0], max(hi, at + 1))
    return False


# --- positions -----------------------------------------------------------------------------------


_NEWLINE = re.compile("\n")


class LineIndex:
    """Offset -> 1-based (line, column) in O(log n)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.starts = [0, *map(re.Match.end, _NEWLINE.finditer(text))]
        self._lines: dict[int, str] = {}

    def position(self, offset: int) -> tuple[int, int]:
        i = bisect_right(self.starts, offset) - 1
        return i + 1, offset - self.starts[i] + 1

    def line_text(self, line: int) -> str:
        """One string per line, however many findings it has (a 100 KB line is not copied per finding)."""
        found = self._lines.get(line)
        if found is not None:
            return found
        if line < 1 or line > len(self.starts):
            return ""
        start = self.starts[line - 1]
        end = self.starts[line] - 1 if line < len(self.starts) else len(self.text)
        found = self._lines[line] = self.text[start:end].rstrip("\r")
        return found
