"""Characters a contract must not contain (control characters) or should not contain unnoticed (bidi
controls and zero-width characters, which make a name display differently from what it is)."""

from __future__ import annotations

import re
import unicodedata

_C0 = ("NUL", "SOH", "STX", "ETX", "EOT", "ENQ", "ACK", "BEL", "BS", "HT", "LF", "VT", "FF", "CR", "SO", "SI",
       "DLE", "DC1", "DC2", "DC3", "DC4", "NAK", "SYN", "ETB", "CAN", "EM", "SUB", "ESC", "FS", "GS", "RS", "US")

# C0 controls except tab, LF and CR; DEL and the C1 block; the non-characters U+FFFE/U+FFFF. A .docx (XML)
# cannot hold the C0 ones at all, and none of them belongs in a contract.
CONTROL_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")

BIDI = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
ZERO_WIDTH = "\u180e\u200b\u200c\u200d\u2060\u2061\u2062\u2063\u2064\ufeff"
INVISIBLE_RE = re.compile(f"[{BIDI}{ZERO_WIDTH}]")


def code_point(ch: str) -> str:
    return f"U+{ord(ch):04X}"


def control_label(ch: str) -> str:
    """U+0007（BEL）"""
    n = ord(ch)
    name = _C0[n] if n < 0x20 else "DEL" if n == 0x7F else "C1 控制字符" if n <= 0x9F else "非字符"
    return f"{code_point(ch)}（{name}）"


def invisible_label(ch: str) -> str:
    """U+202E（RIGHT-TO-LEFT OVERRIDE，双向控制字符）"""
    kind = "双向控制字符" if ch in BIDI else "零宽字符"
    return f"{code_point(ch)}（{unicodedata.name(ch, '')}，{kind}）"


def _picture(m: re.Match[str]) -> str:
    n = ord(m.group())
    return chr(0x2400 + n) if n < 0x20 else "\u2421" if n == 0x7F else "\ufffd"


def visible(line: str) -> str:
    """The line with each control character as its Control Pictures symbol (BEL -> ␇): printing it must not
    ring the terminal bell, and one character for one keeps the caret under the right column."""
    return CONTROL_RE.sub(_picture, line)
