import pytest

from peiyu.carriers.models import Carrier
from peiyu.core.models import ApiToken

pytestmark = pytest.mark.django_db
URL = "/api/carriers/carriers"


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


def names(response):
    assert response.status_code == 200, response.content
    return sorted(item["name"] for item in response.json()["items"])


@pytest.mark.parametrize(
    ("user", "expected"),
    [
        ("bureau", ["丰年众创空间", "张贵庄孵化器", "科技园研发中心"]),
        ("leader", ["丰年众创空间", "张贵庄孵化器", "科技园研发中心"]),
        ("town_a", ["张贵庄孵化器", "科技园研发中心"]),
        ("town_b", ["丰年众创空间"]),
        ("ent_a", ["张贵庄孵化器"]),
    ],
)
def test_list_is_scoped(api, carriers, user, expected):
    assert names(api(user).get(URL)) == expected


def test_filters_detail_and_other_units(api, carriers, units):
    bureau = api("bureau")
    assert names(bureau.get(URL, kind="rd_centre")) == ["科技园研发中心"]
    assert names(bureau.get(URL, unit=units["town_b"].pk)) == ["丰年众创空间"]
    assert names(bureau.get(URL, q="运营公司")) == ["张贵庄孵化器"]
    item = bureau.get(f"{URL}/{carriers['a'].pk}").json()
    assert item["incubated_total"] == 4 and item["level_name"] and item["unit_name"] == "张贵庄街道"
    assert api("town_b").get(f"{URL}/{carriers['a'].pk}").status_code == 404
    assert api("town_b").get(URL, unit=units["town_a"].pk).status_code == 404
    assert api("expert").get(URL).status_code == 403


def test_create_and_update_with_rules_and_scope(api, units, enterprises, carriers):
    town_a = api("town_a")
    body = {
        "name": "新研发中心",
        "kind": "rd_centre",
        "level": "city",
        "unit": units["town_a"].pk,
        "recognised_on": "2022-01-01",
    }
    response = town_a.post(URL, body)
    assert response.status_code == 422 and "enterprise" in response.json()["detail"]
    response = town_a.post(
        URL, {**body, "enterprise": enterprises["b"].pk}
    )  # town B's enterprise: not visible to town A
    assert response.status_code == 404
    response = town_a.post(
        URL, {**body, "enterprise": enterprises["a"].pk, "incubated": [enterprises["a"].pk], "area": "350.5"}
    )
    assert response.status_code == 201, response.content
    created = Carrier.objects.get(name="新研发中心")
    assert created.enterprise == enterprises["a"] and str(created.area) == "350.50"
    assert (
        town_a.post(
            URL, {**body, "name": "别处", "unit": units["town_b"].pk, "enterprise": enterprises["a"].pk}
        ).status_code
        == 403
    )
    assert town_a.patch(f"{URL}/{created.pk}", {"level": "national"}).status_code == 200
    assert Carrier.objects.get(pk=created.pk).level == "national"
    assert town_a.patch(f"{URL}/{carriers['b'].pk}", {"level": "national"}).status_code == 404
    assert api("leader").patch(f"{URL}/{created.pk}", {"level": "city"}).status_code == 403
    assert api("leader").post(URL, {**body, "name": "领导建的"}).status_code == 403
    assert api("ent_a").patch(f"{URL}/{carriers['a'].pk}", {"level": "city"}).status_code == 403
    assert town_a.patch(f"{URL}/{created.pk}", {"status": "revoked"}).status_code == 422
    assert (
        town_a.post(URL, {**body, "enterprise": enterprises["a"].pk}).status_code == 422
    )  # the name is taken
