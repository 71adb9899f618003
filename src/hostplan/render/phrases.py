"""Precise Chinese wording for the parts of a proposal that are computed from the spec.

Templates decide the layout; these functions turn typed values (quantities, remedies, conditions,
steps) into contract sentences, so every template says "每超时 1 次扣 50元" the same way.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from ..spec.metrics import METRICS
from ..spec.model import (
    COMPARATOR_WORDS,
    DATA_SOURCE_NAMES,
    PARTY_NAMES,
    PERIOD_NAMES,
    Condition,
    FeeWaiver,
    FixedPerBreach,
    Goal,
    PercentOfFee,
    PercentPerPoint,
    ServiceHours,
    Spec,
    Standard,
    Step,
)
from ..spec.quantities import Count, Duration, Money, Percent, Rating

CN_DIGITS = "零一二三四五六七八九"
PREPAY_NAMES = {"quarterly": "季付", "half_yearly": "半年付", "yearly": "年付",
                "季付": "季付", "半年付": "半年付", "年付": "年付"}
# "not met" for each comparator: the standard says <= X, so a breach is "高于 X"
BREACH_WORDS = {"<=": "高于", "<": "未低于", ">=": "低于", ">": "未高于", "=": "不等于"}
TRAILING_PUNCT = "。；;，,、.！!：:"


def cn_number(n: int) -> str:
    """1 -> 一, 10 -> 十, 12 -> 十二, 21 -> 二十一 (clause numbers up to 99)."""
    if n <= 0 or n >= 100:
        return str(n)
    tens, ones = divmod(n, 10)
    if tens == 0:
        return CN_DIGITS[ones]
    return ("" if tens == 1 else CN_DIGITS[tens]) + "十" + (CN_DIGITS[ones] if ones else "")


def cn_date(value: dt.date) -> str:
    return f"{value.year}年{value.month}月{value.day}日"


def party(key: str) -> str:
    """Short name in running text: 商家, 托管方, 仓库 …"""
    return PARTY_NAMES.get(key, key).split("（")[0]


def party_full(key: str) -> str:
    return PARTY_NAMES.get(key, key)


def data_source(key: str | None) -> str:
    return DATA_SOURCE_NAMES.get(key, key) if key else ""


def period(key: str | None) -> str:
    return PERIOD_NAMES.get(key, key) if key else ""


def clause(text: str) -> str:
    """Text without trailing punctuation, so templates can end the sentence themselves."""
    return text.rstrip().rstrip(TRAILING_PUNCT).rstrip()


def sentence(text: str) -> str:
    return clause(text) + "。"


def join(items: list[Any], sep: str = "、") -> str:
    return sep.join(clause(str(i)) for i in items)


def metric_name(metric: str, name: str | None = None) -> str:
    if name:
        return name
    m = METRICS.get(metric)
    return m.name if m else metric


def comparator(op: str, value: Any) -> str:
    """Symbolic form for tables: ≤ 30分钟, ≥ 95%."""
    return f"{COMPARATOR_WORDS.get(op, op)} {value}"


def _fmt(value: Decimal) -> str:
    return format(value.normalize(), "f")


def threshold_text(std: Standard) -> str:
    text = comparator(std.comparator, std.threshold)
    if std.within is not None:
        text += f"（{std.within}内）"
    return text


def hours_text(hours: ServiceHours) -> str:
    """'每天 09:00—22:00', as the scope section writes the service hours."""
    return f"{hours.days} {hours.start}—{hours.end}"


def service_hours_note(std: Standard, hours: ServiceHours | None) -> str:
    """Which tickets a standard counts with respect to service hours, exactly as settle counts them
    (settle.metrics.excludes_outside_hours); '' where service hours do not change the figure."""
    from ..settle.metrics import excludes_outside_hours, hours_matter

    if not hours_matter(std):
        return ""
    what = "投诉" if std.metric == "resolution_rate" else "工单"
    if hours is not None and excludes_outside_hours(std):
        return f"服务时间（{hours_text(hours)}）外申请的{what}不计入"
    return f"服务时间外申请的{what}同样计入，自申请时起计时"


def measurement_text(std: Standard, hours: ServiceHours | None = None) -> str:
    """统计口径/数据来源 cell: how it is counted, over which period, from whose data, and whether tickets
    applied outside the service hours (scope.service_hours) count."""
    parts = []
    if std.measured_by:
        parts.append(clause(std.measured_by))
    if std.window:
        parts.append(f"统计周期：{period(std.window)}")
    if std.data_source:
        parts.append(f"以{data_source(std.data_source)}为准")
    note = service_hours_note(std, hours)
    if note:
        parts.append(note)
    return "；".join(parts) + "。" if parts else "—"


def _fee_share(p: Percent) -> str:
    return f"当月服务费的 {p}"


def cap_text(cap: Money | Percent | None) -> str:
    if cap is None:
        return ""
    if isinstance(cap, Percent):
        return f"本条扣款每月合计不超过{_fee_share(cap)}"
    return f"本条扣款每月合计不超过 {cap}"


def remedy_text(std: Standard) -> str:
    """未达标处理 for one standard, including its cap; '本条不设扣款' when the spec has none."""
    r = std.remedy
    if r is None:
        return "本条不设扣款。"
    kind = type(std.threshold)
    if isinstance(r, FixedPerBreach):
        metric = METRICS.get(std.metric)
        if kind is Duration:
            text = f"每超时 1 次扣 {r.amount}"
        elif kind is Count and metric is not None and metric.per_ticket:
            limit = std.threshold
            if isinstance(limit, Count) and limit.value == 0:
                text = f"每发生 1 {limit.unit}扣 {r.amount}"
            else:
                unit = limit.unit if isinstance(limit, Count) else "次"
                text = f"超出 {limit} 的部分，每多 1 {unit}扣 {r.amount}"
        else:
            text = f"{period(std.window) or '每月'}未达标的，扣 {r.amount}"
    elif isinstance(r, PercentOfFee):
        text = f"未达标扣{_fee_share(r.percent)}"
    elif isinstance(r, PercentPerPoint):
        # the steps exactly as settle counts them (statement._steps): a started step counts as a whole one
        direction = "低于" if std.comparator in (">=", ">") else "高于"
        share = _fee_share(r.percent)
        if kind is Duration:  # per-ticket time limits: one step per late ticket
            text = f"每超时 1 次扣{share}"
        elif kind is Rating or kind is Percent:
            if kind is Rating:
                unit = str(r.step if r.step is not None else Rating(Decimal("0.1")))
            else:
                step_p = r.step if isinstance(r.step, Percent) else Percent(Decimal(1))
                unit = f"{_fmt(step_p.value)} 个百分点"
            text = f"每{direction}标准 {unit}扣{share}，不足 {unit}的部分按 {unit}计"
        else:
            unit = f"1 {std.threshold.unit}" if isinstance(std.threshold, Count) else "1 个单位"
            text = f"每{direction}标准 {unit}扣{share}"
    elif isinstance(r, FeeWaiver):
        text = "未达标的，免除当月服务费"
    else:  # pragma: no cover - the model's union is closed
        raise TypeError(type(r).__name__)
    cap = cap_text(r.cap)
    return f"{text}；{cap}。" if cap else f"{text}。"


def prepay_text(spec: Spec) -> str:
    """预付优惠 clause, stating what settle computes: the discount is taken off the fixed part only, and
    every percentage stays a percentage of the undiscounted 当月服务费."""
    fees = spec.fees
    if not fees.prepay_discounts:
        return ""
    from ..settle.statement import prepay_parts

    part, variable = prepay_parts(fees.model)
    offers = "；".join(f"{PREPAY_NAMES.get(d.period, d.period)}的，{part}按 {d.rate} 支付" for d in fees.prepay_discounts)
    text = f"预付优惠：{offers}。"
    if variable:
        text += f"{variable}按月据实结算，不适用预付优惠。"
    # what is a percentage of 当月服务费 in this contract: each stays a percentage of the undiscounted fee
    remedies = [s.remedy for s in spec.standards if s.remedy is not None]
    uses = [name for name, present in (
        ("服务标准按当月服务费比例计算的扣款", any(isinstance(r, PercentOfFee | PercentPerPoint) for r in remedies)),
        ("按比例约定的单条扣款上限", any(isinstance(r.cap, Percent) for r in remedies)),
        ("当月扣款上限", spec.deductions is not None),
        ("试运营期解约时支付的比例", spec.trial is not None)) if present]
    if uses:
        text += f"预付优惠不改变“当月服务费”：{'、'.join(uses)}，均以优惠前的当月服务费计算。"
    text += "当月应付的服务费为当月服务费减去预付优惠；当月应付金额为当月应付的服务费减去扣款。"
    if _waivers(spec):
        text += "“免除当月服务费”即免除当月应付的服务费。"
    return text


def _waivers(spec: Spec) -> list[str]:
    return [s.id for s in spec.standards if isinstance(s.remedy, FeeWaiver)]


def deduction_limit_text(spec: Spec) -> str:
    """The limits on a month's deductions, as settle applies them: deductions.cap (of the undiscounted fee),
    fee waivers outside it, and never more than the fee payable after any prepay discount."""
    cap = spec.deductions.cap if spec.deductions else None
    waivers = _waivers(spec)
    lowest = min((d.rate.value for d in spec.fees.prepay_discounts), default=Decimal(100))
    parts = []
    if cap is not None:
        text = f"当月全部扣款合计不超过当月服务费的 {cap}"
        if waivers:
            text += f"，但按“免除当月服务费”处理的条款（{'、'.join(waivers)}）不受此上限限制"
        parts.append(text)
    # the fee payable limits the total only where the cap cannot keep it lower
    if cap is None or cap.value > lowest or waivers:
        parts.append(("扣款合计" if cap is not None else "当月全部扣款合计") + "以当月应付的服务费为限，应付金额不为负")
    return "；".join(parts) + "。"


def goal_target(goal: Goal) -> str:
    return comparator(goal.comparator, goal.target)


def goal_by(goal: Goal) -> str:
    if isinstance(goal.by, dt.date):
        return f"{cn_date(goal.by)}前"
    return f"服务开始后 {goal.by}内"


def condition_breach(cond: Condition) -> str:
    """'投诉率未低于 8%': the trial exit condition as the event that allows leaving."""
    return f"{metric_name(cond.metric, cond.name)}{BREACH_WORDS.get(cond.comparator, '未达到')} {cond.threshold}"


def _md(value: dt.date) -> str:
    return f"{value.month}月{value.day}日"


def trial_months_text(spec: Spec) -> str:
    """How a trial that spans calendar months is judged, as settle judges it (statement.trial_window): each month's
    statement judges the trial's days in that month only, never days after the trial; '' for a one-month trial."""
    from ..settle.statement import trial_period

    period = trial_period(spec)
    if period is None or spec.trial is None:
        return ""
    months = period.months()
    if len(months) < 2:
        return ""
    import calendar

    spans = []
    for i, key in enumerate(months):
        year, month = (int(x) for x in key.split("-"))
        first = max(dt.date(year, month, 1), period.start.date())
        last = min(dt.date(year, month, calendar.monthrange(year, month)[1]), period.last_day)
        spans.append(f"{cn_date(first) if i == 0 else _md(first)}至{_md(last)}")
    text = (f"试运营期跨越 {len(months)} 个自然月，按月分别判断：每月结算时，只以该月在试运营期内的日期"
            f"（{'、'.join(spans)}）的数据判断上述标准，试运营期结束后的日期不计入")
    if any(c.metric == "complaint_rate" for c in spec.trial.exit_if_not_met):
        text += "；投诉率以同一期间的投诉数和订单数计算"
    return text + "。任一个月未达到的，商家可依上款解约，所付比例以该月的当月服务费计算。"


def step_text(step: Step, first: bool = False) -> str:
    """'客户申请退货后 10分钟内，托管方回复客户…。'"""
    who = party(step.actor)
    action = clause(step.action)
    if step.deadline is not None:
        start = clause(step.after) if step.after else ("事项发生后" if first else "上一步完成后")
        return f"{start} {step.deadline}内，{who}{action}。"
    if step.after:
        return f"{clause(step.after)}，{who}{action}。"
    return f"{who}{action}。"


def money_per_month(m: Money) -> str:
    return f"{m}/月"
