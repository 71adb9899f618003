"""Checks on a spec: field checks (spec_field), missing modules (module), category emphasis
(category_clause) and numeric consistency (consistency). Each yields (loc, key?, code, message, extra)
and the engine turns locs into YAML line:column."""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from ...spec.load import Loc
from ...spec.model import FixedPerBreach, Spec
from ...spec.quantities import Duration, Money, Percent, Rating
from ..text import keywords_present, normalise
from .lexicon import fmt
from .limits import LAST_SAFE_DAY, PERCENT_MAX

if TYPE_CHECKING:
    from ...spec.categories import Category
    from ...spec.partial import Partial
    from ..rules import Rule, RuleSet


@dataclass(frozen=True, slots=True)
class SpecHit:
    loc: Loc
    code: str
    message: str
    key: bool = False  # point at the mapping key rather than the value
    suggestion: str | None = None
    text: str = ""
    # the places the finding depends on, when not just loc (a missing module is reported at its parent): a
    # finding that depends on an invalid part of a spec is a consequence of its HP0xx problem and is dropped
    reads: tuple[Loc, ...] | None = None


# --- spec_field -----------------------------------------------------------------------------------


def _expand(data: Any, path: str) -> Iterator[tuple[Loc, Any]]:
    """'processes[*].steps[*]' -> every (loc, item) it names in the raw data."""
    items: list[tuple[Loc, Any]] = [((), data)]
    for part in path.split("."):
        star = part.endswith("[*]")
        name = part[:-3] if star else part
        nxt: list[tuple[Loc, Any]] = []
        for loc, value in items:
            if not isinstance(value, dict) or name not in value:
                continue
            child = value[name]
            if star:
                if isinstance(child, list):
                    nxt.extend(((*loc, name, i), v) for i, v in enumerate(child))
            else:
                nxt.append(((*loc, name), child))
        items = nxt
    yield from items


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


def spec_field(rule: Rule, data: dict[str, Any]) -> Iterator[SpecHit]:
    params = rule.params
    where = params.get("where") or {}
    for path in params.get("items", []):
        for loc, item in _expand(data, path):
            if not isinstance(item, dict):
                continue
            if any(item.get(k) != v for k, v in where.items()):
                continue
            if _empty(item.get(params["field"])):
                values = {k: v for k, v in item.items() if isinstance(v, str | int | float)}
                yield SpecHit(loc, rule.code, fmt(rule.message, **values), suggestion=rule.suggestion,
                              reads=((*loc, params["field"]), *((*loc, k) for k in where)))


# --- module ---------------------------------------------------------------------------------------


def module(rule: Rule, data: dict[str, Any]) -> Iterator[SpecHit]:
    path = rule.params.get("spec")
    if not path:
        return
    parts = path.split(".")
    cur: Any = data
    loc: Loc = ()
    for part in parts:
        if not isinstance(cur, dict) or _empty(cur.get(part)):
            # point at the deepest part that exists: the parent key (or the top of the file)
            yield SpecHit(loc, rule.code, rule.message, key=bool(loc), suggestion=rule.suggestion,
                          reads=(tuple(parts),))
            return
        cur = cur[part]
        loc = (*loc, part)


# --- category_clause ------------------------------------------------------------------------------


