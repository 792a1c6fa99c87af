"""Alert lists at their edges, and rule-set parameters (edit, refuse, relax)."""

import datetime
from decimal import Decimal
from fractions import Fraction

import pytest

from peiyu.core.testing import make_enterprise, make_year
from peiyu.enterprises.models import Qualification
from peiyu.evaluation import alerts, params, rules


@pytest.mark.django_db
def test_alert_edges(users, units):
    def firm(name, **figures):
        e = make_enterprise(units["town_a"], name)
        make_year(e, 2024, **figures)
        return e

    base = dict(employees=100, tech_staff=30, total_assets=Decimal(1000), total_costs=Decimal(20000))
    at3 = firm("三整", revenue=Decimal(5000), rd_expense=Decimal(150), **base)
    under3 = firm("三不足", revenue=Decimal(5000), rd_expense=Decimal("149.9999"), **base)
    big = firm("一亿无机构", revenue=Decimal(10000), rd_expense=Decimal(600), **base)
    almost = firm("差一元", revenue=Decimal("9999.9999"), rd_expense=Decimal(600), **base)
    for e in (at3, under3):
        Qualification.objects.create(enterprise=e, kind="tech_sme", granted_on=datetime.date(2024, 5, 1))
    today = datetime.date(2025, 3, 15)
    Qualification.objects.create(enterprise=big, kind="hitech", granted_on=datetime.date(2022, 9, 15), valid_until=datetime.date(2025, 9, 15))
    Qualification.objects.create(enterprise=almost, kind="hitech", granted_on=datetime.date(2022, 9, 16), valid_until=datetime.date(2025, 9, 16))
    low = {a.code: [y.enterprise.name for y in a.rows] for a in alerts.low_rd(users["bureau"], 2024)}
    assert low["low_rd_tech_sme"] == ["三不足"]
    assert [y.enterprise.name for y in alerts.no_institution(users["bureau"], 2024).rows] == ["一亿无机构"]
    assert [q.enterprise.name for q in alerts.expiring(users["bureau"], today).rows] == ["一亿无机构"]
    zeros = {a.code: a for a in alerts.three_zeros(users["bureau"], 2024)}
    assert {y.enterprise.name for y in zeros["zero_patents"].rows} == {"三整", "三不足", "一亿无机构", "差一元"}
    assert not zeros["zero_project_applications"].available
    assert alerts.expiring(users["town_b"], today).rows == []


def test_parameters_cover_thresholds_points_and_pass_marks():
    data = rules.official_data()["tech-sme-2017"]
    keys = {p.key for p in params.parameters(data)}
    assert {"gates.0.value", "indicators.0.bands.0.when.value", "indicators.0.bands.0.points", "pass.min_score",
            "indicators.1.alternatives.1.bands.2.when.value", "routes.2.value"} <= keys


def test_apply_changes_a_copy_and_refuses_bad_values():
    data = rules.official_data()["hitech-2016"]
    changed, errors = params.apply(data, {"gates.4.tiers.0.value": "0.06", "indicators.3.bands.0.points": "8-10"})
    assert not errors and changed["gates"][4]["tiers"][0]["value"] == "0.06" and data["gates"][4]["tiers"][0]["value"] == "0.05"
    assert changed["indicators"][3]["bands"][0]["points"] == [8, 10]
    assert params.apply(data, {"pass.min_score": "abc"})[1]
    assert params.apply(data, {"indicators.3.bands.0.points": "9-7"})[1]  # low above high: refused by the parser


def test_relax_loosens_in_the_right_direction():
    relaxed = rules.parse(params.relax(rules.official_data()["tech-sme-2017"], Fraction(1, 10)))
    assert relaxed.gates[0].condition.value == 550  # ≤ 500 becomes ≤ 550
    assert relaxed.indicators[0].bands[0].when.value == Fraction(27, 100)  # ≥ 30% becomes ≥ 27%
    assert relaxed.pass_rule.min_score == 54
