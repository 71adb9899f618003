"""`--format json`: one object per finding, keys in a fixed order, Chinese kept as is."""

from __future__ import annotations

import json

from ..finding import Finding, RuleMeta

# keys in the order users and scripts see; new keys go at the end so positional consumers keep working


def render(findings: list[Finding], rules: dict[str, RuleMeta], files: list[str]) -> str:
    # one finding per line: readable, grep- and diff-friendly
    if not findings:
        return "[]\n"
    names = {code: meta.name for code, meta in rules.items()}
    s = json.encoder.encode_basestring  # the C string encoder json.dumps(ensure_ascii=False) uses
    # what json.dumps(ensure_ascii=False) writes for each finding as a dict, written out (3x faster); a run has
    # few distinct paths, messages and source lines, so their encoded parts are built once each
    heads: dict[str, str] = {}
    middles: dict[tuple[str, str, str, str, str | None], str] = {}
    tails: dict[tuple[str, str, str], str] = {}
    rows = []
    for f in findings:
        head = heads.get(f.path)
        if head is None:
            head = heads[f.path] = f'{{"path": {s(f.path)}, "line": '
        key = (f.code, f.severity, f.message, f.text, f.suggestion)
        middle = middles.get(key)
        if middle is None:
            suggestion = "null" if f.suggestion is None else s(f.suggestion)
            middle = middles[key] = (f'"code": {s(f.code)}, "severity": {s(f.severity)}, "message": {s(f.message)}, '
                                     f'"text": {s(f.text)}, "suggestion": {suggestion}, ')
        place = (f.field, f.source, f.code)
        tail = tails.get(place)
        if tail is None:
            tail = tails[place] = (f'"field": {s(f.field)}, "source": {s(f.source)}, '
                                   f'"rule": {s(names.get(f.code, ""))}, "source_column": ')
        rows.append(f'{head}{f.line:d}, "column": {f.column:d}, "end_line": {f.end_line:d}, '
                    f'"end_column": {f.end_column:d}, {middle}{tail}{f.source_column:d}}}')
    return "[\n" + ",\n".join(rows) + "\n]\n"