def category_clause(rule: Rule, spec: Spec, data: dict[str, Any], category: Category | None) -> Iterator[SpecHit]:
    if category is None:
        return
    check = rule.params.get("check")
    keys = {c.key: c for c in category.clauses}
    raw_emphasis = data.get("emphasis") if isinstance(data.get("emphasis"), dict) else {}
    if check == "missing":
        for clause in category.clauses:
            if clause.key not in spec.emphasis:
                loc: Loc = ("emphasis",) if raw_emphasis else ()
                yield SpecHit(loc, rule.code, fmt(rule.message, category=category.name, title=clause.title,
                                                  key=clause.key, why=clause.why),
                              key=bool(loc), suggestion=f"{clause.key}: {clause.text}",
                              reads=(("emphasis", clause.key),))
    elif check == "weak":
        for key, emphasis in spec.emphasis.items():
            known = keys.get(key)
            if known is not None and not keywords_present(emphasis.text, known.keywords):
                words = " 或 ".join("+".join(g) for g in known.keywords)
                nested = isinstance((raw_emphasis or {}).get(key), dict)
                yield SpecHit(("emphasis", key, "text") if nested else ("emphasis", key),
                              rule.code, fmt(rule.message, title=known.title, key=key, keywords=words),
                              suggestion=known.text)
    elif check == "unknown":
        for key in spec.emphasis:
            if key not in keys:
                guess = difflib.get_close_matches(key, list(keys), n=1, cutoff=0.6)
                hint = f"：是否想写 {guess[0]}？" if guess else f"：可用的键有 {'、'.join(keys)}"
                yield SpecHit(("emphasis", key), rule.code, fmt(rule.message, key=key, category=category.name, hint=hint),
                              key=True)


# --- consistency ----------------------------------------------------------------------------------


def _pct(q: Any) -> Decimal | None:
    return q.value if isinstance(q, Percent) else None


def _fee(spec: Spec) -> Money | None:
    # only a fixed fee is the whole monthly fee; a base fee is topped up per ticket or by a share
    return spec.fees.monthly_fee if spec.fees.model == "fixed" else None


