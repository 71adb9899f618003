"""What a lint check reports. Shared by the engine, every check and every output format."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning", "info"]
SEVERITY_ORDER: dict[str, int] = {"info": 0, "warning": 1, "error": 2}


@dataclass(frozen=True, slots=True)
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
