"""Progress, reported sums, snapshots that stay put, cadre credit, assessment and the registry metrics."""

import datetime as dt
from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from peiyu.core import metrics
from peiyu.core.choices import Role
from peiyu.core.periods import Period
from peiyu.core.testing import make_enterprise, make_user
from peiyu.targets import decomposition as dec
from peiyu.targets import services
from peiyu.targets.models import CadreTarget, Snapshot, Target
from peiyu.targets.progress import progress_of
from peiyu.targets.scoring import assess
from peiyu.targets.tests.conftest import qualify, report

pytestmark = pytest.mark.django_db
SEPT = dt.date(2025, 9, 30)


def by_unit(progress):
    return {(p.target.indicator.code, p.target.unit.code): p for p in progress}


def test_actual_values_computed_and_reported(plan, units, enterprises):
    qualify(enterprises["a"])
    qualify(enterprises["b"], on=dt.date(2025, 11, 1))  # after the date asked: not counted yet
    report(plan["rd"], units["town_a"], "2025-08", "8")
    report(plan["rd"], units["town_a"], "2025-09", "9.5")
    report(plan["rd"], units["town_b"], "2025-09", "5", state="submitted")  # not yet accepted
    found = by_unit(progress_of(Target.objects.select_related("indicator", "unit", "plan"), SEPT))
    assert found[("tech_smes", "120110")].actual == 1
    assert found[("tech_smes", "120110001")].completion == D("50.00")
    assert found[("rd", "120110001")].actual == D("9.5")
    assert found[("rd", "120110002")].actual is None and found[("rd", "120110002")].light == "grey"
    # the district does not report: the sum of its towns' latest accepted reports
    assert found[("rd", "120110")].actual == D("9.5")
    assert found[("rd", "120110")].elapsed == D("75.40")
    assert found[("rd", "120110")].gap == D("50.00") - D("75.40")


def test_decomposition_saves_only_when_it_adds_up(plan, units, users):
    parent = Target.objects.get(plan=plan["plan"], indicator=plan["rd"], unit=units["district"])
    bad = [dec.Row(units["town_a"], D(12), D(13)), dec.Row(units["town_b"], D(6), D(7))]
    with pytest.raises(ValidationError) as refused:
        dec.save(parent, bad)
    assert "差" in str(refused.value) or "difference" in str(refused.value)
    assert parent.children.get(unit=units["town_b"]).floor == D(7)  # nothing changed
    outside = [dec.Row(units["city"], D(19), D(20))]
    with pytest.raises(ValidationError):
        dec.save(parent, outside)
    good = [
        dec.Row(units["town_a"], D(10), D(11), person=users["town_a"]),
        dec.Row(units["town_b"], D(9), D(9)),
    ]
    dec.save(parent, good)
    assert parent.children.get(unit=units["town_a"]).responsibility.persons == [users["town_a"]]
    assert sorted(parent.children.values_list("floor", flat=True)) == [D(9), D(10)]


def test_snapshots_do_not_change_when_data_changes_later(plan, units, users, enterprises):
    qualify(enterprises["a"])
    taken, kept = services.take_snapshots(Period.parse("2025-Q3"))
    assert taken == 6 and kept == 0
    district = Target.objects.get(plan=plan["plan"], indicator=plan["tech"], unit=units["district"])
    assert Snapshot.objects.get(target=district).actual == 1
    qualify(enterprises["b"], on=dt.date(2025, 6, 1))  # a late entry dated back into the quarter
    assert services.take_snapshots(Period.parse("2025-Q3")) == (0, 6)  # the job never overwrites
    frozen = services.progress_as_reported([district], SEPT)[0]
    assert frozen.actual == 1 and frozen.frozen
    assert progress_of([district], dt.date(2025, 10, 1))[0].actual == 2  # a live date sees the change
    with pytest.raises(PermissionDenied):
        services.take_snapshots(Period.parse("2025-Q3"), users["town_a"], retake=True)
    services.take_snapshots(Period.parse("2025-Q3"), users["bureau"], retake=True)
    assert Snapshot.objects.get(target=district).actual == 2
    from peiyu.core.models import ObjectChange

    assert ObjectChange.objects.filter(
        object_repr__contains="", user=users["bureau"], action="update"
    ).exists()


