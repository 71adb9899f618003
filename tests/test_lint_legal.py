"""HP7xx (rules/hp7_legal.yaml): the 20% cap on 定金 and characters that make a name display as something else."""

from __future__ import annotations

import datetime as dt

import pytest

from hostplan.lint import lint_text
from hostplan.scaffold import resolve_category, starter_spec

STARTER = starter_spec(resolve_category("apparel", None), start=dt.date(2026, 1, 1))
DEPOSIT = "  deposit: 20%"


def findings(text: str, code: str):
    return [f for f in lint_text(text, "proposal.yaml", kind="spec") if f.code == code]


def line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


def test_starter_deposit_is_at_the_cap_and_clean():
    assert DEPOSIT in STARTER
    assert findings(STARTER, "HP701") == []


def test_percent_deposit_above_20_percent_cites_the_civil_code():
    text = STARTER.replace(DEPOSIT, "  deposit: 30%", 1)
    (f,) = findings(text, "HP701")
    assert (f.line, f.column, f.severity, f.field) == (line_of(text, "deposit: 30%"), 12, "warning", "fees.deposit")
    assert f.message.startswith("定金 30% 超过合同总额的 20%。《民法典》第五百八十六条：定金不得超过主合同标的额的 20%")


@pytest.mark.parametrize(("deposit", "reported"), [("12000元", False), ("12000.01元", True), ("1.5万元", True)])
def test_money_deposit_is_compared_with_fee_times_months(deposit, reported):
    # 5000元/月 for 2026-01-01..2026-12-31: 60000元, 20% is 12000元
    text = STARTER.replace(DEPOSIT, f"  deposit: {deposit}", 1)
    found = findings(text, "HP701")
    assert bool(found) is reported
    if reported:
        assert "（月服务费 5000元 × 12 个月 = 60000元）的 20%（12000元）" in found[0].message


def test_money_deposit_of_an_open_ended_fee_model_is_not_judged():
    # per-ticket fees make the contract amount unknown in advance: no guess, no finding
    text = STARTER.replace("  model: fixed\n  monthly_fee: 5000元\n", "  model: per_ticket\n  base_fee: 1000元\n"
                           "  per_ticket: 2元\n", 1).replace(DEPOSIT, "  deposit: 5000元", 1)
    assert "per_ticket: 2元" in text
    assert findings(text, "HP701") == []


def test_bidi_override_in_a_party_name_is_reported_at_the_name():
    text = STARTER.replace("name: 某某商贸有限公司", 'name: "某某\\u202e司公限有贸商"', 1)
    (f,) = findings(text, "HP702")
    assert (f.line, f.field, f.severity) == (line_of(text, "\\u202e"), "parties.merchant.name", "warning")
    assert f.column == text.splitlines()[f.line - 1].index('"') + 1
    assert "U+202E（RIGHT-TO-LEFT OVERRIDE，双向控制字符）" in f.message
    assert "第一个在第 3 个字符处" in f.message and "去掉后是“某某司公限有贸商”" in f.message


def test_zero_width_characters_in_keys_and_prose_are_reported_once_per_value():
    text = STARTER.replace("name: 李四", "name: 李\u200b\u200b四", 1).replace("emphasis:", "emphasis:\n  x\u200d: 见附件", 1)
    found = findings(text, "HP702")
    assert [(f.field, "2 个不可见字符" in f.message) for f in found] == [
        ("parties.agency.contacts[0].name", True), ("emphasis.x\u200d", False)]
    assert "U+200B（ZERO WIDTH SPACE，零宽字符）" in found[0].message
    assert "U+200D（ZERO WIDTH JOINER，零宽字符）" in found[1].message and found[1].message.startswith("键 ")


def test_hp702_can_be_suppressed_with_a_reason():
    text = STARTER.replace("name: 某某商贸有限公司", "name: 某某\u200b商贸有限公司", 1)
    assert len(findings(text, "HP702")) == 1
    quiet = text.replace("\u200b商贸有限公司", "\u200b商贸有限公司  # hostplan: ignore[HP702] 对方系统导出的名称", 1)
    found = lint_text(quiet, "proposal.yaml", kind="spec")
    assert [f.code for f in found] == []
