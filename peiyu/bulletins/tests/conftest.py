"""Fixtures of the bulletins tests: fake `targets.*` metrics (the targets app is built beside this
one; the codes are the contract) and a few enterprises with figures in both towns."""

from decimal import Decimal

import pytest

from peiyu.core import metrics
from peiyu.core.testing import make_enterprise, make_year

TARGET_CODES = ("actual", "floor", "stretch", "completion", "elapsed", "schedule_gap", "reported")


@pytest.fixture
def fake_targets(units):
    """targets.* with param `indicator`: town A is ahead of schedule, town B behind."""
    table = {
        "floor": {
            units["town_a"].pk: Decimal(1000),
            units["town_b"].pk: Decimal(800),
            units["district"].pk: Decimal(1800),
        },
        "actual": {
            units["town_a"].pk: Decimal(800),
            units["town_b"].pk: Decimal(400),
            units["district"].pk: Decimal(1200),
        },
        "elapsed": {
            units["town_a"].pk: Decimal(75),
            units["town_b"].pk: Decimal(75),
            units["district"].pk: Decimal(75),
        },
    }
    table["completion"] = {pk: table["actual"][pk] / table["floor"][pk] * 100 for pk in table["floor"]}
    table["schedule_gap"] = {pk: table["completion"][pk] - table["elapsed"][pk] for pk in table["floor"]}
    table["stretch"] = table["floor"]
    table["reported"] = {}
    saved = dict(metrics.REGISTRY)
    for code in TARGET_CODES:
        values = table[code]

        def compute(units_, period, indicator=None, values=values):
            assert indicator in ("rd", "rd_expense")
            return {u.pk: values.get(u.pk) for u in units_}

        metrics.REGISTRY.pop(f"targets.{code}", None)
        metrics.metric(
            f"targets.{code}", code, unit="%", kind="ratio", params=[metrics.Param("indicator", "indicator")]
        )(compute)
    yield table
    metrics.REGISTRY.clear()
    metrics.REGISTRY.update(saved)


@pytest.fixture
def no_targets():
    """The registry without any targets.* metric (as when the targets app is not installed)."""
    metrics.discover()
    saved = dict(metrics.REGISTRY)
    for code in list(metrics.REGISTRY):
        if code.startswith("targets."):
            del metrics.REGISTRY[code]
    original = metrics.discover
    metrics.discover = lambda: None
    yield
    metrics.discover = original
    metrics.REGISTRY.clear()
    metrics.REGISTRY.update(saved)


@pytest.fixture
def library(units, enterprises):
    """Figures for 2024 and 2025: town A 华东科技 (+ one more), town B 丰年电子."""
    a, b = enterprises["a"], enterprises["b"]
    c = make_enterprise(units["town_a"], "张贵庄精密有限公司")
    for enterprise, revenue_2024, revenue_2025 in ((a, 20000, 25000), (b, 8000, 6000), (c, 4000, 5000)):
        make_year(enterprise, 2024, revenue=Decimal(revenue_2024), rd_expense=Decimal(revenue_2024) / 25)
        make_year(enterprise, 2025, revenue=Decimal(revenue_2025), rd_expense=Decimal(revenue_2025) / 20)
    return {"a": a, "b": b, "c": c}
