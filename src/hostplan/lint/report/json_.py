"""`--format json`: one object per finding, keys in a fixed order, Chinese kept as is."""

from __future__ import annotations

import json

from ..finding import Finding, RuleMeta

# the order users and scripts see; new keys go at the end so positional consumers keep working
KEYS = ("path", "line", "column", "end_line", "end_column", "code", "severity", "message", "text",
        "suggestion", "field", "source", "rule")
_ENCODER = json.JSONEncoder(ensure_ascii=False)  # json.dumps with options builds a new encoder on every call


def as_dict(finding: Finding, rules: dict[str, RuleMeta]) -> dict[str, object]:
    meta = rules.get(finding.code)
    return {
        "path": finding.path,
        "line": finding.line,
        "column": finding.column,
        "end_line": finding.end_line,
        "end_column": finding.end_column,
        "code": finding.code,
        "severity": finding.severity,
        "message": finding.message,
        "text": finding.text,
        "suggestion": finding.suggestion,
        "field": finding.field,
        "source": finding.source,
        "rule": meta.name if meta else "",
    }


def render(findings: list[Finding], rules: dict[str, RuleMeta], files: list[str]) -> str:
    # one finding per line: readable, grep- and diff-friendly, and json's fast C encoder (no indent)
    if not findings:
        return "[]\n"
    rows = ",\n".join(_ENCODER.encode(as_dict(f, rules)) for f in findings)
    return f"[\n{rows}\n]\n"
