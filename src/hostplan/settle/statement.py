"""The monthly statement (月度结算单): fee by fee model, each standard's remedy, caps, trial exit, interest.

The rule the rendered contract states (fees.md.j2, phrases.prepay_text / deduction_limit_text):
- 当月服务费 is the fee before any prepay discount; every percentage (remedies, a remedy's cap, deductions.cap,
  the trial exit share) is taken of it, so prepaying never shrinks what a missed standard costs the agency.
- A prepay discount reduces only the fixed part (monthly fee or base fee): per-ticket fees and profit shares are
  not known in advance and cannot be prepaid.
- Due = 当月服务费 − discount − deductions (+ interest). Deductions never exceed the fee left after the
  discount (当月应付的服务费), so the amount due is never negative.
- A missed fee_waiver standard waives the fee left after the discount; deductions.cap does not limit it
  (the specific clause prevails over the general cap), and the other deductions stay capped as usual.

Every amount is a Decimal rounded to 0.01 元 (ROUND_HALF_UP) once, at the end of its own line; totals are
sums of rounded lines, so the printed statement adds up exactly. A line's `amount` is its signed effect
on the amount due (fees +, discounts and deductions −, interest +).
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal
from typing import Any

from ..errors import HostplanError, Problem, SpecError
from ..spec.metrics import METRICS
from ..spec.model import COMPARATOR_WORDS, Spec
from ..spec.quantities import Count, Money, Percent, Rating
from .actuals import PREPAY, Actuals
from .contract import ContractClauses
from .metrics import ActualsFigures, Figures, LogFigures, Measure, Missing, NoData, fmt_num, is_met, threshold_number
from .tickets import RowIssue, TicketLog, parse_month

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
PREPAY_NAMES = {"quarterly": "季付", "half_yearly": "半年付", "yearly": "年付"}


def money(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def yuan(value: Decimal) -> str:
    return f"{money(value)}"


@dataclass
class Line:
    kind: str  # fee | discount | deduction | cap | interest
    clause: str  # standard id or spec path
    name: str
    amount: Decimal
    explanation: str
    metric: str | None = None
    target: str | None = None
    actual: str | None = None
    status: str = ""  # met | missed | not_evaluable | no_data for standards
    ref: str | None = None  # the contract heading stating the rule of a spec-path clause: 六（三）扣款

    @property
    def cited(self) -> str:
        """The clause as a statement prints it: the spec path with the contract's heading, when known."""
        return f"{self.ref}（{self.clause}）" if self.ref else self.clause

    def as_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "clause": self.clause, "contract_clause": self.ref, "name": self.name,
                "metric": self.metric,
                "target": self.target, "actual": self.actual, "status": self.status or None,
                "amount": str(self.amount), "explanation": self.explanation}


@dataclass
class TrialCheck:
    clause: str
    metric: str
    target: str
    actual: str | None
    met: bool | None
    explanation: str


@dataclass
class TrialResult:
    month_index: int  # 1 = first month of the trial
    checks: list[TrialCheck]
    entitled_to_exit: bool | None  # None: a condition could not be evaluated and none failed
    fee_on_exit: Percent
    payable_on_exit: Decimal  # min(share_on_exit, due_if_staying): exiting never costs more than staying
    share_on_exit: Decimal = ZERO  # fee_on_exit × the month's service fee
    due_if_staying: Decimal = ZERO  # the month's fee less deductions, before any late-payment interest
    explanation: str = ""
    interest_on_exit: Decimal = ZERO  # late-payment interest on payable_on_exit when --paid-on is late
    ref: str | None = None  # the contract's trial heading (七、试运营期)
    scope: str = ""  # which dates this statement judges, and where the rest of the trial is judged
    period: tuple[dt.date, dt.date] | None = None  # the whole trial, first and last day
    judged: tuple[dt.date, dt.date] | None = None  # the trial's days this statement judges

    @property
    def total_on_exit(self) -> Decimal:
        return self.payable_on_exit + self.interest_on_exit


