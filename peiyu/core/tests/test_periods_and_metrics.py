from datetime import date
from decimal import Decimal

import pytest

from peiyu.core import metrics
from peiyu.core.metrics import Param, metric
from peiyu.core.periods import Period


@pytest.mark.parametrize(
    "text, start, end, label",
    [
        ("2025", date(2025, 1, 1), date(2025, 12, 31), "2025年"),
        ("2025-Q1", date(2025, 1, 1), date(2025, 3, 31), "2025年第一季度"),
        ("2025q4", date(2025, 10, 1), date(2025, 12, 31), "2025年第四季度"),
        ("2024-02", date(2024, 2, 1), date(2024, 2, 29), "2024年2月"),
        ("2025-01..2025-08", date(2025, 1, 1), date(2025, 8, 31), "2025年1—8月"),
        ("2024-11..2025-02", date(2024, 11, 1), date(2025, 2, 28), "2024年11月—2025年2月"),
        ("2011..2015", date(2011, 1, 1), date(2015, 12, 31), "2011—2015年"),
    ],
)
def test_periods_parse_with_their_chinese_names(text, start, end, label):
    period = Period.parse(text)
    assert (period.start, period.end, period.label) == (start, end, label)
    assert Period.parse(period.code) == period  # the code reads back


@pytest.mark.parametrize(
    "text", ["", "25", "2025-13", "2025-Q5", "2025-08..2025-01", "2015..2011", "二〇二五"]
)
def test_a_bad_period_is_refused_in_chinese_terms(text):
    with pytest.raises(ValueError, match="2025-Q3"):
        Period.parse(text)


def test_same_period_last_year_keeps_the_span_and_handles_29_february():
    assert Period.parse("2025-Q3").same_period_last_year() == Period.parse("2024-Q3")
    leap = Period(date(2024, 1, 1), date(2024, 2, 29), "2024-01..2024-02")
    assert leap.same_period_last_year().end == date(2023, 2, 28)


class FakeUnit:
    def __init__(self, pk):
        self.pk = pk


@pytest.fixture
def registered():
    @metric(
        "testing.doubled",
        "加倍",
        unit="家",
        kind="stock",
        params=[
            Param("factor", "倍数", kind="int", required=False, default=2),
            Param("band", "规模", kind="choice", choices=(("small", "小"), ("big", "大")), required=False),
        ],
    )
    def doubled(units, period, factor, band):
        return {u.pk: Decimal(u.pk * factor) for u in units if u.pk != 3}

    yield metrics.get("testing.doubled")
    metrics.REGISTRY.pop("testing.doubled")


def test_a_metric_gives_every_asked_unit_a_value_or_none(registered):
    units = [FakeUnit(1), FakeUnit(3)]
    assert registered.values(units, Period.parse("2025")) == {1: Decimal(2), 3: None}
    assert registered.value(FakeUnit(5), Period.parse("2025"), factor="3") == Decimal(15)


def test_metric_parameters_are_checked(registered):
    with pytest.raises(ValueError, match="没有参数|has no parameter"):
        registered.values([FakeUnit(1)], Period.parse("2025"), fator=3)
    with pytest.raises(ValueError, match="small"):
        registered.values([FakeUnit(1)], Period.parse("2025"), band="huge")
    with pytest.raises(ValueError, match="倍数"):
        registered.values([FakeUnit(1)], Period.parse("2025"), factor="x")


def test_registering_a_code_twice_or_an_unknown_unit_is_a_programming_error(registered):
    with pytest.raises(ValueError):
        metric("testing.doubled", "又一个", unit="家", kind="stock")(lambda units, period: {})
    with pytest.raises(ValueError):
        metric("testing.odd", "怪", unit="斤", kind="stock")
    with pytest.raises(ValueError, match="testing.none"):
        metrics.get("testing.none")


def test_ratio_is_unknown_rather_than_zero_when_the_base_is_empty():
    assert metrics.ratio(Decimal(1), Decimal(4)) == Decimal(25)
    assert metrics.ratio(Decimal(1), Decimal(0)) is None
    assert metrics.ratio(None, Decimal(4)) is None
