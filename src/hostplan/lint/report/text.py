"""`--format text`: for people. Grouped by file; each finding shows path:line:col, code, message, the source
line with the matched text marked and the suggestion; then counts by severity and code. Rich markup when
printing to a terminal; render() returns the plain form (no colour) for pipes, files and NO_COLOR."""

from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Callable

from ...spec.chars import INVISIBLE_RE, visible
from ..finding import SEVERITY_ORDER, Finding, RuleMeta

LABEL = {"error": "错误", "warning": "警告", "info": "提示"}
STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _plain(text: str, style: str) -> str:
    return text


def _same(text: str) -> str:
    return text


def _shown(text: str) -> str:
    """Text from a contract, safe to print: a bidi control would reorder the line it is meant to expose and an
    ESC sequence could erase the findings printed above it; each becomes one visible character instead."""
    return visible(INVISIBLE_RE.sub("▯", text))


def _lines(findings: list[Finding], files: list[str], paint: Callable[[str, str], str],
           statistics: bool = False, esc: Callable[[str], str] = _same) -> list[str]:
    out: list[str] = []
    by_file: dict[str, list[Finding]] = {}
    for f in findings:
        by_file.setdefault(f.path, []).append(f)
    for path, items in by_file.items():
        out.append(paint(path, "bold underline"))
        for f in items:
            where = f"{f.path}:{f.line}:{f.column}"
            field = f" [{f.field}]" if f.field else ""
            out.append(f"  {paint(where, 'bold')}: {paint(f.code, STYLE[f.severity])} "
                       f"{paint(LABEL[f.severity], STYLE[f.severity])} {esc(_shown(f.message))}{paint(field, 'dim')}")
            if f.source:
                src = _shown(f.source.rstrip())
                out.append(f"    {paint('|', 'dim')} {esc(src)}")
                start = max(f.column - f.source_column, 0)
                if start <= len(src):
                    length = f.end_column - f.column if f.end_line == f.line else len(src) - start
                    mark = src[start:start + max(length, 1)] or " "
                    if f.text or f.end_column - f.column <= len(mark):
                        out.append(f"    {paint('|', 'dim')} {' ' * _width(src[:start])}"
                                   f"{paint('^' * max(_width(mark), 1), STYLE[f.severity])}")
            if f.suggestion:
                sugg = _shown(f.suggestion).replace("\n", "\n      ")
                out.append(f"    {paint('建议：', 'green')}{esc(sugg)}")
        out.append("")
    counts = Counter(f.severity for f in findings)
    if findings:
        parts = [f"{counts[s]} 个{LABEL[s]}" for s in sorted(counts, key=lambda s: -SEVERITY_ORDER[s])]
        out.append(f"共 {len(findings)} 个问题（{'，'.join(parts)}），检查了 {len(files)} 个文件")
        codes = Counter(f.code for f in findings)
        out.append("按规则：" + "  ".join(f"{code} ×{n}" for code, n in sorted(codes.items())))
    else:
        out.append(f"没有发现问题（检查了 {len(files)} 个文件）")
    if statistics:
        out.extend(_statistics(findings))
    return out


def _statistics(findings: list[Finding]) -> list[str]:
    counts = Counter((f.code, f.severity) for f in findings)
    return [f"{n:>6}  {code}  {LABEL[sev]}" for (code, sev), n in sorted(counts.items(), key=lambda x: (-x[1], x[0]))]


def statistics(findings: list[Finding], rules: dict[str, RuleMeta]) -> str:
    """`--statistics`: one line per code, most frequent first."""
    counts = Counter(f.code for f in findings)
    lines = [f"{n:>6}  {code}  {rules[code].name if code in rules else ''}  {rules[code].summary if code in rules else ''}"
             for code, n in sorted(counts.items(), key=lambda x: (-x[1], x[0]))]
    return "\n".join(lines) + ("\n" if lines else "")


def render(findings: list[Finding], rules: dict[str, RuleMeta], files: list[str]) -> str:
    return "\n".join(_lines(findings, files, _plain)) + "\n"


def render_rich(findings: list[Finding], rules: dict[str, RuleMeta], files: list[str]) -> str:
    """The same text with rich markup (the CLI prints it through a Console that decides on colour)."""
    from rich.markup import escape

    def paint(text: str, style: str) -> str:
        return f"[{style}]{escape(text)}[/]" if text else ""

    return "\n".join(_lines(findings, files, paint, esc=escape)) + "\n"