@dataclass
class Statement:
    title: str
    month: str
    base_fee: Decimal  # 当月服务费, before any prepay discount: the base for every percentage
    lines: list[Line]
    deductions_total: Decimal
    deductions_cap: Decimal
    interest: Decimal
    total_due: Decimal
    not_evaluable: list[str]
    data_notes: list[str] = field(default_factory=list)
    no_data: list[str] = field(default_factory=list)  # clauses with nothing to count this month (0 tickets)
    service_days: int = 0  # days of the month inside the contract term
    days_in_month: int = 0
    log_tickets: int | None = None  # tickets counted from the log (after the month and term filters)
    trial: TrialResult | None = None
    due_on: dt.date | None = None
    paid_on: dt.date | None = None
    discount: Decimal = ZERO  # prepay discount, a positive amount taken off the fixed part

    @property
    def fee_payable(self) -> Decimal:
        """当月应付的服务费: the fee after the prepay discount, the most the deductions can take."""
        return self.base_fee - self.discount

    @property
    def complete(self) -> bool:
        return not self.not_evaluable

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "title": self.title, "month": self.month, "base_fee": str(self.base_fee),
            "discount": str(self.discount), "fee_payable": str(self.fee_payable),
            "lines": [line.as_dict() for line in self.lines], "deductions_total": str(self.deductions_total),
            "deductions_cap": str(self.deductions_cap), "interest": str(self.interest),
            "total_due": str(self.total_due), "complete": self.complete, "not_evaluable": self.not_evaluable,
            "no_data": self.no_data, "service_days": self.service_days, "days_in_month": self.days_in_month,
            "due_on": self.due_on.isoformat() if self.due_on else None,
            "paid_on": self.paid_on.isoformat() if self.paid_on else None,
            "data_notes": self.data_notes, "trial": None,
        }
        if self.trial:
            t = self.trial
            out["trial"] = {
                "month_index": t.month_index, "entitled_to_exit": t.entitled_to_exit,
                "fee_on_exit": str(t.fee_on_exit), "share_on_exit": str(t.share_on_exit),
                "due_if_staying": str(t.due_if_staying), "payable_on_exit": str(t.payable_on_exit),
                "interest_on_exit": str(t.interest_on_exit), "total_on_exit": str(t.total_on_exit),
                "contract_clause": t.ref, "scope": t.scope,
                "period": [d.isoformat() for d in t.period] if t.period else None,
                "judged": [d.isoformat() for d in t.judged] if t.judged else None,
                "explanation": t.explanation, "conditions": [vars(c) for c in t.checks],
            }
        return out


def target_text(comparator: str, threshold: Any) -> str:
    return f"{COMPARATOR_WORDS[comparator]} {threshold}"


# --- fee ----------------------------------------------------------------------------------------


def _proration_clause(clauses: ContractClauses | None) -> str:
    """Where the contract provides for a part month (fees.md.j2: 首月或末月不足整月的…按天数折算)."""
    if clauses is None:
        return "按合同服务费条款，不足整月的按天折算"
    ref = clauses.proration
    if ref is None:  # a custom template without the clause: say so rather than cite what is not there
        return "合同中没有找到不足整月的折算条款，按天折算"
    return f"按合同{ref}，不足整月的按天折算"


def _prorate(amount: Decimal, coverage: TermCoverage, clauses: ContractClauses | None) -> tuple[Decimal, str]:
    """The fixed part of a month the term covers only partly, by calendar days; '' when the month is whole."""
    if coverage.whole:
        return money(amount), ""
    value = money(amount * coverage.days / coverage.days_in_month)
    return value, (f"；{coverage.describe()}，本月在服务期限内 {coverage.days} 天（共 {coverage.days_in_month} 天），"
                   f"{_proration_clause(clauses)}：{yuan(amount)} × {coverage.days} / {coverage.days_in_month}"
                   f" = {value} 元")


def _fee_lines(spec: Spec, actuals: Actuals, tickets: int | None, missing: list[str],
               coverage: TermCoverage, clauses: ContractClauses | None) -> list[Line]:
    fees = spec.fees
    lines: list[Line] = []
    if fees.model == "fixed":
        assert fees.monthly_fee is not None
        prepayable, how = _prorate(fees.monthly_fee.amount, coverage, clauses)
        lines.append(Line("fee", "fees.monthly_fee", "固定月服务费", prepayable,
                          f"合同约定固定月服务费 {fees.monthly_fee}{how}"))
    else:
        assert fees.base_fee is not None
        prepayable, how = _prorate(fees.base_fee.amount, coverage, clauses)
        lines.append(Line("fee", "fees.base_fee", "基础服务费", prepayable, f"合同约定基础服务费 {fees.base_fee}{how}"))
    if fees.model == "per_ticket":
        assert fees.per_ticket is not None
        if tickets is None:
            missing.append("fees.per_ticket（缺少当月工单数）")
            lines.append(Line("fee", "fees.per_ticket", "按单服务费", ZERO,
                              "无法计算：缺少当月工单数（--tickets 工单表，或 actuals 的 tickets）", status="not_evaluable"))
        else:
            amount = money(fees.per_ticket.amount * tickets)
            lines.append(Line("fee", "fees.per_ticket", "按单服务费", amount,
                              f"{tickets} 单 × {fees.per_ticket} = {amount} 元", actual=f"{tickets}单"))
    if fees.model == "base_plus_share":
        share = fees.share
        assert share is not None
        if actuals.share_basis is None:
            missing.append("fees.share（缺少分成基数 share_basis）")
            lines.append(Line("fee", "fees.share", "分成", ZERO,
                              f"无法计算：actuals 中没有分成基数 share_basis（{share.basis}）", status="not_evaluable"))
        else:
            basis = actuals.share_basis
            if isinstance(share.above, Money):
                net = max(ZERO, basis - share.above.amount)
                how = f"（{yuan(basis)} − 起算门槛 {share.above}）= {yuan(net)} 元 × {share.percent}"
            else:
                net = basis
                how = f"{yuan(basis)} 元 × {share.percent}"
                if isinstance(share.above, Percent):
                    how += f"（分成基数按合同口径为超过 {share.above} 的部分，由 actuals 填报）"
            amount = money(net * share.percent.fraction)
            lines.append(Line("fee", "fees.share", f"分成（{share.basis}）", amount, f"{how} = {amount} 元",
                              actual=f"{yuan(basis)}元"))
    if actuals.prepay:
        found = [(i, d) for i, d in enumerate(fees.prepay_discounts) if PREPAY.get(d.period) == actuals.prepay]
        if not found:
            raise HostplanError(f"--prepay {actuals.prepay}：{_no_discount(spec, actuals.prepay)}")
        i, d = found[0]
        off = money(prepayable * (100 - d.rate.value) / 100)
        part, variable = prepay_parts(fees.model)
        rest = f"，{variable}不打折" if variable else ""
        lines.append(Line("discount", f"fees.prepay_discounts[{i}]", f"{PREPAY_NAMES[actuals.prepay]}折扣", ZERO - off,
                          f"{PREPAY_NAMES[actuals.prepay]}的{part}按 {d.rate} 支付{rest}：{prepayable} × (100% − {d.rate})"
                          f" = {off} 元；扣款仍以优惠前的当月服务费为基数"))
    return lines


