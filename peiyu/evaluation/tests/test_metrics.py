"""Metric functions and the size classes (工信部联企业〔2011〕300号) at their edges."""

import datetime
from decimal import Decimal
from fractions import Fraction

import pytest

from peiyu.evaluation import metrics
from peiyu.evaluation.display import cagr_from_multiple, decimal_string
from peiyu.evaluation.sizeclass import industry_row, size_class


def test_ratios_are_exact_fractions():
    assert metrics.rd_sales_ratio(Decimal("299.5"), Decimal(5000)) == Fraction(599, 10000)
    assert metrics.tech_staff_ratio(3, 0) is None and metrics.ratio(None, 5) is None


def test_three_year_ratio_leaves_out_incomplete_years():
    assert metrics.rd_ratio_over_years([Decimal(150), None, Decimal(250)], [Decimal(3000), Decimal(4000), Decimal(5000)]) == Fraction(400, 8000)


@pytest.mark.parametrize(("sales", "floor"), [("5000", "0.05"), ("5000.0001", "0.04"), ("20000", "0.04"), ("20000.0001", "0.03")])
def test_rd_threshold_by_latest_sales(sales, floor):
    assert metrics.rd_threshold_by_sales(Decimal(sales)) == Fraction(Decimal(floor))


def test_growth_rules():
    assert metrics.growth_rate(Decimal(200), Decimal(230), Decimal("264.5")) == Fraction(15, 100)
    assert metrics.growth_rate(Decimal(0), Decimal(100), Decimal(130)) == Fraction(3, 10)
    assert metrics.growth_rate(Decimal(100), Decimal(0), Decimal(130)) is None
    assert metrics.growth_rate(None, Decimal(100), Decimal(120)) == Fraction(1, 5)
    assert metrics.growth_rate(None, Decimal(100), Decimal(120), short_history="zero") is None
    assert metrics.growth_rate(Decimal(-5), Decimal(100), Decimal(120)) is None


def test_cagr_is_compared_as_a_multiple_and_shown_truncated():
    assert metrics.growth_multiple(Decimal(1000), Decimal(1728)) == Fraction(1728, 1000)
    assert cagr_from_multiple(Fraction(1728, 1000), 3) == Fraction(2, 10)
    assert cagr_from_multiple(Fraction(17279999, 10000000), 3) < Fraction(2, 10)


def test_registered_years_counts_days():
    assert metrics.registered_years(datetime.date(2024, 1, 1), datetime.date(2024, 12, 31)) == 1


@pytest.mark.parametrize(("value", "text"), [(Fraction(2999, 10000), "0.2999"), (Fraction(1, 3), "0.333333"), (Fraction(-1, 8), "-0.125"), (Decimal("20000.0000"), "20000")])
def test_decimal_strings_never_round_up(value, text):
    assert decimal_string(value) == text


@pytest.mark.parametrize(("code", "row"), [("C3841", "industry"), ("0511", "agriculture"), ("5110", "wholesale"), ("5212", "retail"),
                                           ("5910", "transport"), ("5920", "warehousing"), ("6010", "postal"), ("6420", "information"),
                                           ("6510", "software"), ("7010", "real_estate"), ("7020", "property"), ("7211", "leasing"),
                                           ("8310", "other"), ("", "other")])
def test_industry_rows(code, row):
    assert industry_row(code) == row


@pytest.mark.parametrize(("code", "staff", "revenue", "assets", "expected"), [
    ("C3841", 1000, 40000, None, "large"), ("C3841", 999, 40000, None, "medium"), ("C3841", 300, 2000, None, "medium"),
    ("C3841", 300, Decimal("1999.9999"), None, "small"), ("C3841", 20, 300, None, "small"), ("C3841", 19, 300, None, "micro"),
    ("6510", 10, 50, None, "small"), ("6510", 300, 10000, None, "large"), ("4710", None, 80000, 80000, "large"),
    ("7211", 300, None, 120000, "large"), ("8310", 9, None, None, "micro"), ("C3841", None, 50000, None, "micro"),
])
def test_size_classes(code, staff, revenue, assets, expected):
    assert size_class(code, staff, revenue, assets) == expected
