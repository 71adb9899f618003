"""A worked example of one month's deductions for the rendered proposal, computed by `settle` itself,
so the sentence in the contract and the arithmetic on the statement cannot drift apart."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from ..errors import HostplanError
from ..spec.metrics import METRICS
from ..spec.model import COMPARATOR_WORDS, Spec
from ..spec.quantities import Count, Duration, Percent, Rating
from .actuals import Actuals
from .metrics import fmt_num
from .statement import settle, term_coverage

EXAMPLE_TICKETS = 500  # per-ticket fee model: tickets handled in the example month
LATE = 3  # per-ticket standards: tickets over the threshold in the example month
POINTS = 2  # monthly standards: steps below the standard in the example month


def _met_value(std: Any) -> str:
    """A figure that just meets the standard."""
    q, cmp = std.threshold, std.comparator
    metric = METRICS[std.metric]
    if metric.per_ticket and metric.kind is Duration:
        return "0次"
    step = Decimal("0.1") if isinstance(q, Rating) else Decimal(1)
    value = q.value if hasattr(q, "value") else Decimal(0)
    if cmp == "<":
        value -= step
    elif cmp == ">":
        value += step
    value = max(value, Decimal(0))
    return f"{fmt_num(value)}{'分' if isinstance(q, Rating) else '%' if isinstance(q, Percent) else '次'}"


def _missed(std: Any) -> tuple[str, str] | None:
    """(actuals value, how the example month reads) for a standard missed in the example; None if not modelled."""
    q, cmp = std.threshold, std.comparator
    metric = METRICS[std.metric]
    up = cmp in ("<=", "<")
    if metric.per_ticket and metric.kind is Duration:
        word = "超过" if up else "未达到"
        return f"{LATE}次", f"有 {LATE} 张工单的{std.name}{word} {q}（{std.id}）"
    if isinstance(q, Count):
        value = q.value + (1 if cmp == "<=" else 0) if up else q.value - 1
        if value < 0:
            return None
        return f"{fmt_num(value)}次", f"{std.name} {fmt_num(value)} 次（{std.id}，标准 {COMPARATOR_WORDS[cmp]} {q}）"
    if isinstance(q, Percent | Rating):
        step = Decimal("0.1") if isinstance(q, Rating) else Decimal(1)
        remedy = std.remedy
        if remedy is not None and remedy.type == "percent_per_point" and remedy.step is not None:
            step = remedy.step.value
        value = q.value + POINTS * step if up else q.value - POINTS * step
        if value < 0 or (isinstance(q, Percent) and value > 100):
            return None
        unit = "分" if isinstance(q, Rating) else "%"
        return f"{fmt_num(value)}{unit}", f"{std.name}为 {fmt_num(value)}{unit}（{std.id}，标准 {COMPARATOR_WORDS[cmp]} {q}）"
    return None


def _pick(spec: Spec) -> list[Any]:
    """Standards missed in the example: the first per-ticket one with a fixed amount and the first
    per-point one; failing both, the first standard with any remedy."""
    with_remedy = [s for s in spec.standards if s.remedy is not None and _missed(s) is not None]
    per_ticket = next((s for s in with_remedy if s.remedy is not None and s.remedy.type == "fixed_per_breach"
                       and METRICS[s.metric].per_ticket and METRICS[s.metric].kind is Duration), None)
    per_point = next((s for s in with_remedy if s.remedy is not None and s.remedy.type == "percent_per_point"), None)
    picked = [s for s in (per_ticket, per_point) if s is not None]
    return picked or with_remedy[:1]


def _whole_month(spec: Spec) -> str | None:
    """The first month wholly inside the term: the example shows the full monthly fee, not a pro-rated one."""
    start = spec.term.start
    month = (start.year, start.month) if start.day == 1 else (start.year + start.month // 12, start.month % 12 + 1)
    key = f"{month[0]:04d}-{month[1]:02d}"
    try:
        return key if term_coverage(spec, key).whole else None
    except HostplanError:
        return None


def worked_example(spec: Spec) -> str | None:
    picked = _pick(spec)
    if not picked:
        return None
    values: dict[str, Any] = {s.id: _met_value(s) for s in spec.standards if METRICS[s.metric].key != "custom"}
    values.update({s.id: str(s.threshold) for s in spec.standards if METRICS[s.metric].key == "custom"})
    scenario = []
    for s in picked:
        value, words = _missed(s)  # type: ignore[misc]
        values[s.id] = value
        scenario.append(words)
    actuals = Actuals(source="示例", metrics=values)
    fee_words = after = ""
    if spec.fees.model == "per_ticket":
        actuals.tickets = EXAMPLE_TICKETS
        fee_words = f"处理售后工单 {EXAMPLE_TICKETS} 单、"
    elif spec.fees.model == "base_plus_share":
        actuals.share_basis = Decimal(0)
        after = "（按基础服务费计算，分成另计）"
    month = _whole_month(spec)
    if month is None:
        return None
    try:
        st = settle(spec, month, actuals=actuals)
    except HostplanError:
        return None
    lines = {line.clause: line for line in st.lines}
    charged = [(s.id, Decimal(0) - lines[s.id].amount) for s in picked if lines[s.id].status == "missed"]
    others = [line for line in st.lines if line.kind == "deduction" and line.clause not in {s.id for s in picked}]
    if not charged or st.not_evaluable or any(line.status != "met" for line in others):
        return None
    parts = "、".join(f"{cid} 扣 {amount} 元" for cid, amount in charged)
    raw = sum((a for _, a in charged), Decimal(0))
    total = f"共扣款 {st.deductions_total} 元"
    if st.deductions_total < raw:
        total = f"合计 {raw:.2f} 元，超过扣款上限，按上限共扣款 {st.deductions_total} 元"
    return (f"示例：若某月{fee_words}{'、'.join(scenario)}，其余标准均达标，则按上表 {parts}，{total}，"
            f"当月应付 {st.base_fee}{f' − {st.discount}' if st.discount else ''} − {st.deductions_total} = {st.total_due} 元"
            f"{after}。")
