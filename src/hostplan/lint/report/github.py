"""`--format github`: GitHub Actions workflow commands, shown as annotations on the pull request.

Escaping follows @actions/core (toolkit/packages/core/src/command.ts): the message escapes % CR LF,
property values additionally escape : and , — otherwise a comma in a path or a newline in a message
would cut the command short or inject another one.
"""

from __future__ import annotations

from ..finding import Finding, RuleMeta

COMMAND = {"error": "error", "warning": "warning", "info": "notice"}


def escape_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(value: str) -> str:
    return escape_data(value).replace(":", "%3A").replace(",", "%2C")


def _file(path: str) -> str:
    # annotations want workspace-relative paths with forward slashes
    path = path.replace("\\", "/")
    return path[2:] if path.startswith("./") else path


def command(finding: Finding) -> str:
    props: list[tuple[str, object]] = [("file", _file(finding.path))]
    if finding.line > 0:
        end_line = max(finding.end_line, finding.line)
        # GitHub rejects col/endColumn on multi-line annotations; its endColumn is inclusive
        one_line = finding.column > 0 and end_line == finding.line
        props.append(("line", finding.line))
        if one_line:
            props.append(("col", finding.column))
        props.append(("endLine", end_line))
        if one_line and finding.end_column > finding.column:
            props.append(("endColumn", finding.end_column - 1))
    props.append(("title", finding.code))
    message = finding.message
    if finding.field and finding.path.lower().endswith(".docx"):
        message += f"\n位置：{finding.field}"  # .docx lines are lines of the extracted text
    if finding.suggestion:
        message += f"\n建议：{finding.suggestion}"
    head = ",".join(f"{key}={escape_property(str(value))}" for key, value in props)
    return f"::{COMMAND.get(finding.severity, 'warning')} {head}::{escape_data(message)}"


def render(findings: list[Finding], rules: dict[str, RuleMeta], files: list[str]) -> str:
    return "".join(command(f) + "\n" for f in findings)
