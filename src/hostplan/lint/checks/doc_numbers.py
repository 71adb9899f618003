"""Number consistency in a contract document: the HP5xx checks of a spec, for prose someone else wrote.

A consistency rule takes part when its params hold `document:` (rules/hp5_consistency.yaml): the words around a
figure that give it its meaning are data there; the figures themselves (dates, days of the month, percentages)
are found here. Each figure pattern starts with a literal (20, 月, %), so a 20 MB contract is scanned in C; the
words are then tried only in a bounded window around each figure. Precision before recall: a figure is
reported only when its words leave no doubt (a rate over 100%, not a penalty or a growth figure).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cache
from typing import TYPE_CHECKING

from ...spec.numerals import cn_to_int
from ..text import SUBCLAUSE_END, Spans
from .lexicon import TextHit, fmt
from .limits import DOCUMENT_PARAMS, LAST_SAFE_DAY, PERCENT_MAX

if TYPE_CHECKING:
    from ..rules import Rule, RuleSet

# shared with checks/spec.py: the same limits for a spec and a document

# 2026-06-01, 2026/6/1, 2026.6.1, 2026年6月1日 (years 2000-2099: contract dates); the look-behind keeps 12026 out
_DATE = re.compile(r"20(?<![0-9.]20)[0-9]{2}[ ]{0,2}(?:年[ ]{0,2}(?P<m1>[0-9]{1,2})[ ]{0,2}月[ ]{0,2}"
                   r"(?P<d1>[0-9]{1,2})[ ]{0,2}[日号]|(?P<sep>[-/.])(?P<m2>[0-9]{1,2})(?P=sep)(?P<d2>[0-9]{1,2})(?![0-9]))")
_DATE_GAP = 16  # the most text between the two dates of a range
# 月 followed by a day: 每月 30 日, 次月第 31 号; which words precede 月 is checked afterwards
_MONTH_DAY = re.compile(r"月(?:的)?[ ]{0,2}(?:第[ ]{0,2})?(?P<day>[0-9]{1,2}|[二三]十[一二三四五六七八九]?)[ ]{0,2}[日号]")
# a percentage of three digits or more (100% itself is in range); the number is read back from the window
_BIG_PERCENT = re.compile(r"%(?:(?<=[0-9]{3}%)|(?<=[0-9]{3} %)|(?<=[0-9]{3}\.[0-9]%)|(?<=[0-9]{3}\.[0-9]{2}%))")
_PERCENT_TAIL = re.compile(r"(?<![0-9.])(?P<num>[0-9]{3,}(?:\.[0-9]{1,2})?)[ ]?%\Z")
_RATE_PARTICLES = re.compile(r"(?:的|之|其|、|和|及|与|且|期间|期内|方)")
_RATE_WINDOW = 24  # a rate's name and its comparator, before the figure
_CAP_WINDOW = 40  # a deduction word and its cap, before the figure


@dataclass(frozen=True)
class _Check:
    rule: Rule
    check: str
    words: dict[str, re.Pattern[str]]


@cache
def _checks(ruleset: RuleSet) -> tuple[_Check, ...]:
    """The rules that also run on documents, with their words compiled (once per rule set)."""
    out = []
    for rule in ruleset.rules.values():
        doc = rule.params.get("document")
        if rule.type != "consistency" or not doc:
            continue
        check = rule.params["check"]  # the loader has checked the check and its words
        words = {k: re.compile(doc[k]) for k in DOCUMENT_PARAMS[check]}
        # anchored forms: the words must end right where the figure starts (or 月 ends)
        if check == "settlement_day":
            words["months"] = re.compile(f"(?:{doc['months']})\\Z")
            words["not_after"] = re.compile(f"[ ]{{0,2}}(?:{doc['not_after']})")
        elif check == "percent_range":
            words["rate"] = re.compile(f"(?P<noun>(?:[0-9]{{1,3}}[ ]?)?[\u4e00-\u9fff]{{0,6}}(?:{doc['rate']}))"
                                       f"(?:{doc['comparator']})\\Z")
            words["not_rate"] = re.compile(f"(?:{doc['not_rate']})\\Z")
        out.append(_Check(rule, str(check), words))
    return tuple(out)


def check_numbers(text: str, norm: str, ruleset: RuleSet, enabled: frozenset[str] | None = None) -> list[TextHit]:
    """HP5xx findings in a document's text (norm is normalise(text): full-width digits and ％ are half-width)."""
    checks = [c for c in _checks(ruleset) if enabled is None or c.rule.code in enabled]
    if not checks:
        return []
    spans = Spans(norm)  # sentence marks are found on first use only: most figures are fine
    out: list[TextHit] = []
    by_check = {c.check: c for c in checks}
    if "dates" in by_check:
        out.extend(_dates(text, norm, by_check["dates"], spans))
    if "settlement_day" in by_check:
        out.extend(_month_days(text, norm, by_check["settlement_day"], spans))
    if "percent_range" in by_check or "deduction_cap" in by_check:
        out.extend(_percents(text, norm, by_check.get("deduction_cap"), by_check.get("percent_range"), spans))
    out.sort(key=lambda h: (h.start, h.code))
    return out


def _hit(c: _Check, text: str, start: int, end: int, detail: str, **values: object) -> TextHit:
    return TextHit(start, end, c.rule.code, c.rule.severity, fmt(c.rule.message, detail=detail, **values), None,
                   text[start:end])


