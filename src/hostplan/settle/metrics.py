"""The month's figures for each service standard, from a ticket log or from an actuals file.

A figure is a Measure (what the month shows, in the threshold's unit, with how it was counted),
Missing (the data needed is absent: a column, a hand-written figure) or NoData (the data is there but
the month has nothing to count, e.g. 0 tickets). Nothing is guessed: neither is ever read as met.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any, Protocol

from pydantic_core import PydanticCustomError

from ..errors import HostplanError, Problem, SpecError
from ..spec.metrics import METRICS
from ..spec.model import ServiceHours
from ..spec.quantities import Count, Duration, Money, Percent, Rating
from .tickets import Ticket, TicketLog

if TYPE_CHECKING:
    from .actuals import Actuals

WEEKDAYS = "一二三四五六日"


class Target(Protocol):
    """What is measured: a Standard or a trial Condition."""

    metric: str
    comparator: str
    threshold: Any


@dataclass(frozen=True)
class Measure:
    value: Decimal | None  # monthly figure in the threshold's unit (percent points, 分, 次, minutes)
    breaches: int | None  # per-ticket metrics: tickets over the threshold
    actual: str  # what the statement shows as the actual
    basis: str = ""  # how it was counted, for the explanation


@dataclass(frozen=True)
class Missing:
    reason: str


@dataclass(frozen=True)
class NoData:
    """Nothing to count this month (0 tickets in the population): not met, not missed, no remedy."""

    reason: str


Figure = Measure | Missing | NoData


def fmt_num(value: Decimal, places: int = 2) -> str:
    """1.50 -> 1.5, 88.000 -> 88: enough digits to check by hand, no float noise."""
    q = value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    text = format(q, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def threshold_number(q: Any) -> Decimal:
    if isinstance(q, Duration):
        return q.minutes
    if isinstance(q, Money):
        return q.amount
    if isinstance(q, Percent | Rating | Count):
        return q.value
    raise HostplanError(f"无法比较的标准值 {q}")


def compare(value: Decimal, comparator: str, threshold: Decimal) -> bool:
    return {
        "<=": value <= threshold, "<": value < threshold, ">=": value >= threshold,
        ">": value > threshold, "=": value == threshold,
    }[comparator]


def minutes_between(a: dt.datetime, b: dt.datetime) -> Decimal:
    return Decimal(int((b - a).total_seconds())) / 60


def fmt_minutes(m: Decimal) -> str:
    if m >= 120:
        return f"{fmt_num(m / 60)}小时"
    return f"{fmt_num(m, 1)}分钟"


def percentile(values: list[Decimal], p: int) -> Decimal:
    """Nearest-rank percentile: the smallest value with at least p% of values at or below it."""
    ordered = sorted(values)
    rank = max(1, -(-p * len(ordered) // 100))
    return ordered[rank - 1]


def median(values: list[Decimal]) -> Decimal:
    ordered = sorted(values)
    mid = len(ordered) // 2
    return ordered[mid] if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2


# --- service hours ------------------------------------------------------------------------------


def service_days(text: str) -> frozenset[int] | None:
    """Weekdays (0 = Monday) named by 每天 / 工作日 / 周一至周六 …; None when the wording is not understood."""
    t = text.replace(" ", "").replace("星期", "周").replace("礼拜", "周").replace("天", "日")
    if t in ("每日", "每周", "全年", "全周", "7×24", "7x24", "周一至周日", "周一到周日") or t.startswith("每日"):
        return frozenset(range(7))
    if t in ("工作日", "周一至周五", "周一到周五"):
        return frozenset(range(5))
    m = re.fullmatch(r"周([一二三四五六日])(?:至|到|-|~|—)周?([一二三四五六日])", t)
    if m:
        a, b = WEEKDAYS.index(m.group(1)), WEEKDAYS.index(m.group(2))
        return frozenset(range(a, b + 1)) if a <= b else frozenset([*range(a, 7), *range(0, b + 1)])
    return None


def _hm(text: str) -> int:
    h, m = text.split(":")
    return int(h) * 60 + int(m)


def in_service_hours(t: dt.datetime, hours: ServiceHours) -> bool:
    days = service_days(hours.days)
    if days is not None and t.weekday() not in days:
        return False
    start, end, now = _hm(hours.start), _hm(hours.end), t.hour * 60 + t.minute
    if end <= start and end != start:  # overnight, e.g. 20:00-02:00
        return now >= start or now < end
    if start == end or (start == 0 and end >= 1440):
        return True
    return start <= now < end


# --- figures from a ticket log ------------------------------------------------------------------


def hours_matter(target: Any) -> bool:
    """Whether a standard's figure depends on when tickets were applied: the time limits, and the complaint
    resolution rate with its `within` window."""
    m = METRICS.get(target.metric)
    return m is not None and ((m.per_ticket and m.kind is Duration) or m.key == "resolution_rate")


def excludes_outside_hours(target: Any) -> bool:
    """Whether tickets applied outside scope.service_hours are left out of a standard's figure. Only time
    limits (首次响应 ≤ 30分钟 …) with service_hours_only (the default) leave them out: nobody is on duty to
    answer them. A resolution rate counts every complaint from the moment it is made: its window (24小时)
    already spans the next service day, and an unresolved complaint is the agency's failure whenever it came in.
    The rendered contract says the same (render.phrases.service_hours_note)."""
    m = METRICS.get(target.metric)
    return (bool(getattr(target, "service_hours_only", False)) and m is not None and m.per_ticket
            and m.kind is Duration)


DURATION_FIELDS: dict[str, tuple[str, str, str]] = {
    # metric -> (end timestamp field, population, label)
    "first_response_time": ("first_response_at", "all", "首次响应"),
    "complex_response_time": ("plan_at", "complex", "给出方案"),
    "refund_review_time": ("refund_reviewed_at", "refund", "退款审核"),
    "resolution_time": ("resolved_at", "all", "完结"),
}


def needed_columns(metric: str) -> tuple[str, ...]:
    return {
        "first_response_time": ("first_response_at",),
        "complex_response_time": ("complex", "plan_at"),
        "refund_review_time": ("refund_reviewed_at",),
        "resolution_time": ("resolved_at",),
        "resolution_rate": ("complaint", "resolved_at"),
        "satisfaction_rate": ("satisfaction",),
        "complaint_rate": ("complaint",),
        "escalation_rate": ("escalated",),
        "platform_escalations": ("escalated", "agency_fault"),
    }.get(metric, ())


class LogFigures:
    """Figures measured from the month's tickets."""

    def __init__(self, log: TicketLog, hours: ServiceHours | None = None, orders: int | None = None) -> None:
        self.log = log
        self.hours = hours
        self.orders = orders

    def _population(self, target: Any, tickets: list[Ticket]) -> tuple[list[Ticket], str]:
        """The tickets a time-limit standard counts: those applied inside service hours when it says so."""
        if self.hours is None or not excludes_outside_hours(target):
            return tickets, ""
        inside: list[Ticket] = []
        outside: list[Ticket] = []
        for t in tickets:
            (inside if in_service_hours(t.applied_at, self.hours) else outside).append(t)
        out = len(outside)
        days = "" if service_days(self.hours.days) is not None else f"（未能识别服务日 {self.hours.days!r}，按每天计）"
        rows = "、".join(f"第 {t.row} 行" for t in outside[:20]) + ("等" if out > 20 else "")
        note = (f"服务时间（{self.hours.days} {self.hours.start}–{self.hours.end}）外申请的 {out} 张不计入（{rows}）{days}"
                if out else "")
        return inside, note

    def measure(self, target: Any) -> Figure:
        key = target.metric
        if key in ("store_rating", "custom"):
            return Missing(f"工单表中没有{METRICS[key].name}，请在 --actuals 中填写")
        absent = [c for c in needed_columns(key) if c not in self.log.columns]
        if absent:
            from .tickets import COLUMN_BY_KEY

            return Missing(f"工单表缺少列 {'、'.join(COLUMN_BY_KEY[c].name for c in absent)}")
        if not self.log.tickets:
            return NoData(f"{self.log.month} 工单表中没有工单（0 张）")
        if key in DURATION_FIELDS:
            return self._duration(target)
        tickets = self.log.tickets
        if key == "resolution_rate":
            within = getattr(target, "within", None)
            if within is None:
                return Missing("条款未写明解决时限（within），如 24小时")
            complaints = [t for t in tickets if t.complaint]  # every complaint, in service hours or not
            if not complaints:
                return NoData("当月没有投诉工单，解决率无从计算")
            limit = within.minutes
            ok = sum(1 for t in complaints if t.resolved_at is not None
                     and minutes_between(t.applied_at, t.resolved_at) <= limit)
            value = Decimal(ok) * 100 / len(complaints)
            basis = f"投诉 {len(complaints)} 张，{within}内完结 {ok} 张，{ok}/{len(complaints)} = {fmt_num(value)}%"
            return Measure(value, None, f"{fmt_num(value)}%", basis)
        if key == "satisfaction_rate":
            rated = [t for t in tickets if t.satisfaction]
            if not rated:
                return NoData(f"当月 {len(tickets)} 张工单都没有评价，满意度无从计算")
            good = sum(1 for t in rated if t.satisfaction == "good")
            value = Decimal(good) * 100 / len(rated)
            return Measure(value, None, f"{fmt_num(value)}%",
                           f"已评价 {len(rated)} 张，好评 {good} 张，{good}/{len(rated)} = {fmt_num(value)}%")
        if key == "complaint_rate":
            if not self.orders:
                return Missing("需要当月订单数（--orders 或 actuals 的 orders）才能计算投诉率")
            n = sum(1 for t in self.log.tickets if t.complaint)
            value = Decimal(n) * 100 / self.orders
            return Measure(value, None, f"{fmt_num(value)}%",
                           f"投诉 {n} 张 / 订单 {self.orders} 单 = {fmt_num(value)}%")
        if key == "escalation_rate":
            all_tickets = self.log.tickets
            n = sum(1 for t in all_tickets if t.escalated)
            value = Decimal(n) * 100 / len(all_tickets)
            return Measure(value, None, f"{fmt_num(value)}%",
                           f"平台介入 {n} 张 / 工单 {len(all_tickets)} 张 = {fmt_num(value)}%")
        if key == "platform_escalations":
            hits = [t for t in self.log.tickets if t.escalated and t.agency_fault]
            rows = "、".join(f"第 {t.row} 行" for t in hits[:20]) + ("等" if len(hits) > 20 else "")
            return Measure(Decimal(len(hits)), None, f"{len(hits)}次",
                           f"平台介入且认定为托管方过错的工单 {len(hits)} 张" + (f"（{rows}）" if hits else ""))
        return Missing(f"无法从工单表计算指标 {key}")  # pragma: no cover - every catalogue key is handled

    def _duration(self, target: Any) -> Figure:
        key = target.metric
        threshold = target.threshold
        if not isinstance(threshold, Duration):
            return Missing(f"{METRICS[key].name}的标准值应为时长，而不是 {threshold}")
        end_field, population, label = DURATION_FIELDS[key]
        tickets = self.log.tickets
        if population == "complex":
            tickets = [t for t in tickets if t.complex]
        elif population == "refund":
            tickets = [t for t in tickets if t.refund_reviewed_at is not None]
        tickets, hours_note = self._population(target, tickets)
        if not tickets:
            what = {"complex": "复杂问题工单", "refund": "填写了退款审核时间的工单"}.get(population, "工单")
            where = "服务时间内申请的" if hours_note else ""
            return NoData(f"当月没有{where}{what}" + (f"（{hours_note}）" if hours_note else ""))
        limit = threshold.minutes
        durations: list[Decimal] = []
        late: list[Ticket] = []
        never: list[Ticket] = []
        for t in tickets:
            end = getattr(t, end_field)
            if end is None:
                never.append(t)
                continue
            m = minutes_between(t.applied_at, end)
            durations.append(m)
            if not compare(m, target.comparator, limit):
                late.append(t)
        breaches = len(late) + len(never)
        parts = [f"统计 {len(tickets)} 张，{label}超过 {threshold} 的 {len(late)} 张"]
        if late:
            parts[0] += "（" + "、".join(f"第 {t.row} 行" for t in late[:20]) + ("等" if len(late) > 20 else "") + "）"
        if never:
            parts.append(f"无{label}记录 {len(never)} 张按超时计（" + "、".join(f"第 {t.row} 行" for t in never[:20])
                         + ("等" if len(never) > 20 else "") + "）")
        if durations:
            parts.append(f"中位数 {fmt_minutes(median(durations))}，P90 {fmt_minutes(percentile(durations, 90))}")
        return Measure(None, breaches, f"超时 {breaches} 张 / 共 {len(tickets)} 张", _join("；".join(parts), hours_note))