def consistency(rule: Rule, spec: Spec, data: dict[str, Any],
                walked: list[tuple[Loc, Any]] | None = None) -> Iterator[SpecHit]:
    check = rule.params.get("check")
    if walked is None and check in ("percent_range", "currencies"):
        walked = list(_walk(spec, ()))
    code = rule.code
    if check == "deduction_cap":
        has_remedy = any(s.remedy is not None for s in spec.standards)
        if spec.deductions is None:
            if has_remedy:  # at an empty `deductions:` when the file has one, else about the whole spec
                yield SpecHit(("deductions",) if "deductions" in data else (), code,
                              "服务标准有扣款，但没有当月扣款总额上限：扣款可能超过服务费本身。"
                              "请补充 deductions.cap（如 30%）", key=True, suggestion=rule.suggestion,
                              reads=(("deductions",),))
        elif spec.deductions.cap.value > PERCENT_MAX:
            yield SpecHit(("deductions", "cap"), code,
                          f"扣款上限 {spec.deductions.cap} 超过 100%：扣款可以超过当月服务费。请改为不超过 100%（常见 30%）",
                          suggestion=rule.suggestion)
        caps = [(i, s.remedy.cap) for i, s in enumerate(spec.standards)
                if s.remedy is not None and isinstance(s.remedy.cap, Percent)]
        total = sum((c.value for _, c in caps), Decimal(0))
        if total > PERCENT_MAX and (spec.deductions is None or spec.deductions.cap.value > PERCENT_MAX):
            i = caps[-1][0]
            yield SpecHit(("standards", i, "remedy", "cap"), code,
                          f"各条标准的扣款上限合计 {total.normalize():f}%，超过当月服务费：请补充不超过 100% 的总上限 deductions.cap",
                          reads=(*(("standards", j, "remedy", "cap") for j, _ in caps), ("deductions",)))
    elif check == "trial_vs_sla":
        if spec.trial is None:
            return
        for i, cond in enumerate(spec.trial.exit_if_not_met):
            for j, std in enumerate(spec.standards):
                if std.metric != cond.metric or type(std.threshold) is not type(cond.threshold):
                    continue
                t, s = _value(cond.threshold), _value(std.threshold)
                if t is None or s is None:
                    continue
                upper = std.comparator in ("<=", "<")  # a maximum: larger is looser
                looser = t > s if upper else t < s
                if looser:
                    yield SpecHit(("trial", "exit_if_not_met", i, "threshold"), code,
                                  f"试运营解约标准 {cond.threshold} 比服务标准 {std.id}（{std.name} {std.comparator} "
                                  f"{std.threshold}）还宽松：试运营期不达标也无法解约。请改为"
                                  f"{'不高于' if upper else '不低于'} {std.threshold}",
                                  reads=(("trial", "exit_if_not_met", i), ("standards", j)))
    elif check == "dates":
        if spec.term.end <= spec.term.start:
            yield SpecHit(("term", "end"), code, f"服务结束日期 {spec.term.end} 不晚于开始日期 {spec.term.start}：请检查是否写反",
                          reads=(("term",),))
        else:
            for i, goal in enumerate(spec.goals):
                by = goal.by
                if not isinstance(by, Duration) and (by < spec.term.start or by > spec.term.end):
                    yield SpecHit(("goals", i, "by"), code,
                                  f"目标期限 {by} 不在服务期 {spec.term.start} 至 {spec.term.end} 之内",
                                  reads=(("goals", i, "by"), ("term",)))
    elif check == "settlement_day":
        day = spec.fees.settlement.day
        if day > LAST_SAFE_DAY:
            yield SpecHit(("fees", "settlement", "day"), code, fmt(rule.message, day=day), suggestion=rule.suggestion)
    elif check == "percent_range":
        for loc, value in walked or ():
            # deductions.cap over 100% is HP501's (the cap lets deductions exceed the fee): one finding, not two
            if isinstance(value, Percent) and value.value > PERCENT_MAX and loc[0] not in ("goals",) \
                    and loc[:3] != ("fees", "share", "above") and loc != ("deductions", "cap"):
                yield SpecHit(loc, code, f"百分比 {value} 超过 100%：请检查是否笔误")
    elif check == "response_vs_hours":
        day_minutes = spec.scope.service_hours.minutes
        if day_minutes <= 0:
            return
        for i, std in enumerate(spec.standards):
            if std.metric in ("first_response_time", "complex_response_time") and isinstance(std.threshold, Duration) \
                    and std.threshold.minutes > day_minutes and std.comparator in ("<=", "<"):
                hours = Decimal(day_minutes) / 60
                yield SpecHit(("standards", i, "threshold"), code,
                              f"响应时限 {std.threshold} 比每天的服务时长（{hours.normalize():f} 小时）还长：这个标准永远不会被违反。"
                              "请缩短时限，或写明服务时间外的消息如何计时",
                              reads=(*(("standards", i, f) for f in ("metric", "comparator", "threshold")),
                                     ("scope", "service_hours")))
    elif check == "currencies":
        seen: dict[str, Loc] = {}
        for loc, value in walked or ():
            if isinstance(value, Money):
                seen.setdefault(value.currency, loc)
        if len(seen) > 1:
            first, *others = seen
            for cur in others:
                yield SpecHit(seen[cur], code, f"金额币种不一致：这里是 {cur}，其他金额是 {first}。请统一币种，或写明汇率和换算日期",
                              reads=(seen[cur], seen[first]))
    elif check == "penalty_size":
        fee = _fee(spec)
        if fee is None or fee.amount <= 0:
            return
        share = Decimal(str(rule.params.get("single_breach_share", 30)))
        for i, std in enumerate(spec.standards):
            r = std.remedy
            if isinstance(r, FixedPerBreach) and r.amount.currency == fee.currency:
                ratio = r.amount.amount / fee.amount * 100
                if ratio > share:
                    yield SpecHit(("standards", i, "remedy", "amount"), code,
                                  f"单次违约扣款 {r.amount} 占月服务费 {fee} 的 {ratio.quantize(Decimal(1))}%，明显过高："
                                  f"违约金过分高于损失的，法院可依《民法典》第五百八十五条予以减少。建议单次不超过月服务费的 {share.normalize():f}%，并设扣款总上限",
                                  reads=(("standards", i, "remedy"), ("fees", "model"), ("fees", "monthly_fee")))
    elif check == "owners":
        resp = spec.responsibilities
        for i, task in enumerate(resp.shared):
            if task.lead == "both":
                yield SpecHit(("responsibilities", "shared", i, "lead"), code,
                              f"事项“{task.task}”由双方共同主导，出了问题谁都不负责：请指定一方主导、另一方配合",
                              reads=(("responsibilities", "shared", i),))
            elif task.support is not None and task.support == task.lead:
                yield SpecHit(("responsibilities", "shared", i, "support"), code,
                              f"事项“{task.task}”的主导方和配合方是同一方：请写明另一方",
                              reads=(("responsibilities", "shared", i),))
        both = set(map(normalise, resp.merchant)) & set(map(normalise, resp.agency))
        for j, item in enumerate(resp.agency):
            if normalise(item) in both:
                yield SpecHit(("responsibilities", "agency", j), code,
                              f"“{item}”同时写在商家和托管方的责任里：请只留在负责的一方，另一方写“配合”")
        for loc, step in _steps(spec):
            if step.actor == "both":
                yield SpecHit((*loc, "actor"), code, f"步骤“{step.action}”由双方执行：请写明由哪一方负责", reads=(loc,))


