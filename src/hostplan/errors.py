"""Problems with positions, and the exit codes every command shares."""

from __future__ import annotations

from dataclasses import dataclass

EXIT_OK = 0
EXIT_FINDINGS = 1  # lint found something at or above --fail-on
EXIT_ERROR = 2  # usage error, unreadable input, or an invalid spec where a valid one is needed


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input file; line/column are 1-based (0 when the whole file is meant)."""

    path: str
    line: int
    column: int
    field: str
    message: str
    code: str
    source: str = ""
    end_column: int = 0  # exclusive, on `line`; 0: unknown (the reader takes the token at column)

    def format(self) -> str:
        where = f"{self.path}:{self.line}:{self.column}" if self.line else self.path
        field = f" {self.field}:" if self.field else ""
        return f"{where}:{field} {self.message} [{self.code}]"


class HostplanError(Exception):
    """A failure the CLI reports as a message and exit code 2, never as a traceback."""


class SpecError(HostplanError):
    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(p.format() for p in problems))
        self.problems = problems