def prepay_parts(model: str) -> tuple[str, str | None]:
    """What a prepay discount applies to (the fee fixed in advance) and the part it leaves alone, as the
    contract and the statement name them."""
    return ("月服务费" if model == "fixed" else "基础费",
            {"per_ticket": "按单费用", "base_plus_share": "分成"}.get(model))


# --- standards ----------------------------------------------------------------------------------


def breach_units(std: Any, fig: Measure) -> int:
    """How many times a fixed-per-breach remedy applies."""
    if fig.breaches is not None:
        return fig.breaches
    if isinstance(std.threshold, Count) and fig.value is not None:
        limit = std.threshold.value
        excess = {"<=": fig.value - limit, "<": fig.value - limit + 1, "=": abs(fig.value - limit)}.get(std.comparator)
        if excess is not None:
            return max(0, int(excess.to_integral_value(rounding=ROUND_CEILING)))
    return 1


def _steps(std: Any, fig: Measure, step_q: Any) -> tuple[int, str]:
    """Points (or steps) below the standard, a started step counting as a whole one, in the contract's words
    (phrases.remedy_text: 每低于标准 1 个百分点扣…，不足 1 个百分点的部分按 1 个百分点计)."""
    if fig.breaches is not None:
        return fig.breaches, f"超标 {fig.breaches} 次"
    assert fig.value is not None
    gap = abs(threshold_number(std.threshold) - fig.value)
    if step_q is not None:
        step = threshold_number(step_q)
    else:
        step = Decimal("0.1") if isinstance(std.threshold, Rating) else Decimal(1)
    steps = int((gap / step).to_integral_value(rounding=ROUND_CEILING)) if step > 0 else 0
    steps = max(steps, 1)
    where = "低于" if std.comparator in (">=", ">") else "高于"
    if isinstance(std.threshold, Count):
        unit = std.threshold.unit
        if step == 1 and gap == gap.to_integral_value():
            return steps, f"{where}标准 {fmt_num(gap)} {unit}"
        gap_text, step_text = f"{fmt_num(gap)} {unit}", f"{fmt_num(step)} {unit}"
    elif isinstance(std.threshold, Rating):
        gap_text, step_text = f"{fmt_num(gap)}分", f"{fmt_num(step)}分"
    else:
        gap_text, step_text = f"{fmt_num(gap)} 个百分点", f"{fmt_num(step)} 个百分点"
    how = f"{where}标准 {gap_text}，按每 {step_text}计一次、不足 {step_text}的部分按 {step_text}计，共 {steps} 次"
    return steps, how


def _cap_amount(cap: Any, fee: Decimal) -> tuple[Decimal, str]:
    if isinstance(cap, Money):
        return money(cap.amount), f"{cap}"
    return money(fee * cap.fraction), f"{cap} × {yuan(fee)} = {money(fee * cap.fraction)} 元"


