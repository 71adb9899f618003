"""Units people write in specs and contracts, and what they mean. Plain data without pydantic, so the linter
can read a Markdown contract's figures without loading the spec model."""

from __future__ import annotations

from decimal import Decimal

# unit -> canonical key; longer spellings first so the regex prefers them
DURATION_UNITS: dict[str, str] = {
    "个工作日": "workday", "工作日": "workday", "workdays": "workday", "workday": "workday",
    "秒钟": "second", "秒": "second", "seconds": "second", "second": "second", "sec": "second", "s": "second",
    "分钟": "minute", "minutes": "minute", "minute": "minute", "mins": "minute", "min": "minute",
    "个小时": "hour", "小时": "hour", "hours": "hour", "hour": "hour", "hrs": "hour", "hr": "hour", "h": "hour",
    "天": "day", "日": "day", "days": "day", "day": "day", "d": "day",
    "个星期": "week", "星期": "week", "周": "week", "weeks": "week", "week": "week", "w": "week",
    "个月": "month", "月": "month", "months": "month", "month": "month",
}
DURATION_CN = {"second": "秒", "minute": "分钟", "hour": "小时", "day": "天", "workday": "个工作日",
               "week": "周", "month": "个月"}
# minutes per unit; a workday counts as a calendar day and a month as 30 days for comparisons only
DURATION_MINUTES = {"second": Decimal(1) / 60, "minute": Decimal(1), "hour": Decimal(60),
                    "day": Decimal(1440), "workday": Decimal(1440), "week": Decimal(10080),
                    "month": Decimal(43200)}

COUNT_UNITS = ("次", "条", "个", "单", "件", "款", "人", "家", "份", "篇", "起", "times", "tickets")

CURRENCY_PREFIX = {"¥": "CNY", "￥": "CNY", "RMB": "CNY", "CNY": "CNY", "人民币": "CNY", "$": "USD",
                   "US$": "USD", "USD": "USD", "HK$": "HKD", "HKD": "HKD"}
CURRENCY_SUFFIX = {"万元": "CNY", "元人民币": "CNY", "元": "CNY", "块": "CNY", "CNY": "CNY",
                   "RMB": "CNY", "美元": "USD", "USD": "USD", "港币": "HKD", "港元": "HKD", "HKD": "HKD"}
CURRENCY_SYMBOL = {"CNY": "元", "USD": "美元", "HKD": "港元"}
