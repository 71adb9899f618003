"""`--format junit`: JUnit XML for CI systems that show test reports (GitLab, Jenkins, Azure).

One <testsuite> per linted file. A clean file is one passing <testcase>; each error or warning is a
<testcase> with a <failure>; info findings are passing test cases that carry their text in
<system-out>, since they do not fail a run at the default --fail-on.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from ..finding import Finding, RuleMeta

# characters XML 1.0 cannot carry at all (e.g. vertical tabs from Word documents)
_ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _clean(text: str) -> str:
    return _ILLEGAL_XML.sub("\ufffd", text)


def _where(f: Finding) -> str:
    return f"{f.path}:{f.line}:{f.column}" if f.line > 0 else f.path


def _details(f: Finding, meta: RuleMeta | None) -> str:
    lines = [f"{_where(f)}: {f.code} {f.message}"]
    if f.field:
        lines.append(f"位置：{f.field}")
    if f.source:
        lines.append(f"原文：{f.source}")
    if f.suggestion:
        lines.append(f"建议：{f.suggestion}")
    if meta and meta.summary:
        lines.append(f"规则：{f.code} {meta.name}：{meta.summary}")
    return _clean("\n".join(lines))


def build(findings: list[Finding], rules: dict[str, RuleMeta], files: list[str]) -> ET.Element:
    by_file: dict[str, list[Finding]] = {path: [] for path in files}
    for f in findings:
        by_file.setdefault(f.path, []).append(f)

    root = ET.Element("testsuites", name="hostplan lint")
    total_tests = total_failures = 0
    for path, found in by_file.items():
        suite = ET.SubElement(root, "testsuite", name=_clean(path))
        failures = 0
        if not found:
            ET.SubElement(suite, "testcase", name="hostplan lint", classname=_clean(path), time="0")
        for f in found:
            case = ET.SubElement(suite, "testcase", name=_clean(f"{f.code} {_where(f)}"),
                                 classname=_clean(path), time="0")
            details = _details(f, rules.get(f.code))
            if f.severity == "info":
                ET.SubElement(case, "system-out").text = details
                continue
            failures += 1
            failure = ET.SubElement(case, "failure", message=_clean(f.message), type=f.code)
            failure.text = details
        tests = max(len(found), 1)
        suite.set("tests", str(tests))
        suite.set("failures", str(failures))
        suite.set("errors", "0")
        suite.set("skipped", "0")
        suite.set("time", "0")
        total_tests += tests
        total_failures += failures
    root.set("tests", str(total_tests))
    root.set("failures", str(total_failures))
    root.set("errors", "0")
    root.set("time", "0")
    return root


def render(findings: list[Finding], rules: dict[str, RuleMeta], files: list[str]) -> str:
    root = build(findings, rules, files)
    ET.indent(root)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
