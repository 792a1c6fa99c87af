import datetime
from decimal import Decimal

import pytest

from peiyu.carriers.tests.conftest import make_carrier
from peiyu.core import metrics
from peiyu.core.periods import Period

D = datetime.date


@pytest.fixture
def spread(units, enterprises):
    ta, tb, park = units["town_a"], units["town_b"], units["park_a"]
    make_carrier(ta, "国家孵化器", level="national", recognised_on=D(2024, 12, 31))
    make_carrier(
        park, "市级孵化器", level="city", recognised_on=D(2023, 1, 1), incubated_other=2
    ).incubated.add(enterprises["a"])
    make_carrier(
        tb, "区级孵化器", level="district", recognised_on=D(2023, 1, 1), incubated_other=5
    ).incubated.add(enterprises["a"], enterprises["b"])
    make_carrier(tb, "省级众创空间", kind="maker_space", level="provincial", recognised_on=D(2023, 1, 1))
    make_carrier(ta, "明年的孵化器", level="national", recognised_on=D(2025, 1, 1))
    make_carrier(
        ta,
        "已撤销孵化器",
        level="city",
        recognised_on=D(2020, 1, 1),
        status="revoked",
        revoked_on=D(2024, 12, 31),
    )
    make_carrier(ta, "在建孵化器", level="city", recognised_on=None, status="building")
    gone = make_carrier(ta, "已删除孵化器", level="city", recognised_on=D(2020, 1, 1))
    gone.soft_delete()
    return units


def values(code, units, period, **params):
    found = metrics.get(code).values(
        [units[k] for k in ("district", "town_a", "park_a", "town_b")], period, **params
    )
    return [found[units[k].pk] for k in ("district", "town_a", "park_a", "town_b")]


@pytest.mark.django_db
def test_count_as_of_period_end_over_each_subtree(spread):
    y2024 = Period.year(2024)
    # district; town A (with its park); the park; town B
    assert values("carriers.count", spread, y2024) == [4, 2, 1, 2]
    assert values("carriers.count", spread, y2024, type="incubator") == [3, 2, 1, 1]
    assert values("carriers.count", spread, y2024, min_level="city") == [3, 2, 1, 1]
    assert values("carriers.count", spread, y2024, min_level="provincial") == [2, 1, 0, 1]
    assert values("carriers.count", spread, y2024, type="incubator", min_level="national") == [1, 1, 0, 0]
    # Recognised on the last day of a quarter counts in it; the day before it does not
    assert values("carriers.count", spread, Period.quarter(2024, 4), min_level="national") == [1, 1, 0, 0]
    assert values("carriers.count", spread, Period.month(2024, 11), min_level="national") == [0, 0, 0, 0]
    # Revoked on 2024-12-31: counted through 2024-12-30 only
    assert values("carriers.count", spread, Period.month(2024, 11), type="incubator") == [3, 2, 1, 1]


@pytest.mark.django_db
def test_incubated_counts_each_library_enterprise_once_plus_those_outside(spread):
    result = values("carriers.incubated", spread, Period.year(2024))
    # district: {a, b} + 2 + 5; town A's park: {a} + 2; town B: {a, b} + 5
    assert result == [Decimal(9), Decimal(3), Decimal(3), Decimal(7)]
    assert values("carriers.incubated", spread, Period.year(2024), min_level="city") == [3, 3, 3, 0]


@pytest.mark.django_db
def test_metric_parameters_are_checked(spread):
    with pytest.raises(ValueError):
        metrics.get("carriers.count").value(spread["district"], Period.year(2024), type="tank")
    with pytest.raises(ValueError):
        metrics.get("carriers.count").value(spread["district"], Period.year(2024), level="city")


@pytest.mark.django_db
def test_one_query_for_the_count(spread, django_assert_num_queries):
    metric = metrics.get("carriers.count")
    units = [spread[k] for k in ("district", "town_a", "park_a", "town_b")]
    with django_assert_num_queries(1):
        metric.values(units, Period.year(2024), type="incubator")
