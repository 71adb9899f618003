"""HP5xx number checks on contract documents (checks/doc_numbers.py): a reversed term, a monthly day February does
not have, a rate over 100% and a deduction cap over 100% are found in prose at the figure; penalties, growth
figures, day counts and unrelated dates stay quiet (precision before recall)."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import contract_docx, contract_markdown
from hostplan.cli import app
from hostplan.errors import HostplanError
from hostplan.lint import LintOptions, lint_paths, lint_text
from hostplan.lint.rules import load_ruleset

runner = CliRunner()


def hp5(text: str, options: LintOptions | None = None) -> list[tuple[int, int, int, str, str, str]]:
    return [(f.line, f.column, f.end_column, f.code, f.severity, f.text)
            for f in lint_text(text, options=options) if f.code.startswith("HP5")]


# (sentence, code, severity, reported text, column): the column of the figure or date, 1-based
BAD = [
    ("服务期限自 2026-06-01 起至 2026-03-31 止。", "HP503", "error", "2026-03-31", 21),
    ("本合同服务期限为2026年6月1日至2026年3月31日。", "HP503", "error", "2026年3月31日", 19),
    ("试运营期：2026.6.1—2026.3.31。", "HP503", "error", "2026.3.31", 15),
    ("服务期限：2026/6/1 ~ 2026/3/31。", "HP503", "error", "2026/3/31", 17),
    ("合作期限自 2026 年 6 月 1 日起，至 2026 年 3 月 31 日止。", "HP503", "error", "2026 年 3 月 31 日", 25),
    ("服务期限自２０２６年６月１日起２０２６年３月３１日止。", "HP503", "error", "２０２６年３月３１日", 16),
    ("甲方于每月 30 日结算上月服务费。", "HP504", "warning", "30 日", 7),
    ("甲方应于每月31日前支付当月服务费。", "HP504", "warning", "31日", 7),
    ("服务费于次月第三十日前付清。", "HP504", "warning", "三十日", 8),
    ("甲方于每月３０日前向乙方支付服务费。", "HP504", "warning", "３０日", 6),
    ("投诉解决率 ≥ 120%，以千牛后台数据为准。", "HP505", "error", "120%", 9),
    ("乙方的好评率应不低于１２０％。", "HP505", "error", "１２０％", 11),
    ("24 小时投诉解决率不低于 105%。", "HP505", "error", "105%", 15),
    ("当月扣款总额不超过服务费的 150%。", "HP501", "warning", "150%", 15),
    ("扣款上限为月服务费的 120%。", "HP501", "warning", "120%", 12),
    ("各项扣款累计以当月服务费的 200% 为上限。", "HP501", "warning", "200%", 15),
]


@pytest.mark.parametrize(("sentence", "code", "severity", "text", "column"), BAD, ids=[b[0] for b in BAD])
def test_bad_form_is_found_at_the_figure(sentence: str, code: str, severity: str, text: str, column: int) -> None:
    assert sentence.index(text) + 1 == column  # the table above is right
    assert hp5(sentence) == [(1, column, column + len(text), code, severity, text)]


@pytest.mark.parametrize(("sentence", "message"), [
    ("服务期限自 2026-06-01 起至 2026-03-31 止。", "服务期限的结束日 2026-03-31 早于开始日 2026-06-01：请核对起止日期"),
    ("2026年6月1日至2026年3月31日", "结束日 2026年3月31日 早于开始日 2026年6月1日：请核对起止日期"),
    ("甲方于每月 30 日结算上月服务费。", "结算日 30 日在有的月份不存在（2 月只有 28 或 29 天）：请改为 1–28 日，或写“每月最后一日”"),
    ("24 小时投诉解决率不低于 105%。", "24 小时投诉解决率 105% 超过 100%：比例应在 0–100% 之间，多半是笔误"),
    ("乙方的好评率应不低于１２０％。", "好评率 120% 超过 100%：比例应在 0–100% 之间，多半是笔误"),
    ("当月扣款总额不超过服务费的 150%。", "扣款上限 150% 超过服务费本身：上限应不超过 100%（常见为 20%–30%）"),
])
def test_messages_say_what_is_wrong_and_how_to_fix_it(sentence: str, message: str) -> None:
    (finding,) = [f for f in lint_text(sentence) if f.code.startswith("HP5")]
    assert finding.message == message


GOOD = [
    "未达标的，乙方按损失的 100% 赔偿。",
    "乙方按 150% 赔偿甲方损失。",
    "逾期交付的，乙方赔偿损失的 200%。",
    "逾期扣款的，按应付金额的 150% 支付违约金。",
    "扣款不超过服务费的 30%，违约金为损失的 200%。",
    "店铺销售额同比增长 120%。",
    "转化率同比提升 150%。",
    "投诉率为上月的 120%。",
    "销售目标完成率达到 120% 的，甲方奖励乙方 5000 元。",
    "自收到通知之日起第 30 日起算。",
    "甲方收到发票后 30 日内付款。",
    "甲方应在验收合格后 30 日前付款。",
    "每月 30 日召开月度复盘会。",
    "每月30日内完成上月数据核对后结算。",
    "服务期限自 2026-03-01 至 2026-03-31。",
    "服务期限自 2026 年 1 月 1 日至 2026 年 12 月 31 日。",
    "活动日为 2026-06-01 至 2026-06-01。",
    "2026-06-01 签订本合同，2026-03-31 前交付资料。",
    "合同于2026年6月1日签订，乙方应于2026年3月31日前完成首批上架。",
    "2026-06-01 09:00 至 2026-06-01 18:00 为大促值班时间。",
    "扣款最高不超过 100%。",
    "好评率 ≥ 95%。",
    "首次回复率不低于 100%。",
    "每月 28 日结算上月服务费。",
    "甲方于每月最后一日支付服务费。",
    "订单号 20260601-20260331 的退款由乙方跟进。",
]


@pytest.mark.parametrize("sentence", GOOD)
def test_good_form_is_quiet(sentence: str) -> None:
    assert hp5(sentence) == []


# A contract with one of each problem among precise clauses; (code, text) of each planted problem
BLOCKS: list[tuple[str, object]] = [
    ("h", "家居日用店铺售后托管服务合同"),
    ("p", "甲方（商家）：宁波优居家居有限公司；乙方（托管方）：杭州速达电商服务有限公司。"),
    ("h", "第一条 服务期限"),
    ("p", "服务期限自 2026-06-01 起至 2026-03-31 止，期满前 30 日内双方协商续约。"),
    ("h", "第二条 服务标准"),
    ("table", [["项目", "标准", "未达标处理"],
               ["首次响应", "首次回复 ≤ 30 分钟", "每超时 1 次扣 50 元"],
               ["投诉处理", "投诉解决率 ≥ 120%", "扣当月服务费的 10%"],
               ["满意度", "好评率 ≥ 95%（每月抽查 100 条聊天记录）", "每低 1% 扣 2% 服务费"]]),
    ("h", "第三条 费用与结算"),
    ("p", "服务费 5000 元/月，甲方于每月 30 日结算上月费用，以平台后台数据为准。"),
    ("p", "当月扣款总额不超过服务费的 150%。"),
    ("p", "因乙方原因造成甲方损失的，乙方按损失的 100% 赔偿；店铺销售额同比增长 120% 的，另行奖励。"),
]
PLANTED = {("HP503", "2026-03-31"), ("HP505", "120%"), ("HP504", "30 日"), ("HP501", "150%")}


def markdown() -> str:
    return contract_markdown(BLOCKS)


def build_docx(path: Path) -> None:
    contract_docx(path, BLOCKS)


def test_markdown_contract_findings_at_their_figures(tmp_path: Path) -> None:
    md = tmp_path / "合同.md"
    text = markdown()
    md.write_text(text, encoding="utf-8")
    found = [f for f in lint_paths([md], select=("HP5",)).findings]
    assert {(f.code, f.text) for f in found} == PLANTED
    lines = text.splitlines()
    for f in found:
        assert lines[f.line - 1][f.column - 1:f.end_column - 1] == f.text
    assert [(f.line, f.column, f.code) for f in found] == [(7, 21, "HP503"), (14, 18, "HP505"), (19, 20, "HP504"),
                                                          (21, 15, "HP501")]


def test_docx_contract_gives_the_same_findings(tmp_path: Path) -> None:
    word = tmp_path / "合同.docx"
    build_docx(word)
    md = tmp_path / "合同.md"
    md.write_text(markdown(), encoding="utf-8")
    result = lint_paths([word, md], select=("HP5",))
    in_word = [f for f in result.findings if f.path == str(word)]
    in_md = [f for f in result.findings if f.path == str(md)]
    assert sorted((f.code, f.text, f.message, f.severity) for f in in_word) == \
        sorted((f.code, f.text, f.message, f.severity) for f in in_md)
    rate = next(f for f in in_word if f.code == "HP505")
    assert rate.field == "表格 1 第 3 行 第 2 列"
    assert rate.source[rate.column - 1:rate.end_column - 1] == "120%"


def test_select_hp5_on_the_command_line(tmp_path: Path) -> None:
    md = tmp_path / "合同.md"
    md.write_text(markdown(), encoding="utf-8")
    r = runner.invoke(app, ["lint", str(md), "--select", "HP5,HP7", "--format", "json"])
    assert r.exit_code == 1
    assert {(f["code"], f["text"]) for f in json.loads(r.stdout)} == PLANTED
    r = runner.invoke(app, ["lint", str(md), "--select", "HP5"])
    assert "HP503" in r.stdout and "服务期限的结束日 2026-03-31 早于开始日 2026-06-01" in r.stdout


def test_selection_severity_and_suppression_apply() -> None:
    text = "甲方于每月 30 日结算上月服务费。\n投诉解决率 ≥ 120%。\n"
    assert [f[3] for f in hp5(text)] == ["HP504", "HP505"]
    only = hp5(text, LintOptions(ignore=("HP505",)))
    assert [f[3] for f in only] == ["HP504"]
    softer = hp5(text, LintOptions(severity=(("HP505", "info"),)))
    assert [(f[3], f[4]) for f in softer] == [("HP504", "warning"), ("HP505", "info")]
    quiet = "甲方于每月 30 日结算上月服务费。<!-- hostplan: ignore[HP504] 双方约定 2 月顺延至次月 1 日 -->\n"
    assert [f.code for f in lint_text(quiet)] == []


def test_specs_are_unchanged(tmp_path: Path) -> None:
    """In a spec the structured fields decide; its prose is not read for numbers (no double reports)."""
    from test_lint_rules import STARTER, with_fragment

    spec = with_fragment(STARTER, "fees:\n  model: fixed\n  monthly_fee: 5000元\n  settlement: {day: 31, data_source: platform}\n"
                                  "deductions: {cap: 30%, notes: 甲方于每月 30 日结算，投诉解决率 ≥ 120%，"
                                  "当月扣款总额不超过服务费的 150%}")
    found = [f for f in lint_text(spec, "proposal.yaml", kind="spec") if f.code.startswith("HP5")]
    assert [(f.code, f.field) for f in found] == [("HP504", "fees.settlement.day")]


def test_broken_document_words_fail_at_load(tmp_path: Path) -> None:
    bad = tmp_path / "rules.yaml"
    bad.write_text("- code: HP591\n  name: x\n  type: consistency\n  severity: error\n  summary: x\n  message: '{detail}'\n"
                   "  why: x\n  bad: x\n  good: x\n  params: {check: dates, document: {joiner: '(至', open: 起, close: 止, subject: 期限}}\n", encoding="utf-8")
    with pytest.raises(HostplanError, match="params.document.joiner"):
        load_ruleset((bad,))
    bad.write_text("- code: HP591\n  name: x\n  type: lexicon\n  severity: error\n  summary: x\n  message: x\n"
                   "  why: x\n  bad: x\n  good: x\n  params: {document: {joiner: 至}}\n", encoding="utf-8")
    with pytest.raises(HostplanError, match="consistency"):
        load_ruleset((bad,))
    bad.write_text("- code: HP591\n  name: x\n  type: consistency\n  severity: error\n  summary: x\n  message: x\n"
                   "  why: x\n  bad: x\n  good: x\n  params: {check: dates, document: {joiner: 至}}\n", encoding="utf-8")
    with pytest.raises(HostplanError, match="缺少 open、close、subject"):
        load_ruleset((bad,))
    bad.write_text("- code: HP591\n  name: x\n  type: consistency\n  severity: error\n  summary: x\n  message: x\n"
                   "  why: x\n  bad: x\n  good: x\n  params: {check: currencies, document: {joiner: 至}}\n",
                   encoding="utf-8")
    with pytest.raises(HostplanError, match="不能用于合同文档"):
        load_ruleset((bad,))


def test_large_and_hostile_text_is_linear() -> None:
    """Long digit runs, chains of dates and percent signs: every figure pattern starts with a literal and the
    words are tried in bounded windows, so time grows with the length of the text only."""
    pieces = ["9" * 5000 + "%", "2026-06-01至" * 2000, "每月" * 3000 + "30日", "%" * 5000,
              "投诉解决率" * 2000 + "≥ 120%", "扣款" * 3000 + "不超过服务费的 150%\n"]
    text = "".join(pieces) * 20
    started = time.perf_counter()
    lint_text(text, options=LintOptions(select=("HP5",)))
    assert time.perf_counter() - started < 5