def _standard_line(std: Any, fig: Any, fee: Decimal, payable: Decimal) -> Line:
    """One standard's line. Percentages are of `fee` (当月服务费); a waiver waives `payable` (after the discount)."""
    name = std.name
    target = target_text(std.comparator, std.threshold)
    if isinstance(fig, Missing):
        return Line("deduction", std.id, name, ZERO, f"无法评估：{fig.reason}", std.metric, target, None,
                    "not_evaluable")
    if isinstance(fig, NoData):
        return Line("deduction", std.id, name, ZERO, f"无数据：{fig.reason}；不算达标也不算未达标，不扣款",
                    std.metric, target, None, "no_data")
    basis = f"（{fig.basis}）" if fig.basis else ""
    if is_met(std, fig):
        return Line("deduction", std.id, name, ZERO, f"达标{basis}", std.metric, target, fig.actual, "met")
    remedy = std.remedy
    if remedy is None:
        return Line("deduction", std.id, name, ZERO, f"未达标，条款未约定扣款{basis}", std.metric, target,
                    fig.actual, "missed")
    if remedy.type == "fixed_per_breach":
        n = breach_units(std, fig)
        raw = remedy.amount.amount * n
        how = f"{n} 次 × {remedy.amount} = {yuan(raw)} 元"
    elif remedy.type == "percent_of_fee":
        raw = fee * remedy.percent.fraction
        how = f"未达标，扣当月服务费 {yuan(fee)} × {remedy.percent} = {yuan(raw)} 元"
    elif remedy.type == "percent_per_point":
        steps, how_steps = _steps(std, fig, remedy.step)
        pct = remedy.percent.value * steps
        raw = fee * pct / 100
        how = f"{how_steps}；{steps} × {remedy.percent} = {fmt_num(pct)}% × {yuan(fee)} = {yuan(raw)} 元"
    else:  # fee_waiver
        raw = payable
        how = f"未达标，免除当月服务费 {yuan(payable)} 元"
        if payable != fee:
            how = f"未达标，免除当月服务费：当月服务费 {yuan(fee)} 元减预付优惠后应付的 {yuan(payable)} 元全部免除"
    if remedy.cap is not None:
        cap, cap_text = _cap_amount(remedy.cap, fee)
        if raw > cap:
            how += f"，超过本条上限 {cap_text}，按上限扣 {cap} 元"
            raw = cap
    amount = money(raw)
    return Line("deduction", std.id, name, ZERO - amount, how + basis, std.metric, target, fig.actual, "missed")


# --- trial --------------------------------------------------------------------------------------


def _add_months(d: dt.date, months: int) -> dt.date:
    y, m = divmod(d.month - 1 + months, 12)
    year, month = d.year + y, m + 1
    return dt.date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class TermCoverage:
    """The days of a month inside the contract term (term.start .. term.end, both included)."""

    month: str
    first: dt.date  # first day of the month inside the term
    last: dt.date  # last day of the month inside the term
    days_in_month: int
    term_start: dt.date
    term_end: dt.date

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    @property
    def whole(self) -> bool:
        return self.days == self.days_in_month

    def describe(self) -> str:
        """'服务期限自 2026-01-15 起' / '服务期限至 2026-06-15 止' for a partly covered month."""
        parts = []
        if self.first.day != 1:
            parts.append(f"服务期限自 {self.term_start} 起")
        if self.last.day != self.days_in_month:
            parts.append(f"服务期限至 {self.term_end} 止")
        return "、".join(parts)


def term_coverage(spec: Spec, month: str, where: str = "", *, for_metrics: bool = False) -> TermCoverage:
    """The part of `month` inside the term; a month wholly outside it is an input error (nothing to settle, and
    nothing to hold against the contract's standards)."""
    first, _ = parse_month(month)
    month_first = first.date()
    month_last = _add_months(month_first, 1) - dt.timedelta(days=1)
    start, end = spec.term.start, spec.term.end
    if month_last < start or month_first > end:
        side = f"早于服务期限开始日 {start}" if month_last < start else f"晚于服务期限结束日 {end}"
        prefix = f"{where}：" if where else ""
        label, what = ("统计月份", "按方案的服务标准统计") if for_metrics else ("结算月份", "出具结算单")
        raise HostplanError(f"{prefix}{label} {month_key_of(month_first)} {side}（合同服务期限 term：{start} 至 {end}），"
                            f"不在服务期限内的月份不能{what}；请检查 --month 或规格的 term")
    return TermCoverage(month_key_of(month_first), max(month_first, start), min(month_last, end),
                        month_last.day, start, end)


def month_key_of(d: dt.date) -> str:
    return f"{d.year:04d}-{d.month:02d}"


def restrict_to_term(log: TicketLog, coverage: TermCoverage) -> TicketLog:
    """Tickets applied outside the term are not the agency's: skip them with their row numbers."""
    import dataclasses

    inside, issues = [], list(log.issues)
    for t in log.tickets:
        day = t.applied_at.date()
        if coverage.first <= day <= coverage.last:
            inside.append(t)
        else:
            side = f"早于服务期限开始日 {coverage.term_start}" if day < coverage.first else f"晚于服务期限结束日 {coverage.term_end}"
            issues.append(RowIssue(t.row, f"申请时间 {t.applied_at:%Y-%m-%d %H:%M} {side}"))
    if len(inside) == len(log.tickets):
        return log
    issues.sort(key=lambda i: (i.row, not i.skipped))
    return dataclasses.replace(log, tickets=inside, issues=issues,
                               outside_term=log.outside_term + len(log.tickets) - len(inside))