def test_cadre_credit_lists_who_has_and_has_not_delivered(plan, units, users):
    cadre_a, cadre_b = (
        make_user("cadre_a", Role.BUREAU, units["district"]),
        make_user("cadre_b", Role.BUREAU, units["district"]),
    )
    CadreTarget.objects.create(plan=plan["plan"], cadre=cadre_a, period_code="2025..2026", floor=1)
    CadreTarget.objects.create(plan=plan["plan"], cadre=cadre_b, period_code="2025..2026", floor=1)
    new = make_enterprise(units["town_a"], "新发展科技有限公司", cadre=cadre_a)
    qualify(new, dt.date(2026, 5, 1))
    old = make_enterprise(units["town_a"], "老牌科技有限公司", cadre=cadre_b)
    qualify(old, dt.date(2024, 5, 1), until=dt.date(2024, 12, 31))
    qualify(old, dt.date(2025, 5, 1))  # registered in 2024 and again in 2025: not new
    lapsed = make_enterprise(units["town_b"], "重新入库科技有限公司", cadre=cadre_b)
    qualify(lapsed, dt.date(2020, 5, 1), until=dt.date(2020, 12, 31))
    rows = {r["cadre"].username: r for r in services.cadre_credit(plan["plan"])}
    assert rows["cadre_a"]["delivered"] and rows["cadre_a"]["credited"] == [new]
    assert not rows["cadre_b"]["delivered"] and rows["cadre_b"]["credited"] == []
    qualify(lapsed, dt.date(2025, 6, 1))  # lapsed since 2020, registered again: developed anew
    rows = {r["cadre"].username: r for r in services.cadre_credit(plan["plan"])}
    assert rows["cadre_b"]["credited"] == [lapsed] and rows["cadre_b"]["delivered"]
    assert services.cadre_credit(plan["plan"], dt.date(2026, 4, 30))[0]["credited"] == []


def test_assessment_scores_ranks_and_applies_adjustments(plan, units, enterprises):
    from peiyu.targets.models import Adjustment

    qualify(enterprises["a"])
    qualify(make_enterprise(units["town_a"], "第二科技有限公司"))
    qualify(make_enterprise(units["town_a"], "第三科技有限公司"))  # town A: 3 of 2 (stretch 3)
    report(plan["rd"], units["town_a"], "2025", "12")  # exactly at the floor
    report(plan["rd"], units["town_b"], "2025", "3")  # 3 ÷ 7 = 42.9 % < 50 %: zero
    Adjustment.objects.create(
        scheme=plan["scheme"], unit=units["town_b"], points=D(-2), reason="迟报统计数据"
    )
    results = {r.unit.code: r for r in assess(plan["scheme"])}
    a, b = results["120110001"], results["120110002"]
    assert a.total == D("40") + D("4") + D("60") and a.rank == 1
    assert b.items[plan["rd"].pk][0].points == 0
    assert b.total == D(0) + D(0) - D(2) and b.rank == 2


def test_registry_metrics_for_bulletins(plan, units, enterprises):
    qualify(enterprises["a"])
    report(plan["rd"], units["town_a"], "2025-09", "9.5")
    report(plan["rd"], units["town_a"], "2025-Q3", "9.6")
    q3 = Period.parse("2025-Q3")
    towns = [units["town_a"], units["town_b"]]
    assert metrics.get("targets.floor").values(towns, q3, indicator="rd") == {
        units["town_a"].pk: D(12),
        units["town_b"].pk: D(7),
    }
    assert metrics.get("targets.actual").value(units["town_a"], q3, indicator="tech_smes") == 1
    assert metrics.get("targets.completion").value(units["town_a"], q3, indicator="tech_smes") == D("50.00")
    assert metrics.get("targets.elapsed").value(units["town_a"], q3, indicator="rd") == D("75.40")
    assert metrics.get("targets.schedule_gap").value(units["town_a"], q3, indicator="tech_smes") == D(
        "-25.40"
    )
    assert metrics.get("targets.reported").value(units["town_a"], q3, indicator="rd") == D("9.6")
    assert metrics.get("targets.stretch").value(units["city"], q3, indicator="rd") is None
    assert metrics.get("targets.floor").value(units["town_a"], Period.year(2024), indicator="rd") is None


def test_forecast_from_reported_monthly_history(plan, units):
    for year, total in ((2022, 15), (2023, 16), (2024, 17)):
        for m in range(1, 13):
            report(plan["rd"], units["town_a"], f"{year}-{m:02d}", D(total) * m / 12)
    for m in range(1, 10):
        report(plan["rd"], units["town_a"], f"2025-{m:02d}", D(18) * m / 12)
    target = Target.objects.get(plan=plan["plan"], indicator=plan["rd"], unit=units["town_a"])
    f = services.forecast_for(target, SEPT)
    assert f.value == D("18.00") and f.p_floor == 1.0
    assert [round(e[3], 6) for e in f.yearly_errors()] == [0.0, 0.0]
