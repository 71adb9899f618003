"""`--format json`: one object per finding, keys in a fixed order, Chinese kept as is."""

from __future__ import annotations

import json
from collections.abc import Callable

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


def _row(f: Finding, names: dict[str, str], s: Callable[[str], str]) -> str:
    # exactly _ENCODER.encode(as_dict(f, rules)), written out: 20,000 findings in a third of the time
    return (f'{{"path": {s(f.path)}, "line": {f.line:d}, "column": {f.column:d}, "end_line": {f.end_line:d}, '
            f'"end_column": {f.end_column:d}, "code": {s(f.code)}, "severity": {s(f.severity)}, '
            f'"message": {s(f.message)}, "text": {s(f.text)}, '
            f'"suggestion": {"null" if f.suggestion is None else s(f.suggestion)}, "field": {s(f.field)}, '
            f'"source": {s(f.source)}, "rule": {s(names.get(f.code, ""))}}}')


def render(findings: list[Finding], rules: dict[str, RuleMeta], files: list[str]) -> str:
    # one finding per line: readable, grep- and diff-friendly
    if not findings:
        return "[]\n"
    names = {code: meta.name for code, meta in rules.items()}
    s = json.encoder.encode_basestring  # the C string encoder json.dumps(ensure_ascii=False) uses
    rows = ",\n".join(_row(f, names, s) for f in findings)
    return f"[\n{rows}\n]\n"
