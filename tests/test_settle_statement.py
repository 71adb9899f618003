"""Monthly statements computed by hand from the domain guide's figures, checked line by line."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from hostplan.errors import HostplanError, SpecError
from hostplan.settle.actuals import Actuals, parse_actuals
from hostplan.settle.report import statement_json, statement_markdown, statement_text
from hostplan.settle.statement import due_date, settle, trial_month
from hostplan.spec.load import load_spec
from hostplan.spec.model import Spec, Standard
from hostplan.spec.quantities import Money

ROOT = Path(__file__).resolve().parents[1]


def example(name: str) -> Spec:
    return load_spec(ROOT / "examples" / f"{name}.yaml").spec


def amounts(st: Any) -> dict[str, str]:
    return {line.clause: str(line.amount) for line in st.lines}


# The domain month: all six apparel standards given by hand.
DOMAIN = {"SLA-1": "3次", "SLA-2": "0次", "SLA-3": "88%", "SLA-4": "93%", "SLA-5": "1次", "SLA-6": "4.6分"}


def test_domain_month_fixed_fee() -> None:
    # Fixed fee 5000 元/月 (2026-03: after the one-month trial).
    #   SLA-1 3 late first replies × 50 元          = 150
    #   SLA-3 88% < 90% → 10% × 5000                = 500
    #   SLA-4 93% vs 95%: 2 points × 2% = 4% × 5000 = 200
    #   SLA-5 1 platform escalation × 500 元        = 500
    #   total 1350 ≤ cap 30% × 5000 = 1500 → due 5000 − 1350 = 3650
    st = settle(example("apparel"), "2026-03", actuals=Actuals(metrics=dict(DOMAIN)))
    assert amounts(st) == {"fees.monthly_fee": "5000.00", "SLA-1": "-150.00", "SLA-2": "0.00", "SLA-3": "-500.00",
                           "SLA-4": "-200.00", "SLA-5": "-500.00", "SLA-6": "0.00"}
    assert [line.status for line in st.lines[1:]] == ["missed", "met", "missed", "missed", "missed", "met"]
    assert st.base_fee == Decimal("5000.00")
    assert st.deductions_total == Decimal("1350.00")
    assert st.deductions_cap == Decimal("1500.00")
    assert st.total_due == Decimal("3650.00")
    assert st.complete and st.trial is None
    sla4 = next(line for line in st.lines if line.clause == "SLA-4")
    assert sla4.target == "≥ 95%" and sla4.actual == "93%"
    assert "2 × 2% = 4% × 5000.00 = 200.00" in sla4.explanation


def test_cap_limits_total_deductions() -> None:
    # As the domain month, plus store rating 4.3 < 4.5 → 30% × 5000 = 1500:
    # 150 + 500 + 200 + 500 + 1500 = 2850 > cap 1500 → 1350 back; due 5000 − 1500 = 3500.
    st = settle(example("apparel"), "2026-03", actuals=Actuals(metrics={**DOMAIN, "SLA-6": "4.3分"}))
    cap = [line for line in st.lines if line.kind == "cap"]
    assert len(cap) == 1 and cap[0].amount == Decimal("1350.00") and cap[0].clause == "deductions.cap"
    assert st.deductions_total == Decimal("1500.00")
    assert st.total_due == Decimal("3500.00")


def test_per_ticket_model() -> None:
    # 3C example: 1000 base + 2 元 × 480 tickets = 1960.
    #   SLA-1 3 × 50 = 150; SLA-4 93% → 4% × 1960 = 78.40 → deductions 228.40 ≤ 30% × 1960 = 588
    #   due 1960 − 228.40 = 1731.60
    metrics = {**DOMAIN, "SLA-3": "90%", "SLA-5": "0次"}
    st = settle(example("3c"), "2026-03", actuals=Actuals(tickets=480, metrics=metrics))
    a = amounts(st)
    assert a["fees.base_fee"] == "1000.00" and a["fees.per_ticket"] == "960.00"
    assert a["SLA-1"] == "-150.00" and a["SLA-4"] == "-78.40" and a["SLA-3"] == "0.00"
    assert st.base_fee == Decimal("1960.00")
    assert st.deductions_cap == Decimal("588.00")
    assert st.total_due == Decimal("1731.60")


def test_per_ticket_without_ticket_count_is_not_evaluable() -> None:
    st = settle(example("3c"), "2026-03", actuals=Actuals(metrics=dict(DOMAIN)))
    assert not st.complete
    assert any(n.startswith("fees.per_ticket") for n in st.not_evaluable)


def test_base_plus_share_model() -> None:
    # Food example: 5000 base + 15% × 40000 profit = 6000 → fee 11000.
    #   SLA-3 88% → 10% × 11000 = 1100; everything else met; cap 30% × 11000 = 3300 → due 9900.
    metrics = {"SLA-1": "0次", "SLA-2": "0次", "SLA-3": "88%", "SLA-4": "96%", "SLA-5": "0次", "SLA-6": "4.8分"}
    st = settle(example("food"), "2026-03", actuals=Actuals(share_basis=Decimal(40000), metrics=metrics))
    a = amounts(st)
    assert a["fees.base_fee"] == "5000.00" and a["fees.share"] == "6000.00" and a["SLA-3"] == "-1100.00"
    assert st.deductions_cap == Decimal("3300.00")
    assert st.total_due == Decimal("9900.00")


def test_share_above_a_money_threshold() -> None:
    spec = example("food")
    assert spec.fees.share is not None
    fees = spec.fees.model_copy(update={"share": spec.fees.share.model_copy(update={"above": Money(Decimal(20000))})})
    spec = spec.model_copy(update={"fees": fees})
    metrics = {"SLA-1": "0次", "SLA-2": "0次", "SLA-3": "95%", "SLA-4": "96%", "SLA-5": "0次", "SLA-6": "4.8分"}
    st = settle(spec, "2026-03", actuals=Actuals(share_basis=Decimal(40000), metrics=metrics))
    # (40000 − 20000) × 15% = 3000
    assert amounts(st)["fees.share"] == "3000.00"
    assert st.total_due == Decimal("8000.00")


def test_trial_month_exit_condition() -> None:
    # 2026-01 is the first (and only) trial month of the apparel spec (term starts 2026-01-01, trial 1个月).
    # Complaint rate 9% is not below 8% → the merchant may exit. The guide's clause is "只付 80% 服务费":
    # 80% × 5000 = 4000, but this month's deductions leave only 5000 − 1350 = 3650 due when staying on,
    # and exiting must never cost more than staying → the exit payment is min(4000, 3650) = 3650.
    st = settle(example("apparel"), "2026-01", actuals=Actuals(metrics={**DOMAIN, "complaint_rate": "9%"}))
    assert st.trial is not None
    assert st.trial.month_index == 1
    assert st.trial.entitled_to_exit is True
    assert st.trial.share_on_exit == Decimal("4000.00")
    assert st.trial.due_if_staying == Decimal("3650.00")
    assert st.trial.payable_on_exit == Decimal("3650.00")
    assert st.trial.checks[0].met is False and st.trial.checks[0].actual == "9%"
    assert st.total_due == Decimal("3650.00")  # staying on: the ordinary statement
    why = ("解约时应付 3650.00 元（试运营条款约定解约时只付当月服务费的 80%：5000.00 × 80% = 4000.00 元，"
           "高于不解约时扣款后的应付金额 3650.00 元；解约付款不超过正常应付金额，取两者中较低的 3650.00 元）")
    assert "商家有权解约" in statement_text(st) and why in statement_text(st)
    assert why in statement_markdown(st)
    trial = json.loads(statement_json(st))["trial"]
    assert (trial["share_on_exit"], trial["due_if_staying"], trial["payable_on_exit"]) == ("4000.00", "3650.00",
                                                                                          "3650.00")


def test_trial_exit_pays_the_share_when_it_is_below_the_amount_due() -> None:
    # Only SLA-3 missed: 10% × 5000 = 500 → 4500 due when staying; exit 80% × 5000 = 4000 < 4500 → 4000.
    met = {"SLA-1": "0次", "SLA-2": "0次", "SLA-3": "88%", "SLA-4": "95%", "SLA-5": "0次", "SLA-6": "4.6分"}
    st = settle(example("apparel"), "2026-01", actuals=Actuals(metrics={**met, "complaint_rate": "9%"}))
    assert st.trial is not None and st.total_due == Decimal("4500.00")
    assert st.trial.payable_on_exit == Decimal("4000.00")
    assert "5000.00 × 80% = 4000.00 元，不高于不解约时扣款后的应付金额 4500.00 元" in statement_text(st)
    # deductions capped at 30%: 5000 − 1500 = 3500 due, so the exit payment is 3500, not 4000
    capped = settle(example("apparel"), "2026-01",
                    actuals=Actuals(metrics={**DOMAIN, "SLA-6": "4.3分", "complaint_rate": "9%"}))
    assert capped.total_due == Decimal("3500.00") and capped.trial is not None
    assert capped.trial.payable_on_exit == Decimal("3500.00")


def test_trial_month_condition_met_and_after_trial() -> None:
    st = settle(example("apparel"), "2026-01", actuals=Actuals(metrics={**DOMAIN, "complaint_rate": "3%"}))
    assert st.trial is not None and st.trial.entitled_to_exit is False
    missing = settle(example("apparel"), "2026-01", actuals=Actuals(metrics=dict(DOMAIN)))
    assert missing.trial is not None and missing.trial.entitled_to_exit is None
    assert settle(example("apparel"), "2026-02", actuals=Actuals(metrics=dict(DOMAIN))).trial is None
    assert trial_month(example("apparel"), "2025-12") is None


def test_missing_metric_is_not_evaluable_never_met_or_missed() -> None:
    metrics = {k: v for k, v in DOMAIN.items() if k != "SLA-4"}
    st = settle(example("apparel"), "2026-03", actuals=Actuals(source="a.yaml", metrics=metrics))
    line = next(line for line in st.lines if line.clause == "SLA-4")
    assert line.status == "not_evaluable" and line.amount == Decimal("0.00") and line.actual is None
    assert "SLA-4" in line.explanation and "a.yaml" in line.explanation
    assert st.not_evaluable == ["SLA-4 客户满意度（好评率）"]
    assert not st.complete
    # the other clauses still count: 150 + 500 + 500 = 1150 → 3850
    assert st.total_due == Decimal("3850.00")
    data = json.loads(statement_json(st))
    assert data["complete"] is False and data["not_evaluable"] == ["SLA-4 客户满意度（好评率）"]
    assert "无法评估" in statement_text(st) and "无法评估的条款" in statement_markdown(st)


def test_metric_key_used_when_no_standard_id() -> None:
    metrics = {"first_response_time": "3次", "complex_response_time": "0次", "resolution_rate": "88%",
               "satisfaction_rate": "93%", "platform_escalations": "1次", "store_rating": "4.6分",
               "SLA-1": "1次"}  # the id wins over the metric key
    st = settle(example("apparel"), "2026-03", actuals=Actuals(metrics=metrics))
    assert amounts(st)["SLA-1"] == "-50.00"
    assert st.total_due == Decimal("3750.00")


def test_prepay_discount() -> None:
    # Quarterly prepay at 95%: discount 5% × 5000 = 250 off the monthly fee; SLA-3 is still 10% × 5000 = 500
    # (the undiscounted 当月服务费); due 5000 − 250 − 500 = 4250.
    metrics = {**DOMAIN, "SLA-1": "0次", "SLA-4": "95%", "SLA-5": "0次"}
    st = settle(example("apparel"), "2026-03", actuals=Actuals(prepay="quarterly", metrics=metrics))
    a = amounts(st)
    assert a["fees.prepay_discounts[0]"] == "-250.00" and a["SLA-3"] == "-500.00"
    assert (st.base_fee, st.discount, st.fee_payable) == (Decimal("5000.00"), Decimal("250.00"), Decimal("4750.00"))
    assert st.total_due == Decimal("4250.00")
    with pytest.raises(HostplanError, match="半年付"):
        settle(example("apparel"), "2026-03", actuals=Actuals(prepay="half_yearly", metrics=metrics))


def test_late_payment_interest() -> None:
    spec = example("apparel")
    # March 2026 is settled on 2026-04-10 (Friday); + 3 workdays → Mon 13, Tue 14, Wed 15.
    assert due_date(spec, "2026-03") == dt.date(2026, 4, 15)
    st = settle(spec, "2026-03", actuals=Actuals(metrics=dict(DOMAIN)), paid_on=dt.date(2026, 4, 25))
    # 10 days late: 3650 × 0.05% × 10 = 18.25
    assert st.interest == Decimal("18.25") and st.total_due == Decimal("3668.25")
    on_time = settle(spec, "2026-03", actuals=Actuals(metrics=dict(DOMAIN)), paid_on=dt.date(2026, 4, 15))
    assert on_time.interest == Decimal("0.00") and on_time.total_due == Decimal("3650.00")
    assert "未逾期" in on_time.lines[-1].explanation
    # a due date written in the actuals wins: 2 days late → 3650 × 0.05% × 2 = 3.65
    given = settle(spec, "2026-03", actuals=Actuals(metrics=dict(DOMAIN), due_on=dt.date(2026, 4, 23)),
                   paid_on=dt.date(2026, 4, 25))
    assert given.interest == Decimal("3.65")


def _with_standard(spec: Spec, std_id: str, **changes: Any) -> Spec:
    standards = []
    for s in spec.standards:
        if s.id == std_id:
            data = s.model_dump(mode="json")
            data.update(changes)
            s = Standard.model_validate(data)
        standards.append(s)
    return spec.model_copy(update={"standards": standards})


def test_clause_cap_and_fee_waiver() -> None:
    spec = _with_standard(example("apparel"), "SLA-1", remedy={"type": "fixed_per_breach", "amount": "50元",
                                                               "cap": "100元"})
    spec = _with_standard(spec, "SLA-6", remedy={"type": "fee_waiver"})
    st = settle(spec, "2026-03", actuals=Actuals(metrics={**DOMAIN, "SLA-3": "95%", "SLA-4": "95%", "SLA-5": "0次"}))
    assert amounts(st)["SLA-1"] == "-100.00"  # 3 × 50 = 150, clause cap 100
    assert "本条上限 100元" in st.lines[1].explanation
    waiver = settle(spec, "2026-03", actuals=Actuals(metrics={**DOMAIN, "SLA-6": "4.2分"}))
    assert amounts(waiver)["SLA-6"] == "-5000.00"
    # the waiver is not held to the 30% cap: the month's fee is waived, whatever else was missed
    assert waiver.deductions_total == Decimal("5000.00")
    assert waiver.total_due == Decimal("0.00")


def test_percent_per_point_started_point_counts_and_rating_steps() -> None:
    # 93.5% is 1.5 points below 95% → 2 steps → 4% × 5000 = 200
    st = settle(example("apparel"), "2026-03", actuals=Actuals(metrics={**DOMAIN, "SLA-4": "93.5%"}))
    assert amounts(st)["SLA-4"] == "-200.00"
    # rating per 0.1分: 4.3 vs 4.5 → 2 steps × 5% = 10% × 5000 = 500
    spec = _with_standard(example("apparel"), "SLA-6", remedy={"type": "percent_per_point", "percent": "5%"})
    st = settle(spec, "2026-03", actuals=Actuals(metrics={**DOMAIN, "SLA-6": "4.3分"}))
    assert amounts(st)["SLA-6"] == "-500.00"


def test_rounding_half_up_once_per_line() -> None:
    spec = example("3c")
    spec = spec.model_copy(update={"fees": spec.fees.model_copy(update={"per_ticket": Money(Decimal("0.125"))})})
    ok = {"SLA-1": "0次", "SLA-2": "0次", "SLA-3": "95%", "SLA-4": "96%", "SLA-5": "0次", "SLA-6": "4.8分"}
    st = settle(spec, "2026-03", actuals=Actuals(tickets=1, metrics=ok))
    assert amounts(st)["fees.per_ticket"] == "0.13"  # 0.125 → 0.13 (half up, not banker's 0.12)
    assert st.total_due == Decimal("1000.13")


def test_actuals_errors_name_the_key() -> None:
    def problems(**metrics: str) -> list[tuple[str, str, str]]:
        with pytest.raises(SpecError) as exc:
            settle(example("apparel"), "2026-03", actuals=Actuals(metrics={**DOMAIN, **metrics}))
        return [(p.field, p.message, p.code) for p in exc.value.problems]

    ids = "SLA-1、SLA-2、SLA-3、SLA-4、SLA-5、SLA-6"
    assert problems(**{"SLA-9": "1次"}) == [
        ("metrics.SLA-9", f"SLA-9 既不是规格中的条款编号（{ids}），也不是指标键（如 satisfaction_rate、store_rating）",
         "HP003")]
    assert problems(**{"SLA-1": "45分钟"}) == [
        ("metrics.SLA-1", "SLA-1 首次响应时间按单计，应填超过标准的次数，如 3次，而不是 45分钟", "HP005")]
    assert problems(**{"SLA-4": "4.6分"}) == [
        ("metrics.SLA-4", "SLA-4 客户满意度（好评率）的数值应为百分比（标准值为 95%），而不是 4.6分", "HP005")]
    assert problems(**{"SLA-3": "120%"}) == [
        ("metrics.SLA-3", "SLA-3 投诉24小时解决率是占比，应在 0%–100% 之间，而不是 120%", "HP005")]
    # every wrong value at once, not one per run
    assert [f for f, _, _ in problems(**{"SLA-1": "45分钟", "SLA-4": "4.6分"})] == ["metrics.SLA-1", "metrics.SLA-4"]
    with pytest.raises(SpecError) as exc:
        settle(example("apparel"), "2026-03", actuals=Actuals(month="2026-02", metrics=dict(DOMAIN)))
    (p,) = exc.value.problems
    assert (p.field, p.message) == ("month", "月份为 2026-02，与结算月份 --month 2026-03 不一致")


def test_parse_actuals_file_format() -> None:
    a = parse_actuals({"month": "2026-1", "tickets": 480, "orders": 6000, "share_basis": "8万元", "prepay": "季付",
                       "due_on": "2026-02-13", "metrics": {"SLA-1": "3次"}}, "x.yaml")
    assert (a.month, a.tickets, a.orders, a.share_basis, a.prepay) == ("2026-01", 480, 6000, Decimal(80000),
                                                                       "quarterly")
    assert a.due_on == dt.date(2026, 2, 13)
    # Chinese keys are the same fields
    b = parse_actuals({"月份": "2026-02", "订单数": 1100, "指标": {"SLA-6": "4.6分"}})
    assert (b.month, b.orders, b.metrics) == ("2026-02", 1100, {"SLA-6": "4.6分"})
    with pytest.raises(SpecError) as exc:
        parse_actuals({"ticket": 3, "orders": -1})
    assert [p.format() for p in exc.value.problems] == [
        "actuals: ticket: 未知字段 ticket，是否想写 tickets？ [HP003]",
        "actuals: orders: 应为当月订单数（非负整数，如 1100），而不是 -1 [HP005]",
    ]


def test_json_has_the_documented_fields() -> None:
    st = settle(example("apparel"), "2026-03", actuals=Actuals(metrics=dict(DOMAIN)))
    data = json.loads(statement_json(st))
    assert {"month", "base_fee", "lines", "deductions_total", "total_due"} <= set(data)
    assert data["month"] == "2026-03" and data["base_fee"] == "5000.00" and data["total_due"] == "3650.00"
    assert data["deductions_total"] == "1350.00"
    for line in data["lines"]:
        assert {"clause", "metric", "target", "actual", "amount", "explanation"} <= set(line)
        assert isinstance(line["amount"], str)
        Decimal(line["amount"])
    assert data["lines"][1] == {**data["lines"][1], "clause": "SLA-1", "metric": "first_response_time",
                                "target": "≤ 30分钟", "amount": "-150.00"}


# --- the contract term --------------------------------------------------------------------------


def _term(spec: Spec, start: str, end: str) -> Spec:
    from hostplan.spec.model import Term

    return spec.model_copy(update={"term": Term(start=dt.date.fromisoformat(start), end=dt.date.fromisoformat(end))})


def test_month_outside_the_term_is_an_input_error() -> None:
    spec = example("apparel")  # term 2026-01-01 .. 2026-12-31
    with pytest.raises(HostplanError, match=r"结算月份 2025-12 早于服务期限开始日 2026-01-01（合同服务期限 term：2026-01-01 至 2026-12-31）"):
        settle(spec, "2025-12", actuals=Actuals(metrics=dict(DOMAIN)))
    with pytest.raises(HostplanError, match=r"结算月份 2027-01 晚于服务期限结束日 2026-12-31"):
        settle(spec, "2027-01", actuals=Actuals(metrics=dict(DOMAIN)))
    # the first and last months of the term are whole months: no pro-rating
    for month in ("2026-01", "2026-12"):
        st = settle(spec, month, actuals=Actuals(metrics=dict(DOMAIN)))
        assert (st.service_days, st.base_fee) == ((31, Decimal("5000.00")))


def test_month_partly_in_the_term_prorates_the_fixed_fee_by_days() -> None:
    # Term starts 2026-01-15: January has 17 of 31 days in the term → 5000 × 17 / 31 = 2741.935… → 2741.94.
    #   SLA-1 3 × 50 = 150; SLA-3 10% × 2741.94 = 274.19; SLA-4 4% × 2741.94 = 109.68; SLA-5 500
    #   = 1033.87 > cap 30% × 2741.94 = 822.58 → deductions 822.58, due 2741.94 − 822.58 = 1919.36
    spec = _term(example("apparel"), "2026-01-15", "2026-12-31")
    st = settle(spec, "2026-01", actuals=Actuals(metrics=dict(DOMAIN)))
    a = amounts(st)
    assert a["fees.monthly_fee"] == "2741.94"
    assert (a["SLA-1"], a["SLA-3"], a["SLA-4"], a["SLA-5"]) == ("-150.00", "-274.19", "-109.68", "-500.00")
    assert st.deductions_cap == Decimal("822.58") and st.deductions_total == Decimal("822.58")
    assert st.total_due == Decimal("1919.36")
    assert (st.service_days, st.days_in_month) == (17, 31)
    fee = st.lines[0].explanation
    assert "服务期限自 2026-01-15 起，本月在服务期限内 17 天（共 31 天）" in fee
    # no contract handed in (library call): the rule is the built-in fee clause's
    assert "按合同服务费条款，不足整月的按天折算：5000.00 × 17 / 31 = 2741.94 元" in fee
    assert "合同未约定" not in fee
    assert any("2026-01-15 至 2026-01-31 共 17 天在服务期限内" in n for n in st.data_notes)
    data = json.loads(statement_json(st))
    assert (data["service_days"], data["days_in_month"]) == (17, 31)
    # term ending 2026-06-15: June 15 of 30 days → 2500; 150 + 250 + 100 + 500 = 1000 > cap 750 → due 1750
    june = settle(_term(example("apparel"), "2026-01-01", "2026-06-15"), "2026-06", actuals=Actuals(metrics=dict(DOMAIN)))
    assert amounts(june)["fees.monthly_fee"] == "2500.00" and june.total_due == Decimal("1750.00")
    assert "服务期限至 2026-06-15 止" in june.lines[0].explanation
    with pytest.raises(HostplanError, match="晚于服务期限结束日 2026-06-15"):
        settle(_term(example("apparel"), "2026-01-01", "2026-06-15"), "2026-07", actuals=Actuals(metrics=dict(DOMAIN)))


def test_partial_month_counts_only_tickets_inside_the_term() -> None:
    from hostplan.settle.tickets import read_tickets

    # Term from 2026-01-15: rows 3–21 (1 to 14 January) are before it. Rows 22–42 remain: 21 tickets,
    # none answered later than 30 minutes, 5 complaints (rows 22, 24, 28, 33, 40) all closed within 24 h,
    # 14 rated all 好评, row 24 escalated but not the agency's fault, the 2 complex questions (rows 22, 30)
    # answered in 85 and 40 minutes → every standard met (SLA-6 4.7分 by hand), nothing deducted;
    # the fee is 5000 × 17 / 31 = 2741.94 and that is the amount due.
    spec = _term(example("apparel"), "2026-01-15", "2026-12-31")
    log = read_tickets(ROOT / "examples" / "tickets-2026-01.csv", "2026-01")
    st = settle(spec, "2026-01", log=log, actuals=Actuals(metrics={"SLA-6": "4.7分"}))
    assert st.log_tickets == 21
    assert any(n.endswith("tickets-2026-01.csv：共 42 行数据，使用 21 行，跳过 21 行；其中 1 行不属于 2026-01；"
                          "其中 19 行不在服务期限内") for n in st.data_notes)
    assert "第 3 行：申请时间 2026-01-01 10:05 早于服务期限开始日 2026-01-15（已跳过）" in st.data_notes
    assert "第 21 行：申请时间 2026-01-14 23:10 早于服务期限开始日 2026-01-15（已跳过）" in st.data_notes
    sla1 = next(line for line in st.lines if line.clause == "SLA-1")
    assert sla1.actual == "超时 0 张 / 共 21 张" and sla1.status == "met"
    sla3 = next(line for line in st.lines if line.clause == "SLA-3")
    assert sla3.actual == "100%" and "投诉 5 张" in sla3.explanation
    assert [line.status for line in st.lines[1:]] == ["met"] * 6
    assert st.total_due == Decimal("2741.94") and st.complete
    assert len(log.tickets) == 40  # the caller's log is not changed


# --- months with nothing to count --------------------------------------------------------------


def test_month_without_tickets_is_no_data_never_met() -> None:
    from hostplan.settle.tickets import parse_rows

    log = parse_rows(["售后单号", "申请时间", "首次响应时间", "是否投诉", "是否复杂问题", "方案时间", "完结时间",
                      "是否平台介入", "是否托管方过错", "满意度"], [], month="2026-03", mapping={})
    st = settle(example("apparel"), "2026-03", log=log, actuals=Actuals(metrics={"SLA-6": "4.6分"}))
    by = {line.clause: line for line in st.lines}
    for sid in ("SLA-1", "SLA-2", "SLA-3", "SLA-4", "SLA-5"):
        assert by[sid].status == "no_data" and by[sid].amount == Decimal("0.00") and by[sid].actual is None
        assert by[sid].explanation.startswith("无数据：2026-03 工单表中没有工单（0 张）")
    assert by["SLA-6"].status == "met"
    assert st.no_data == ["SLA-1 首次响应时间", "SLA-2 复杂问题答复时间", "SLA-3 投诉24小时解决率",
                          "SLA-4 客户满意度（好评率）", "SLA-5 因托管方过错被投诉到平台"]
    assert st.total_due == Decimal("5000.00") and st.not_evaluable == []
    text = statement_text(st)
    assert "[SLA-5] 因托管方过错被投诉到平台  标准 ≤ 0次  实际 —  无数据  不计" in text
    assert "无数据：以下条款当月没有可统计的工单，不算达标也不算未达标，未扣款：" in text
    assert "达标" not in text.split("服务标准", 1)[1].split("[SLA-6]")[0].replace("不算达标也不算未达标", "")
    md = statement_markdown(st)
    assert "| SLA-1 | 首次响应时间 | ≤ 30分钟 | — | 无数据 | — |" in md and "## 无数据的条款" in md
    data = json.loads(statement_json(st))
    assert [x["status"] for x in data["lines"][1:]] == ["no_data"] * 5 + ["met"]
    assert data["no_data"] == st.no_data


def test_empty_population_is_no_data_for_that_standard_only() -> None:
    from hostplan.settle.tickets import parse_rows

    # Two ordinary tickets in March: no complex question, no complaint, nobody rated.
    header = ["售后单号", "申请时间", "首次响应时间", "是否投诉", "是否复杂问题", "方案时间", "完结时间", "是否平台介入",
              "是否托管方过错", "满意度"]
    rows = [["A1", "2026-03-02 10:00", "2026-03-02 10:10", "否", "否", "", "2026-03-02 12:00", "否", "否", ""],
            ["A2", "2026-03-03 11:00", "2026-03-03 11:50", "否", "否", "", "2026-03-03 15:00", "否", "否", ""]]
    log = parse_rows(header, rows, month="2026-03", mapping={})
    st = settle(example("apparel"), "2026-03", log=log, actuals=Actuals(metrics={"SLA-6": "4.6分"}))
    by = {line.clause: line for line in st.lines}
    # A2 answered after 50 minutes → 1 × 50 元; the platform count is a real 0 over 2 tickets → met
    assert (by["SLA-1"].status, by["SLA-1"].amount) == ("missed", Decimal("-50.00"))
    assert by["SLA-5"].status == "met"
    assert by["SLA-2"].status == "no_data" and "当月没有复杂问题工单" in by["SLA-2"].explanation
    assert by["SLA-3"].status == "no_data" and "当月没有投诉工单" in by["SLA-3"].explanation
    assert by["SLA-4"].status == "no_data" and "2 张工单都没有评价" in by["SLA-4"].explanation
    assert st.total_due == Decimal("4950.00")
    # hand-written figures still win over an empty log
    given = settle(example("apparel"), "2026-03", log=log, actuals=Actuals(metrics={"SLA-6": "4.6分", "SLA-4": "93%"}))
    assert next(line for line in given.lines if line.clause == "SLA-4").status == "missed"


def test_trial_condition_without_tickets_cannot_decide_the_exit() -> None:
    from hostplan.settle.tickets import parse_rows

    log = parse_rows(["售后单号", "申请时间", "是否投诉"], [], month="2026-01", mapping={})
    st = settle(example("apparel"), "2026-01", log=log, orders=1200)
    assert st.trial is not None and st.trial.entitled_to_exit is None
    assert st.trial.checks[0].met is None and "投诉率无数据" in st.trial.checks[0].explanation
