"""The bureau's number rules, table by table: every boundary of rounding, sign and unit."""

from decimal import Decimal as D

import pytest

from peiyu.bulletins import numbers


@pytest.mark.parametrize(
    "wan, expected",
    [
        (D("4914600"), "491.46亿元"),  # seed 001: 资产总额
        (D("3627100"), "362.71亿元"),
        (D("356000"), "35.6亿元"),  # the bureau drops the trailing zero (35.60 → 35.6)
        (D("176300"), "17.63亿元"),
        (D("10000"), "1亿元"),
        (D("12345.5"), "1.23亿元"),  # 1.234550 → 1.23
        (D("12350"), "1.24亿元"),  # 1.235 → 1.24: half up, not banker's rounding
        (D("12250"), "1.23亿元"),  # 1.225 → 1.23 (banker's would give 1.22)
        (D("0"), "0亿元"),
        (D("-25000"), "-2.5亿元"),
        (None, "—"),
    ],
)
def test_yi_two_decimals_half_up(wan, expected):
    assert numbers.yi(wan) == expected


def test_money_switches_to_wan_below_one_yi():
    assert numbers.money(D("9999.99")) == "9999.99万元"
    assert numbers.money(D("500")) == "500万元"
    assert numbers.money(D("10000")) == "1亿元"
    assert numbers.render(D("11798"), "wan") == "11798万元"


@pytest.mark.parametrize(
    "value, decimals, expected",
    [
        (D("1835400") / D("3627100") * 100, 1, "50.6%"),  # 50.6021…
        (D("176300") / D("3627100") * 100, 2, "4.86%"),  # 4.8606…
        (D("12875") / D("49676") * 100, 2, "25.92%"),
        (D("211") / D("520") * 100, 2, "40.58%"),
        (D("520") / D("4194") * 100, 1, "12.4%"),
        (D("12"), 1, "12.0%"),  # one decimal kept even when zero
        (D("0.05"), 1, "0.1%"),  # half up at the boundary
        (D("0.04999"), 1, "0.0%"),
        (D("995") / D("1047") * 100, 0, "95%"),
    ],
)
def test_shares(value, decimals, expected):
    assert numbers.pct(value, decimals) == expected


@pytest.mark.parametrize(
    "value, expected",
    [
        (D("12.34"), "增长12.3%"),
        (D("-4.55"), "下降4.6%"),  # the word carries the sign, the figure is absolute
        (D("0.04"), "持平"),  # rounds to zero: neither up nor down
        (D("-0.04"), "持平"),
        (D("0.05"), "增长0.1%"),
        (D("-0.05"), "下降0.1%"),
        (D("100"), "增长100.0%"),
        (None, "—"),
    ],
)
def test_growth_word_by_sign(value, expected):
    assert numbers.growth(value) == expected


def test_change_percent_is_exact_and_refuses_a_zero_base():
    assert numbers.change_percent(D("264.5"), D("230")) == D("15")
    assert numbers.change_percent(D("5"), D("0")) is None
    assert numbers.change_percent(None, D("3")) is None
    # 同比 against the same period last year, written by sign
    assert numbers.growth(numbers.change_percent(D("3627100"), D("3056000"))) == "增长18.7%"


def test_points_schedule_and_times():
    assert numbers.points(D("2.14")) == "提高2.1个百分点"
    assert numbers.points(D("-0.35")) == "降低0.4个百分点"
    assert numbers.schedule(D("-8.33")) == "慢于序时进度8.3个百分点"
    assert numbers.schedule(D("1.25")) == "快于序时进度1.3个百分点"
    assert numbers.schedule(D("0.01")) == "与序时进度持平"
    assert numbers.times(D("5"), 0) == "5倍"
    assert numbers.times(D("211") / D("35"), 0) == "6倍"  # 是"十五"末的6倍


def test_counts_have_no_grouping_and_keep_their_measure():
    assert numbers.count(D("49676"), "人") == "49676人"
    assert numbers.count(D("520"), "家") == "520家"
    assert numbers.count(None, "家") == "—"


def test_the_same_number_reads_the_same_in_text_table_and_cell():
    value = D("1835449")  # 183.5449亿元
    assert numbers.render(value, "yi") == "183.54亿元"
    assert numbers.column_text(value, "yi") == "183.54"
    assert numbers.cell(value, "yi") == 183.54
    share = D("50.6499")
    assert numbers.render(share, "pct") == "50.6%"
    assert numbers.cell(share, "pct") == 50.6
    assert numbers.column_text(D("356000"), "yi") == "35.60"  # a table column keeps its decimals aligned
