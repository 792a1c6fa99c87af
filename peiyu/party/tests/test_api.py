import pytest

from peiyu.core.models import ApiToken
from peiyu.party.models import CoverageEntry, Organisation


@pytest.fixture
def api(client):
    def as_user(user):
        _t, key = ApiToken.objects.issue(user)
        headers = {"HTTP_AUTHORIZATION": f"Bearer {key}"}

        class Api:
            def get(self, url, **params):
                return client.get(url, params, **headers)

            def patch(self, url, data):
                return client.patch(url, data, content_type="application/json", **headers)

        return Api()

    return as_user


def test_ledger_api_is_scoped_and_checks_headcount(units, firms, party_users, users, api):
    Organisation.objects.create(name="华东科技党支部", unit=units["town_a"]).enterprises.add(firms["a1"])
    town_a = api(party_users["town_a"])
    items = town_a.get("/api/party/coverage/").json()["items"]
    assert sorted(i["enterprise_name"] for i in items) == [
        "东丽智造有限公司",
        "华东科技有限公司",
        "津东软件有限公司",
    ]
    assert [i["coverage"] for i in town_a.get("/api/party/coverage/", coverage="own").json()["items"]] == [
        "own"
    ]
    rates = {r["unit_name"]: r for r in api(party_users["bureau"]).get("/api/party/rates/").json()}
    assert rates["张贵庄街道"]["organisation_rate"] in ("33.33", 33.33)
    other = CoverageEntry.objects.get(enterprise=firms["b1"])
    assert town_a.patch(f"/api/party/coverage/{other.pk}/", {"party_members": 1}).status_code == 404
    mine = CoverageEntry.objects.get(enterprise=firms["a2"])  # 40 employees
    response = town_a.patch(f"/api/party/coverage/{mine.pk}/", {"employees": 40, "party_members": 41})
    assert response.status_code == 422
    response = town_a.patch(f"/api/party/coverage/{mine.pk}/", {"employees": 40, "party_members": 4})
    assert response.status_code == 200 and response.json()["should_build"] is True
    for key in ("town_a", "leader", "expert", "ent_a"):
        assert api(users[key]).get("/api/party/coverage/").status_code == 403
    assert api(users["leader"]).get("/api/party/organisations/").status_code == 403
