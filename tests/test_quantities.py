import re
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic_core import PydanticCustomError

from hostplan.spec.numerals import cn_to_int
from hostplan.spec.quantities import Count, Duration, Money, Percent, Rating, parse_quantity


@pytest.mark.parametrize(
    ("text", "minutes", "canonical"),
    [
        ("30分钟", 30, "30分钟"),
        ("30 min", 30, "30分钟"),
        ("2h", 120, "2小时"),
        ("24小时", 1440, "24小时"),
        ("3天", 4320, "3天"),
        ("1个月", 43200, "1个月"),
        ("三十分钟", 30, "30分钟"),
        ("两个工作日", 2880, "2个工作日"),
        ("３０分钟", 30, "30分钟"),
        ("90 s", Decimal("1.5"), "90秒"),
    ],
)
def test_duration_accepts_what_people_write(text, minutes, canonical):
    d = Duration.parse(text)
    assert d.minutes == Decimal(minutes)
    assert str(d) == canonical


@pytest.mark.parametrize("raw", [30, "30", "30分", "半小时", "", None, True])
def test_duration_without_a_clear_unit_is_rejected(raw):
    with pytest.raises(PydanticCustomError):
        Duration.parse(raw)


def test_bare_number_duration_message_says_unit_missing():
    with pytest.raises(PydanticCustomError) as exc:
        Duration.parse(30)
    assert "缺少单位" in str(exc.value)


@pytest.mark.parametrize(
    ("text", "amount", "currency"),
    [("5000元", "5000", "CNY"), ("¥5,000", "5000", "CNY"), ("￥5000", "5000", "CNY"), (5000, "5000", "CNY"),
     ("1.2万元", "12000", "CNY"), ("50 元", "50", "CNY"), ("$100", "100", "USD"), ("100美元", "100", "USD"),
     ("RMB 3000", "3000", "CNY")],
)
def test_money(text, amount, currency):
    m = Money.parse(text)
    assert m.amount == Decimal(amount)
    assert m.currency == currency


def test_money_with_contradicting_currencies_is_rejected():
    with pytest.raises(PydanticCustomError):
        Money.parse("$100元")


@pytest.mark.parametrize(
    ("text", "value"), [("95%", "95"), ("0.05%", "0.05"), ("９５％", "95"), ("百分之九十五", "95")]
)
def test_percent(text, value):
    assert Percent.parse(text).value == Decimal(value)


@pytest.mark.parametrize("raw", [95, 0.95, "95", "95分"])
def test_percent_needs_percent_sign(raw):
    with pytest.raises(PydanticCustomError):
        Percent.parse(raw)


def test_rating_and_count():
    assert Rating.parse("4.5分").value == Decimal("4.5")
    with pytest.raises(PydanticCustomError):
        Rating.parse(4.5)
    c = Count.parse("3次")
    assert (c.value, c.unit) == (Decimal(3), "次")
    assert str(Count.parse("一百条")) == "100条"


@pytest.mark.parametrize(
    ("text", "kind"),
    [("30分钟", Duration), ("95%", Percent), ("4.5分", Rating), ("0次", Count), ("500元", Money), ("¥500", Money)],
)
def test_threshold_is_told_apart_by_unit(text, kind):
    assert isinstance(parse_quantity(text), kind)


def test_threshold_bare_number_is_ambiguous():
    with pytest.raises(PydanticCustomError) as exc:
        parse_quantity("30")
    assert "缺少单位" in str(exc.value)


@pytest.mark.parametrize(
    ("text", "value"),
    [("零", 0), ("一", 1), ("十", 10), ("十二", 12), ("二十", 20), ("三十", 30), ("两百", 200), ("一百零五", 105),
     ("一千二百三十四", 1234), ("三万", 30000), ("十万", 100000)],
)
def test_chinese_numerals(text, value):
    assert cn_to_int(text) == value


units = st.sampled_from(["分钟", "小时", "天", "个工作日", "周", "个月", "秒"])


@given(st.integers(min_value=0, max_value=10**6), units)
def test_duration_round_trips_through_its_canonical_text(n, unit):
    d = Duration.parse(f"{n}{unit}")
    assert Duration.parse(str(d)) == d


@given(st.decimals(min_value=0, max_value=10**7, places=2, allow_nan=False, allow_infinity=False))
def test_money_round_trips(amount):
    m = Money.parse(f"¥{amount}")
    assert m.amount == amount
    assert Money.parse(str(m)) == m


@given(st.decimals(min_value=0, max_value=1000, places=3, allow_nan=False, allow_infinity=False))
def test_percent_round_trips(value):
    p = Percent.parse(f"{value}%")
    assert p.value == value
    assert Percent.parse(str(p)) == p


@pytest.mark.parametrize("text", ["5.5分", "6分", "-1分", "－0.5分", "10 points"])
def test_rating_outside_the_five_point_scale_is_rejected(text):
    for parse in (Rating.parse, parse_quantity):  # a threshold or an actuals figure: same check, same words
        with pytest.raises(PydanticCustomError) as exc:
            parse(text)
        assert exc.value.type == "rating_range"
        assert "应在 0–5分 之间" in str(exc.value)


def test_rating_range_message_suggests_minutes_for_a_whole_number():
    with pytest.raises(PydanticCustomError) as exc:
        parse_quantity("10分")
    assert str(exc.value) == "评分 10分 超出范围：店铺评分为 5 分制，应在 0–5分 之间（如果指时长，请写 10分钟）"


@pytest.mark.parametrize("text", ["0分", "5分", "5.0分", "4.99分"])
def test_rating_within_the_scale(text):
    assert 0 <= Rating.parse(text).value <= 5


@given(st.decimals(min_value=-2, max_value=12, places=2, allow_nan=False, allow_infinity=False))
def test_rating_schema_pattern_agrees_with_the_parser(value):
    text = f"{value}分"
    try:
        Rating.parse(text)
        ok = True
    except PydanticCustomError:
        ok = False
    assert bool(re.match(Rating.PATTERN, text)) is ok, text


@pytest.mark.parametrize(("text", "message"), [
    ("-5%", "百分比不能为负数：-5%"), ("－5%", "百分比不能为负数：-5%"), ("-3次", "数量不能为负数：-3次"),
    ("-30分钟", "时长不能为负数：-30分钟"),
])
def test_negative_quantities_are_named_as_negative(text, message):
    with pytest.raises(PydanticCustomError) as exc:
        parse_quantity(text)
    assert str(exc.value) == message


def test_percent_above_100_is_a_valid_percent():
    # growth targets and 达成率 may exceed 100%; whether a field is a share is the model's call
    assert parse_quantity("120%").value == Decimal(120)
