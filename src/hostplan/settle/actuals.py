"""The month's figures written by hand (--actuals ACTUALS.yaml), for months settled without a ticket log.

    month: 2026-01
    tickets: 480            # 当月售后工单数（per_ticket 计费）
    orders: 6000            # 当月订单数（计算投诉率）
    share_basis: 80000元    # 分成基数（base_plus_share）
    prepay: quarterly       # 本月服务费按哪种预付方式支付（享受 prepay_discounts）
    due_on: 2026-02-13      # 应付日期（缺省按 settlement 推算）
    metrics:                # 键为条款编号（SLA-1）或指标键（satisfaction_rate），编号优先
      SLA-1: 3次            # 按单计的时长指标：超过标准的次数
      satisfaction_rate: 93%
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from pydantic_core import PydanticCustomError

from ..errors import HostplanError

KEYS = {
    "month": "month", "月份": "month", "tickets": "tickets", "工单数": "tickets", "orders": "orders",
    "订单数": "orders", "share_basis": "share_basis", "profit": "share_basis", "分成基数": "share_basis",
    "利润": "share_basis", "prepay": "prepay", "预付": "prepay", "due_on": "due_on", "应付日期": "due_on",
    "metrics": "metrics", "指标": "metrics",
}
PREPAY = {"quarterly": "quarterly", "季付": "quarterly", "half_yearly": "half_yearly", "半年付": "half_yearly",
          "yearly": "yearly", "年付": "yearly"}


@dataclass
class Actuals:
    source: str = "actuals"
    month: str | None = None
    tickets: int | None = None
    orders: int | None = None
    share_basis: Decimal | None = None
    prepay: str | None = None
    due_on: dt.date | None = None
    metrics: dict[str, Any] = field(default_factory=dict)


def _count(value: Any, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise HostplanError(f"{where}：应为非负整数，而不是 {value!r}")
    return value


def parse_actuals(data: Any, source: str = "actuals") -> Actuals:
    if not isinstance(data, dict):
        raise HostplanError(f"{source}：顶层应为映射，如 month: 2026-01")
    out = Actuals(source=source)
    for raw_key, value in data.items():
        key = KEYS.get(str(raw_key))
        where = f"{source} {raw_key}"
        if key is None:
            raise HostplanError(f"{source}：未知字段 {raw_key!r}；可用字段：month、tickets、orders、share_basis、prepay、"
                                "due_on、metrics")
        if key == "month":
            from .tickets import month_key

            out.month = month_key(str(value))
        elif key in ("tickets", "orders"):
            setattr(out, key, _count(value, where))
        elif key == "share_basis":
            from ..spec.quantities import Money

            try:
                out.share_basis = Money.parse(value).amount
            except PydanticCustomError as exc:
                raise HostplanError(f"{where}：{exc.message()}") from None
        elif key == "prepay":
            if str(value) not in PREPAY:
                raise HostplanError(f"{where}：应为 quarterly（季付）、half_yearly（半年付）或 yearly（年付）")
            out.prepay = PREPAY[str(value)]
        elif key == "due_on":
            try:
                out.due_on = dt.date.fromisoformat(str(value))
            except ValueError:
                raise HostplanError(f"{where}：日期格式应为 YYYY-MM-DD") from None
        elif key == "metrics":
            if not isinstance(value, dict):
                raise HostplanError(f"{where}：应为映射，如 SLA-1: 3次")
            out.metrics = {str(k): v for k, v in value.items()}
    return out


def load_actuals(path: str | Path) -> Actuals:
    from ..spec.load import parse_yaml, read_text

    text = read_text(path, str(path))
    data, _ = parse_yaml(text, str(path))
    return parse_actuals(data, str(path))
