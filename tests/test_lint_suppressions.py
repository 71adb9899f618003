"""Suppression comments that cannot work are said to be so (HP011), and those of a spec that does not parse are not
called unused (HP009) before the file is even checked."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import ROOT
from hostplan.cli import app
from hostplan.lint import LintOptions, lint_paths, lint_text

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


# --- malformed suppression comments (HP011) -----------------------------------------------------------------


@pytest.mark.parametrize(("comment", "why"), [
    ("<!-- hostplan: ignore 全部 -->", "规则编号要写在紧跟 ignore 的方括号里"),
    ("<!-- hostplan: ignore HP101 已量化 -->", "规则编号要写在紧跟 ignore 的方括号里"),
    ("<!-- hostplan: ignore[全部] 已量化 -->", "方括号里只能写规则编号或前缀"),
    ("<!-- hostplan: ignore[HP101 已量化 -->", "方括号里只能写规则编号或前缀"),
    ("<!-- hostplan：ignore[HP101] 已量化 -->", "英文半角"),
    ("<!-- hostplan: ignore【HP101】 已量化 -->", "英文半角"),
    ("<!-- hostplan: noqa -->", "hostplan: 后面应为 ignore"),
    ("<!-- hostplan: ignroe[HP101] 已量化 -->", "hostplan: 后面应为 ignore"),
    ("<!-- hostplan: ignore[HP101] 已量化", "要在同一行以 --> 结束"),
])
def test_a_malformed_suppression_in_a_document_is_reported(comment: str, why: str) -> None:
    found = lint_text(f"乙方应及时回复。{comment}\n")
    assert [f.code for f in found] == ["HP101", "HP011"], _codes(found)  # HP101 is not suppressed
    assert found[1].column == f"乙方应及时回复。{comment}".index("hostplan") + 1
    assert found[1].message.startswith("抑制注释写法不对，不会抑制任何发现：") and why in found[1].message
    assert "hostplan: ignore[HP101]" in (found[1].suggestion or "")


def test_a_malformed_suppression_in_a_spec_is_reported() -> None:
    text, line = _suppressed_spec()
    text = text.replace("# hostplan: ignore[HP101] 附件二已量化", "# hostplan: ignore HP101 附件二已量化")
    found = lint_text(text, "s.yaml", kind="spec")
    assert _codes(found) == [(line, "HP101"), (line, "HP011")]
    assert "方括号" in next(f.message for f in found if f.code == "HP011")


def test_well_formed_and_unrelated_comments_are_left_alone() -> None:
    # upper case and a space before [ are read, not reported
    assert lint_text("<!-- Hostplan: IGNORE [HP101] 已量化 -->\n乙方应及时回复。\n") == []
    # comments that only mention hostplan, and prose, are not suppressions
    for text in ("乙方应在 2 小时内回复。<!-- 由 hostplan 生成 -->\n", "用 hostplan: ignore 语法抑制。\n",
                 "乙方应在 2 小时内回复。<!-- 检查：hostplan lint 合同.md -->\n"):
        assert lint_text(text) == [], text
    header = "# 检查：hostplan validate food.yaml   审阅：hostplan lint food.yaml\n"
    assert lint_text(header + SPEC, "s.yaml", kind="spec") == []


def test_hp011_follows_select_ignore_and_severity(tmp_path: Path) -> None:
    doc = tmp_path / "c.md"
    doc.write_text("乙方应在 2 小时内回复。<!-- hostplan: ignore HP101 -->\n", encoding="utf-8")
    assert [f.code for f in lint_paths([doc]).findings] == ["HP011"]
    assert lint_paths([doc], ignore=("HP011",)).findings == []
    assert lint_text("<!-- hostplan: noqa -->\n", options=LintOptions(severity=(("HP011", "error"),)))[0].severity \
        == "error"
