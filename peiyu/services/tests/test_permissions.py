"""Scoping: units see their units' records, enterprises their own, read-only roles change nothing,
and every page answers outside the scope with 404 (or 403 for a role with no access)."""

import datetime
from decimal import Decimal

import pytest

from peiyu.services.models import Financing, Introduction, Policy, Quota, ServiceEvent, TechPost


@pytest.fixture
def records(units, enterprises):
    a, b = enterprises["a"], enterprises["b"]
    return {
        "event_b": ServiceEvent.objects.create(
            kind="service", date=datetime.date(2025, 5, 1), unit=units["town_b"], topic="丰年村专场"
        ),
        "loan_a": Financing.objects.create(
            enterprise=a,
            lender="甲银行",
            product="天府科创贷",
            amount=Decimal("100"),
            date=datetime.date(2025, 5, 1),
        ),
        "loan_b": Financing.objects.create(
            enterprise=b,
            lender="乙银行",
            product="天府科创贷",
            amount=Decimal("200"),
            date=datetime.date(2025, 5, 1),
        ),
        "public_b": TechPost.objects.create(
            side="demand",
            title="公开需求乙",
            field="1",
            description="传感器",
            unit=units["town_b"],
            enterprise=b,
        ),
        "hidden_b": TechPost.objects.create(
            side="demand",
            title="内部需求乙",
            field="1",
            description="传感器",
            unit=units["town_b"],
            enterprise=b,
            public=False,
        ),
        "quota_b": Quota.objects.create(
            unit=units["town_b"], year=2025, measure="events", period="month", target=2
        ),
        "draft": Policy.objects.create(
            title="草稿政策", issuer="局", level="district", benefit_kind="other", benefit="x"
        ),
    }


def test_unit_staff_see_their_units_only(client_for, users, records):
    client = client_for(users["town_a"])
    assert client.get(f"/services/events/{records['event_b'].pk}/").status_code == 404
    assert client.get(f"/services/events/{records['event_b'].pk}/edit/").status_code == 404
    page = client.get("/services/financing/").content.decode()
    assert "甲银行" in page and "乙银行" not in page
    assert client.get(f"/services/financing/{records['loan_b'].pk}/edit/").status_code == 404
    assert "丰年村" not in client.get("/services/?year=2025").content.decode()
    assert client.get(f"/services/quotas/{records['quota_b'].pk}/edit/").status_code == 404
    export = client.get("/services/financing/export.xlsx")
    assert export.status_code == 200 and b"PK" == export.content[:2]


def test_board_shows_public_posts_to_everyone_and_hidden_ones_in_scope(client_for, users, records):
    board = client_for(users["town_a"]).get("/services/board/").content.decode()
    assert "公开需求乙" in board and "内部需求乙" not in board
    assert client_for(users["town_a"]).get(f"/services/board/{records['hidden_b'].pk}/").status_code == 404
    assert client_for(users["town_b"]).get(f"/services/board/{records['hidden_b'].pk}/").status_code == 200
    ent = client_for(users["ent_a"])
    assert ent.get(f"/services/board/{records['public_b'].pk}/").status_code == 200
    assert ent.get(f"/services/board/{records['public_b'].pk}/edit/").status_code == 403  # seen, not hers
    assert ent.get(f"/services/board/{records['hidden_b'].pk}/").status_code == 404
    assert client_for(users["expert"]).get("/services/board/").content.decode().count("需求乙") == 0


def test_enterprise_users_see_their_own_financing_and_no_staff_pages(client_for, users, records):
    client = client_for(users["ent_a"])
    page = client.get("/services/financing/").content.decode()
    assert "甲银行" in page and "乙银行" not in page
    assert client.get("/services/financing/export.xlsx").status_code == 403
    assert client.get("/services/").status_code == 403
    assert client.get("/services/financing/add/").status_code == 403
    assert client.get(f"/services/enterprises/{records['loan_b'].enterprise_id}/policies/").status_code == 404
    assert (
        client.get(f"/services/enterprises/{records['loan_a'].enterprise_id}/diagnosis/").status_code == 403
    )
    assert (
        client.get(f"/services/policies/{records['draft'].pk}/").status_code == 404
    )  # drafts are the bureau's


def test_read_only_roles_change_nothing(client_for, users, records, enterprises):
    leader = client_for(users["leader"])
    assert leader.get("/services/events/add/").status_code == 403
    assert (
        leader.post(
            f"/services/events/{records['event_b'].pk}/", {"codes": enterprises["b"].uscc}
        ).status_code
        == 403
    )
    assert leader.post(f"/services/policies/{records['draft'].pk}/publish/").status_code == 403
    assert leader.get("/services/policies/add/").status_code == 403
    assert (
        client_for(users["town_a"]).get("/services/policies/add/").status_code == 403
    )  # only the bureau keeps policies
    Policy.objects.filter(pk=records["draft"].pk).update(status="draft")
    assert Policy.objects.get(pk=records["draft"].pk).status == "draft"


def test_introductions_need_staff_in_scope(client_for, users, records, units):
    supply = TechPost.objects.create(
        side="supply",
        title="传感器标定",
        field="1",
        description="传感器",
        unit=units["district"],
        provider="所",
    )
    demand = records["public_b"]
    assert (
        client_for(users["ent_a"]).post(f"/services/board/{demand.pk}/introduce/{supply.pk}/").status_code
        == 403
    )
    assert (
        client_for(users["town_b"]).post(f"/services/board/{demand.pk}/introduce/{supply.pk}/").status_code
        == 302
    )
    intro = Introduction.objects.get()
    assert client_for(users["town_a"]).get(f"/services/introductions/{intro.pk}/").status_code == 404
    response = client_for(users["town_b"]).post(
        f"/services/introductions/{intro.pk}/", {"introduced_on": "2025-05-02", "status": "signed"}
    )
    assert (
        "A signed contract needs its amount and date." in response.content.decode()
        or response.status_code == 200
    )
    assert Introduction.objects.get().status == "introduced"
