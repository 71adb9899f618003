"""Suppression comments of a spec that does not parse are not called unused (HP009) before the file is even checked."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from conftest import ROOT
from hostplan.cli import app
from hostplan.lint import lint_paths, lint_text

runner = CliRunner()
SPEC = (ROOT / "examples" / "food.yaml").read_text(encoding="utf-8")


def _codes(found) -> list[tuple[int, str]]:  # type: ignore[no-untyped-def]
    return [(f.line, f.code) for f in found]


# --- a spec that cannot be parsed ---------------------------------------------------------------------------


def _suppressed_spec() -> tuple[str, int]:
    """A valid spec with one vague clause and the suppression that covers it."""
    lines = SPEC.split("\n")
    n = next(i for i, ln in enumerate(lines) if ln.strip().startswith("- ") and ":" not in ln.strip()[2:])
    lines[n] = lines[n] + "，尽快处理  # hostplan: ignore[HP101] 附件二已量化"
    return "\n".join(lines), n + 1


def test_suppressions_of_a_spec_with_a_syntax_error_are_not_reported_unused(tmp_path: Path) -> None:
    text, line = _suppressed_spec()
    assert lint_text(text, "s1.yaml", kind="spec") == []  # clean: the comment is used
    broken = text + "\nterm:\n  start: 2026-01-01\n   bad: indent\n"  # a bad indent at the end
    found = lint_text(broken, "s2.yaml", kind="spec")
    assert [f.code for f in found] == ["HP002"], _codes(found)
    spec = tmp_path / "s2.yaml"
    spec.write_text(broken, encoding="utf-8")
    r = runner.invoke(app, ["lint", str(spec), "--format", "json"])
    assert [f["code"] for f in json.loads(r.stdout)] == ["HP002"]
    # the same comment in a spec that parses, with nothing left to suppress, is unused
    fixed = text.replace("，尽快处理  # hostplan", "  # hostplan")
    assert _codes(lint_text(fixed, "s3.yaml", kind="spec")) == [(line, "HP009")]
    # a top level that is not a mapping was not checked either; a missing reason is still said (HP008)
    found = lint_text("- 尽快处理  # hostplan: ignore[HP101]\n", "s4.yaml", kind="spec")
    assert [f.code for f in found] == ["HP005", "HP008"], _codes(found)


def test_qa_spec_with_a_bad_indent(tmp_path: Path) -> None:
    # QA's pair: s1.yaml is clean, s2.yaml has a bad indent and must give HP002 alone
    text, _ = _suppressed_spec()
    lines = text.split("\n")
    at = next(i for i, ln in enumerate(lines) if ln.startswith("  ") and ln.strip().endswith(":")) + 1
    lines.insert(at + 1, "   bad: indent")
    spec = tmp_path / "s2.yaml"
    spec.write_text("\n".join(lines), encoding="utf-8")
    result = lint_paths([spec])
    assert [f.code for f in result.findings] == ["HP002"]
