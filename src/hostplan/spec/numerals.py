"""Chinese numerals (三十, 两, 一百零五, 十二) to integers; shared by the spec parser and the linter."""

from __future__ import annotations

import re

DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "俩": 2, "三": 3, "四": 4, "五": 5,
          "六": 6, "七": 7, "八": 8, "九": 9}
UNITS = {"十": 10, "百": 100, "千": 1000, "万": 10000}

CN_NUMBER = "[零〇一二两俩三四五六七八九十百千万]+"
CN_NUMBER_RE = re.compile(CN_NUMBER)


def cn_to_int(text: str) -> int:
    """Parse a Chinese numeral; raise ValueError when it is not one."""
    if not text or any(ch not in DIGITS and ch not in UNITS for ch in text):
        raise ValueError(f"不是中文数字：{text}")
    total = 0
    section = 0
    digit = 0
    for ch in text:
        if ch in DIGITS:
            digit = DIGITS[ch]
        else:
            unit = UNITS[ch]
            if unit == 10000:
                section = (section + digit) * unit
                total += section
                section = 0
            else:
                # 十 alone means 10 (十二 = 12)
                section += (digit or 1) * unit
            digit = 0
    return total + section + digit