def trial_month(spec: Spec, month: str) -> int | None:
    """1-based month of the trial that `month` falls in, or None when the month is not in the trial."""
    if spec.trial is None:
        return None
    start = spec.term.start
    length = spec.trial.length
    if length.unit == "month":
        end = _add_months(start, int(length.value.to_integral_value(rounding=ROUND_CEILING)))
    else:
        end = start + dt.timedelta(minutes=int(length.minutes))
    first, _ = parse_month(month)
    first_day = first.date()
    last_day = _add_months(first_day, 1) - dt.timedelta(days=1)
    if last_day < start or first_day >= end:
        return None
    return (first_day.year - start.year) * 12 + first_day.month - start.month + 1


@dataclass(frozen=True)
class TrialPeriod:
    """The trial: from term.start for trial.length; `end` is exclusive."""

    start: dt.datetime
    end: dt.datetime

    @property
    def last_day(self) -> dt.date:
        return (self.end - dt.timedelta(microseconds=1)).date()

    def months(self) -> list[str]:
        out, d = [], self.start.date().replace(day=1)
        while d <= self.last_day:
            out.append(month_key_of(d))
            d = _add_months(d, 1)
        return out


def trial_period(spec: Spec) -> TrialPeriod | None:
    if spec.trial is None:
        return None
    start = dt.datetime.combine(spec.term.start, dt.time())
    length = spec.trial.length
    if length.unit == "month":
        end = dt.datetime.combine(
            _add_months(spec.term.start, int(length.value.to_integral_value(rounding=ROUND_CEILING))), dt.time())
    else:
        end = start + dt.timedelta(minutes=int(length.minutes))
    return TrialPeriod(start, end)


@dataclass(frozen=True)
class TrialWindow:
    """The part of the trial one month's statement judges: the trial's days inside the month and the term."""

    period: TrialPeriod
    month: str
    first: dt.datetime
    end: dt.datetime  # exclusive
    partial: bool  # the trial ends before the month's last day in the term: month-wide figures include later days

    @property
    def first_day(self) -> dt.date:
        return self.first.date()

    @property
    def last_day(self) -> dt.date:
        return (self.end - dt.timedelta(microseconds=1)).date()

    def describe(self) -> str:
        """Which dates the judgement covers, and where the rest of the trial is judged."""
        p = self.period
        text = f"本结算单按试运营期在本月内的日期 {self.first_day} 至 {self.last_day} 判断"
        if self.first == p.start and self.end == p.end:
            return text + "（即整个试运营期）"
        if self.partial:
            text += f"；试运营期于 {p.last_day} 结束，其后的日期不计入判断"
        others = [m for m in p.months() if m != self.month]
        if others:
            text += f"；试运营期的其余日期在 {'、'.join(others)} 的结算单中判断"
        return text


def trial_window(spec: Spec, coverage: TermCoverage) -> TrialWindow | None:
    """The trial's days in the covered part of the month, or None when the month has none."""
    period = trial_period(spec)
    if period is None:
        return None
    month_first = dt.datetime.combine(coverage.first, dt.time())
    month_end = dt.datetime.combine(coverage.last + dt.timedelta(days=1), dt.time())
    first, end = max(month_first, period.start), min(month_end, period.end)
    if first >= end:
        return None
    return TrialWindow(period, coverage.month, first, end, end < month_end)


def _trial_figures(window: TrialWindow, log: TicketLog | None, hours: Any, actuals: Actuals) -> Figures | str:
    """Figures for a trial that ends inside the month: tickets applied inside the trial only; a month-wide figure
    (written by hand, or an order count) includes days after the trial and cannot judge it. str: why not."""
    import dataclasses

    span = f"{window.first_day} 至 {window.last_day}"
    if log is None:
        return (f"试运营期于 {window.period.last_day} 结束，本月只有 {span} 在试运营期内；手工填报的数值是整月的，"
                "包含试运营期结束后的日期，不能用于判断；请用 --tickets 给出工单表，按申请时间只统计试运营期内的工单")
    inside = [t for t in log.tickets if window.first <= t.applied_at < window.end]
    return Figures(LogFigures(dataclasses.replace(log, tickets=inside), hours, actuals.trial_orders))


