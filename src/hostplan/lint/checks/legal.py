"""Checks of rules/hp7_legal.yaml (type consistency, params.check below): a statutory cap the spec can exceed
(定金 above 20%, 《民法典》第五百八十六条) and text that displays differently from what it is (bidi controls,
zero-width characters). Called once per spec from checks.spec.check_spec."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any

from ...spec.chars import INVISIBLE_RE, invisible_label
from ...spec.load import Loc, format_loc
from ...spec.quantities import Money, Percent
from .spec import SpecHit

if TYPE_CHECKING:
    from ...spec.model import Spec
    from ..rules import Rule, RuleSet

DAYS_PER_MONTH = Decimal("30.4375")  # 365.25 / 12: a one-year term is 12 months


def _num(value: Decimal) -> str:
    return format(value.normalize(), "f")


def _term_months(spec: Spec) -> Decimal:
    days = (spec.term.end - spec.term.start).days + 1
    return max(Decimal(1), (Decimal(days) / DAYS_PER_MONTH).quantize(Decimal(1), ROUND_HALF_UP))


def deposit_cap(rule: Rule, spec: Spec) -> Iterator[SpecHit]:
    """fees.deposit is rendered as 定金: above 20% of the contract amount the excess has no 定金 effect."""
    deposit = spec.fees.deposit
    limit = Decimal(str(rule.params.get("limit", 20)))
    loc: Loc = ("fees", "deposit")
    law = "《民法典》第五百八十六条：定金不得超过主合同标的额的 20%，超过部分不产生定金的效力"
    if isinstance(deposit, Percent) and deposit.value > limit:
        yield SpecHit(loc, rule.code, f"定金 {deposit} 超过合同总额的 {_num(limit)}%。{law}。请改为不超过 {_num(limit)}%，"
                      "或把超出部分写成预付服务费", suggestion=rule.suggestion, text=str(deposit))
    elif isinstance(deposit, Money) and spec.fees.model == "fixed" and spec.fees.monthly_fee is not None \
            and spec.fees.monthly_fee.currency == deposit.currency:
        # only a fixed fee gives the contract amount; per-ticket and profit-share contracts are open-ended
        fee = spec.fees.monthly_fee
        months = _term_months(spec)
        total = fee.amount * months
        cap = (total * limit / 100).quantize(Decimal("0.01"), ROUND_HALF_UP)
        if deposit.amount > cap:
            unit = str(fee).removeprefix(_num(fee.amount))
            yield SpecHit(loc, rule.code,
                          f"定金 {deposit} 超过合同总额（月服务费 {fee} × {_num(months)} 个月 = {_num(total)}{unit}）的 "
                          f"{_num(limit)}%（{_num(cap)}{unit}）。{law}。请改为不超过 {_num(cap)}{unit}",
                          suggestion=rule.suggestion, text=str(deposit),
                          reads=(loc, ("fees", "model"), ("fees", "monthly_fee"), ("term",)))


def _strings(data: Any, loc: Loc = ()) -> Iterator[tuple[Loc, str, bool]]:
    """Every string in the raw data, keys included (a key is reported at the key)."""
    if isinstance(data, dict):
        for k, v in data.items():
            key_loc = (*loc, str(k))
            if isinstance(k, str):
                yield key_loc, k, True
            yield from _strings(v, key_loc)
    elif isinstance(data, list):
        for i, v in enumerate(data):
            yield from _strings(v, (*loc, i))
    elif isinstance(data, str):
        yield loc, data, False


def invisible_chars(rule: Rule, data: dict[str, Any]) -> Iterator[SpecHit]:
    """Bidi controls and zero-width characters in any value or key: U+202E turns 某某科技有限公司 into a name
    that reads differently from what is signed, and a zero-width space makes two names look the same."""
    for loc, text, is_key in _strings(data):
        message = invisible_message(f"键 {text!r}" if is_key else (format_loc(loc) or "值"), text)
        if message:
            # the characters are there whatever else is wrong: this depends on no parsed value
            yield SpecHit(loc, rule.code, message, key=is_key, suggestion=rule.suggestion, text=text, reads=())


def invisible_message(where: str, text: str) -> str | None:
    """HP702's explanation for one value or line of text, None when it has no such characters."""
    found = list(INVISIBLE_RE.finditer(text))
    if not found:
        return None
    labels = "、".join(dict.fromkeys(invisible_label(m.group()) for m in found))
    first = found[0].start() + 1
    shown = INVISIBLE_RE.sub("", text).strip()
    sep = " " if where[-1:].isascii() else ""  # parties.merchant.name 中有 / 第 3 行中有
    return (f"{where}{sep}中有 {len(found)} 个不可见字符 {labels}（第一个在第 {first} 个字符处）：它们能让文字显示得与"
            f"实际内容不同，合同中的名称尤其危险。去掉后是“{shown}”，请删除这些字符后核对")


CHECKS = {"deposit_cap", "invisible_chars"}


def check_legal(ruleset: RuleSet, spec: Spec, data: dict[str, Any], enabled: frozenset[str] | None,
                text: str | None = None) -> list[SpecHit]:
    out: list[SpecHit] = []
    for rule in ruleset.rules.values():
        check = rule.params.get("check")
        if rule.type != "consistency" or check not in CHECKS or (enabled is not None and rule.code not in enabled):
            continue
        if check == "deposit_cap":
            out.extend(deposit_cap(rule, spec))
        # one scan of the source clears almost every spec; a backslash may be a YAML escape such as "\u202e"
        elif text is None or "\\" in text or INVISIBLE_RE.search(text):
            out.extend(invisible_chars(rule, data))
    return out
