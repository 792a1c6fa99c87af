"""Bad input to the API is a 4xx with a Chinese message, never a server error (issue 7, points 17
and 24), and the qualifications endpoint is scoped like the pages (point 11)."""

import datetime

import pytest

from peiyu.core.models import ApiToken
from peiyu.core.testing import make_year
from peiyu.enterprises.models import Qualification

pytestmark = pytest.mark.django_db
HUGE = str(2**64 + 1)


@pytest.fixture
def api(client, users):
    def as_user(name):
        _t, key = ApiToken.objects.issue(users[name])
        auth = {"HTTP_AUTHORIZATION": f"Bearer {key}"}

        class Api:
            def get(self, url, **params):
                return client.get(url, params, **auth)

            def post(self, url, data):
                return client.post(url, data, content_type="application/json", **auth)

            def patch(self, url, data):
                return client.patch(url, data, content_type="application/json", **auth)

        return Api()

    return as_user


@pytest.mark.parametrize("field", ["address", "contact_name", "industry_code", "hitech_field", "emerging_industry"])
def test_patching_null_into_a_text_field_is_a_422(api, enterprises, field):
    response = api("ent_a").patch(f"/api/enterprises/{enterprises['a'].pk}", {field: None})
    assert response.status_code == 422
    [error] = response.json()["errors"]
    assert error["field"] == field
    assert error["message"].startswith(("应为文本", "应为以下值之一：'', '1', '2'"))


def test_empty_text_still_clears_a_field(api, enterprises):
    response = api("ent_a").patch(f"/api/enterprises/{enterprises['a'].pk}", {"address": ""})
    assert response.status_code == 200 and response.json()["address"] == ""


@pytest.mark.parametrize("url", [
    f"/api/enterprise-years?enterprise={HUGE}", f"/api/enterprises?page={HUGE}", f"/api/enterprises/{HUGE}",
    f"/api/qualifications?enterprise={HUGE}", f"/api/evaluation/results?unit={HUGE}", "/api/enterprises?page=0",
])
def test_integers_beyond_64_bits_are_a_422(api, enterprises, url):
    response = api("bureau").get(url)
    assert response.status_code == 422 and response.json()["detail"].startswith("请求有误")


@pytest.mark.parametrize("body", ["false", "[null, null]", "3", '"x"'])
def test_a_body_that_is_not_an_object_is_refused(client, api, enterprises, body):
    response = api("bureau").patch(f"/api/enterprises/{enterprises['a'].pk}", body)
    assert response.status_code == 422 and "应为 JSON 对象" in response.json()["detail"]


def test_unknown_fields_and_broken_json_are_refused(api, enterprises):
    bureau = api("bureau")
    unknown = bureau.patch(f"/api/enterprises/{enterprises['a'].pk}", {"adress": "拼错的字段"})
    assert unknown.status_code == 422 and unknown.json()["errors"][0] == {"field": "adress", "message": "不是可用的字段"}
    broken = bureau.patch(f"/api/enterprises/{enterprises['a'].pk}", "{not json")
    assert broken.status_code == 400 and broken.json()["detail"] == "请求体不是合法的 JSON。"


def test_values_beyond_field_limits_are_a_422_in_chinese(api, enterprises):
    bureau = api("bureau")
    year = make_year(enterprises["a"], 2024)
    too_big = bureau.patch(f"/api/enterprise-years/{year.pk}", {"revenue": "1e20"})
    assert too_big.status_code == 422 and "不超过 18 个数字" in too_big.json()["detail"]
    infinite = bureau.patch(f"/api/enterprise-years/{year.pk}", {"revenue": "Infinity"})
    assert infinite.status_code == 422
    long_name = bureau.patch(f"/api/enterprises/{enterprises['a'].pk}", {"name": "长" * 32767})
    assert long_name.status_code == 422 and "200" in long_name.json()["detail"]
    count = bureau.patch(f"/api/enterprise-years/{year.pk}", {"employees": 2**70})
    assert count.status_code == 422


def test_errors_are_documented_in_the_schema(client):
    schema = client.get("/api/openapi.json").json()
    patch = schema["paths"]["/api/enterprises/{enterprise_id}"]["patch"]
    assert set(patch["responses"]) == {"200", "400", "401", "403", "404", "422"}
    assert patch["summary"].startswith("修改企业")


def test_docs_page_is_chinese(client):
    page = client.get("/api/docs").content.decode()
    assert "<title>培育平台 API</title>" in page or "培育平台 API" in page
    schema = client.get("/api/openapi.json").json()
    assert schema["info"]["title"] == "培育平台 API" and "认证" in schema["info"]["description"]
    assert schema["components"]["schemas"]["QualificationIn"]["properties"]["kind"]["description"].startswith("资质类型")


def _qualification(enterprise, kind="hitech", **fields):
    return Qualification.objects.create(enterprise=enterprise, kind=kind, granted_on=datetime.date(2024, 3, 1), **fields)


def test_qualifications_are_listed_in_scope_with_filters(api, enterprises):
    _qualification(enterprises["a"], number="GR202412000001")
    _qualification(enterprises["b"], kind="tech_sme")
    town_a = api("town_a").get("/api/qualifications").json()
    assert [q["enterprise_name"] for q in town_a["items"]] == ["华东科技有限公司"]
    assert town_a["items"][0]["kind_name"] == "高新技术企业" and town_a["items"][0]["valid_until"] == "2027-02-28"
    bureau = api("bureau")
    assert bureau.get("/api/qualifications").json()["count"] == 2
    assert [q["kind"] for q in bureau.get("/api/qualifications", kind="tech_sme").json()["items"]] == ["tech_sme"]
    assert bureau.get("/api/qualifications", year=2030).json()["count"] == 0
    assert bureau.get("/api/qualifications", q="hdkj").json()["count"] == 1
    assert bureau.get("/api/qualifications", kind="nonsense").status_code == 422


def test_qualification_detail_create_and_update(api, enterprises):
    other = _qualification(enterprises["b"])
    town_a = api("town_a")
    assert town_a.get(f"/api/qualifications/{other.pk}").status_code == 404
    created = town_a.post("/api/qualifications", {"enterprise": enterprises["a"].pk, "kind": "tech_sme", "number": "202412010400001234",
                                                   "granted_on": "2024-05-10"})
    assert created.status_code == 201 and created.json()["valid_until"] == "2024-12-31"
    pk = created.json()["id"]
    backwards = town_a.patch(f"/api/qualifications/{pk}", {"valid_until": "2023-01-01"})
    assert backwards.status_code == 422 and "认定日期" in backwards.json()["detail"]
    moved = town_a.patch(f"/api/qualifications/{pk}", {"note": "复核通过"})
    assert moved.status_code == 200 and moved.json()["note"] == "复核通过" and moved.json()["number"] == "202412010400001234"
    assert town_a.post("/api/qualifications", {"enterprise": enterprises["b"].pk, "kind": "hitech"}).status_code == 404
    assert town_a.patch(f"/api/qualifications/{other.pk}", {"note": "越权"}).status_code == 404


def test_enterprise_users_and_leaders_only_read_qualifications(api, enterprises):
    own = _qualification(enterprises["a"])
    ent = api("ent_a")
    assert ent.get("/api/qualifications").json()["count"] == 1
    assert ent.patch(f"/api/qualifications/{own.pk}", {"note": "自己改"}).status_code == 403
    assert ent.post("/api/qualifications", {"enterprise": enterprises["a"].pk, "kind": "hitech"}).status_code == 403
    assert api("leader").patch(f"/api/qualifications/{own.pk}", {"note": "领导改"}).status_code == 403
