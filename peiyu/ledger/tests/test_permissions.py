"""Scoping: unit staff see and report only their unit's items and the items that name them; leaders
read; the bureau creates, accepts and supervises; other roles see nothing. Pages, exports and the
API alike."""

import pytest
from django.urls import reverse

from peiyu.core.choices import Role
from peiyu.core.models import ApiToken
from peiyu.core.testing import make_user
from peiyu.ledger.models import Item, Ledger, Report


@pytest.fixture
def town_ledger(units):
    return Ledger.objects.create(name="张贵庄街道整改台账", unit=units["town_a"], year=2026)


@pytest.fixture
def world(make_item, ledger, town_ledger, units, users):
    """A district item, one that names town B's official, and one of town A's own ledger."""
    named = make_user("town_b_named", Role.UNIT, units["town_b"], full_name="周敏")
    return {
        "district": make_item(number=1, problem="区级事项"),
        "named": make_item(number=2, problem="点名事项", persons="周敏"),
        "town_a": make_item(
            number=1, problem="街道事项", ledger=town_ledger, leaders="", persons="", departments="街道科技办"
        ),
        "named_user": named,
    }


def visible(user):
    return set(Item.objects.for_user(user).values_list("problem", flat=True))


def test_querysets(world, users):
    assert visible(users["bureau"]) == {"区级事项", "点名事项", "街道事项"}
    assert visible(users["leader"]) == {"区级事项", "点名事项", "街道事项"}
    assert visible(users["town_a"]) == {"街道事项"}
    assert visible(users["town_b"]) == set()
    assert visible(world["named_user"]) == {"点名事项"}
    for role in ("expert", "party", "ent_a"):
        assert visible(users[role]) == set()
    assert set(Ledger.objects.for_user(world["named_user"]).values_list("name", flat=True)) == {
        "2026年整改台账"
    }
    # Leaders read only.
    assert not Item.objects.writable_by(users["leader"]).exists()


def test_pages_answer_404_outside_the_scope_and_403_to_readers(client_for, world, users, ledger):
    district, town_item = world["district"], world["town_a"]
    town_b = client_for(users["town_b"])
    assert town_b.get(district.get_absolute_url()).status_code == 404
    assert town_b.get(ledger.get_absolute_url()).status_code == 404
    assert town_b.post(reverse("ledger:report-add", args=[district.pk]), {"text": "越权"}).status_code == 404
    leader = client_for(users["leader"])
    assert leader.get(town_item.get_absolute_url()).status_code == 200
    assert leader.post(reverse("ledger:report-add", args=[district.pk]), {"text": "只读"}).status_code == 403
    assert (
        leader.post(
            reverse("ledger:notice-add", args=[district.pk]), {"content": "x", "due_in": 3}
        ).status_code
        == 403
    )
    assert not Report.objects.exists()
    for role in ("expert", "ent_a", "party"):
        assert client_for(users[role]).get(district.get_absolute_url()).status_code in (403, 404)


def test_named_person_may_report_but_not_edit_or_accept(client_for, world):
    named, item = world["named_user"], world["named"]
    client = client_for(named)
    assert client.get(item.get_absolute_url()).status_code == 200
    client.post(reverse("ledger:report-add", args=[item.pk]), {"text": "已推进"})
    assert Report.objects.filter(item=item, author=named).exists()
    assert client.get(reverse("ledger:item-edit", args=[item.pk])).status_code == 403
    assert (
        client.post(reverse("ledger:notice-add", args=[item.pk]), {"content": "x", "due_in": 3}).status_code
        == 403
    )


def test_unit_staff_do_not_see_other_units_in_lists_calendar_board_and_statistics(client_for, world, users):
    client = client_for(users["town_a"])
    for name in ("ledger:item-list", "ledger:board"):
        html = client.get(reverse(name)).content.decode()
        assert "街道事项" in html and "区级事项" not in html
    cal = client.get(reverse("ledger:calendar"), {"month": "2026-12"}).content.decode()
    assert "区级事项" not in cal
    rows = client.get(reverse("ledger:statistics")).context["rows"]
    assert [r.department for r in rows] == ["街道科技办"]


def test_export_of_a_ledger_shows_only_visible_items(client_for, world, users, ledger):
    from peiyu.ledger import exporting

    rows = exporting.table_rows(ledger, world["named_user"])
    assert [r[0][1] for r in rows] == ["点名事项"]


@pytest.fixture
def api(client, users):
    def as_user(user):
        _t, key = ApiToken.objects.issue(user)
        headers = {"HTTP_AUTHORIZATION": f"Bearer {key}"}

        class Api:
            def get(self, url, **params):
                return client.get(url, params, **headers)

            def post(self, url, data):
                return client.post(url, data, content_type="application/json", **headers)

        return Api()

    return as_user


def test_api_items_reports_and_statistics(api, world, users, bureau_setup):
    bureau = api(users["bureau"])
    body = bureau.get("/api/ledger/items", situation="open").json()
    assert body["count"] == 3
    first = next(i for i in body["items"] if i["problem"] == "区级事项")
    assert first["lead_department_name"] == "局办公室" and [m["position"] for m in first["measures"]] == [
        1,
        2,
    ]
    assert bureau.get("/api/ledger/items", person=bureau_setup["clerk"].pk).json()["count"] == 1
    town = api(users["town_a"])
    assert town.get("/api/ledger/items").json()["count"] == 1
    assert town.get(f"/api/ledger/items/{world['district'].pk}").status_code == 404
    response = api(world["named_user"]).post(
        f"/api/ledger/items/{world['named'].pk}/reports", {"text": "完成一半", "percent": 50, "measure": 1}
    )
    assert response.status_code == 201 and response.json()["percent"] == 50
    assert (
        api(users["leader"]).post(f"/api/ledger/items/{world['named'].pk}/reports", {"text": "x"}).status_code
        == 403
    )
    assert (
        api(world["named_user"])
        .post(f"/api/ledger/items/{world['named'].pk}/reports", {"text": "x", "percent": 101})
        .status_code
        == 422
    )
    reports = bureau.get(f"/api/ledger/items/{world['named'].pk}/reports").json()
    assert [r["text"] for r in reports] == ["完成一半"]
    stats = {r["department"]: r for r in bureau.get("/api/ledger/statistics").json()}
    assert stats["局办公室"]["items"] == 2
    assert [r["department"] for r in town.get("/api/ledger/statistics").json()] == ["街道科技办"]
    expert = api(users["expert"]).get("/api/ledger/items")
    assert expert.status_code == 403 or expert.json()["count"] == 0
