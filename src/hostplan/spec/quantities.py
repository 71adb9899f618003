"""Typed quantities parsed from what people write: 30分钟, 2h, 95%, ¥5,000, 4.5分, 3次.

Each type validates in pydantic from a string (or, where a bare number is unambiguous, a number),
serialises back to a canonical Chinese string and describes itself in JSON Schema as the strings it
accepts. The unit tables below are the single source of truth for parsing and for the schema patterns.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, ClassVar

from pydantic import GetCoreSchemaHandler, GetJsonSchemaHandler
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import PydanticCustomError, core_schema

from .numerals import CN_NUMBER, cn_to_int
from .units import (
    COUNT_UNITS,
    CURRENCY_PREFIX,
    CURRENCY_SUFFIX,
    CURRENCY_SYMBOL,
    DURATION_CN,
    DURATION_MINUTES,
    DURATION_UNITS,
)

NUMBER = r"\d+(?:\.\d+)?"
NUM_OR_CN = rf"(?:{NUMBER}|{CN_NUMBER})"

_FULLWIDTH = str.maketrans("０１２３４５６７８９．％，：－−", "0123456789.%,:--")
# platform store ratings (淘宝/天猫 DSR, 京东, 拼多多, 抖店) are out of 5
RATING_SCALE = Decimal(5)


def _alt(units: Any) -> str:
    return "|".join(re.escape(u) for u in sorted(units, key=len, reverse=True))


def _normalise(text: str) -> str:
    return text.translate(_FULLWIDTH).strip()


def _number(text: str) -> Decimal:
    text = text.replace(",", "")
    try:
        return Decimal(text)
    except InvalidOperation:
        return Decimal(cn_to_int(text))


def _fmt(value: Decimal) -> str:
    """Decimal without exponent or trailing zeros: 30, 0.05, 1200."""
    text = format(value.normalize(), "f")
    return text


def _error(kind: str, message: str, **ctx: Any) -> PydanticCustomError:
    return PydanticCustomError(kind, message, ctx or None)


# error kinds meaning "this is a <kind>, but its value is impossible": Threshold reports them instead of
# trying the next kind (5.5分 is a rating out of range, not an unrecognised threshold)
RANGE_ERRORS = ("_negative", "_range")


def _not_negative(sign: str, kind: str, what: str, text: str) -> None:
    if sign:
        raise _error(f"{kind}_negative", f"{what}不能为负数：{text}")


# the parse patterns accept a leading minus so that -5% is told "cannot be negative" rather than "unrecognised"
DURATION_RE = re.compile(rf"^(-?)\s*({NUM_OR_CN})\s*({_alt(DURATION_UNITS)})$", re.IGNORECASE)
PERCENT_RE = re.compile(rf"^(-?)\s*(?:({NUMBER})\s*%|百分之({NUM_OR_CN}))$")
RATING_RE = re.compile(rf"^(-?)\s*({NUMBER})\s*(?:分|points?|pts?)$", re.IGNORECASE)
COUNT_RE = re.compile(rf"^(-?)\s*({NUM_OR_CN})\s*({_alt(COUNT_UNITS)})$", re.IGNORECASE)
MONEY_RE = re.compile(
    rf"^(?:({_alt(CURRENCY_PREFIX)})\s*)?(\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?|{NUMBER})\s*({_alt(CURRENCY_SUFFIX)})?$",
    re.IGNORECASE,
)


class _Quantity:
    """Shared pydantic plumbing: parse() validates, str() serialises, PATTERN documents."""

    KIND: ClassVar[str] = ""
    PATTERN: ClassVar[str] = ""
    EXAMPLES: ClassVar[tuple[str, ...]] = ()
    DESCRIPTION: ClassVar[str] = ""
    ALLOW_NUMBER: ClassVar[bool] = False

    @classmethod
    def parse(cls, raw: Any) -> Any:  # pragma: no cover - overridden
        raise NotImplementedError

    @classmethod
    def _validate(cls, raw: Any) -> Any:
        if isinstance(raw, cls):
            return raw
        return cls.parse(raw)

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: GetCoreSchemaHandler) -> core_schema.CoreSchema:
        return core_schema.no_info_plain_validator_function(
            cls._validate, serialization=core_schema.plain_serializer_function_ser_schema(str)
        )

    @classmethod
    def __get_pydantic_json_schema__(cls, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler) -> JsonSchemaValue:
        return cls.json_schema()

    @classmethod
    def json_schema(cls) -> dict[str, Any]:
        string = {"type": "string", "pattern": cls.PATTERN}
        out: dict[str, Any] = {"anyOf": [string, {"type": "number"}]} if cls.ALLOW_NUMBER else dict(string)
        out["description"] = cls.DESCRIPTION
        out["examples"] = list(cls.EXAMPLES)
        return out


def _text(raw: Any, kind: str, hint: str) -> str:
    if isinstance(raw, bool) or raw is None:
        raise _error(f"{kind}_type", f"应为{hint}，而不是 {raw!r}")
    if isinstance(raw, (int, float, Decimal)):
        raise _error(f"{kind}_unit_missing", f"缺少单位：{_fmt(Decimal(str(raw)))} 含义不明，请写成{hint}")
    if not isinstance(raw, str):
        raise _error(f"{kind}_type", f"应为{hint}")
    return _normalise(raw)


@dataclass(frozen=True, slots=True)
class Duration(_Quantity):
    value: Decimal
    unit: str

    KIND: ClassVar[str] = "duration"
    DESCRIPTION: ClassVar[str] = "时长，须带单位：30分钟、2小时、24h、3天、2个工作日、1个月"
    EXAMPLES: ClassVar[tuple[str, ...]] = ("30分钟", "2小时", "24h", "3天", "1个月")
    PATTERN: ClassVar[str] = rf"^\s*{NUM_OR_CN}\s*(?i:{_alt(DURATION_UNITS)})\s*$"

    @classmethod
    def parse(cls, raw: Any) -> Duration:
        text = _text(raw, "duration", "带单位的时长，如 30分钟、2小时、3天")
        m = DURATION_RE.match(text)
        if not m:
            raise _error("duration_format", f"无法识别的时长 {text!r}：请写成数字加单位，如 30分钟、2小时、3天、1个月")
        _not_negative(m.group(1), "duration", "时长", text)
        return cls(_number(m.group(2)), DURATION_UNITS[m.group(3).lower()])

    @property
    def minutes(self) -> Decimal:
        return self.value * DURATION_MINUTES[self.unit]

    def __str__(self) -> str:
        return f"{_fmt(self.value)}{DURATION_CN[self.unit]}"


@dataclass(frozen=True, slots=True)
class Percent(_Quantity):
    """A percentage; value is in points (95% -> 95)."""

    value: Decimal

    KIND: ClassVar[str] = "percent"
    DESCRIPTION: ClassVar[str] = "百分比，须带 %：95%、0.05%"
    EXAMPLES: ClassVar[tuple[str, ...]] = ("95%", "10%", "0.05%")
    PATTERN: ClassVar[str] = rf"^\s*(?:{NUMBER}\s*[%％]|百分之{NUM_OR_CN})\s*$"

    @classmethod
    def parse(cls, raw: Any) -> Percent:
        text = _text(raw, "percent", "带 % 的百分比，如 95%")
        m = PERCENT_RE.match(text)
        if not m:
            raise _error("percent_format", f"无法识别的百分比 {text!r}：请写成 95% 这样的形式")
        _not_negative(m.group(1), "percent", "百分比", text)
        return cls(_number(m.group(2) or m.group(3)))

    @property
    def fraction(self) -> Decimal:
        return self.value / 100

    def __str__(self) -> str:
        return f"{_fmt(self.value)}%"


@dataclass(frozen=True, slots=True)
class Money(_Quantity):
    amount: Decimal
    currency: str = "CNY"

    KIND: ClassVar[str] = "money"
    DESCRIPTION: ClassVar[str] = "金额，默认人民币：5000元、¥5,000、1.2万元、5000"
    EXAMPLES: ClassVar[tuple[str, ...]] = ("5000元", "¥5,000", "1.2万元", "50元")
    ALLOW_NUMBER: ClassVar[bool] = True
    PATTERN: ClassVar[str] = (
        rf"^\s*(?:(?i:{_alt(CURRENCY_PREFIX)})\s*)?(?:\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?|{NUMBER})"
        rf"\s*(?:(?i:{_alt(CURRENCY_SUFFIX)}))?\s*$"
    )

    @classmethod
    def parse(cls, raw: Any) -> Money:
        if isinstance(raw, bool) or raw is None:
            raise _error("money_type", f"应为金额，如 5000元，而不是 {raw!r}")
        if isinstance(raw, (int, float, Decimal)):
            return cls(Decimal(str(raw)))
        if not isinstance(raw, str):
            raise _error("money_type", "应为金额，如 5000元")
        text = _normalise(raw)
        m = MONEY_RE.match(text)
        if not m:
            raise _error("money_format", f"无法识别的金额 {text!r}：请写成 5000元、¥5,000 或 1.2万元")
        prefix, number, suffix = m.group(1), m.group(2), m.group(3)
        cur_p = CURRENCY_PREFIX.get(prefix.upper() if prefix and prefix.isascii() else prefix or "")
        cur_s = CURRENCY_SUFFIX.get(suffix.upper() if suffix and suffix.isascii() else suffix or "")
        if cur_p and cur_s and cur_p != cur_s:
            raise _error("money_currency", f"金额 {text!r} 的币种前后矛盾")
        amount = _number(number)
        if suffix == "万元":
            amount *= 10000
        return cls(amount, cur_p or cur_s or "CNY")

    def __str__(self) -> str:
        return f"{_fmt(self.amount)}{CURRENCY_SYMBOL.get(self.currency, self.currency)}"


@dataclass(frozen=True, slots=True)
class Rating(_Quantity):
    value: Decimal

    KIND: ClassVar[str] = "rating"
    DESCRIPTION: ClassVar[str] = f"评分，{_fmt(RATING_SCALE)} 分制，须带“分”：4.5分"
    EXAMPLES: ClassVar[tuple[str, ...]] = ("4.5分", "4.8分")
    # 0 to the scale (5), so an editor flags 5.5分 as the loader does
    PATTERN: ClassVar[str] = r"^\s*0*(?:[0-4](?:\.\d+)?|5(?:\.0+)?)\s*(?:分|(?i:points?|pts?))\s*$"

    @classmethod
    def parse(cls, raw: Any) -> Rating:
        text = _text(raw, "rating", "带“分”的评分，如 4.5分")
        m = RATING_RE.match(text)
        if not m:
            raise _error("rating_format", f"无法识别的评分 {text!r}：请写成 4.5分")
        value = _number(m.group(2))
        if m.group(1) or value > RATING_SCALE:
            scale = _fmt(RATING_SCALE)
            # 10分 is more often ten minutes than a score
            hint = f"（如果指时长，请写 {_fmt(value)}分钟）" if value == value.to_integral_value() and not m.group(1) else ""
            raise _error("rating_range", f"评分 {text} 超出范围：店铺评分为 {scale} 分制，应在 0–{scale}分 之间{hint}")
        return cls(value)

    def __str__(self) -> str:
        return f"{_fmt(self.value)}分"


@dataclass(frozen=True, slots=True)
class Count(_Quantity):
    value: Decimal
    unit: str = "次"

    KIND: ClassVar[str] = "count"
    DESCRIPTION: ClassVar[str] = "数量，须带量词：3次、100条、0单"
    EXAMPLES: ClassVar[tuple[str, ...]] = ("0次", "3次", "100条")
    PATTERN: ClassVar[str] = rf"^\s*{NUM_OR_CN}\s*(?i:{_alt(COUNT_UNITS)})\s*$"

    @classmethod
    def parse(cls, raw: Any) -> Count:
        text = _text(raw, "count", "带量词的数量，如 3次、100条")
        m = COUNT_RE.match(text)
        if not m:
            raise _error("count_format", f"无法识别的数量 {text!r}：请写成 3次、100条 这样的形式")
        _not_negative(m.group(1), "count", "数量", text)
        return cls(_number(m.group(2)), m.group(3))

    def __str__(self) -> str:
        return f"{_fmt(self.value)}{self.unit}"


QUANTITY_TYPES: tuple[type[_Quantity], ...] = (Percent, Rating, Duration, Count, Money)
AnyQuantity = Duration | Percent | Money | Rating | Count


class Threshold(_Quantity):
    """A threshold of any quantity kind, told apart by its unit (30分钟, 95%, 4.5分, 3次, 500元)."""

    DESCRIPTION: ClassVar[str] = "阈值，带单位：30分钟、95%、4.5分、0次、500元"
    EXAMPLES: ClassVar[tuple[str, ...]] = ("30分钟", "95%", "4.5分", "0次", "500元")
    PATTERN: ClassVar[str] = "|".join(f"(?:{t.PATTERN})" for t in QUANTITY_TYPES)

    @classmethod
    def _validate(cls, raw: Any) -> Any:
        if isinstance(raw, QUANTITY_TYPES):
            return raw
        return cls.parse(raw)

    @classmethod
    def parse(cls, raw: Any) -> AnyQuantity:
        text = _text(raw, "threshold", "带单位的数值，如 30分钟、95%、4.5分、3次、500元")
        if re.fullmatch(NUMBER, text):
            raise _error("threshold_unit_missing",
                         f"缺少单位：{text} 含义不明，请写成 30分钟、95%、4.5分、3次 或 500元")
        for kind in QUANTITY_TYPES:
            try:
                return kind.parse(text)  # type: ignore[no-any-return]
            except PydanticCustomError as exc:
                if exc.type.endswith(RANGE_ERRORS):
                    raise
                continue
        raise _error("threshold_format", f"无法识别的阈值 {text!r}：请带单位，如 30分钟、95%、4.5分、3次、500元")


def parse_quantity(raw: Any) -> AnyQuantity:
    return Threshold.parse(raw)
