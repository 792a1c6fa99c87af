"""Evaluation from the database: the raw batch frame equals the ORM input, stored results carry
the rule set version, `peiyu evaluate --year` stores per unit, local versions leave old results."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import translation

from peiyu.core.testing import make_enterprise, make_year
from peiyu.enterprises.models import Enterprise, Qualification
from peiyu.evaluation import batch, rules
from peiyu.evaluation.dbframes import input_for, read_frame
from peiyu.evaluation.engine import evaluate
from peiyu.evaluation.models import EvaluationResult, RuleSet

pytestmark = pytest.mark.django_db


@pytest.fixture
def district(units, enterprises):
    a, b = enterprises["a"], enterprises["b"]
    a.established, a.hitech_field = datetime.date(2015, 3, 1), "1"
    a.save()
    for year, revenue, net in ((2022, "3000", "1000"), (2023, "4000", "1300"), (2024, "5000", "1690")):
        make_year(a, year, revenue=Decimal(revenue), rd_expense=Decimal("299.5") if year == 2024 else Decimal(300), total_costs=Decimal(4000),
                  employees=100, tech_staff=29, utility_patents=3, total_assets=Decimal(1000), net_assets=Decimal(net),
                  rd_expense_domestic=Decimal(200), hitech_revenue=Decimal(revenue) * Decimal("0.7"))
    make_year(b, 2024, revenue=Decimal(5000), rd_expense=Decimal(500), employees=100, tech_staff=9, invention_patents=2,
              total_assets=Decimal("0.1"), total_costs=Decimal(4000))
    c = make_enterprise(units["town_b"], "高企证书公司")
    make_year(c, 2024, revenue=Decimal(100), rd_expense=Decimal(1), employees=10, tech_staff=1, total_assets=Decimal(50))
    Qualification.objects.create(enterprise=c, kind="hitech", granted_on=datetime.date(2023, 5, 1))
    return {"a": a, "b": b, "c": c}


@pytest.mark.parametrize("code", sorted(rules.official_data()))
def test_raw_frame_matches_orm_inputs(district, code):
    rs = rules.official(code)
    years = max(rs.years_needed, 1)
    frame = read_frame(2024, years, Enterprise.objects.all())
    out = batch.compile_ruleset(rs)(frame, keep=["enterprise_id"])
    for row in out.iter_rows(named=True):
        enterprise = Enterprise.objects.get(pk=row["enterprise_id"])
        single = batch.flatten(rs, evaluate(rs, input_for(enterprise, 2024, years=4)))
        assert {k: row[k] for k in single} == single


def test_certificate_from_qualifications_is_a_direct_route(district):
    out = io.StringIO()
    with translation.override("en"):
        call_command("evaluate", "--rules", "tech-sme-2017", "--year", "2024", stdout=out)
    result = EvaluationResult.objects.get(enterprise=district["c"])
    assert (result.eligible, result.route, result.route_code) == (True, "direct", "hitech_certificate")
    assert "3 enterprises evaluated" in out.getvalue()


def test_command_stores_results_with_version(district):
    call_command("evaluate", "--rules", "tech-sme-2017", "--year", "2024", stdout=io.StringIO())
    stored = {r.enterprise_id: r for r in EvaluationResult.objects.select_related("ruleset")}
    a, b = stored[district["a"].pk], stored[district["b"].pk]
    assert (a.eligible, a.score_min, a.ruleset.version, a.ruleset.code) == (True, 74, "1", "tech-sme-2017")
    assert a.indicators["rd_input"] == {"band": "B", "band_max": "B", "pmin": 40, "pmax": 40}
    assert (b.eligible, b.score_min) == (False, 80)


def test_command_limited_to_a_unit(district, units):
    call_command("evaluate", "--rules", "tech-sme-2017", "--year", "2024", "--unit", units["town_b"].code, stdout=io.StringIO())
    assert set(EvaluationResult.objects.values_list("enterprise_id", flat=True)) == {district["b"].pk, district["c"].pk}


def test_old_results_keep_their_version(district, users):
    call_command("evaluate", "--rules", "tech-sme-2017", "--year", "2024", stdout=io.StringIO())
    official = RuleSet.objects.get_active("tech-sme-2017")
    data = dict(official.data, version=official.next_local_version())
    data["pass"] = dict(data["pass"], min_score=80)
    local = RuleSet.objects.create(code=official.code, version=data["version"], name=official.name, data=data, based_on=official)
    local.activate()
    call_command("evaluate", "--rules", "tech-sme-2017", "--year", "2024", stdout=io.StringIO())
    assert set(EvaluationResult.objects.values_list("ruleset__version", flat=True)) == {"1", "1-L1"}
    of_a = {r.ruleset.version: r.eligible for r in EvaluationResult.objects.filter(enterprise=district["a"]).select_related("ruleset")}
    assert of_a == {"1": True, "1-L1": False}  # 74 passes the official 60, not the local 80


def test_sync_loads_every_shipped_rule_set_once(db):
    RuleSet.objects.sync_official()
    RuleSet.objects.sync_official()
    assert RuleSet.objects.count() == len(rules.official_data())
    assert RuleSet.objects.filter(is_active=True).count() == len(rules.official_data())