def _trial(spec: Spec, month: str, figures: Figures | str, fee: Decimal, due_if_staying: Decimal,
           late: Late | None = None, window: TrialWindow | None = None,
           trial_orders: int | None = None) -> TrialResult | None:
    index = trial_month(spec, month)
    if index is None or spec.trial is None:
        return None
    partial = window is not None and window.partial
    span = f"{window.first_day} 至 {window.last_day}" if window is not None else ""
    checks: list[TrialCheck] = []
    for i, cond in enumerate(spec.trial.exit_if_not_met):
        fig = figures.measure(cond) if not isinstance(figures, str) else Missing(figures)
        clause = f"trial.exit_if_not_met[{i}]"
        target = target_text(cond.comparator, cond.threshold)
        label = cond.name or METRICS[cond.metric].name
        if partial and not isinstance(figures, str) and cond.metric == "complaint_rate" and trial_orders is None:
            fig = Missing(f"需要 {span} 的订单数（actuals 的 trial_orders）才能计算试运营期内的投诉率；"
                          "--orders 和 actuals 的 orders 是整月的订单数，包含试运营期结束后的日期")
        if isinstance(fig, Missing):
            checks.append(TrialCheck(clause, cond.metric, target, None, None, f"{label}无法评估：{fig.reason}"))
            continue
        if isinstance(fig, NoData):
            reason = f"{span} 没有可统计的工单" if partial else fig.reason
            checks.append(TrialCheck(clause, cond.metric, target, None, None, f"{label}无数据：{reason}"))
            continue
        met = is_met(cond, fig)
        verdict = "达到" if met else "未达到"
        basis = f"{span}：{fig.basis}" if partial and fig.basis else fig.basis
        checks.append(TrialCheck(clause, cond.metric, target, fig.actual, met,
                                 f"{label} {fig.actual}，{verdict}试运营标准 {target}" + (f"（{basis}）" if basis else "")))
    if any(c.met is False for c in checks):
        entitled: bool | None = True
    elif any(c.met is None for c in checks):
        entitled = None
    else:
        entitled = False
    # The guide's trial clause is a way out at a discount ("只付 80% 服务费"): exiting must never cost the
    # merchant more than staying would, so the exit payment is capped at the month's amount after deductions.
    pct = spec.trial.fee_on_exit
    share = money(fee * pct.fraction)
    how = f"试运营条款约定解约时只付当月服务费的 {pct}：{yuan(fee)} × {pct} = {share} 元"
    if share > due_if_staying:
        payable = due_if_staying
        how += (f"，高于不解约时扣款后的应付金额 {due_if_staying} 元；解约付款不超过正常应付金额，"
                f"取两者中较低的 {payable} 元")
    else:
        payable = share
        how += f"，不高于不解约时扣款后的应付金额 {due_if_staying} 元"
    # the late-payment clause covers any amount paid late, the exit payment as much as the statement's
    late = late or Late()
    interest, how_interest = late.on(payable)
    if interest:
        how += f"；逾期 {late.days} 天付款，另加滞纳金 {how_interest}，共 {payable + interest} 元"
    return TrialResult(index, checks, entitled, pct, payable, share, due_if_staying, how, interest,
                       scope=window.describe() if window is not None else "",
                       period=(window.period.start.date(), window.period.last_day) if window is not None else None,
                       judged=(window.first_day, window.last_day) if window is not None else None)


# --- payment ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Late:
    """Days paid after the due date and the contract's daily rate: interest on any amount paid late."""

    days: int = 0
    rate: Percent | None = None

    def on(self, amount: Decimal) -> tuple[Decimal, str]:
        """Interest on `amount` (fees.late_payment: 按应付未付金额的 rate, 每逾期 1 日) and its working."""
        if self.days <= 0 or self.rate is None or amount <= 0:
            return ZERO, ""
        value = money(amount * self.rate.fraction * self.days)
        return value, f"{yuan(amount)} × {self.rate} × {self.days} = {value} 元"


def due_date(spec: Spec, month: str) -> dt.date:
    """Settlement day of the following month, plus payment_within (workdays skip Sat/Sun, not holidays)."""
    first, _ = parse_month(month)
    nxt = _add_months(first.date(), 1)
    day = min(spec.fees.settlement.day, calendar.monthrange(nxt.year, nxt.month)[1])
    due = nxt.replace(day=day)
    within = spec.fees.settlement.payment_within
    if within is None:
        return due
    if within.unit == "workday":
        left = int(within.value)
        while left > 0:
            due += dt.timedelta(days=1)
            if due.weekday() < 5:
                left -= 1
        return due
    if within.unit == "month":
        return _add_months(due, int(within.value))
    return due + dt.timedelta(days=int((within.minutes / 1440).to_integral_value(rounding=ROUND_CEILING)))


def _due_explanation(spec: Spec) -> str:
    s = spec.fees.settlement
    text = f"次月 {s.day} 日结算"
    if s.payment_within is not None:
        text += f"后 {s.payment_within}内" + ("，工作日只跳过周六、周日，不含法定节假日" if s.payment_within.unit == "workday" else "")
    return text


# --- the statement ------------------------------------------------------------------------------


def _no_discount(spec: Spec, prepay: str) -> str:
    offered = "、".join(f"{PREPAY_NAMES[p]}（{p}）" for d in spec.fees.prepay_discounts if (p := PREPAY.get(d.period)))
    return (f"规格 fees.prepay_discounts 中没有{PREPAY_NAMES[prepay]}（{prepay}）的折扣"
            + (f"，只有 {offered}" if offered else "，合同没有约定预付折扣"))


