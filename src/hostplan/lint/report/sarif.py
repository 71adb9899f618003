"""`--format sarif`: SARIF 2.1.0 for GitHub code scanning and other SARIF viewers.

Validated in the tests against the OASIS schema. Fingerprints hash what a finding *is* (rule, file,
matched text, the normalised source line), not where it is, so a finding keeps its identity — and its
dismissal in code scanning — when lines are added above it.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path, PurePosixPath
from urllib.parse import quote

from ..finding import Finding, RuleMeta

SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
FINGERPRINT_KEY = "hostplan/v1"
LEVEL = {"error": "error", "warning": "warning", "info": "note"}
STDIN_NAMES = {"-", "<stdin>"}


def artifact_uri(path: str) -> str:
    """A relative URI (forward slashes, percent-encoded) for a linted path; absolute only if outside cwd."""
    if path in STDIN_NAMES:
        return "stdin"
    native = Path(path)
    if native.is_absolute():
        try:
            native = native.relative_to(Path.cwd())
        except ValueError:
            return native.as_uri()
    posix = PurePosixPath(native.as_posix()).as_posix()
    # ':' stays encoded so a first segment like "a:b.yaml" cannot read as a URI scheme
    return quote(posix, safe="/!$&'()*+,;=-._~@")


def fingerprint(finding: Finding, uri: str | None = None) -> str:
    """Stable identity of a finding: independent of its line number and of whitespace changes."""
    source = " ".join(finding.source.split())
    parts = [finding.code, uri or artifact_uri(finding.path), " ".join(finding.text.split()), source]
    if not finding.text:
        # what a finding without matched text is about (a missing module; a value in a spec) is in its message
        parts.append(finding.message)
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:32]


def _rule_descriptor(meta: RuleMeta) -> dict[str, object]:
    full = meta.help or meta.summary
    return {
        "id": meta.code,
        "name": meta.name,
        "shortDescription": {"text": meta.summary},
        "fullDescription": {"text": full},
        "help": {"text": full},
        "defaultConfiguration": {"level": LEVEL.get(meta.severity, "warning")},
    }


def _region(finding: Finding) -> dict[str, object]:
    # SARIF lines/columns are 1-based; a file-level finding (line 0) is shown on the first line
    line = max(finding.line, 1)
    region: dict[str, object] = {"startLine": line}
    if finding.line > 0 and finding.column > 0:
        region["startColumn"] = finding.column
    end_line = max(finding.end_line, line)
    region["endLine"] = end_line
    if "startColumn" in region and finding.end_column > 0 and (end_line > line or finding.end_column > finding.column):
        region["endColumn"] = finding.end_column
    if finding.text:
        region["snippet"] = {"text": finding.text}
    return region


def _message(finding: Finding) -> str:
    message = finding.message
    if finding.field and finding.path.lower().endswith(".docx"):
        # lines of a .docx are lines of its extracted text; name the paragraph or table cell a reader can find
        message += f"\n位置：{finding.field}"
    if finding.suggestion:
        message += f"\n建议：{finding.suggestion}"
    return message


def build(findings: list[Finding], rules: dict[str, RuleMeta], files: list[str]) -> dict[str, object]:
    from ... import __version__

    metas = dict(rules)
    for f in findings:  # a code the caller did not describe still needs a descriptor for ruleIndex
        metas.setdefault(f.code, RuleMeta(code=f.code, name=f.code.lower(), severity=f.severity, summary=f.message))
    codes = sorted(metas)
    rule_index = {code: i for i, code in enumerate(codes)}

    uris: dict[str, str] = {}  # path -> uri, computed once per file: a large document has thousands of findings
    artifact_index: dict[str, int] = {}
    for path in [*files, *(f.path for f in findings)]:
        if path not in uris:
            uris[path] = artifact_uri(path)
            artifact_index.setdefault(uris[path], len(artifact_index))

    seen: dict[str, int] = {}
    results = []
    for f in findings:
        uri = uris[f.path]
        fp = fingerprint(f, uri)
        seen[fp] = seen.get(fp, 0) + 1  # identical findings in one file: number them in order
        properties: dict[str, object] = {"severity": f.severity}
        if f.suggestion:
            properties["suggestion"] = f.suggestion
        if f.field:
            properties["field"] = f.field
        results.append({
            "ruleId": f.code,
            "ruleIndex": rule_index[f.code],
            "level": LEVEL.get(f.severity, "warning"),
            "message": {"text": _message(f)},
            "locations": [{
                "physicalLocation": {
                    "artifactLocation": {"uri": uri, "uriBaseId": "%SRCROOT%", "index": artifact_index[uri]},
                    "region": _region(f),
                },
            }],
            "partialFingerprints": {FINGERPRINT_KEY: f"{fp}:{seen[fp]}"},
            "properties": properties,
        })

    return {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "hostplan",
                "version": __version__,
                "semanticVersion": __version__,
                "rules": [_rule_descriptor(metas[code]) for code in codes],
            }},
            "columnKind": "unicodeCodePoints",
            "artifacts": [{"location": {"uri": uri, "uriBaseId": "%SRCROOT%"}} for uri in artifact_index],
            "results": results,
            "invocations": [{"executionSuccessful": True}],
        }],
    }


def render(findings: list[Finding], rules: dict[str, RuleMeta], files: list[str]) -> str:
    # compact: json's C encoder is used only without indent (4x faster on a large document's findings)
    return json.dumps(build(findings, rules, files), ensure_ascii=False, separators=(",", ":")) + "\n"
