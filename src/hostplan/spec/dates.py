"""Why a YYYY-MM-DD text is not a date, in words a user can act on (2026-02-30: February has no 30th)."""

from __future__ import annotations

import calendar
import datetime as dt
import re

from ..errors import HostplanError

_YMD = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")


def date_problem(text: str) -> str | None:
    """A message when text is shaped like a date but names no real day (or is not zero-padded); None when it
    is a valid YYYY-MM-DD date or not date-shaped at all (the caller's generic message fits that better)."""
    m = _YMD.fullmatch(text.strip())
    if m is None:
        return None
    year, month, day = (int(g) for g in m.groups())
    if year < 1:
        return f"{text} 不是有效日期：没有公元 {year} 年"
    if not 1 <= month <= 12:
        return f"{text} 不是有效日期：月份应为 1–12，没有 {month} 月"
    last = calendar.monthrange(year, month)[1]
    if day < 1:
        return f"{text} 不是有效日期：日应从 1 开始"
    if day > last:
        if month == 2 and day == 29:
            return f"{text} 不是有效日期：{year} 年不是闰年，2 月没有 29 日"
        return f"{text} 不是有效日期：{month} 月没有 {day} 日（{year} 年 {month} 月只有 {last} 天）"
    if len(m.group(2)) < 2 or len(m.group(3)) < 2:
        return f"日期应写成 YYYY-MM-DD（月、日各两位）：{year:04d}-{month:02d}-{day:02d}"
    return None


_STRICT = re.compile(r"\d{4}-\d{2}-\d{2}")


def parse_date(text: str, what: str) -> dt.date:
    """A YYYY-MM-DD date given on the command line (what: the option, e.g. --date), or a HostplanError saying
    why not. Stricter than date.fromisoformat, which also takes 20260105 and 2026-W02-1."""
    value = text.strip()
    if _STRICT.fullmatch(value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise HostplanError(f"{what}: {date_problem(value) or f'{text} 的格式应为 YYYY-MM-DD'}")