def _check_actuals(spec: Spec, month: str, actuals: Actuals, by_hand: ActualsFigures) -> None:
    """Everything wrong with the hand-written figures for this spec and month, at once, each at its line."""
    import difflib

    problems: list[Problem] = []
    if actuals.month and actuals.month != month:
        problems.append(actuals.problem(("month",), f"月份为 {actuals.month}，与结算月份 --month {month} 不一致"))
    ids = [s.id for s in spec.standards]
    for key in actuals.metrics:
        if key not in ids and key not in METRICS:
            guess = difflib.get_close_matches(key, list(METRICS), n=1, cutoff=0.6)
            problems.append(actuals.problem(
                ("metrics", key), f"{key} 既不是规格中的条款编号（{'、'.join(ids)}），也不是指标键"
                + (f"，是否想写 {guess[0]}？" if guess else "（如 satisfaction_rate、store_rating）"), "HP003", key=True))
    offered = {PREPAY.get(d.period) for d in spec.fees.prepay_discounts}
    if actuals.prepay and actuals.prepay not in offered and actuals.from_file("prepay"):
        problems.append(actuals.problem(("prepay",), _no_discount(spec, actuals.prepay)))
    if actuals.trial_orders is not None:
        window = trial_window(spec, term_coverage(spec, month))
        if window is None or not window.partial:
            where = "不在试运营期内" if window is None else "整月都在试运营期内（投诉率按 orders 计算）"
            problems.append(actuals.problem(("trial_orders",), f"{month} {where}：trial_orders 只用于试运营期在月中结束的月份，"
                                            "填写该月试运营期内的订单数"))
    targets: list[Any] = [*spec.standards, *(spec.trial.exit_if_not_met if spec.trial else [])]
    problems += by_hand.check(targets)
    if problems:
        raise SpecError(sorted(problems, key=lambda p: (p.line, p.column)))


