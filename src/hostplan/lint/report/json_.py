"""`--format json`: one object per finding, keys in a fixed order, Chinese kept as is."""

from __future__ import annotations

import json
from collections.abc import Callable

from ..finding import Finding, RuleMeta

# keys in the order users and scripts see; new keys go at the end so positional consumers keep working


def _row(f: Finding, names: dict[str, str], s: Callable[[str], str]) -> str:
    # what json.dumps(ensure_ascii=False) writes for the finding as a dict, written out: 3x faster
    return (f'{{"path": {s(f.path)}, "line": {f.line:d}, "column": {f.column:d}, "end_line": {f.end_line:d}, '
            f'"end_column": {f.end_column:d}, "code": {s(f.code)}, "severity": {s(f.severity)}, '
            f'"message": {s(f.message)}, "text": {s(f.text)}, '
            f'"suggestion": {"null" if f.suggestion is None else s(f.suggestion)}, "field": {s(f.field)}, '
            f'"source": {s(f.source)}, "rule": {s(names.get(f.code, ""))}, "source_column": {f.source_column:d}}}')


def render(findings: list[Finding], rules: dict[str, RuleMeta], files: list[str]) -> str:
    # one finding per line: readable, grep- and diff-friendly
    if not findings:
        return "[]\n"
    names = {code: meta.name for code, meta in rules.items()}
    s = json.encoder.encode_basestring  # the C string encoder json.dumps(ensure_ascii=False) uses
    rows = ",\n".join(_row(f, names, s) for f in findings)
    return f"[\n{rows}\n]\n"
