"""Precision and recall of the text rules on a labelled clause set (tests/fixtures/lint/clauses.tsv)."""

from __future__ import annotations

from conftest import ROOT
from hostplan.lint import lint_text

CLAUSES = ROOT / "tests" / "fixtures" / "lint" / "clauses.tsv"


def labelled() -> list[tuple[bool, str]]:
    out = []
    for line in CLAUSES.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        label, text = line.split("\t")
        assert label in ("V", "P"), line
        out.append((label == "V", text.rstrip("*")))  # * marks a sentence taken from the seed articles
    return out


def flagged(text: str) -> bool:
    """A clause counts as flagged when a wording rule (HP1xx/HP2xx) reports it at warning or error."""
    return any(f.code[:3] in ("HP1", "HP2") and f.severity != "info" for f in lint_text(text))


def test_clause_set_is_large_and_balanced() -> None:
    data = labelled()
    assert len(data) >= 150
    vague = sum(1 for v, _ in data if v)
    assert 60 <= vague <= len(data) - 60


def test_precision_and_recall_at_least_0_9() -> None:
    tp = fp = fn = 0
    misses = []
    for vague, text in labelled():
        hit = flagged(text)
        tp += vague and hit
        fp += (not vague) and hit
        fn += vague and not hit
        if vague != hit:
            misses.append(("missed" if vague else "false alarm", text))
    precision = tp / (tp + fp)
    recall = tp / (tp + fn)
    assert precision >= 0.9, misses
    assert recall >= 0.9, misses