def settle(spec: Spec, month: str, *, actuals: Actuals | None = None, log: TicketLog | None = None,
           paid_on: dt.date | None = None, orders: int | None = None,
           clauses: ContractClauses | None = None) -> Statement:
    """Evaluate every service standard against the month's figures and price the month.

    clauses: the rendered contract's clause headings (settle.contract); lines computed from a spec path then
    cite the contract heading that states the rule (六（三）扣款), since the path itself is not in the contract."""
    from .tickets import month_key

    month = month_key(month)
    coverage = term_coverage(spec, month)
    actuals = actuals or Actuals()
    if log is not None and log.month != month:
        raise HostplanError(f"工单表按 {log.month} 读取，与结算月份 {month} 不一致")
    by_hand = ActualsFigures(actuals)
    _check_actuals(spec, month, actuals, by_hand)
    orders = orders if orders is not None else actuals.orders
    if log is not None and not coverage.whole:
        log = restrict_to_term(log, coverage)
    figures = Figures(by_hand if actuals.metrics or log is None else None,
                      LogFigures(log, spec.scope.service_hours, orders) if log is not None else None)
    tickets = actuals.tickets if actuals.tickets is not None else (len(log.tickets) if log is not None else None)

    missing: list[str] = []
    lines = _fee_lines(spec, actuals, tickets, missing, coverage, clauses)
    fee = sum((line.amount for line in lines if line.kind == "fee"), ZERO)
    discount = ZERO - sum((line.amount for line in lines if line.kind == "discount"), ZERO)
    payable = max(fee - discount, ZERO)

    deductions: list[Line] = []
    no_data: list[str] = []
    waivers: list[str] = []  # missed fee_waiver standards: outside deductions.cap
    for std in spec.standards:
        line = _standard_line(std, figures.measure(std), fee, payable)
        if line.status == "not_evaluable":
            missing.append(f"{std.id} {std.name}")
        elif line.status == "no_data":
            no_data.append(f"{std.id} {std.name}")
        elif line.status == "missed" and std.remedy is not None and std.remedy.type == "fee_waiver":
            waivers.append(std.id)
        deductions.append(line)
    lines += deductions

    waived = ZERO - sum((line.amount for line in deductions if line.clause in waivers), ZERO)
    others = ZERO - sum((line.amount for line in deductions if line.clause not in waivers), ZERO)
    cap_pct = spec.deductions.cap if spec.deductions else None
    limit_clause = "deductions.cap" if cap_pct is not None else "fees"
    cap = payable
    if cap_pct is not None and money(fee * cap_pct.fraction) < payable:
        cap = money(fee * cap_pct.fraction)
        if others > cap:
            what = (f"除免除服务费的条款（{'、'.join(waivers)}，不受扣款上限限制）外，其余各项扣款合计"
                    if waivers else "各项扣款合计")
            lines.append(Line("cap", "deductions.cap", "扣款上限调整", others - cap,
                              f"{what} {yuan(others)} 元，超过扣款上限 {cap_pct} × {yuan(fee)} = {cap} 元，"
                              f"按上限扣款，调回 {yuan(others - cap)} 元"))
            others = cap
    raw_total = others + waived
    if raw_total > payable:
        whose = f"当月服务费 {yuan(fee)} 元减预付优惠 {yuan(discount)} 元后" if discount else ""
        lines.append(Line("cap", limit_clause, "扣款上限调整", raw_total - payable,
                          f"扣款合计 {yuan(raw_total)} 元，超过{whose}当月应付的服务费 {yuan(payable)} 元；"
                          f"扣款以当月应付的服务费为限，调回 {yuan(raw_total - payable)} 元"))
    deductions_total = min(raw_total, payable)
    deductions_cap = min(cap + waived, payable)
    subtotal = payable - deductions_total

    due = paid = None
    interest = ZERO
    late = Late()
    if paid_on is not None:
        paid = paid_on
        due = actuals.due_on or due_date(spec, month)
        lp = spec.fees.late_payment
        how_due = "actuals 的 due_on" if actuals.due_on else _due_explanation(spec)
        late = Late((paid_on - due).days, lp.rate if lp is not None else None)
        if late.days > 0 and lp is not None and subtotal > 0:
            interest, how = late.on(subtotal)
            lines.append(Line("interest", "fees.late_payment", "滞纳金", interest,
                              f"应付日 {due}（{how_due}），{paid_on} 付款，逾期 {late.days} 天：{how}"))
        elif late.days > 0 and lp is not None:
            lines.append(Line("interest", "fees.late_payment", "滞纳金", ZERO,
                              f"应付日 {due}（{how_due}），{paid_on} 付款，逾期 {late.days} 天；"
                              f"扣款后本月应付 {yuan(subtotal)} 元，没有应付未付的金额，无滞纳金"))
        elif late.days > 0:
            lines.append(Line("interest", "fees.late_payment", "滞纳金", ZERO,
                              f"应付日 {due}（{how_due}），{paid_on} 付款，逾期 {late.days} 天，合同未约定滞纳金"))
        else:
            lines.append(Line("interest", "fees.late_payment", "滞纳金", ZERO,
                              f"应付日 {due}（{how_due}），{paid_on} 付款，未逾期"))

    notes: list[str] = []
    if not coverage.whole:
        notes.append(f"{coverage.describe()}：{month} 只有 {coverage.first} 至 {coverage.last} 共 {coverage.days} 天在服务期限内，"
                     "固定服务费按天折算" + ("，期限外申请的工单不计入" if log is not None else ""))
    if log is not None:
        notes.append(log.summary())
        notes += [i.format() for i in log.issues]
    if actuals.metrics or actuals.tickets is not None or actuals.share_basis is not None or actuals.orders is not None:
        notes.append(f"手工填报的数据：{actuals.source}" + ("（与工单表重复的指标以手工填报为准）" if log is not None else ""))
    from ..spec.model import DATA_SOURCE_NAMES

    where = "fees.settlement.data_source"
    if clauses is not None and (heading := clauses.heading(where)):
        where = f"{heading}，{where}"
    notes.append(f"合同约定结算以{DATA_SOURCE_NAMES[spec.fees.settlement.data_source]}为准（{where}）")
    if clauses is not None:
        for line in lines:
            if line.clause not in {s.id for s in spec.standards}:  # standard ids are printed in the contract
                line.ref = clauses.heading(line.clause)
    window = trial_window(spec, coverage)
    trial_figures: Figures | str = figures
    if window is not None and window.partial:
        trial_figures = _trial_figures(window, log, spec.scope.service_hours, actuals)
    trial = _trial(spec, month, trial_figures, fee, subtotal, late, window, actuals.trial_orders)
    if trial is not None and window is not None and window.partial and log is not None and actuals.metrics:
        # the note above says hand-written figures win over the log; for the trial they cannot: they are the
        # whole month's, days after the trial included
        trial.scope += f"；手工填报的指标（{actuals.source}）是整月的数值，只用于本月服务标准，不用于试运营判断"
    if trial is not None and clauses is not None:
        trial.ref = clauses.heading("trial")
    return Statement(
        title=spec.title, month=month, base_fee=fee, lines=lines, deductions_total=deductions_total,
        deductions_cap=deductions_cap, interest=interest, total_due=subtotal + interest, not_evaluable=missing,
        data_notes=notes, no_data=no_data, service_days=coverage.days, days_in_month=coverage.days_in_month,
        log_tickets=len(log.tickets) if log is not None else None,
        trial=trial, due_on=due, paid_on=paid, discount=discount,
    )


__all__ = ["Line", "Statement", "TermCoverage", "TrialResult", "due_date", "settle", "term_coverage", "trial_month"]