def _value(q: Any) -> Decimal | None:
    if isinstance(q, Percent | Rating):
        return q.value
    if isinstance(q, Duration):
        return q.minutes
    if isinstance(q, Money):
        return q.amount
    return getattr(q, "value", None)


def _steps(spec: Spec) -> Iterator[tuple[Loc, Any]]:
    for i, proc in enumerate(spec.processes):
        for j, step in enumerate(proc.steps):
            yield ("processes", i, "steps", j), step
    for i, em in enumerate(spec.emergencies):
        for j, step in enumerate(em.steps):
            yield ("emergencies", i, "steps", j), step


_TYPED_SECTIONS = ("goals", "standards", "fees", "deductions", "trial")


def _walk(value: Any, loc: Loc) -> Iterator[tuple[Loc, Any]]:
    if isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from _walk(getattr(value, name), (*loc, name))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _walk(v, (*loc, i))
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from _walk(v, (*loc, str(k)))
    else:
        yield loc, value


def check_spec(ruleset: RuleSet, spec: Spec | None, data: dict[str, Any], category: Category | None,
               enabled: frozenset[str] | None, text: str | None = None, partial: Partial | None = None) -> list[SpecHit]:
    """Every structural finding for one spec. `text` is the spec's source, when known: checks that look for rare
    characters skip a file that has none. For a spec that does not validate, `partial` holds a model without its
    invalid parts: findings are given in the file's terms, and those that read an invalid part are left out."""
    out: list[SpecHit] = []
    if partial is not None:
        spec = partial.spec
    if spec is None:
        return out
    # every typed value with its loc, shared by the consistency checks; only sections that hold money or percentages
    walked = [item for name in _TYPED_SECTIONS for item in _walk(getattr(spec, name), (name,))]
    for rule in ruleset.rules.values():
        if enabled is not None and rule.code not in enabled:
            continue
        if rule.type == "spec_field":
            out.extend(spec_field(rule, data))
        elif rule.type == "module":
            out.extend(module(rule, data))
        elif rule.type == "category_clause":
            out.extend(category_clause(rule, spec, data, category))
        elif rule.type == "consistency":
            hits = consistency(rule, spec, data, walked)
            if partial is not None:  # the model's lists may have lost items: number them as the file does
                hits = (replace(h, loc=partial.to_raw(h.loc),
                                reads=None if h.reads is None else tuple(map(partial.to_raw, h.reads))) for h in hits)
            out.extend(hits)
    from .legal import check_legal  # rules/hp7_legal.yaml

    out.extend(check_legal(ruleset, spec, data, enabled, text))
    if partial is not None:
        out = [h for h in out if not partial.touches(h.reads if h.reads is not None else (h.loc,))]
    return out
