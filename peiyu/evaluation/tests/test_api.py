"""The evaluation API: rule sets, stored results (scoped), live and ad-hoc evaluation."""

import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from ninja import NinjaAPI
from ninja.testing import TestClient

from peiyu.core.api import TokenAuth
from peiyu.core.models import ApiToken
from peiyu.core.testing import make_year
from peiyu.evaluation.api import build_router

pytestmark = pytest.mark.django_db

API = NinjaAPI(auth=[TokenAuth()], urls_namespace="evaluation-api-test")
API.add_router("/evaluation/", build_router())


@pytest.fixture
def api():
    return TestClient(API)


def auth(user) -> dict:
    _, key = ApiToken.objects.issue(user)
    return {"Authorization": f"Bearer {key}"}


@pytest.fixture
def stored(enterprises):
    for e, tech in ((enterprises["a"], 30), (enterprises["b"], 9)):
        make_year(e, 2024, revenue=Decimal(5000), rd_expense=Decimal(300), employees=100, tech_staff=tech, invention_patents=1,
                  total_assets=Decimal(1000), total_costs=Decimal(4000))
    call_command("evaluate", "--rules", "tech-sme-2017", "--year", "2024", stdout=io.StringIO())
    return enterprises


T2 = {"ruleset": "tech-sme-2017", "year": 2024, "years": {"2024": {
    "employees": 100, "tech_staff": 29, "rd_expense": "299.5", "revenue": "5000", "total_costs": "4500", "utility_patents": 3,
    "total_assets": "1000"}}}


def test_rulesets(api, users):
    rows = api.get("/evaluation/rulesets", headers=auth(users["town_a"])).json()
    codes = {r["code"] for r in rows}
    assert {"tech-sme-2017", "hitech-2016", "gazelle-huangpu-2022"} <= codes
    hitech = next(r for r in rows if r["code"] == "hitech-2016")
    assert hitech["unconfirmed"] and "32号" in hitech["source_document"]


def test_ad_hoc_evaluation_of_posted_figures(api, users):
    body = api.post("/evaluation/evaluate", json=T2, headers=auth(users["ent_a"])).json()
    assert (body["eligible"], body["route"], body["score"]) == (True, "score", 74)
    assert {i["code"]: i["points"] for i in body["indicators"] if i["kind"] == "score"} == {"tech_staff": 16, "rd_input": 40, "ip": 18}


def test_ad_hoc_evaluation_returns_the_gap(api, users):
    payload = {**T2, "years": {"2024": {**T2["years"]["2024"], "tech_staff": 9}}}
    body = api.post("/evaluation/evaluate", json=payload, headers=auth(users["ent_a"])).json()
    assert body["eligible"] is False and body["gaps"][0]["message"] == "科技人员还需增加 1 人"


def test_unknown_fields_are_refused(api, users):
    payload = {**T2, "years": {"2024": {"revenu": "5000"}}}
    assert api.post("/evaluation/evaluate", json=payload, headers=auth(users["bureau"])).status_code == 422


def test_results_are_scoped_to_the_unit(api, users, stored):
    mine = api.get("/evaluation/results?year=2024", headers=auth(users["town_a"])).json()["items"]
    assert [r["name"] for r in mine] == ["华东科技有限公司"]
    assert mine[0]["version"] == "1" and mine[0]["eligible"] is True
    everything = api.get("/evaluation/results?year=2024", headers=auth(users["bureau"])).json()["items"]
    assert len(everything) == 2
    own = api.get("/evaluation/results", headers=auth(users["ent_a"])).json()["items"]
    assert [r["name"] for r in own] == ["华东科技有限公司"]


def test_live_evaluation_of_another_towns_enterprise_is_404(api, users, stored):
    ok = api.get(f"/evaluation/enterprises/{stored['a'].pk}?year=2024", headers=auth(users["town_a"]))
    assert ok.status_code == 200 and any(r["ruleset"] == "tech-sme-2022" for r in ok.json())
    other = api.get(f"/evaluation/enterprises/{stored['b'].pk}?year=2024", headers=auth(users["town_a"]))
    assert other.status_code == 404 and "丰年" not in other.content.decode()


def test_anonymous_is_refused(api):
    assert api.get("/evaluation/results").status_code == 401


def test_mounted_on_the_project_api(client, users):
    """The router as the lead mounts it at /api/evaluation/."""
    response = client.post("/api/evaluation/evaluate", data=T2, content_type="application/json", headers=auth(users["bureau"]))
    assert response.status_code == 200 and response.json()["score"] == 74
