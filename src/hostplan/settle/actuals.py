"""The month's figures written by hand (--actuals ACTUALS.yaml), for months settled without a ticket log.

    month: 2026-01
    tickets: 480            # 当月售后工单数（per_ticket 计费）
    orders: 6000            # 当月订单数（计算投诉率）
    trial_orders: 2500      # 试运营期在月中结束时：该月试运营期内的订单数（试运营期的投诉率）
    share_basis: 80000元    # 分成基数（base_plus_share）
    prepay: quarterly       # 本月服务费按哪种预付方式支付（享受 prepay_discounts）
    due_on: 2026-02-13      # 应付日期（缺省按 settlement 推算）
    metrics:                # 键为条款编号（SLA-1）或指标键（satisfaction_rate），编号优先
      SLA-1: 3次            # 按单计的时长指标：超过标准的次数
      satisfaction_rate: 93%

The file is read by the spec loader (spec/load.py), so every problem in it is a Problem at
file:line:column with the spec's codes, printed as `hostplan validate` prints them.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic_core import PydanticCustomError

from ..errors import HostplanError, Problem, SpecError

if TYPE_CHECKING:
    from ..spec.load import Loc, Positions

KEYS = {
    "month": "month", "月份": "month", "tickets": "tickets", "工单数": "tickets", "orders": "orders",
    "订单数": "orders", "share_basis": "share_basis", "profit": "share_basis", "分成基数": "share_basis",
    "利润": "share_basis", "prepay": "prepay", "预付": "prepay", "due_on": "due_on", "应付日期": "due_on",
    "metrics": "metrics", "指标": "metrics", "trial_orders": "trial_orders", "试运营期订单数": "trial_orders",
}
FIELDS = "month、tickets、orders、trial_orders、share_basis、prepay、due_on、metrics"
PREPAY = {"quarterly": "quarterly", "季付": "quarterly", "half_yearly": "half_yearly", "半年付": "half_yearly",
          "yearly": "yearly", "年付": "yearly"}
_YMD = re.compile(r"\d{4}-\d{2}-\d{2}")  # as the spec reads dates (pydantic): 20260213 is no date
EMPTY = "文件为空：当月数据至少要写 month 和 metrics（格式见 README“手工填报的当月数据”）"


@dataclass
class Actuals:
    source: str = "actuals"
    month: str | None = None
    tickets: int | None = None
    orders: int | None = None
    trial_orders: int | None = None  # orders inside the trial, for a month the trial ends in
    share_basis: Decimal | None = None
    prepay: str | None = None
    due_on: dt.date | None = None
    metrics: dict[str, Any] = field(default_factory=dict)
    # where the file said it: None when the figures were built in code (tests, --prepay alone)
    text: str = ""
    positions: Positions | None = None
    spelled: dict[str, str] = field(default_factory=dict)  # canonical field -> the key as written (月份, 指标)
    read: dict[str, Any] = field(default_factory=dict)  # canonical field -> the value the file gave

    def from_file(self, key: str) -> bool:
        """Whether the field still holds what the file said (the CLI's --prepay may have replaced it)."""
        return key in self.read and self.read[key] == getattr(self, key)

    def problem(self, loc: Loc, message: str, code: str = "HP005", *, key: bool = False) -> Problem:
        """A problem at loc (canonical field names, e.g. ("metrics", "SLA-1")), positioned when read from a file."""
        from ..spec.load import format_loc, source_line

        if loc and isinstance(loc[0], str):
            loc = (self.spelled.get(loc[0], loc[0]), *loc[1:])
        line = column = 0
        if self.positions is not None:
            line, column = self.positions.find(loc, key=key)
        return Problem(self.source, line, column, format_loc(loc), message, code, source_line(self.text, line))


def _count(value: Any, what: str, example: int) -> int | str:
    """A whole number of tickets or orders, or the message saying why not."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        return f"应为{what}（非负整数，如 {example}），而不是 {value}"
    return value


def _date(value: Any) -> dt.date | str:
    from ..spec.dates import date_problem

    text = str(value).strip()
    if _YMD.fullmatch(text):
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            pass
    return date_problem(text) or f"应为日期，格式 YYYY-MM-DD，而不是 {value}"


def parse_actuals(data: Any, source: str = "actuals", text: str = "", positions: Positions | None = None) -> Actuals:
    """Data read from an actuals file -> Actuals; every problem is collected and raised together as a SpecError."""
    out = Actuals(source=source, text=text, positions=positions)
    if not isinstance(data, dict):
        raise SpecError([out.problem((), "当月数据文件的顶层应为映射（键: 值），例如 month: 2026-01", "HP005")])
    problems: list[Problem] = []
    for raw_key, value in data.items():
        name = str(raw_key)
        key = KEYS.get(name)
        if key is None:
            guess = difflib.get_close_matches(name, list(KEYS), n=1, cutoff=0.6)
            hint = f"，是否想写 {guess[0]}？" if guess else f"：可用字段为 {FIELDS}"
            problems.append(out.problem((name,), f"未知字段 {name}{hint}", "HP003", key=True))
            continue
        if key in out.spelled:
            problems.append(out.problem((name,), f"重复的字段：{name} 与 {out.spelled[key]} 是同一字段，请只写一个",
                                        "HP006", key=True))
            continue
        out.spelled[key] = name
        message = _field(out, key, value)
        if message:
            problems.append(out.problem((key,), message))
        else:
            out.read[key] = getattr(out, key)
    if problems:
        raise SpecError(sorted(problems, key=lambda p: (p.line, p.column)))
    return out


def _field(out: Actuals, key: str, value: Any) -> str | None:
    """Set one field on out; the message when its value is wrong."""
    if value is None:
        return "没有填写数值：请填上或删除这一行"
    if key == "month":
        from .tickets import month_key

        try:
            out.month = month_key(str(value))
        except HostplanError:
            return f"应为结算月份 YYYY-MM，如 2026-01，而不是 {value}"
    elif key in ("tickets", "orders", "trial_orders"):
        what = {"tickets": ("当月工单数", 480), "orders": ("当月订单数", 1100), "trial_orders": ("试运营期内的订单数", 500)}
        count = _count(value, *what[key])
        if isinstance(count, str):
            return count
        setattr(out, key, count)
    elif key == "share_basis":
        from ..spec.quantities import Money

        try:
            out.share_basis = Money.parse(value).amount
        except PydanticCustomError as exc:
            return exc.message()
        if out.share_basis < 0:
            return f"分成基数不能为负数：{value}"
    elif key == "prepay":
        if str(value) not in PREPAY:
            return f"应为 quarterly（季付）、half_yearly（半年付）或 yearly（年付），而不是 {value}"
        out.prepay = PREPAY[str(value)]
    elif key == "due_on":
        due = _date(value)
        if isinstance(due, str):
            return due
        out.due_on = due
    elif key == "metrics":
        if not isinstance(value, dict):
            return "应为映射（键: 值），每行一个条款编号或指标键，如 SLA-1: 3次"
        out.metrics = {str(k): v for k, v in value.items()}
    return None


def load_actuals(path: str | Path) -> Actuals:
    """Read an actuals file; unreadable files, YAML errors and wrong values raise SpecError with positions."""
    from ..spec.load import parse_yaml, read_text

    name = str(path)
    text = read_text(path, name, kind="当月数据文件")
    data, positions = parse_yaml(text, name, empty=EMPTY)
    return parse_actuals(data, name, text, positions)
