"""What a lint check reports. Shared by the engine, every check and every output format."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Literal

Severity = Literal["error", "warning", "info"]
SEVERITY_ORDER: dict[str, int] = {"info": 0, "warning": 1, "error": 2}


# Not frozen: a frozen dataclass sets each field through object.__setattr__, which made building and unpickling
# the findings of a large run (tens of thousands) a visible part of it. Treat findings as values all the same.
@dataclass(slots=True, unsafe_hash=True)
class Finding:
    """One problem at one place. Lines and columns are 1-based; end_column is exclusive."""

    path: str
    line: int
    column: int
    end_line: int
    end_column: int
    code: str  # stable rule code, e.g. HP101
    severity: Severity
    message: str  # Chinese: what is wrong and how to fix it
    text: str = ""  # the matched text
    suggestion: str | None = None  # a better wording, where one exists
    source: str = ""  # the source line (or paragraph) shown to people
    field: str = ""  # spec field path (standards[0].threshold) or docx location (段落 12 / 表格 1 行 2 列 3)
    source_column: int = 1  # the line's column where `source` starts: a long line is shown as an excerpt

    def __reduce__(self) -> tuple[type[Finding], tuple[object, ...]]:
        # findings travel back from lint worker processes: a plain tuple pickles ~5x faster than slot state
        return (Finding, tuple(getattr(self, name) for name in self.__slots__))


@dataclass(frozen=True, slots=True)
class RuleMeta:
    """What output formats need to know about a rule (SARIF rule metadata, `hostplan rules`)."""

    code: str  # HP101
    name: str  # short English slug, e.g. vague-term
    severity: Severity  # default severity
    summary: str  # one line in Chinese
    help: str = ""  # longer explanation in Chinese (what / why / how to fix)


# A finding on a long line (a pasted paragraph, a contract with no line breaks) shows the part around the
# match: the whole line would be copied into every finding and every report (50,000 findings on one 100 KB
# line made a 5 GB report).
EXCERPT_BEFORE = 60
EXCERPT_AFTER = 100
MAX_SOURCE = 240


def excerpt(f: Finding) -> Finding:
    """f with `source` cut to the match and some context around it, marked with … where cut."""
    line = f.source
    if len(line) <= MAX_SOURCE:
        return f
    start = max(f.column - 1 - EXCERPT_BEFORE, 0)
    match_end = f.end_column - 1 if f.end_line == f.line and f.end_column > f.column else f.column
    stop = min(match_end + EXCERPT_AFTER, len(line), start + MAX_SOURCE)
    text = ("…" if start else "") + line[start:stop] + ("…" if stop < len(line) else "")
    # with a leading …, the … stands for column `start` and line[start] is at column start + 1
    return replace(f, source=text, source_column=start if start else 1)
