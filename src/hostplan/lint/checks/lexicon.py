"""Text checks: lexicon terms (all lexicon rules in one combined pattern, one pass), pattern rules
(template blanks, open-ended lists) and qualitative obligations. They work on any text: a document, or
one string value of a spec. Offsets are into the original text (normalisation keeps them)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

from ...errors import HostplanError
from ..text import QUANTITY_KINDS, SENTENCE_END, has_quantity, normalise, prohibited, span_around

if TYPE_CHECKING:  # avoids an import cycle at runtime
    from ..rules import Entry, Rule, RuleSet


@dataclass(frozen=True, slots=True)
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


@dataclass(frozen=True)
class Matcher:
    combined: re.Pattern[str] | None
    entries: tuple[Entry, ...]
    patterns: tuple[tuple[Rule, tuple[re.Pattern[str], ...], re.Pattern[str] | None], ...]
    qualitative: tuple[Rule, re.Pattern[str], re.Pattern[str], re.Pattern[str]] | None


@cache
def matcher(ruleset: RuleSet) -> Matcher:
    entries = ruleset.entries
    combined = None
    if entries:
        # one alternation for every lexicon rule; leftmost match wins, so each position is tried once
        combined = re.compile("|".join(f"(?P<e{i}>{e.pattern})" for i, e in enumerate(entries)))
    patterns = []
    qualitative = None
    for rule in ruleset.rules.values():
        if rule.type == "pattern":
            pat = tuple(re.compile(p) for p in rule.params["patterns"])
            ctx = rule.params.get("context")
            patterns.append((rule, pat, re.compile(ctx) if ctx else None))
        elif rule.type == "qualitative_obligation":
            p = rule.params
            try:
                qualitative = (rule, re.compile(p["qualities"]), re.compile(p["obligations"]),
                               re.compile(p["references"]))
            except (KeyError, re.error) as exc:
                raise HostplanError(f"{rule.source}: params 须有 qualities、obligations、references 正则：{exc}") from None
    return Matcher(combined, entries, tuple(patterns), qualitative)


def _lexicon_hits(text: str, norm: str, ruleset: RuleSet, m: Matcher, enabled: frozenset[str] | None,
                  only_entry: int | None = None) -> list[TextHit]:
    out: list[TextHit] = []
    if m.combined is None:
        return out
    reported: set[tuple[str, int]] = set()  # (rule, sentence start): one finding per rule and sentence
    for match in m.combined.finditer(norm):
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
        lo, hi = span_around(norm, start, end)
        if entry.context is not None and not entry.context.search(norm, lo, hi):
            continue
        if rule.negatable and prohibited(norm, start, end):
            continue
        severity = rule.severity
        if rule.when_quantified != "keep" and QUANTITY_KINDS[rule.quantity].search(norm, lo, hi):
            if rule.when_quantified == "skip":
                continue
            severity = "info"
        if (rule.code, lo) in reported:
            continue
        reported.add((rule.code, lo))
        matched = text[start:end]
        out.append(TextHit(start, end, rule.code, severity, fmt(rule.message, text=matched, hint=entry.hint),
                           entry.suggestion or rule.suggestion, matched))
    return out


def check_text(text: str, ruleset: RuleSet, enabled: frozenset[str] | None = None) -> list[TextHit]:
    """Every text finding in text, sorted by position. enabled limits the rule codes (None: all)."""
    norm = normalise(text)
    m = matcher(ruleset)
    hits = _lexicon_hits(text, norm, ruleset, m, enabled)
    for rule, pats, ctx in m.patterns:
        if enabled is not None and rule.code not in enabled:
            continue
        for match in (mt for pat in pats for mt in pat.finditer(norm)):
            # a pattern may mark the part to report with (?P<t>…): 、推广等工作 reports 等工作
            start, end = match.span("t") if "t" in match.re.groupindex else match.span()
            if end == start:
                continue
            lo, hi = span_around(norm, start, end)
            if ctx is not None and not ctx.search(norm, lo, hi):
                continue
            if rule.negatable and prohibited(norm, start, end):
                continue
            matched = text[start:end]
            hits.append(TextHit(start, end, rule.code, rule.severity, fmt(rule.message, text=matched.strip() or matched),
                                rule.suggestion, matched))
    if m.qualitative is not None and (enabled is None or m.qualitative[0].code in enabled):
        hits.extend(_qualitative(text, norm, m.qualitative, hits))
    hits.sort(key=lambda h: (h.start, h.code))
    return hits


def _qualitative(text: str, norm: str, q: tuple[Rule, re.Pattern[str], re.Pattern[str], re.Pattern[str]],
                 earlier: list[TextHit]) -> list[TextHit]:
    """A sentence that imposes an obligation through a qualitative word and states no figure or reference."""
    rule, qualities, obligations, references = q
    covered = [(h.start, h.end) for h in earlier]
    done: set[int] = set()
    out = []
    for match in qualities.finditer(norm):
        start, end = match.span()
        lo, hi = span_around(norm, start, end)
        if lo in done:
            continue
        if not obligations.search(norm, lo, hi):
            continue
        if has_quantity(norm[lo:hi]) or references.search(norm, lo, hi):
            continue
        if any(lo <= s < hi for s, _ in covered):  # the lexicon already explains this sentence
            continue
        if rule.negatable and prohibited(norm, start, end):
            continue
        done.add(lo)
        matched = text[start:end]
        out.append(TextHit(start, end, rule.code, rule.severity, fmt(rule.message, text=matched), rule.suggestion,
                           matched))
    return out


def verify_entries(ruleset: RuleSet) -> None:
    """Each entry's examples, through the whole check (context and prohibition included): a `match` example
    must be reported by this very entry, a `no_match` example must not be reported by its rule."""
    m = matcher(ruleset)
    for i, entry in enumerate(m.entries):
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
