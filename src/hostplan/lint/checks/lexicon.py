"""Text checks: lexicon terms (all lexicon rules in one combined pattern, one pass), pattern rules
(template blanks, open-ended lists) and qualitative obligations. They work on any text: a document, or
one string value of a spec. Offsets are into the original text (normalisation keeps them)."""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import TYPE_CHECKING, Any

from ...errors import HostplanError
from ..text import SENTENCE_END, SUBCLAUSE_END, Spans, normalise, prohibited, quantity_re

if TYPE_CHECKING:  # avoids an import cycle at runtime
    from ..rules import Entry, Rule, RuleSet


@dataclass(slots=True)  # not frozen: built for every match, and frozen fields are set one call each
class TextHit:
    start: int
    end: int
    code: str
    severity: str
    message: str
    suggestion: str | None
    text: str


class _Fmt(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def fmt(template: str, **values: object) -> str:
    return template.format_map(_Fmt({k: str(v) for k, v in values.items()}))


@lru_cache(maxsize=4096)
def _term_message(template: str, text: str, hint: str) -> str:
    """A lexicon finding's message: a contract repeats its few vague terms, so each message is built once."""
    return fmt(template, text=text, hint=hint)


def prefixes(pattern: str, k: int = 2, limit: int = 4000) -> set[str] | None:
    """Literal strings (up to k characters) one of which every match of pattern starts with; None when the
    pattern does not allow it. They make a prefilter that runs in C and rarely stops at a false candidate."""
    try:
        from re import _constants as c  # type: ignore[attr-defined]
        from re import _parser as sre  # type: ignore[attr-defined]
    except ImportError:  # pragma: no cover - other Python versions
        return None
    Grow = set[tuple[str, bool]]  # (prefix so far, finished: nothing more may be appended)

    def seq(items: Any, cur: Grow) -> Grow | None:
        for op, av in items:
            if all(done or len(p) >= k for p, done in cur):
                break
            if op in (c.ASSERT, c.ASSERT_NOT, c.AT):
                continue  # zero-width
            nxt = item(op, av, cur)
            if nxt is None or len(nxt) > limit:
                return None
            cur = nxt
        return cur

    def extend(cur: Grow, chars: set[str]) -> Grow:
        out: Grow = set()
        for p, done in cur:
            if done or len(p) >= k:
                out.add((p, True))
            else:
                out.update((p + ch, False) for ch in chars)
        return out

    def item(op: Any, av: Any, cur: Grow) -> Grow | None:
        if op is c.LITERAL:
            return extend(cur, {chr(av)})
        if op is c.IN:
            chars: set[str] = set()
            for kind, val in av:
                if kind is c.LITERAL:
                    chars.add(chr(val))
                elif kind is c.RANGE and val[1] - val[0] < 64:
                    chars.update(chr(x) for x in range(val[0], val[1] + 1))
                else:
                    return {(p, True) for p, _ in cur}
            return extend(cur, chars)
        if op is c.SUBPATTERN:
            return seq(av[-1], cur)
        if op is c.BRANCH:
            out: Grow = set()
            for branch in av[1]:
                got = seq(branch, cur)
                if got is None:
                    return None
                out |= got
            return out
        if op in (c.MAX_REPEAT, c.MIN_REPEAT):
            lo, hi, sub = av
            grown: Grow | None = cur
            for _ in range(max(1, min(lo, k))):  # the required repetitions, as far as k reaches
                grown = seq(sub, grown) if grown is not None else None
            if grown is None:
                return None
            if hi != max(lo, 1):  # what follows may be another repetition: stop growing
                grown = {(p, True) for p, _ in grown}
            return grown | cur if lo == 0 else grown
        return {(p, True) for p, _ in cur}  # anything else: keep what is known, stop growing

    got = seq(sre.parse(pattern), {("", False)})
    if not got or any(not p for p, _ in got):
        return None
    return {p for p, _ in got}


@dataclass(frozen=True)
class Matcher:
    combined: re.Pattern[str] | None
    prefilter: re.Pattern[str] | None  # the literal beginnings of every entry: candidates for `combined`
    entries: tuple[Entry, ...]
    # (rule, its patterns, context that must be in the sentence, exempt: a match inside one of these is no finding)
    patterns: tuple[tuple[Rule, tuple[Scanner, ...], re.Pattern[str] | None, re.Pattern[str] | None], ...]
    qualitative: tuple[Rule, Scanner, re.Pattern[str], re.Pattern[str]] | None


@cache
def matcher(ruleset: RuleSet) -> Matcher:
    entries = ruleset.entries
    combined = prefilter = None
    if entries:
        # one alternation for every lexicon rule; leftmost match wins, so each position is tried once
        combined = re.compile("|".join(f"(?P<e{i}>{e.pattern})" for i, e in enumerate(entries)))
        starts: set[str] | None = set()
        for e in entries:
            found = prefixes(e.pattern)
            starts = None if found is None or starts is None else starts | found
        if starts:
            # an alternation of literals scans in C (first characters as a set), without trying every
            # alternative of the combined pattern at every position
            prefilter = re.compile("|".join(re.escape(p) for p in sorted(starts, key=lambda p: (-len(p), p))))
    patterns = []
    qualitative = None
    for rule in ruleset.rules.values():
        if rule.type == "pattern":
            pat = tuple(Scanner.of(p) for p in rule.params["patterns"])
            ctx = rule.params.get("context")
            exempt = rule.params.get("exempt")
            patterns.append((rule, pat, re.compile(ctx) if ctx else None,
                             re.compile(exempt, re.MULTILINE) if exempt else None))
        elif rule.type == "qualitative_obligation":
            p = rule.params
            try:
                qualitative = (rule, Scanner.of(p["qualities"]), re.compile(p["obligations"]),
                               re.compile(p["references"]))
            except (KeyError, re.error) as exc:
                raise HostplanError(f"{rule.source}: params 须有 qualities、obligations、references 正则：{exc}") from None
    return Matcher(combined, prefilter, entries, tuple(patterns), qualitative)


def _starts_plainly(pattern: str) -> bool:
    try:
        from re import _constants as c  # type: ignore[attr-defined]
        from re import _parser as sre  # type: ignore[attr-defined]
    except ImportError:  # pragma: no cover
        return True
    items = list(sre.parse(pattern))
    return bool(items) and items[0][0] in (c.LITERAL, c.IN)


def prefilter_for(pattern: str, k: int = 3) -> re.Pattern[str] | None:
    starts = prefixes(pattern, k)
    if not starts:
        return None
    return re.compile("|".join(re.escape(p) for p in sorted(starts, key=lambda p: (-len(p), p))))


@dataclass(frozen=True)
class Scanner:
    """finditer() for a pattern whose own start the regex engine cannot skip to quickly (a look-behind or an
    optional group first): a literal-prefix prefilter finds candidates, the pattern is tried only there."""

    pattern: re.Pattern[str]
    prefilter: re.Pattern[str] | None

    @classmethod
    def of(cls, pattern: str | re.Pattern[str]) -> Scanner:
        compiled = re.compile(pattern) if isinstance(pattern, str) else pattern
        if _starts_plainly(compiled.pattern):  # the engine already skips to a literal or a character class
            return cls(compiled, None)
        return cls(compiled, prefilter_for(compiled.pattern))

    def finditer(self, norm: str) -> Iterator[re.Match[str]]:
        return _scan_with(self.pattern, self.prefilter, norm)


def _scan(m: Matcher, norm: str) -> Iterator[re.Match[str]]:
    assert m.combined is not None
    return _scan_with(m.combined, m.prefilter, norm)


def _scan_with(pattern: re.Pattern[str], prefilter: re.Pattern[str] | None, norm: str) -> Iterator[re.Match[str]]:
    """Non-overlapping leftmost matches, like finditer, trying the pattern only where the prefilter matches."""
    if prefilter is None:
        yield from pattern.finditer(norm)
        return
    match_at = pattern.match
    search = prefilter.search
    pos = 0
    while True:
        cand = search(norm, pos)
        if cand is None:
            return
        p = cand.start()
        found = match_at(norm, p)
        if found is not None:
            yield found
            pos = max(found.end(), p + 1)
        else:
            pos = p + 1


EXEMPT_REACH = 120  # characters around a match where its rule's exempt form is looked for

_NEW_TOPIC = re.compile(r"[,:]\s*(?:每|另外|另行|其余|其他|其它|此外|同时)")
_NEW_TOPIC_NOT_EVERY = re.compile(r"[,:]\s*(?:另外|另行|其余|其他|其它|此外|同时)")  # 定期汇报，每周一提交周报
# A time in a later clause sets the term's deadline only when it reads as a limit (不超过 30 分钟, 48 小时内,
# 18:00 前, 当日, 响应时间 30 秒); 合同期限为 12 个月 or 服务时间为每天 9:00-22:00 is about something else.
_LIMIT_BEFORE = re.compile(r"(?:不超过|不得超过|不多于|不晚于|不迟于|最迟|最晚|最长|[<≤=]|(?:响应|回复|答复|处理|解决|"
                           r"完成|发货|发出|退款|审核|送达|到账|反馈)(?:时间|时长|时效|时限)(?:为|是)?)\s*$")
_LIMIT_AFTER = re.compile(r"\s*(?:内|以内|之内|前|之前|以前|为限)")
_DEADLINE_WORD = re.compile(r"次日|当日|当天|隔日")
# 9:00-22:00 is opening hours, no deadline: 客服每天 9:00-22:00 及时回复 is still vague
_CLOCK_RANGE = re.compile(r"\d{1,2}:\d{2}\s*[-—–~至到]\s*\d{1,2}:\d{2}")


def _figures(norm: str, lo: int, hi: int, kind: str) -> Iterator[re.Match[str]]:
    """The figures of `kind` in norm[lo:hi], leaving out the clock times of a range."""
    hours = [m.span() for m in _CLOCK_RANGE.finditer(norm, lo, hi)] if norm.find(":", lo, hi) != -1 else []
    for m in quantity_re(kind).finditer(norm, lo, hi):
        if not any(a <= m.start() < b for a, b in hours):
            yield m


def _later_limit(norm: str, lo: int, hi: int, kind: str) -> bool:
    """Does norm[lo:hi], clauses after the term's own, state what makes the term precise? A deadline for time,
    a cadence for frequency, an amount for amount."""
    if kind == "frequency":
        return quantity_re("cadence").search(norm, lo, hi) is not None
    if kind != "time":
        return quantity_re(kind).search(norm, lo, hi) is not None
    for m in _figures(norm, lo, hi, "time"):
        if (_DEADLINE_WORD.fullmatch(m.group()) or _LIMIT_AFTER.match(norm, m.end(), hi)
                or _LIMIT_BEFORE.search(norm, max(lo, m.start() - 12), m.start())):
            return True
    return False


_AND_THEN = re.compile(r"[,:]\s*(?:并且|并|然后|随后|之后|再)")
_VERB = re.compile(r"[地、\s]*([\u4e00-\u9fff])")
_NOT_VERB = frozenset("的地向对与和给将把在于从为由就跟同及并")


def _next_action(norm: str, end: int, own_end: int, hi: int) -> int:
    """Where a later clause joined by 并/然后 starts another action, the term's limit must come before it:
    第一时间通知甲方，并在 2 小时内提出处理方案 (2 hours for the plan), but 及时处理，并于当日处理完毕. The action
    is told by the verb after the term; when that is not plain (及时向甲方报告), nothing is cut."""
    turn = _AND_THEN.search(norm, own_end, hi)
    if turn is None:
        return hi
    verb = _VERB.match(norm, end, own_end)
    if verb is None or verb.group(1) in _NOT_VERB:
        return hi
    while turn is not None:
        nxt = norm.find(verb.group(1), turn.end(), hi)
        stop = _AND_THEN.search(norm, turn.end(), hi)
        if nxt == -1 or (stop is not None and nxt > stop.start()):
            return turn.start()  # this clause does not repeat the action
        turn = stop
    return hi


# the term's clause is what an earlier figure achieves: 首次响应不超过 30 分钟，确保及时回复
_PURPOSE = re.compile(r"\s*(?:以确保|以保证|以便|确保|保证|做到|从而|进而)")
_LINE_END = re.compile(r"\n")


def _context_limit(norm: str, spans: Spans, lo: int, hi: int, own_lo: int, kind: str) -> bool:
    """A limit outside the term's sentence-so-far that still belongs to it: an earlier clause of which the
    term's clause is the purpose, or another cell of the table row (| 首次响应 | 及时回复 | ≤ 30 秒 |: a row is
    one standard, name | requirement | threshold)."""
    if own_lo > lo and _PURPOSE.match(norm, own_lo) and _later_limit(norm, lo, own_lo, kind):
        return True
    if not ((lo and norm[lo - 1] == "|") or (hi < len(norm) and norm[hi] == "|")):
        return False
    row_lo, row_hi = spans.around(lo, hi, _LINE_END)
    cell = row_lo
    while cell < row_hi:
        bar = norm.find("|", cell, row_hi)
        cell_hi = row_hi if bar == -1 else bar
        if cell_hi != hi and _later_limit(norm, cell, cell_hi, kind):
            return True
        cell = cell_hi + 1
    return False


def _lexicon_hits(text: str, norm: str, ruleset: RuleSet, m: Matcher, enabled: frozenset[str] | None,
                  only_entry: int | None = None, spans: Spans | None = None) -> list[TextHit]:
    out: list[TextHit] = []
    spans = spans or Spans(norm)
    if m.combined is None:
        return out
    # each distinct term once a sentence; touching terms of one rule (另行收取相关费用) are one finding
    reported: dict[tuple[str, int], list[tuple[int, int, str]]] = {}
    for match in _scan(m, norm):
        group = match.lastgroup
        if group is None:
            continue
        index = int(group[1:])
        if only_entry is not None and index != only_entry:
            continue
        entry = m.entries[index]
        if enabled is not None and entry.rule not in enabled:
            continue
        rule = ruleset.rules[entry.rule]
        start, end = match.span()
        lo, hi = spans.around(start, end)
        if entry.context is not None and not entry.context.search(norm, lo, hi):
            continue
        if rule.negatable and prohibited(spans, start, end):
            continue
        severity = rule.severity
        # a deadline, frequency or amount in the term's own clause qualifies it, and in a later clause when it reads
        # as the term's limit (及时回复，首次响应不超过 30 分钟; not 及时回复，合同期限为 12 个月), but not from an
        # earlier clause about another task (首次响应不超过 30 秒，其余问题尽快处理); a result figure may come
        # first (3 个月内投诉率降到 5% 以下，显著改善)
        quantified = False
        if rule.when_quantified == "keep":
            pass
        elif rule.quantity in ("time", "frequency", "amount"):
            qlo, own_end = spans.around(start, end, SUBCLAUSE_END)
            # nor from a later clause that starts another topic (及时回复，其余问题 2 小时内处理)
            turn = (_NEW_TOPIC_NOT_EVERY if rule.quantity == "frequency" else _NEW_TOPIC).search(norm, own_end, hi)
            qhi = _next_action(norm, end, own_end, turn.start() if turn else hi)
            quantified = (next(_figures(norm, qlo, own_end, rule.quantity), None) is not None
                          or _later_limit(norm, own_end, qhi, rule.quantity)
                          or _context_limit(norm, spans, lo, hi, qlo, rule.quantity))
        else:
            quantified = quantity_re(rule.quantity).search(norm, lo, hi) is not None
        if quantified:
            if rule.when_quantified == "skip":
                continue
            severity = "info"
        seen = reported.setdefault((rule.code, lo), [])
        term = norm[start:end]
        if any(t == term or (s0 <= end and start <= e0) for s0, e0, t in seen):
            continue
        seen.append((start, end, term))
        matched = text[start:end]
        out.append(TextHit(start, end, rule.code, severity, _term_message(rule.message, matched, entry.hint),
                           entry.suggestion or rule.suggestion, matched))
    return out


def check_text(text: str, ruleset: RuleSet, enabled: frozenset[str] | None = None,
               norm: str | None = None) -> list[TextHit]:
    """Every text finding in text, sorted by position. enabled limits the rule codes (None: all);
    norm is normalise(text) when the caller already has it."""
    norm = norm if norm is not None else normalise(text)
    m = matcher(ruleset)
    spans = Spans(norm)
    # every rule runs: a word the lexicon explains is not also a qualitative finding, whatever --select says,
    # so the findings of a selection are always a subset of the full run's
    hits = _lexicon_hits(text, norm, ruleset, m, None, spans=spans)
    for rule, pats, ctx, exempt in m.patterns:
        taken_to = -1  # two patterns of one rule on one blank (不超过    秒) are one finding: the first and widest
        found = [mt for pat in pats for mt in pat.finditer(norm)]
        if len(pats) > 1:
            found.sort(key=lambda mt: (mt.start(), -mt.end()))
        for match in found:
            # a pattern may mark the part to report with (?P<t>…): 、推广等工作 reports 等工作
            start, end = match.span("t") if "t" in match.re.groupindex else match.span()
            if end == start:
                continue
            lo, hi = spans.around(start, end)
            if ctx is not None and not ctx.search(norm, lo, hi):
                continue
            # an exempt form (联系电话：____) is short: look only this near, so a line of many blanks stays linear
            if exempt is not None and any(e.start() <= start and end <= e.end() for e in exempt.finditer(
                    norm, max(lo, start - EXEMPT_REACH), min(hi, end + EXEMPT_REACH))):
                continue
            if rule.negatable and prohibited(spans, start, end):
                continue
            if start < taken_to:
                continue
            taken_to = end
            matched = text[start:end]
            hits.append(TextHit(start, end, rule.code, rule.severity, fmt(rule.message, text=matched.strip() or matched),
                                rule.suggestion, matched))
    if m.qualitative is not None and (enabled is None or m.qualitative[0].code in enabled):
        hits.extend(_qualitative(text, norm, m.qualitative, hits, spans))
    if enabled is not None:
        hits = [h for h in hits if h.code in enabled]
    hits.sort(key=lambda h: (h.start, h.code))
    return hits


# a speed word is made precise by a deadline elsewhere in the sentence; 态度良好 is not (客服服务态度须良好，首次响应
#不超过 30 秒 still leaves 良好 unmeasured)
_TIMELY = re.compile(r"快速|迅速|高效")
# what is measured, not how well: 保证服务质量良好 reports 良好
_MEASURED = re.compile(r".*(?:质量|满意度|任务|业绩)")


def _qualitative(text: str, norm: str, q: tuple[Rule, Scanner, re.Pattern[str], re.Pattern[str]],
                 earlier: list[TextHit], spans: Spans) -> list[TextHit]:
    """A sentence that imposes an obligation through a qualitative word and states no figure or reference."""
    rule, qualities, obligations, references = q
    covered = sorted((h.start, h.end) for h in earlier)
    out = []
    checked_to = -1  # a sentence is judged once, and reported at most once
    for first in qualities.finditer(norm):
        if first.start() < checked_to:
            continue
        lo, hi = spans.around(first.start(), first.end())
        checked_to = hi
        if not obligations.search(norm, lo, hi) or references.search(norm, lo, hi):
            continue
        # elsewhere in the sentence a standard's figure (好评率不低于 95%) counts; a fee does not (乙方应提供优质服务，
        # 月服务费 5000 元 is still unmeasurable)
        if quantity_re("measure").search(norm, lo, hi):
            continue
        timed: bool | None = None
        pick: re.Match[str] | None = None
        pick_end = -1
        for match in (first, *qualities.pattern.finditer(norm, first.end(), hi)):
            start, end = match.span()
            if pick is not None and (start >= pick_end or not _MEASURED.fullmatch(pick.group())):
                break  # a better word only replaces a measured noun, within its clause
            # the lexicon already explains this word (快速响应 covers 快速): one finding, not two
            i = bisect_left(covered, (start + 1,))
            if i > 0 and covered[i - 1][1] > start:
                continue
            own_lo, own_hi = spans.around(start, end, SUBCLAUSE_END)
            if quantity_re("any").search(norm, own_lo, own_hi):
                continue
            if _TIMELY.fullmatch(match.group()):
                if timed is None:
                    timed = _later_limit(norm, lo, hi, "time")
                if timed:
                    continue
            if rule.negatable and prohibited(spans, start, end):
                continue
            if pick is None or not _MEASURED.fullmatch(match.group()):
                pick, pick_end = match, own_hi
        if pick is not None:
            start, end = pick.span()
            matched = text[start:end]
            out.append(TextHit(start, end, rule.code, rule.severity, fmt(rule.message, text=matched), rule.suggestion,
                               matched))
    return out


def verify_entries(ruleset: RuleSet, include_builtin: bool = True) -> None:
    """Each entry's examples, through the whole check (context and prohibition included): a `match` example
    must be reported by this very entry, a `no_match` example must not be reported by its rule."""
    m = matcher(ruleset)
    for i, entry in enumerate(m.entries):
        if entry.builtin and not include_builtin:
            continue
        for example in entry.match:
            norm = normalise(example)
            if not _lexicon_hits(example, norm, ruleset, m, None, only_entry=i):
                shadow = m.combined.search(norm) if m.combined else None
                extra = ""
                if shadow and shadow.lastgroup and int(shadow.lastgroup[1:]) != i:
                    extra = f"（被 {m.entries[int(shadow.lastgroup[1:])].where} 抢先匹配）"
                raise HostplanError(f"{entry.where}: 例句“{example}”应当命中，但没有命中{extra}")
        for example in entry.no_match:
            norm = normalise(example)
            hits = [h for h in _lexicon_hits(example, norm, ruleset, m, frozenset({entry.rule}))
                    if h.severity != "info"]
            if hits:
                raise HostplanError(f"{entry.where}: 例句“{example}”不应命中，却命中了“{hits[0].text}”")


__all__ = ["SENTENCE_END", "TextHit", "check_text", "fmt", "matcher", "verify_entries"]