def _join(*parts: str) -> str:
    return "；".join(p for p in parts if p)


# --- figures from an actuals file ---------------------------------------------------------------


class ActualsFigures:
    """Figures given by hand, keyed by standard id or metric key (the id wins). A wrong value is a SpecError
    at its line in the actuals file."""

    def __init__(self, actuals: Actuals) -> None:
        self.actuals = actuals
        self.values = actuals.metrics
        self.source = actuals.source

    def measure(self, target: Any) -> Figure:
        ident = getattr(target, "id", None)
        for key in (ident, target.metric):
            if key and key in self.values:
                return self._parse(target, key, self.values[key])
        label = f"{ident}（{target.metric}）" if ident else target.metric
        return Missing(f"{self.source} 中没有 {label} 的数值")

    def check(self, targets: list[Any]) -> list[Problem]:
        """Every hand-written value read against each standard or condition it stands for, so that all wrong
        values are reported at once (and before anything is priced). Unknown keys are the caller's to report."""
        problems: list[Problem] = []
        for key, raw in self.values.items():
            if key not in METRICS and not any(getattr(t, "id", None) == key for t in targets):
                continue
            # a metric key stands for the standards that have no value under their own id
            uses = [t for t in targets if getattr(t, "id", None) == key] or [
                t for t in targets if t.metric == key and getattr(t, "id", None) not in self.values]
            if not uses and key != "custom":  # a metric the spec does not measure: its unit still counts
                uses = [_Unused(key)]
            for target in uses:
                try:
                    self._parse(target, key, raw)
                except SpecError as exc:
                    problems += [p for p in exc.problems if p not in problems]
        return problems

    def _error(self, key: str, message: str) -> SpecError:
        return SpecError([self.actuals.problem(("metrics", key), message)])

    def _parse(self, target: Any, key: str, raw: Any) -> Figure:
        from ..spec.quantities import parse_quantity

        metric = METRICS[target.metric]
        name = getattr(target, "name", None) or metric.name
        label = f"{key} {name}" if key != metric.key else f"{metric.key}（{name}）"
        if raw is None:
            raise self._error(key, "没有填写数值：请填上或删除这一行（没有数值的条款标为无法评估）")
        try:
            # a bare whole number is a count where the metric counts (SLA-1: 3); elsewhere its unit is missing
            counted = metric.per_ticket and isinstance(raw, int) and not isinstance(raw, bool)
            q: Any = Count(Decimal(raw)) if counted else parse_quantity(raw)
        except PydanticCustomError as exc:
            if exc.type.endswith("_unit_missing") and metric.key != "custom":
                try:  # the metric's own kind says which unit is missing (93 -> 93%)
                    metric.kind.parse(raw)
                except PydanticCustomError as own:
                    exc = own
            raise self._error(key, exc.message()) from None
        if metric.per_ticket and metric.kind is Duration:
            if not isinstance(q, Count) or q.value != q.value.to_integral_value():
                raise self._error(key, f"{label}按单计，应填超过标准的次数，如 3次，而不是 {raw}")
            n = int(q.value)
            return Measure(None, n, f"超时 {n} 次", "手工填报")
        if metric.key == "custom":
            if not isinstance(q, type(target.threshold)):
                raise self._error(key, f"{label}应与标准值 {target.threshold} 同一类型，而不是 {raw}")
        elif not isinstance(q, metric.kind):
            kind = metric.kind.DESCRIPTION.split("，")[0]  # as the spec names it: 百分比、评分、时长、数量
            raise self._error(key, f"{label}的数值应为{kind}" + (f"（标准值为 {target.threshold}）" if target.threshold
                                                                else "") + f"，而不是 {raw}")
        value = threshold_number(q)
        if metric.share and value > 100:
            raise self._error(key, f"{label}是占比，应在 0%–100% 之间，而不是 {raw}")
        return Measure(value, None, str(q), "手工填报")


