r"""The wording and number checks of one large contract, run in parts on all cores.

Every text check looks no further than its sentence, and a sentence never spans a blank line, so a text cut at
blank lines gives, part by part, exactly the findings of the whole (tests/test_lint_parts.py compares them).
A text smaller than BIG_TEXT, or one with no blank line to cut at, is checked in one piece. Rule patterns keep to
their line for this (spaces as [^\S\n], not \s: 每月\n\n日 is no blank day of the month either).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from .checks.doc_numbers import check_numbers
from .checks.lexicon import TextHit, check_text

if TYPE_CHECKING:
    from .rules import RuleSet

BIG_TEXT = 1_000_000  # characters (about 3 MB of Chinese); below this, starting processes costs as much as it saves
PARTS_PER_WORKER = 2  # parts finish unevenly: smaller ones keep both cores busy to the end
PARAGRAPH = "\n\n"

Hits = tuple[list[TextHit], list[TextHit]]
_PART: tuple[str, str, RuleSet, frozenset[str] | None] | None = None  # what a worker checks parts of


def hits(text: str, norm: str, ruleset: RuleSet, enabled: frozenset[str] | None, jobs: int = 1) -> list[TextHit]:
    """check_text's findings, then check_numbers', as for the whole text; in parts on `jobs` processes when the
    text has BIG_TEXT characters or more."""
    cuts = cut_points(norm, jobs * PARTS_PER_WORKER) if jobs > 1 and len(norm) >= BIG_TEXT else []
    if not cuts:
        words, numbers = _check(text, norm, ruleset, enabled)
        return words + numbers
    from concurrent.futures import ProcessPoolExecutor

    warm(ruleset)
    bounds = list(zip([0, *cuts], [*cuts, len(norm)], strict=True))
    with ProcessPoolExecutor(max_workers=jobs, initializer=_init_part_worker,
                             initargs=(text, norm, ruleset, enabled)) as pool:
        found = list(pool.map(_check_part, bounds))
    return [h for words, _ in found for h in words] + [h for _, numbers in found for h in numbers]


def warm(ruleset: RuleSet) -> None:
    """Build, before forking, what every worker would otherwise build for itself: the lexicon matcher, the quantity
    and number-check patterns."""
    from .checks.doc_numbers import _checks
    from .checks.lexicon import matcher
    from .text import QUANTITY_KINDS, quantity_re

    matcher(ruleset)
    _checks(ruleset)
    for kind in QUANTITY_KINDS:
        quantity_re(kind)


def cut_points(norm: str, parts: int) -> list[int]:
    """Offsets just after a blank line, near the text's `parts` equal shares; fewer where blank lines are rare."""
    cuts: list[int] = []
    for i in range(1, parts):
        at = norm.find(PARAGRAPH, max(len(norm) * i // parts, cuts[-1] if cuts else 0))
        if at == -1:
            break
        cut = at + len(PARAGRAPH)
        if cut < len(norm) and (not cuts or cut > cuts[-1]):
            cuts.append(cut)
    return cuts


def _check(text: str, norm: str, ruleset: RuleSet, enabled: frozenset[str] | None) -> Hits:
    return check_text(text, ruleset, enabled, norm), check_numbers(text, norm, ruleset, enabled)


def _init_part_worker(text: str, norm: str, ruleset: RuleSet, enabled: frozenset[str] | None) -> None:
    global _PART
    _PART = (text, norm, ruleset, enabled)


def _check_part(bounds: Sequence[int]) -> Hits:
    assert _PART is not None
    text, norm, ruleset, enabled = _PART
    lo, hi = bounds
    words, numbers = _check(text[lo:hi], norm[lo:hi], ruleset, enabled)
    for h in (*words, *numbers):  # offsets in the whole text
        h.start += lo
        h.end += lo
    return words, numbers
