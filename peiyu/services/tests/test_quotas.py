"""Quota progress per period, and the metrics the targets registry reads."""

import datetime
from decimal import Decimal

import pytest

from peiyu.core import metrics
from peiyu.core.periods import Period
from peiyu.core.testing import make_enterprise
from peiyu.services import progress
from peiyu.services.models import EventAttendance, Financing, Introduction, Quota, ServiceEvent, TechPost


def event(unit, day, kind="service", served=()):
    e = ServiceEvent.objects.create(kind=kind, date=day, unit=unit, topic=f"活动{day}")
    for enterprise in served:
        EventAttendance.objects.create(event=e, enterprise=enterprise, method="credit_code")
    return e


@pytest.fixture
def year_of_events(units, enterprises):
    many = [make_enterprise(units["town_a"], f"企业{i}") for i in range(20)]
    # January: two events serving 20 different enterprises (one of them twice): met.
    event(units["town_a"], datetime.date(2025, 1, 5), served=many[:12])
    event(units["park_a"], datetime.date(2025, 1, 20), served=many[10:])
    # February: one event: missed (events) although it served 20.
    event(units["town_a"], datetime.date(2025, 2, 8), served=many)
    # March: a popular-science event only; and town B's events never count for town A.
    event(units["town_a"], datetime.date(2025, 3, 3), kind="popular_science", served=many[:1])
    event(units["town_b"], datetime.date(2025, 3, 9))
    event(units["town_b"], datetime.date(2025, 3, 19))
    return many


def test_monthly_quotas_met_and_missed(units, year_of_events):
    events = Quota.objects.create(
        unit=units["town_a"], year=2025, measure="events", period="month", event_kind="service", target=2
    )
    served = Quota.objects.create(
        unit=units["town_a"], year=2025, measure="enterprises", period="month", target=20
    )
    cells = progress.quota_progress(events, today=datetime.date(2025, 4, 15))
    assert [c.actual for c in cells[:4]] == [2, 1, 0, 0]
    assert [c.state for c in cells[:5]] == ["met", "missed", "missed", "running", "future"]
    assert progress.months_met(cells) == (1, 3)
    cells = progress.quota_progress(served, today=datetime.date(2025, 4, 15))
    assert [c.actual for c in cells[:3]] == [20, 20, 1]  # enterprise served twice in January counted once
    assert [c.state for c in cells[:3]] == ["met", "met", "missed"]


def test_yearly_quota_counts_one_type(units, year_of_events):
    quota = Quota.objects.create(
        unit=units["district"],
        year=2025,
        measure="events",
        period="year",
        event_kind="popular_science",
        target=12,
    )
    [cell] = progress.quota_progress(quota, today=datetime.date(2025, 6, 1))
    assert (cell.actual, cell.state, cell.share) == (1, "running", 8)
    [cell] = progress.quota_progress(quota, today=datetime.date(2026, 1, 1))
    assert cell.state == "missed"


def test_financing_quota_adds_amounts_exactly(units, enterprises):
    for amount in ("1500.5000", "499.5000"):
        Financing.objects.create(
            enterprise=enterprises["a"],
            product="天府科创贷",
            lender="建设银行",
            amount=Decimal(amount),
            date=datetime.date(2025, 5, 1),
        )
    quota = Quota.objects.create(
        unit=units["district"], year=2025, measure="financing", period="year", target=2000
    )
    [cell] = progress.quota_progress(quota, today=datetime.date(2025, 12, 31))
    assert cell.actual == Decimal("2000") and cell.state == "met"


def test_metrics_are_registered_and_scoped_to_subtrees(units, year_of_events, enterprises):
    jan = Period.month(2025, 1)
    values = metrics.get("services.events").values(
        [units["district"], units["town_a"], units["town_b"], units["park_a"]], jan
    )
    assert values == {
        units["district"].pk: 2,
        units["town_a"].pk: 2,
        units["town_b"].pk: 0,
        units["park_a"].pk: 1,
    }
    served = metrics.get("services.enterprises_served").value(units["district"], Period.year(2025))
    assert served == 20
    science = metrics.get("services.events").value(
        units["district"], Period.year(2025), kind="popular_science"
    )
    assert science == 1
    Financing.objects.create(
        enterprise=enterprises["b"],
        product="天府科创贷",
        lender="农商行",
        amount=Decimal("300"),
        date=datetime.date(2025, 7, 1),
    )
    Financing.objects.create(
        enterprise=enterprises["b"],
        product="其他",
        lender="农商行",
        amount=Decimal("1"),
        date=datetime.date(2025, 7, 1),
    )
    amount = metrics.get("services.financing_amount")
    assert amount.value(units["district"], Period.year(2025), product="天府科创贷") == Decimal("300")
    assert amount.value(units["town_a"], Period.year(2025)) == 0
    d = TechPost.objects.create(side="demand", title="需求", field="1", description="x", unit=units["town_a"])
    s = TechPost.objects.create(
        side="supply", title="供给", field="1", description="x", unit=units["district"], provider="所"
    )
    Introduction.objects.create(
        demand=d,
        supply=s,
        status="signed",
        contract_amount=Decimal("88.5"),
        contract_date=datetime.date(2025, 3, 1),
    )
    contracts = metrics.get("services.tech_contract_amount")
    assert contracts.value(units["town_a"], Period.year(2025)) == Decimal("88.5")
    assert contracts.value(units["town_a"], Period.year(2025), registered="1") == 0
