"""Properties of every statement: never a negative total, deductions within the cap, lines add up exactly."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from hostplan.errors import HostplanError
from hostplan.settle.actuals import Actuals
from hostplan.settle.statement import settle
from hostplan.spec.load import load_spec
from hostplan.spec.model import Deductions, Fees, Spec, Standard

ROOT = Path(__file__).resolve().parents[1]
BASE = load_spec(ROOT / "examples" / "apparel.yaml").spec

money_text = st.decimals(min_value=0, max_value=20000, places=2).map(lambda d: f"{d}元")
percent_text = st.decimals(min_value=0, max_value=150, places=2).map(lambda d: f"{d}%")
remedy = st.one_of(
    st.builds(lambda a, c: {"type": "fixed_per_breach", "amount": a, **({"cap": c} if c else {})},
              money_text, st.none() | money_text | percent_text),
    st.builds(lambda p, c: {"type": "percent_of_fee", "percent": p, **({"cap": c} if c else {})},
              percent_text, st.none() | percent_text),
    st.builds(lambda p: {"type": "percent_per_point", "percent": p}, percent_text),
    st.just({"type": "fee_waiver"}),
)
fees = st.one_of(
    st.builds(lambda m: {"model": "fixed", "monthly_fee": m}, money_text),
    st.builds(lambda b, p: {"model": "per_ticket", "base_fee": b, "per_ticket": p}, money_text, money_text),
    st.builds(lambda b, p: {"model": "base_plus_share", "base_fee": b, "share": {"percent": p, "basis": "利润"}},
              money_text, percent_text),
)


@st.composite
def month(draw: st.DrawFn) -> tuple[Spec, Actuals, dt.date | None]:
    standards = [Standard.model_validate({**s.model_dump(mode="json"), "remedy": draw(remedy)}) for s in BASE.standards]
    fee_data = {**draw(fees), "settlement": BASE.fees.settlement.model_dump(mode="json"),
                "late_payment": {"rate": draw(st.decimals(min_value=0, max_value=1, places=3).map(lambda d: f"{d}%"))},
                "prepay_discounts": [{"period": "quarterly", "rate": "95%"}]}
    cap = draw(st.none() | st.decimals(min_value=0, max_value=200, places=1))
    spec = BASE.model_copy(update={
        "standards": standards, "fees": Fees.model_validate(fee_data),
        "deductions": Deductions(cap=f"{cap}%") if cap is not None else None,  # type: ignore[arg-type]
    })
    pct = st.decimals(min_value=0, max_value=100, places=2).map(lambda d: f"{d}%")
    values = {
        "SLA-1": f"{draw(st.integers(0, 500))}次", "SLA-2": f"{draw(st.integers(0, 500))}次", "SLA-3": draw(pct),
        "SLA-4": draw(pct), "SLA-5": f"{draw(st.integers(0, 50))}次",
        "SLA-6": f"{draw(st.decimals(min_value=0, max_value=5, places=1))}分",
    }
    actuals = Actuals(tickets=draw(st.integers(0, 100000)), share_basis=draw(st.decimals(0, 10**7, places=2)),
                      prepay=draw(st.none() | st.just("quarterly")), metrics=values)
    paid = draw(st.none() | st.dates(dt.date(2026, 3, 1), dt.date(2027, 12, 31)))
    return spec, actuals, paid


@settings(max_examples=150, deadline=None)
@given(month())
def test_total_never_negative_and_deductions_within_cap(case: tuple[Spec, Actuals, dt.date | None]) -> None:
    spec, actuals, paid = case
    s = settle(spec, "2026-03", actuals=actuals, paid_on=paid)
    cent = Decimal("0.01")
    assert s.total_due >= 0
    assert s.deductions_total >= 0
    assert s.deductions_total <= s.deductions_cap <= s.fee_payable <= s.base_fee
    waived = [line for line in s.lines if line.status == "missed"
              and next(x for x in spec.standards if x.id == line.clause).remedy.type == "fee_waiver"]  # type: ignore[union-attr]
    if spec.deductions is not None:
        # the cap is an amount like any other (rounded half up to the cent), of the undiscounted fee; a fee waiver
        # is outside it
        cap = (s.base_fee * spec.deductions.cap.fraction).quantize(cent, ROUND_HALF_UP)
        assert s.deductions_total <= cap + sum((-line.amount for line in waived), Decimal(0))
    if waived:
        assert s.total_due == s.interest == 0
    # every line is in whole cents and the statement adds up exactly
    assert all(line.amount == line.amount.quantize(cent) for line in s.lines)
    assert sum((line.amount for line in s.lines), Decimal(0)) == s.total_due
    assert s.total_due == s.base_fee - s.discount - s.deductions_total + s.interest


@settings(max_examples=100, deadline=None)
@given(month(), st.decimals(min_value=0, max_value=100, places=2))
def test_exiting_the_trial_never_costs_more_than_staying(case: tuple[Spec, Actuals, dt.date | None],
                                                         complaint_rate: Decimal) -> None:
    spec, actuals, _ = case
    actuals.metrics["complaint_rate"] = f"{complaint_rate}%"
    s = settle(spec, "2026-01", actuals=actuals)  # the apparel spec's one trial month
    assert s.trial is not None
    assert s.trial.entitled_to_exit is (complaint_rate >= 8)
    staying = s.fee_payable - s.deductions_total
    assert s.trial.due_if_staying == staying
    assert s.trial.payable_on_exit <= staying
    assert s.trial.payable_on_exit <= s.trial.share_on_exit
    assert s.trial.payable_on_exit in (staying, s.trial.share_on_exit)


cell = st.one_of(st.just(""), st.sampled_from(["是", "否", "好评", "差评", "也许", "2026-01-05 10:00", "2026-01-05 09:00",
                                                "2026-02-01 00:00", "2025-12-31 23:59", "昨天", "A1", "A2"]),
                 st.text(max_size=6))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(cell, min_size=0, max_size=6), max_size=30))
def test_every_row_is_used_or_skipped_with_its_number(data: list[list[str]]) -> None:
    from hostplan.settle.tickets import parse_rows

    header = ["售后单号", "申请时间", "首次响应时间", "是否投诉", "满意度", "完结时间"]
    try:
        log = parse_rows(header, data, month="2026-01", mapping={})
    except HostplanError as exc:  # every readable row is in another month: a wrong month, said so
        assert "没有申请时间在 2026-01 的工单" in str(exc)
        assert any("2026-02-01 00:00" in r or "2025-12-31 23:59" in r for r in data)
        return
    skipped_rows = [i.row for i in log.skipped]
    assert len(skipped_rows) == len(set(skipped_rows))  # one reason line per skipped row
    assert len(log.tickets) + len(skipped_rows) == log.rows_total
    nonblank = [n for n, r in enumerate(data, start=2) if any(c.strip() for c in r)]
    assert sorted([t.row for t in log.tickets] + skipped_rows) == nonblank