def _compact(s: str) -> str:
    return "".join(s.split())


# --- HP503: a range whose end is before its start --------------------------------------------------


def _date(m: re.Match[str]) -> dt.date | None:
    year = int(m.group()[:4])
    month, day = (m.group("m1"), m.group("d1")) if m.group("m1") else (m.group("m2"), m.group("d2"))
    try:
        return dt.date(year, int(month), int(day))
    except ValueError:  # 2026-02-30 is not a date at all, and not this check's business
        return None


def _dates(text: str, norm: str, c: _Check, spans: Spans) -> list[TextHit]:
    out = []
    w = c.words
    prev: re.Match[str] | None = None
    for m in _DATE.finditer(norm):
        first, prev = prev, m
        if first is None or m.start() - first.end() > _DATE_GAP:
            continue
        # joined as a range: 至 / 到 / — / ~ / 起至, or 起 … 止; two dates merely in one sentence are not a range
        if not (w["joiner"].fullmatch(norm, first.end(), m.start())
                or (w["open"].fullmatch(norm, first.end(), m.start()) and w["close"].match(norm, m.end()))):
            continue
        start, end = _date(first), _date(m)
        if start is None or end is None or end >= start:
            continue  # a one-day range (起止同日) is a range
        lo, _hi = spans.around(first.start(), m.end())
        subject = None
        for subject in w["subject"].finditer(norm, lo, first.start()):  # noqa: B007 - the nearest one names it
            pass
        whose = f"{subject.group()}的" if subject else ""
        begin, finish = _compact(norm[first.start():first.end()]), _compact(norm[m.start():m.end()])
        out.append(_hit(c, text, m.start(), m.end(),
                        f"{whose}结束日 {finish} 早于开始日 {begin}：请核对起止日期"))
    return out


# --- HP504: a monthly day that February does not have ---------------------------------------------


def _month_days(text: str, norm: str, c: _Check, spans: Spans) -> list[TextHit]:
    out = []
    w = c.words
    for m in _MONTH_DAY.finditer(norm):
        raw = m.group("day")
        day = int(raw) if raw.isascii() else cn_to_int(raw)
        if not LAST_SAFE_DAY < day <= 31:
            continue
        # 每月 / 次月 …: a day of every month, not 2026年1月30日 or a count (30 日内)
        if not w["months"].search(norm, max(0, m.start() - 6), m.start() + 1) or w["not_after"].match(norm, m.end()):
            continue
        lo, hi = spans.around(m.start(), m.end())
        if not w["context"].search(norm, lo, hi):
            continue  # a settlement or payment day, not a meeting
        start = m.start("day")
        out.append(_hit(c, text, start, m.end(), "", day=day))
    return out


# --- HP505 and HP501: a percentage over 100 -------------------------------------------------------


def _percents(text: str, norm: str, cap: _Check | None, rate: _Check | None, spans: Spans) -> list[TextHit]:
    out = []
    for m in _BIG_PERCENT.finditer(norm):
        end = m.end()
        line_start = norm.rfind("\n", 0, m.start()) + 1
        tail = _PERCENT_TAIL.search(norm, max(line_start, end - 12), end)
        if tail is None:
            continue
        try:
            value = Decimal(tail.group("num"))
        except InvalidOperation:  # pragma: no cover - the pattern admits digits only
            continue
        if value <= PERCENT_MAX:
            continue
        start = tail.start("num")
        figure = _compact(norm[start:end])
        if cap is not None and _caps_deductions(norm, start, end, cap, spans):
            out.append(_hit(cap, text, start, end, f"扣款上限 {figure} 超过服务费本身：上限应不超过 100%（常见为 20%–30%）"))
            continue
        if rate is not None:
            found = rate.words["rate"].search(norm, max(line_start, start - _RATE_WINDOW), start)
            if found is None or rate.words["not_rate"].search(found.group("noun")):
                continue  # not a rate (按 150% 赔偿, 增长 120%), or one that may exceed 100% (增长率, 完成率)
            noun = found.group("noun")
            cut = None
            for cut in _RATE_PARTICLES.finditer(noun):  # noqa: B007 - the name starts after the last particle
                pass
            if cut is not None and cut.end() < len(noun):
                noun = noun[cut.end():]
            out.append(_hit(rate, text, start, end, f"{noun.strip()} {figure} 超过 100%：比例应在 0–100% 之间，多半是笔误"))
    return out


def _caps_deductions(norm: str, start: int, end: int, c: _Check, spans: Spans) -> bool:
    """当月扣款总额不超过服务费的 150% / 扣款以服务费的 150% 为上限: a deduction word, then a cap, in the figure's
    own sub-clause, with no penalty (赔偿、违约金) or other figure in between."""
    w = c.words
    lo, _hi = spans.around(start, end, SUBCLAUSE_END)
    deduction = None
    for deduction in w["deduction"].finditer(norm, max(lo, start - _CAP_WINDOW), start):  # noqa: B007 - the last
        pass
    if deduction is None or w["breaks"].search(norm, deduction.end(), start):
        return False
    if w["cap"].search(norm, deduction.end(), start) or w["cap_after"].match(norm, end):
        return True
    before = w["cap"].search(norm, max(lo, deduction.start() - 3), deduction.start())  # 最高扣款为服务费的 150%
    return before is not None and before.end() == deduction.start()
