from decimal import Decimal

import pytest

from peiyu.core.models import ApiToken
from peiyu.core.testing import make_year

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(client, users):
    def as_user(name):
        _t, key = ApiToken.objects.issue(users[name])
        headers = {"HTTP_AUTHORIZATION": f"Bearer {key}"}

        class Api:
            def get(self, url, **params):
                return client.get(url, params, **headers)

            def post(self, url, data):
                return client.post(url, data, content_type="application/json", **headers)

            def patch(self, url, data):
                return client.patch(url, data, content_type="application/json", **headers)

        return Api()

    return as_user


def test_openapi_docs_are_served(client):
    assert client.get("/api/openapi.json").status_code == 200
    assert client.get("/api/docs").status_code == 200


def test_list_filters_match_the_list_page(api, enterprises):
    make_year(enterprises["a"], 2024, revenue=Decimal("10000"))
    make_year(enterprises["b"], 2024, revenue=Decimal("100"))
    bureau = api("bureau")
    assert [e["name"] for e in bureau.get("/api/enterprises", stage=3).json()["items"]] == ["华东科技有限公司"]
    assert [e["name"] for e in bureau.get("/api/enterprises", q="fndz").json()["items"]] == ["丰年电子有限公司"]
    assert bureau.get("/api/enterprises").json()["count"] == 2


def test_create_enterprise_validates_the_credit_code(api, units):
    bureau = api("bureau")
    bad = bureau.post("/api/enterprises", {"uscc": "91512081MA62K0260F", "name": "接口企业", "unit": units["town_a"].pk})
    assert bad.status_code == 422 and "E" in bad.json()["detail"]
    ok = bureau.post("/api/enterprises", {"uscc": "91512081MA62K0260E", "name": "接口企业", "unit": units["town_a"].pk})
    assert ok.status_code == 201 and ok.json()["unit_name"] == "张贵庄街道"


def test_town_official_cannot_create_in_another_town(api, units):
    response = api("town_a").post("/api/enterprises", {"uscc": "91512081MA62K0260E", "name": "越权", "unit": units["town_b"].pk})
    assert response.status_code == 403


def test_years_create_update_and_derived_band(api, enterprises):
    town = api("town_a")
    created = town.post("/api/enterprise-years", {"enterprise": enterprises["a"].pk, "year": 2024, "revenue": "9999.9999"})
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["revenue_band"] == 2 and body["stage"] == 2 and Decimal(body["revenue"]) == Decimal("9999.9999")
    updated = town.patch(f"/api/enterprise-years/{body['id']}", {"revenue": "10000"})
    assert updated.json()["revenue_band"] == 3
    bad = town.patch(f"/api/enterprise-years/{body['id']}", {"employees": 5, "tech_staff": 6})
    assert bad.status_code == 422


def test_years_of_other_towns_are_invisible(api, enterprises):
    y = make_year(enterprises["b"], 2024)
    town = api("town_a")
    assert town.get(f"/api/enterprise-years/{y.pk}").status_code == 404
    assert town.get("/api/enterprise-years").json()["count"] == 0
    assert town.post("/api/enterprise-years", {"enterprise": enterprises["b"].pk, "year": 2023}).status_code == 404


def test_leader_reads_but_cannot_write(api, enterprises):
    y = make_year(enterprises["a"], 2024)
    leader = api("leader")
    assert leader.get(f"/api/enterprise-years/{y.pk}").status_code == 200
    assert leader.patch(f"/api/enterprise-years/{y.pk}", {"employees": 1}).status_code == 403
