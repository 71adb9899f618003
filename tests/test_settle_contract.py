"""The signed contract and `hostplan settle` say the same thing: for each rule, the exact contract wording a
reader computes from, and the figure settle gives, both checked against the same hand computation."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import tempfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from typer.testing import CliRunner

from hostplan.cli import app
from hostplan.render import render_markdown
from hostplan.settle.actuals import Actuals
from hostplan.settle.report import statement_text
from hostplan.settle.statement import Statement, settle
from hostplan.settle.tickets import parse_rows
from hostplan.spec.load import LoadedSpec, load_spec

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
# The domain month (examples/actuals/2026-02.yaml): SLA-1 3 late replies, SLA-3 88%, SLA-4 93%, SLA-5 1 escalation.
DOMAIN = {"SLA-1": "3次", "SLA-2": "0次", "SLA-3": "88%", "SLA-4": "93%", "SLA-5": "1次", "SLA-6": "4.6分"}


def spec_from(tmp_path: Path, example: str, edit: Any = None) -> LoadedSpec:
    """An example spec, optionally edited as YAML data (edit(data) changes it in place)."""
    data = yaml.safe_load((EXAMPLES / f"{example}.yaml").read_text(encoding="utf-8"))
    if edit is not None:
        edit(data)
    path = tmp_path / f"{example}.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return load_spec(path)


def contract(loaded: LoadedSpec) -> str:
    return render_markdown(loaded)


def standard_row(md: str, std_id: str) -> str:
    return next(line for line in md.splitlines() if line.startswith("| ") and f"（{std_id}）" in line)


def amounts(st: Statement) -> dict[str, str]:
    return {line.clause: str(line.amount) for line in st.lines}


_scratch = itertools.count()


def write_actuals(metrics: dict[str, str]) -> Path:
    """An actuals file holding these metrics (the CLI reads files only)."""
    path = Path(tempfile.mkdtemp()) / f"actuals-{next(_scratch)}.yaml"
    path.write_text(yaml.safe_dump({"metrics": metrics}, allow_unicode=True), encoding="utf-8")
    return path


def remedy(std_id: str, value: dict[str, Any]) -> Any:
    def edit(data: dict[str, Any]) -> None:
        next(s for s in data["standards"] if s["id"] == std_id)["remedy"] = value
    return edit


# --- prepay discounts ---------------------------------------------------------------------------


def test_prepay_quarterly_fixed_fee_contract_and_statement_agree(tmp_path: Path) -> None:
    md = contract(load_spec(EXAMPLES / "apparel.yaml"))
    assert "1. 月服务费为 5000元。本方案所称“当月服务费”即当月的月服务费（预付优惠前）。" in md
    assert ("3. 预付优惠：季付的，月服务费按 95% 支付；年付的，月服务费按 80% 支付。预付优惠不改变“当月服务费”："
            "服务标准按当月服务费比例计算的扣款、当月扣款上限、试运营期解约时支付的比例，均以优惠前的当月服务费计算。"
            "当月应付的服务费为当月服务费减去预付优惠；当月应付金额为当月应付的服务费减去扣款。\n") in md
    assert "未达标扣当月服务费的 10%。" in standard_row(md, "SLA-3")
    assert "每低于标准 1 个百分点扣当月服务费的 2%，不足 1 个百分点的部分按 1 个百分点计。" in standard_row(md, "SLA-4")
    assert "\n当月全部扣款合计不超过当月服务费的 30%。\n" in md
    # A reader: SLA-1 3 × 50 = 150; SLA-3 10% × 5000 = 500; SLA-4 2 points × 2% × 5000 = 200; SLA-5 500
    #   → 1350 ≤ 30% × 5000 = 1500; fee payable 5000 × 95% = 4750; due 4750 − 1350 = 3400.
    r = CliRunner().invoke(app, ["settle", str(EXAMPLES / "apparel.yaml"), "--actuals",
                                 str(EXAMPLES / "actuals" / "2026-02.yaml"), "--month", "2026-02", "--prepay",
                                 "quarterly", "--format", "json"])
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    by_clause = {line["clause"]: line["amount"] for line in data["lines"]}
    assert by_clause == {"fees.monthly_fee": "5000.00", "fees.prepay_discounts[0]": "-250.00", "SLA-1": "-150.00",
                         "SLA-2": "0.00", "SLA-3": "-500.00", "SLA-4": "-200.00", "SLA-5": "-500.00", "SLA-6": "0.00"}
    assert (data["base_fee"], data["discount"], data["fee_payable"]) == ("5000.00", "250.00", "4750.00")
    assert (data["deductions_total"], data["deductions_cap"], data["total_due"]) == ("1350.00", "1500.00", "3400.00")


def test_prepay_text_statement_shows_the_discount_in_the_totals() -> None:
    r = CliRunner().invoke(app, ["settle", str(EXAMPLES / "apparel.yaml"), "--actuals",
                                 str(EXAMPLES / "actuals" / "2026-02.yaml"), "--prepay", "quarterly"])
    assert r.exit_code == 0, r.output
    assert ("  当月服务费          5000.00 元\n  预付优惠            -250.00 元\n"
            "  扣款合计            -1350.00 元（上限 1500.00 元）\n  应付总额            3400.00 元\n") in r.stdout
    assert "季付的月服务费按 95% 支付：5000.00 × (100% − 95%) = 250.00 元；扣款仍以优惠前的当月服务费为基数" in r.stdout


def test_prepay_base_plus_share_discounts_the_base_fee_only(tmp_path: Path) -> None:
    loaded = load_spec(EXAMPLES / "food.yaml")
    md = contract(loaded)
    assert "本方案所称“当月服务费”为当月基础费与分成之和（预付优惠前）。" in md
    assert "3. 预付优惠：季付的，基础费按 95% 支付；年付的，基础费按 80% 支付。分成按月据实结算，不适用预付优惠。" in md
    # base 5000 + 15% × 40000 = 6000 → 当月服务费 11000; quarterly: 5% × 5000 = 250 off the base fee only;
    # SLA-3 88% → 10% × 11000 = 1100 ≤ cap 30% × 11000 = 3300; due 11000 − 250 − 1100 = 9650.
    metrics = {"SLA-1": "0次", "SLA-2": "0次", "SLA-3": "88%", "SLA-4": "96%", "SLA-5": "0次", "SLA-6": "4.8分"}
    st = settle(loaded.spec, "2026-03", actuals=Actuals(share_basis=Decimal(40000), prepay="quarterly", metrics=metrics))
    a = amounts(st)
    assert (a["fees.base_fee"], a["fees.share"], a["fees.prepay_discounts[0]"]) == ("5000.00", "6000.00", "-250.00")
    assert a["SLA-3"] == "-1100.00"
    assert (st.base_fee, st.discount, st.deductions_cap, st.total_due) == (
        Decimal("11000.00"), Decimal("250.00"), Decimal("3300.00"), Decimal("9650.00"))
    assert "分成不打折" in next(line for line in st.lines if line.kind == "discount").explanation


def test_prepay_per_ticket_discounts_the_base_fee_only() -> None:
    loaded = load_spec(EXAMPLES / "3c.yaml")
    assert "年付的，基础费按 80% 支付。按单费用按月据实结算，不适用预付优惠。" in contract(loaded)
    # 1000 + 2 × 480 = 1960; yearly: 20% × 1000 = 200 off; SLA-1 3 × 50 = 150, SLA-4 4% × 1960 = 78.40
    #   → 228.40 ≤ 30% × 1960 = 588; due 1960 − 200 − 228.40 = 1531.60
    metrics = {**DOMAIN, "SLA-3": "90%", "SLA-5": "0次"}
    st = settle(loaded.spec, "2026-03", actuals=Actuals(tickets=480, prepay="yearly", metrics=metrics))
    assert amounts(st)["fees.prepay_discounts[1]"] == "-200.00" and amounts(st)["SLA-4"] == "-78.40"
    assert (st.deductions_total, st.total_due) == (Decimal("228.40"), Decimal("1531.60"))


def test_without_a_deductions_cap_deductions_stop_at_the_fee_payable(tmp_path: Path) -> None:
    def edit(data: dict[str, Any]) -> None:
        data.pop("deductions")
    loaded = spec_from(tmp_path, "apparel", edit)
    md = contract(loaded)
    assert "\n当月全部扣款合计以当月应付的服务费为限，应付金额不为负。\n" in md
    assert "（三）扣款" not in md
    # the prepay clause names only the percentages this contract has: no 当月扣款上限 without deductions
    assert "预付优惠不改变“当月服务费”：服务标准按当月服务费比例计算的扣款、试运营期解约时支付的比例，均以优惠前的当月服务费计算。" in md
    # yearly: fee payable 5000 × 80% = 4000. SLA-1 60 × 50 = 3000, SLA-3 500, SLA-4 200, SLA-5 500 = 4200 > 4000
    #   → deductions 4000, due 0
    st = settle(loaded.spec, "2026-03", actuals=Actuals(prepay="yearly", metrics={**DOMAIN, "SLA-1": "60次"}))
    cap = [line for line in st.lines if line.kind == "cap"]
    assert [(c.clause, str(c.amount)) for c in cap] == [("fees", "200.00")]
    assert "扣款合计 4200.00 元，超过当月服务费 5000.00 元减预付优惠 1000.00 元后当月应付的服务费 4000.00 元" in cap[0].explanation
    assert (st.deductions_total, st.total_due) == (Decimal("4000.00"), Decimal("0.00"))


# --- fee waiver and the deductions cap ----------------------------------------------------------


def test_fee_waiver_is_not_held_to_the_deductions_cap(tmp_path: Path) -> None:
    loaded = spec_from(tmp_path, "apparel", remedy("SLA-6", {"type": "fee_waiver"}))
    md = contract(loaded)
    assert "未达标的，免除当月服务费。" in standard_row(md, "SLA-6")
    sentence = ("当月全部扣款合计不超过当月服务费的 30%，但按“免除当月服务费”处理的条款（SLA-6）不受此上限限制；"
                "扣款合计以当月应付的服务费为限，应付金额不为负。")
    assert f"\n{sentence}\n" in md  # under the standards table
    assert f"在当期结算时从服务费中扣除。{sentence}\n" in md  # and in the fees section
    assert "“免除当月服务费”即免除当月应付的服务费。" in md
    # Store rating 4.2 < 4.5 → the month's fee is waived: 5000, whatever the 30% cap; the other 1350 add
    # nothing beyond the fee → deductions 5000, due 0.
    st = settle(loaded.spec, "2026-03", actuals=Actuals(metrics={**DOMAIN, "SLA-6": "4.2分"}))
    assert amounts(st)["SLA-6"] == "-5000.00"
    assert (st.deductions_total, st.deductions_cap, st.total_due) == (Decimal("5000.00"), Decimal("5000.00"),
                                                                      Decimal("0.00"))
    # prepaid quarterly: what is waived is the fee payable, 4750
    prepaid = settle(loaded.spec, "2026-03", actuals=Actuals(prepay="quarterly", metrics={**DOMAIN, "SLA-6": "4.2分"}))
    assert amounts(prepaid)["SLA-6"] == "-4750.00" and prepaid.total_due == Decimal("0.00")
    # the waiver met: the others are capped as usual. SLA-1 30 × 50 = 1500 + 500 + 200 + 500 = 2700 > 1500 → 3500
    met = settle(loaded.spec, "2026-03", actuals=Actuals(metrics={**DOMAIN, "SLA-1": "30次"}))
    assert (met.deductions_total, met.total_due) == (Decimal("1500.00"), Decimal("3500.00"))


def test_fee_waiver_with_its_own_cap_adds_to_the_capped_deductions(tmp_path: Path) -> None:
    loaded = spec_from(tmp_path, "apparel", remedy("SLA-6", {"type": "fee_waiver", "cap": "2000元"}))
    assert "未达标的，免除当月服务费；本条扣款每月合计不超过 2000元。" in standard_row(contract(loaded), "SLA-6")
    # SLA-6: min(5000, 2000) = 2000, outside the 30% cap; SLA-1 30 × 50 = 1500 + 500 + 200 + 500 = 2700
    #   > 1500 → 1500; deductions 2000 + 1500 = 3500, due 1500.
    st = settle(loaded.spec, "2026-03", actuals=Actuals(metrics={**DOMAIN, "SLA-1": "30次", "SLA-6": "4.2分"}))
    cap = next(line for line in st.lines if line.kind == "cap")
    assert cap.amount == Decimal("1200.00")
    assert cap.explanation.startswith("除免除服务费的条款（SLA-6，不受扣款上限限制）外，其余各项扣款合计 2700.00 元")
    assert (st.deductions_total, st.total_due) == (Decimal("3500.00"), Decimal("1500.00"))


# --- service hours ------------------------------------------------------------------------------


HEADER = ["售后单号", "申请时间", "首次响应时间", "完结时间", "是否投诉"]


def test_service_hours_contract_and_count_agree(tmp_path: Path) -> None:
    loaded = load_spec(EXAMPLES / "apparel.yaml")  # service hours 每天 09:00–22:00
    md = contract(loaded)
    assert standard_row(md, "SLA-1").endswith("；服务时间（每天 09:00—22:00）外申请的工单不计入。 | 每超时 1 次扣 50元。 |")
    assert ("当月投诉工单中自申请起24小时内完结的比例；统计周期：每月；以双方共享表格为准；"
            "服务时间外申请的投诉同样计入，自申请时起计时。 |") in standard_row(md, "SLA-3")
    # Row 2: a complaint at 09:10, resolved the next morning (in 24h). Row 3: a complaint at 23:30, outside
    # service hours, answered at 09:40 and resolved 2 days later. SLA-1 counts row 2 only (row 3 is outside
    # service hours); SLA-3 counts both complaints: 1/2 = 50% < 90% → 10% × 5000 = 500.
    log = parse_rows(HEADER, [["A1", "2026-03-02 09:10", "2026-03-02 09:20", "2026-03-03 08:00", "是"],
                              ["A2", "2026-03-02 23:30", "2026-03-03 09:40", "2026-03-05 10:00", "是"]],
                     month="2026-03", source="t.csv", mapping={})
    st = settle(loaded.spec, "2026-03", actuals=Actuals(metrics={"SLA-4": "96%", "SLA-6": "4.6分"}), log=log)
    lines = {line.clause: line for line in st.lines}
    assert lines["SLA-1"].actual == "超时 0 张 / 共 1 张" and lines["SLA-1"].status == "met"
    assert "服务时间（每天 09:00–22:00）外申请的 1 张不计入（第 3 行）" in lines["SLA-1"].explanation
    assert lines["SLA-3"].actual == "50%" and lines["SLA-3"].amount == Decimal("-500.00")
    assert "投诉 2 张，24小时内完结 1 张，1/2 = 50%" in lines["SLA-3"].explanation
    assert "不计入" not in lines["SLA-3"].explanation


def test_service_hours_only_false_counts_every_ticket_and_says_so(tmp_path: Path) -> None:
    def edit(data: dict[str, Any]) -> None:
        data["standards"][0]["service_hours_only"] = False
    loaded = spec_from(tmp_path, "apparel", edit)
    assert "；服务时间外申请的工单同样计入，自申请时起计时。 |" in standard_row(contract(loaded), "SLA-1")
    # the 23:30 ticket answered at 09:40 took 610 minutes > 30 → 1 breach × 50
    log = parse_rows(HEADER, [["A2", "2026-03-02 23:30", "2026-03-03 09:40", "2026-03-03 10:00", "否"]],
                     month="2026-03", source="t.csv", mapping={})
    st = settle(loaded.spec, "2026-03", actuals=Actuals(metrics={"SLA-4": "96%", "SLA-6": "4.6分"}), log=log)
    assert amounts(st)["SLA-1"] == "-50.00"


# --- percent per point: a started point counts as a whole one ---------------------------------


def test_percent_per_point_contract_states_the_partial_point_rule_settle_applies() -> None:
    loaded = load_spec(EXAMPLES / "apparel.yaml")
    assert standard_row(contract(loaded), "SLA-4").endswith(
        "| 每低于标准 1 个百分点扣当月服务费的 2%，不足 1 个百分点的部分按 1 个百分点计。 |")
    # A reader of that sentence: 94.9% is 0.1 point below 95%, counted as 1 point → 1 × 2% × 5000 = 100.00.
    st = settle(loaded.spec, "2026-03", actuals=Actuals(metrics={**DOMAIN, "SLA-4": "94.9%"}))
    sla4 = next(line for line in st.lines if line.clause == "SLA-4")
    assert sla4.amount == Decimal("-100.00")
    assert sla4.explanation == ("低于标准 0.1 个百分点，按每 1 个百分点计一次、不足 1 个百分点的部分按 1 个百分点计，共 1 次；"
                                "1 × 2% = 2% × 5000.00 = 100.00 元（手工填报）")


def test_percent_per_point_on_a_rating_with_a_step(tmp_path: Path) -> None:
    loaded = spec_from(tmp_path, "apparel", remedy("SLA-6", {"type": "percent_per_point", "percent": "5%",
                                                             "step": "0.2分"}))
    assert standard_row(contract(loaded), "SLA-6").endswith(
        "| 每低于标准 0.2分扣当月服务费的 5%，不足 0.2分的部分按 0.2分计。 |")
    # 4.25 is 0.25 below 4.5: one whole 0.2 and a started one → 2 × 5% × 5000 = 500.00
    st = settle(loaded.spec, "2026-03", actuals=Actuals(metrics={**DOMAIN, "SLA-6": "4.25分"}))
    sla6 = next(line for line in st.lines if line.clause == "SLA-6")
    assert sla6.amount == Decimal("-500.00")
    assert sla6.explanation.startswith("低于标准 0.25分，按每 0.2分计一次、不足 0.2分的部分按 0.2分计，共 2 次；"
                                       "2 × 5% = 10% × 5000.00 = 500.00 元")


# --- trial exit paid late -----------------------------------------------------------------------


def test_trial_exit_paid_late_carries_the_same_late_interest() -> None:
    loaded = load_spec(EXAMPLES / "apparel.yaml")
    md = contract(loaded)
    assert "只需支付当月服务费的 80%，且不超过按本方案扣款后当月应付的金额。" in md
    assert "商家逾期付款的，每逾期 1 日，按应付未付金额的 0.05% 向托管方支付滞纳金。" in md
    # 2026-01 (trial): due 2026-02-10 (Tue) + 3 workdays = 2026-02-13; paid 2026-02-24 → 11 days late.
    # Only SLA-1 missed (3 × 50 = 150): staying 4850 + 4850 × 0.05% × 11 = 4850 + 26.68 = 4876.68;
    # exit 80% × 5000 = 4000 + 4000 × 0.05% × 11 = 4000 + 22.00 = 4022.00.
    met = {"SLA-1": "3次", "SLA-2": "0次", "SLA-3": "95%", "SLA-4": "96%", "SLA-5": "0次", "SLA-6": "4.6分",
           "complaint_rate": "9%"}
    st = settle(loaded.spec, "2026-01", actuals=Actuals(metrics=met), paid_on=dt.date(2026, 2, 24))
    assert st.trial is not None and st.total_due == Decimal("4876.68")
    assert (st.trial.payable_on_exit, st.trial.interest_on_exit, st.trial.total_on_exit) == (
        Decimal("4000.00"), Decimal("22.00"), Decimal("4022.00"))
    # quarterly prepay, deductions at the 30% cap: 4750 − 1500 = 3250 both ways (exit 4000 > 3250);
    # 3250 × 0.05% × 11 = 17.875 → 17.88, so 3267.88 whether the merchant exits or stays.
    capped = {**DOMAIN, "SLA-6": "4.3分", "complaint_rate": "9%"}
    r = CliRunner().invoke(app, ["settle", str(EXAMPLES / "apparel.yaml"), "--actuals", str(write_actuals(capped)),
                                 "--month", "2026-01", "--prepay", "quarterly", "--paid-on", "2026-02-24"])
    assert r.exit_code == 0, r.output
    assert ("  试运营标准未达到：商家有权解约；解约时应付 3267.88 元（试运营条款约定解约时只付当月服务费的 80%："
            "5000.00 × 80% = 4000.00 元，高于不解约时扣款后的应付金额 3250.00 元；解约付款不超过正常应付金额，"
            "取两者中较低的 3250.00 元；逾期 11 天付款，另加滞纳金 3250.00 × 0.05% × 11 = 17.88 元，共 3267.88 元）；"
            "不解约则按本结算单应付 3267.88 元\n") in r.stdout
    trial = json.loads(CliRunner().invoke(app, [
        "settle", str(EXAMPLES / "apparel.yaml"), "--actuals", str(write_actuals(capped)), "--month", "2026-01",
        "--prepay", "quarterly", "--paid-on", "2026-02-24", "--format", "json"]).stdout)["trial"]
    assert (trial["payable_on_exit"], trial["interest_on_exit"], trial["total_on_exit"]) == (
        "3250.00", "17.88", "3267.88")


def test_late_payment_with_nothing_due_says_why_there_is_no_interest(tmp_path: Path) -> None:
    loaded = spec_from(tmp_path, "apparel", remedy("SLA-6", {"type": "fee_waiver"}))
    assert "商家逾期付款的，每逾期 1 日，按应付未付金额的 0.05% 向托管方支付滞纳金。" in contract(loaded)
    # store rating 4.2 < 4.5 waives the March fee: 0.00 due. Due 2026-04-15, paid 2026-04-22: 7 days late,
    # but there is no unpaid amount for the 0.05% to apply to.
    st = settle(loaded.spec, "2026-03", actuals=Actuals(metrics={**DOMAIN, "SLA-6": "4.2分"}),
                paid_on=dt.date(2026, 4, 22))
    interest = next(line for line in st.lines if line.kind == "interest")
    assert (interest.amount, st.total_due) == (Decimal("0.00"), Decimal("0.00"))
    assert interest.explanation == ("应付日 2026-04-15（次月 10 日结算后 3个工作日内，工作日只跳过周六、周日，不含法定节假日），"
                                    "2026-04-22 付款，逾期 7 天；扣款后本月应付 0.00 元，没有应付未付的金额，无滞纳金")
    assert "合同未约定滞纳金" not in statement_text(st)


# --- statement lines cite the contract's clause headings ----------------------------------------


def test_statement_cites_the_contract_heading_next_to_the_spec_path(tmp_path: Path) -> None:
    md = contract(load_spec(EXAMPLES / "apparel.yaml"))
    for heading in ("## 六、费用与结算\n", "### （二）结算\n", "### （三）扣款\n", "### （五）逾期付款\n", "## 七、试运营期\n"):
        assert heading in md
    capped = write_actuals({**DOMAIN, "SLA-6": "4.3分"})
    r = CliRunner().invoke(app, ["settle", str(EXAMPLES / "apparel.yaml"), "--actuals", str(capped), "--month",
                                 "2026-03", "--paid-on", "2026-04-20"])
    assert r.exit_code == 0, r.output
    assert "  合同约定结算以平台后台数据为准（六（二）结算，fees.settlement.data_source）\n" in r.stdout
    assert "  [六（一）服务费（fees.monthly_fee）] 固定月服务费  5000.00 元\n" in r.stdout
    assert "  [SLA-6] 月度店铺评分  标准 ≥ 4.5分" in r.stdout  # standard ids are printed in the contract itself
    assert "  [六（三）扣款（deductions.cap）] 扣款上限调整  1350.00 元\n" in r.stdout
    assert "  [六（五）逾期付款（fees.late_payment）] 滞纳金" in r.stdout
    # without a deposit clause the contract numbers 逾期付款 （四）, and so does the statement
    def no_deposit(data: dict[str, Any]) -> None:
        data["fees"].pop("deposit")
    loaded = spec_from(tmp_path, "apparel", no_deposit)
    assert "### （四）逾期付款\n" in contract(loaded)
    r = CliRunner().invoke(app, ["settle", loaded.path, "--actuals", str(capped), "--month", "2026-03",
                                 "--paid-on", "2026-04-20", "--format", "json"])
    lines = {x["clause"]: x["contract_clause"] for x in json.loads(r.stdout)["lines"]}
    assert lines == {"fees.monthly_fee": "六（一）服务费", "SLA-1": None, "SLA-2": None, "SLA-3": None, "SLA-4": None,
                     "SLA-5": None, "SLA-6": None, "deductions.cap": "六（三）扣款", "fees.late_payment": "六（四）逾期付款"}


def test_a_custom_template_that_renames_a_heading_leaves_the_path_alone(tmp_path: Path) -> None:
    custom = tmp_path / "tpl" / "sections"
    custom.mkdir(parents=True)
    fees = (ROOT / "templates" / "proposal" / "sections" / "fees.md.j2").read_text(encoding="utf-8")
    (custom / "fees.md.j2").write_text(fees.replace('num.h2("扣款")', 'num.h2("违约扣款")'), encoding="utf-8")
    (tmp_path / ".hostplan.toml").write_text('template-dir = "tpl"\n', encoding="utf-8")
    loaded = spec_from(tmp_path, "apparel")
    r = CliRunner().invoke(app, ["settle", loaded.path, "--actuals", str(write_actuals({**DOMAIN, "SLA-6": "4.3分"})),
                                 "--month", "2026-03"])
    assert r.exit_code == 0, r.output
    assert "  [deductions.cap] 扣款上限调整  1350.00 元\n" in r.stdout
    assert "  [六（一）服务费（fees.monthly_fee）] 固定月服务费  5000.00 元\n" in r.stdout


# --- the worked example follows the contract's definition of 当月服务费 ----------------------------


def test_base_plus_share_worked_example_charges_percentages_of_base_plus_share() -> None:
    loaded = load_spec(EXAMPLES / "food.yaml")
    md = contract(loaded)
    assert "本方案所称“当月服务费”为当月基础费与分成之和（预付优惠前）。" in md
    # share 15% × 40000 = 6000 → 当月服务费 5000 + 6000 = 11000; SLA-1 3 × 50 = 150; SLA-4 93% vs 95%:
    # 2 points × 2% × 11000 = 440; deductions 590 ≤ 30% × 11000 = 3300; due 11000 − 590 = 10410.
    assert ("\n示例：若某月店铺利润（以商家财务报表为准）为 40000 元（分成 40000 × 15% = 6000.00 元，"
            "当月服务费为基础费 5000.00 + 分成 6000.00 = 11000.00 元）、有 3 张工单的首次响应时间超过 30分钟（SLA-1）、"
            "客户满意度（好评率）为 93%（SLA-4，标准 ≥ 95%），其余标准均达标，则按上表 SLA-1 扣 150.00 元、"
            "SLA-4 扣 440.00 元，共扣款 590.00 元，当月应付 11000.00 − 590.00 = 10410.00 元。\n") in md
    assert "分成另计" not in md
    # settle gives the same figures for that month
    st = settle(loaded.spec, "2026-03", actuals=Actuals(share_basis=Decimal(40000), metrics={
        "SLA-1": "3次", "SLA-2": "0次", "SLA-3": "90%", "SLA-4": "93%", "SLA-5": "0次", "SLA-6": "4.5分"}))
    assert (amounts(st)["SLA-4"], st.total_due) == ("-440.00", Decimal("10410.00"))


def test_share_above_a_threshold_and_per_ticket_examples_show_the_fee(tmp_path: Path) -> None:
    def above(data: dict[str, Any]) -> None:
        data["fees"]["share"]["above"] = "20000元"
    md = contract(spec_from(tmp_path, "food", above))
    # (60000 − 20000) × 15% = 6000 → the same 11000 month as above
    assert ("示例：若某月店铺利润（以商家财务报表为准）为 60000 元（分成 (60000 − 20000) × 15% = 6000.00 元，"
            "当月服务费为基础费 5000.00 + 分成 6000.00 = 11000.00 元）、") in md
    assert "当月应付 11000.00 − 590.00 = 10410.00 元。" in md
    # 3C: 1000 + 500 × 2 = 2000; SLA-4 2 × 2% × 2000 = 80; 150 + 80 = 230; 2000 − 230 = 1770
    assert ("示例：若某月处理售后工单 500 单（当月服务费为基础费 1000.00 + 500 × 2元 = 2000.00 元）、"
            "有 3 张工单的首次响应时间超过 30分钟（SLA-1）") in contract(load_spec(EXAMPLES / "3c.yaml"))


# --- the totals block adds up --------------------------------------------------------------------


def test_totals_block_lines_are_signed_and_add_up_to_the_total() -> None:
    # 2026-02 prepaid quarterly, paid 2026-03-20 (due 2026-03-13, 7 days late):
    # 5000 − 250 − 1350 = 3400; 3400 × 0.05% × 7 = 11.90; 3400 + 11.90 = 3411.90
    args = ["settle", str(EXAMPLES / "apparel.yaml"), "--actuals", str(EXAMPLES / "actuals" / "2026-02.yaml"),
            "--prepay", "quarterly", "--paid-on", "2026-03-20"]
    text = CliRunner().invoke(app, args).stdout
    block = text.split("\n合计\n", 1)[1].split("\n\n", 1)[0].rstrip("\n")
    assert block == ("  当月服务费          5000.00 元\n  预付优惠            -250.00 元\n"
                     "  扣款合计            -1350.00 元（上限 1500.00 元）\n  滞纳金              11.90 元\n"
                     "  应付总额            3411.90 元")
    *parts, total = [Decimal(line.split()[1]) for line in block.splitlines()]
    assert sum(parts) == total
    md = CliRunner().invoke(app, [*args, "--format", "md"]).stdout
    assert ("| 合计 | 金额（元） |\n|---|---:|\n| 当月服务费 | 5000.00 |\n| 预付优惠 | -250.00 |\n"
            "| 扣款合计（上限 1500.00） | -1350.00 |\n| 滞纳金 | 11.90 |\n| **应付总额** | **3411.90** |\n") in md
    # no deductions: 0.00, not -0.00
    clean = write_actuals({"SLA-1": "0次", "SLA-2": "0次", "SLA-3": "95%", "SLA-4": "96%", "SLA-5": "0次",
                           "SLA-6": "4.6分"})
    out = CliRunner().invoke(app, ["settle", str(EXAMPLES / "apparel.yaml"), "--actuals", str(clean),
                                   "--month", "2026-03"]).stdout
    assert "  扣款合计            0.00 元（上限 1500.00 元）\n  应付总额            5000.00 元\n" in out


# --- a trial spanning two calendar months -------------------------------------------------------


def _mid_month(data: dict[str, Any]) -> None:
    data["term"]["start"] = "2026-01-15"  # 1-month trial: 2026-01-15 to 2026-02-14


def test_trial_spanning_two_months_is_judged_on_its_own_days_only(tmp_path: Path) -> None:
    loaded = spec_from(tmp_path, "apparel", _mid_month)
    md = contract(loaded)
    assert ("## 七、试运营期\n\n1. 自服务开始之日起 1个月为试运营期。\n"
            "2. 试运营期满，投诉率未低于 8% 的，商家可无条件解约，只需支付当月服务费的 80%，且不超过按本方案扣款后当月应付的金额。\n"
            "3. 试运营期跨越 2 个自然月，按月分别判断：每月结算时，只以该月在试运营期内的日期"
            "（2026年1月15日至1月31日、2月1日至2月14日）的数据判断上述标准，试运营期结束后的日期不计入；"
            "投诉率以同一期间的投诉数和订单数计算。任一个月未达到的，商家可依上款解约，所付比例以该月的当月服务费计算。\n") in md
    # February: 3 complaints applied 1–14 Feb, 6 more after the trial ended (15–28 Feb). Judged on the trial's
    # days only: 3 complaints / 50 orders in those days = 6% < 8% → met. (All of February would have been
    # 9 / 100 = 9%, not met: the days after the trial must not decide it.)
    rows = [[f"T{i}", f"2026-02-{d:02d} 10:00", f"2026-02-{d:02d} 10:05", f"2026-02-{d:02d} 12:00", "是"]
            for i, d in enumerate([2, 9, 14, 15, 16, 20, 24, 27, 28])]
    log = parse_rows(HEADER, rows, month="2026-02", source="t.csv", mapping={})
    st = settle(loaded.spec, "2026-02", log=log, orders=100,
                actuals=Actuals(trial_orders=50, metrics={"SLA-4": "96%", "SLA-6": "4.6分"}))
    t = st.trial
    assert t is not None and t.month_index == 2 and t.entitled_to_exit is False
    assert (t.period, t.judged) == ((dt.date(2026, 1, 15), dt.date(2026, 2, 14)), (dt.date(2026, 2, 1), dt.date(2026, 2, 14)))
    assert t.scope == ("本结算单按试运营期在本月内的日期 2026-02-01 至 2026-02-14 判断；试运营期于 2026-02-14 结束，"
                       "其后的日期不计入判断；试运营期的其余日期在 2026-01 的结算单中判断；"
                       "手工填报的指标（actuals）是整月的数值，只用于本月服务标准，不用于试运营判断")
    assert t.checks[0].explanation == ("投诉率 6%，达到试运营标准 < 8%（2026-02-01 至 2026-02-14："
                                       "投诉 3 张 / 订单 50 单 = 6%）")
    text = statement_text(st)
    assert "\n试运营期 2026-01-15 至 2026-02-14（第 2 个月）\n  本结算单按试运营期在本月内的日期 2026-02-01 至 2026-02-14 判断" in text
    # the standards still count the whole month: SLA-3 9 complaints, all resolved in 2 h → met
    assert next(line for line in st.lines if line.clause == "SLA-3").actual == "100%"
    # without the trial's own order count the month's orders are not used
    no_orders = settle(loaded.spec, "2026-02", log=log, orders=100, actuals=Actuals(metrics={"SLA-4": "96%"}))
    assert no_orders.trial is not None and no_orders.trial.entitled_to_exit is None
    assert no_orders.trial.checks[0].explanation == (
        "投诉率无法评估：需要 2026-02-01 至 2026-02-14 的订单数（actuals 的 trial_orders）才能计算试运营期内的投诉率；"
        "--orders 和 actuals 的 orders 是整月的订单数，包含试运营期结束后的日期")
    # figures written by hand are the whole month's: they cannot judge a trial that ended on the 14th
    by_hand = settle(loaded.spec, "2026-02", actuals=Actuals(orders=100, metrics={**DOMAIN, "complaint_rate": "9%"}))
    assert by_hand.trial is not None and by_hand.trial.entitled_to_exit is None
    assert by_hand.trial.checks[0].explanation.startswith(
        "投诉率无法评估：试运营期于 2026-02-14 结束，本月只有 2026-02-01 至 2026-02-14 在试运营期内；手工填报的数值是整月的")


def test_trial_first_month_of_a_mid_month_term_says_where_the_rest_is_judged(tmp_path: Path) -> None:
    loaded = spec_from(tmp_path, "apparel", _mid_month)
    st = settle(loaded.spec, "2026-01", actuals=Actuals(metrics={**DOMAIN, "complaint_rate": "9%"}))
    assert st.trial is not None and st.trial.entitled_to_exit is True
    assert st.trial.scope == ("本结算单按试运营期在本月内的日期 2026-01-15 至 2026-01-31 判断；"
                              "试运营期的其余日期在 2026-02 的结算单中判断")
    # a trial_orders figure for a month wholly inside the trial is a mistake, said at its line
    path = tmp_path / "jan.yaml"
    path.write_text("month: 2026-01\norders: 600\ntrial_orders: 300\n", encoding="utf-8")
    r = CliRunner().invoke(app, ["settle", loaded.path, "--actuals", str(path)])
    assert r.exit_code == 2
    assert ("jan.yaml:3:15: trial_orders: 2026-01 整月都在试运营期内（投诉率按 orders 计算）："
            "trial_orders 只用于试运营期在月中结束的月份，填写该月试运营期内的订单数 [HP005]") in r.output
    # a term starting on the 1st: the one-month trial is January, judged whole, and the contract adds nothing
    whole = settle(load_spec(EXAMPLES / "apparel.yaml").spec, "2026-01", actuals=Actuals(metrics=dict(DOMAIN)))
    assert whole.trial is not None
    assert whole.trial.scope == "本结算单按试运营期在本月内的日期 2026-01-01 至 2026-01-31 判断（即整个试运营期）"
    assert "3. 试运营期跨越" not in contract(load_spec(EXAMPLES / "apparel.yaml"))
