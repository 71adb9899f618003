"""A worked example of one month's deductions for the rendered proposal, computed by `settle` itself,
so the sentence in the contract and the arithmetic on the statement cannot drift apart."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from ..errors import HostplanError
from ..render.phrases import clause
from ..spec.metrics import METRICS
from ..spec.model import COMPARATOR_WORDS, Spec
from ..spec.quantities import Count, Duration, Money, Percent, Rating
from .actuals import Actuals
from .metrics import fmt_num
from .statement import settle, term_coverage

EXAMPLE_TICKETS = 500  # per-ticket fee model: tickets handled in the example month
EXAMPLE_SHARE = Decimal(40000)  # base-plus-share fee model: the share basis (above any threshold) in the example
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
    fees = spec.fees
    if fees.model == "per_ticket":
        actuals.tickets = EXAMPLE_TICKETS
    elif fees.model == "base_plus_share":
        assert fees.share is not None
        above = fees.share.above.amount if isinstance(fees.share.above, Money) else Decimal(0)
        actuals.share_basis = EXAMPLE_SHARE + above
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
    fee_words = _fee_words(spec, st)
    parts = "、".join(f"{cid} 扣 {amount} 元" for cid, amount in charged)
    raw = sum((a for _, a in charged), Decimal(0))
    total = f"共扣款 {st.deductions_total} 元"
    if st.deductions_total < raw:
        total = f"合计 {raw:.2f} 元，超过扣款上限，按上限共扣款 {st.deductions_total} 元"
    return (f"示例：若某月{fee_words}{'、'.join(scenario)}，其余标准均达标，则按上表 {parts}，{total}，"
            f"当月应付 {st.base_fee}{f' − {st.discount}' if st.discount else ''} − {st.deductions_total} = {st.total_due} 元。")


def _fee_words(spec: Spec, st: Any) -> str:
    """The example month's 当月服务费 as the contract defines it (fees.md.j2): base fee plus the per-ticket fee or
    the share, worked out, so every percentage in the example is visibly of that sum."""
    fees = spec.fees
    lines = {line.clause: line for line in st.lines}
    if fees.model == "per_ticket":
        base = lines["fees.base_fee"].amount
        return (f"处理售后工单 {EXAMPLE_TICKETS} 单（当月服务费为基础费 {base} + {EXAMPLE_TICKETS} × {fees.per_ticket}"
                f" = {st.base_fee} 元）、")
    if fees.model == "base_plus_share":
        share = fees.share
        assert share is not None
        base, cut = lines["fees.base_fee"].amount, lines["fees.share"].amount
        basis = clause(share.basis).removeprefix("当月")
        if isinstance(share.above, Money):
            total = EXAMPLE_SHARE + share.above.amount
            how = f"({fmt_num(total)} − {fmt_num(share.above.amount)}) × {share.percent} = {cut} 元"
            head = f"{basis}为 {fmt_num(total)} 元"
        elif isinstance(share.above, Percent):
            how = f"{fmt_num(EXAMPLE_SHARE)} × {share.percent} = {cut} 元"
            head = f"分成基数（{basis}超过 {share.above} 的部分）为 {fmt_num(EXAMPLE_SHARE)} 元"
        else:
            how = f"{fmt_num(EXAMPLE_SHARE)} × {share.percent} = {cut} 元"
            head = f"{basis}为 {fmt_num(EXAMPLE_SHARE)} 元"
        return f"{head}（分成 {how}，当月服务费为基础费 {base} + 分成 {cut} = {st.base_fee} 元）、"
    return ""
