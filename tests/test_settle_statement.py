"""Monthly statements computed by hand from the domain guide's figures, checked line by line."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from hostplan.errors import HostplanError
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
    # Complaint rate 9% is not below 8% → the merchant may exit and then pays 80% × 5000 = 4000.
    st = settle(example("apparel"), "2026-01", actuals=Actuals(metrics={**DOMAIN, "complaint_rate": "9%"}))
    assert st.trial is not None
    assert st.trial.month_index == 1
    assert st.trial.entitled_to_exit is True
    assert st.trial.payable_on_exit == Decimal("4000.00")
    assert st.trial.checks[0].met is False and st.trial.checks[0].actual == "9%"
    assert st.total_due == Decimal("3650.00")  # staying on: the ordinary statement
    assert "商家有权解约" in statement_text(st)


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
    # Quarterly prepay at 95%: 5000 − 250 = 4750; SLA-3 10% × 4750 = 475; cap 1425.
    metrics = {**DOMAIN, "SLA-1": "0次", "SLA-4": "95%", "SLA-5": "0次"}
    st = settle(example("apparel"), "2026-03", actuals=Actuals(prepay="quarterly", metrics=metrics))
    a = amounts(st)
    assert a["fees.prepay_discounts[0]"] == "-250.00" and a["SLA-3"] == "-475.00"
    assert st.base_fee == Decimal("4750.00") and st.total_due == Decimal("4275.00")
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
    assert waiver.deductions_total == Decimal("1500.00")  # the 30% cap covers every deduction
    assert waiver.total_due == Decimal("3500.00")


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
    with pytest.raises(HostplanError, match="SLA-9"):
        settle(example("apparel"), "2026-03", actuals=Actuals(metrics={**DOMAIN, "SLA-9": "1次"}))
    with pytest.raises(HostplanError, match="metrics.SLA-1"):
        settle(example("apparel"), "2026-03", actuals=Actuals(metrics={**DOMAIN, "SLA-1": "45分钟"}))
    with pytest.raises(HostplanError, match="metrics.SLA-4"):
        settle(example("apparel"), "2026-03", actuals=Actuals(metrics={**DOMAIN, "SLA-4": "4.6分"}))
    with pytest.raises(HostplanError, match="metrics.SLA-3：120% 超出范围"):
        settle(example("apparel"), "2026-03", actuals=Actuals(metrics={**DOMAIN, "SLA-3": "120%"}))
    with pytest.raises(HostplanError, match="2026-02"):
        settle(example("apparel"), "2026-03", actuals=Actuals(month="2026-02", metrics=dict(DOMAIN)))


def test_parse_actuals_file_format() -> None:
    a = parse_actuals({"month": "2026-1", "tickets": 480, "orders": 6000, "share_basis": "8万元", "prepay": "季付",
                       "due_on": "2026-02-13", "metrics": {"SLA-1": "3次"}}, "x.yaml")
    assert (a.month, a.tickets, a.orders, a.share_basis, a.prepay) == ("2026-01", 480, 6000, Decimal(80000),
                                                                       "quarterly")
    assert a.due_on == dt.date(2026, 2, 13)
    with pytest.raises(HostplanError, match="未知字段 'ticket'"):
        parse_actuals({"ticket": 3})
    with pytest.raises(HostplanError, match="tickets"):
        parse_actuals({"tickets": -1})


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