@dataclass(frozen=True)
class _Unused:
    """A metric key the spec has no standard for: checked against the metric's unit alone."""

    metric: str
    threshold: Any = None


class Figures:
    """Actuals override the ticket log; either may be absent."""

    def __init__(self, *sources: LogFigures | ActualsFigures | None) -> None:
        self.sources = [s for s in sources if s is not None]

    def measure(self, target: Any) -> Figure:
        reasons: list[str] = []
        empty: NoData | None = None
        for s in self.sources:
            fig = s.measure(target)
            if isinstance(fig, Measure):
                return fig
            if isinstance(fig, NoData):
                empty = empty or fig
            reasons.append(fig.reason)
        if empty is not None:  # the log was read and had nothing to count: say so rather than "missing"
            return empty
        return Missing("；".join(reasons) or "没有数据")


# --- the metrics report (hostplan metrics) ------------------------------------------------------


def log_summary(log: TicketLog, spec: Any = None, orders: int | None = None) -> dict[str, Any]:
    """Everything the metrics command reports: general figures, and per-standard figures when a spec is given."""
    tickets = log.tickets
    out: dict[str, Any] = {
        "source": log.source, "month": log.month, "rows_total": log.rows_total, "rows_used": len(tickets),
        "rows_skipped": len(log.skipped), "blank_rows": log.blank_rows,
        "issues": [{"row": i.row, "message": i.message, "skipped": i.skipped} for i in log.issues],
    }
    general: list[tuple[str, str]] = [("工单数", str(len(tickets)))]

    def durations(field: str) -> list[Decimal]:
        return [minutes_between(t.applied_at, getattr(t, field)) for t in tickets if getattr(t, field) is not None]

    for field, label in (("first_response_at", "首次响应"), ("resolved_at", "完结")):
        if field in log.columns:
            ds = durations(field)
            missing = len(tickets) - len(ds)
            if ds:
                general.append((f"{label}时长 中位数 / P90 / 最长",
                                f"{fmt_minutes(median(ds))} / {fmt_minutes(percentile(ds, 90))} / {fmt_minutes(max(ds))}"))
            if missing:
                general.append((f"无{label}记录", f"{missing} 张"))
    if "complaint" in log.columns:
        n = sum(1 for t in tickets if t.complaint)
        general.append(("投诉工单", f"{n} 张" + (f"，投诉率 {fmt_num(Decimal(n) * 100 / orders)}%（订单 {orders} 单）"
                                             if orders else "")))
    if "escalated" in log.columns:
        n = sum(1 for t in tickets if t.escalated)
        rate = f"（{fmt_num(Decimal(n) * 100 / len(tickets))}%）" if tickets else ""
        general.append(("平台介入", f"{n} 张{rate}"))
        if "agency_fault" in log.columns:
            general.append(("其中托管方过错", f"{sum(1 for t in tickets if t.escalated and t.agency_fault)} 张"))
    if "satisfaction" in log.columns:
        rated = [t for t in tickets if t.satisfaction]
        good = sum(1 for t in rated if t.satisfaction == "good")
        # nothing rated is 无数据, as the statements say: "0/0" reads like a figure
        general.append(("满意度（好评/已评价）", f"{good}/{len(rated)} = {fmt_num(Decimal(good) * 100 / len(rated))}%"
                        if rated else "无数据（没有已评价的工单）"))
    comp_names = {"comp_shipping": "运费补偿", "comp_coupon": "优惠券", "comp_cash": "现金补偿"}
    totals = {k: sum((t.compensation.get(k, Decimal(0)) for t in tickets), Decimal(0))
              for k in comp_names if k in log.columns}
    for k, v in totals.items():
        general.append((f"{comp_names[k]}合计", f"{v.quantize(Decimal('0.01'))}元"))
    causes = Counter(" → ".join(t.category) for t in tickets if t.category)
    out["general"] = [{"name": n, "value": v} for n, v in general]
    out["top_causes"] = [{"category": c, "count": n} for c, n in causes.most_common(5)]
    out["compensation"] = {k: str(v.quantize(Decimal("0.01"))) for k, v in totals.items()}
    standards: list[dict[str, Any]] = []
    if spec is not None:
        figures = LogFigures(log, spec.scope.service_hours, orders)
        for std in spec.standards:
            standards.append(_standard_row(std, figures.measure(std)))
    out["standards"] = standards
    return out


def _standard_row(std: Any, fig: Figure) -> dict[str, Any]:
    from ..spec.model import COMPARATOR_WORDS

    target = f"{COMPARATOR_WORDS[std.comparator]} {std.threshold}"
    row = {"clause": std.id, "metric": std.metric, "name": std.name, "target": target}
    if isinstance(fig, Missing):
        return {**row, "actual": None, "met": None, "status": "not_evaluable", "explanation": f"无法评估：{fig.reason}"}
    if isinstance(fig, NoData):
        return {**row, "actual": None, "met": None, "status": "no_data", "explanation": f"无数据：{fig.reason}"}
    met = is_met(std, fig)
    return {**row, "actual": fig.actual, "met": met, "status": "met" if met else "missed", "explanation": fig.basis}


def is_met(target: Any, fig: Measure) -> bool:
    if fig.breaches is not None:
        return fig.breaches == 0
    assert fig.value is not None
    return compare(fig.value, target.comparator, threshold_number(target.threshold))


