"""The services API answers through the same scoping as the pages."""

import datetime
from decimal import Decimal

import pytest

from peiyu.core.models import ApiToken
from peiyu.services.choices import ConditionKind as K
from peiyu.services.models import Financing, TechPost


def auth(user) -> dict:
    _, key = ApiToken.objects.issue(user)
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


@pytest.fixture
def data(units, enterprises, figures, policy_factory):
    Financing.objects.create(
        enterprise=enterprises["a"], lender="甲", amount=Decimal("10"), date=datetime.date(2025, 1, 1)
    )
    Financing.objects.create(
        enterprise=enterprises["b"], lender="乙", amount=Decimal("20"), date=datetime.date(2025, 1, 1)
    )
    d = TechPost.objects.create(
        side="demand",
        title="传感器标定",
        field="1",
        description="传感器 标定",
        unit=units["town_a"],
        enterprise=enterprises["a"],
    )
    TechPost.objects.create(
        side="supply",
        title="传感器标定服务",
        field="1",
        description="传感器 标定",
        unit=units["district"],
        provider="计量院",
    )
    return {"policy": policy_factory("研发补助", [(K.REVENUE_MIN, "1000")]), "demand": d}


def test_scoped_lists_and_both_directions(client, users, enterprises, data):
    town_a = auth(users["town_a"])
    rows = client.get("/api/services/financing", **town_a).json()["items"]
    assert [r["lender"] for r in rows] == ["甲"]
    listed = client.get(f"/api/services/policies/{data['policy'].pk}/enterprises", **town_a).json()
    assert listed["qualifies"] == [enterprises["a"].uscc] and listed["near"] == {}
    fits = client.get(f"/api/services/enterprises/{enterprises['a'].pk}/policies", **town_a).json()
    assert [f["qualifies"] for f in fits] == [True]
    assert (
        client.get(f"/api/services/enterprises/{enterprises['b'].pk}/policies", **town_a).status_code == 404
    )
    matches = client.get(f"/api/services/posts/{data['demand'].pk}/matches", **town_a).json()
    assert matches[0]["title"] == "传感器标定服务" and matches[0]["reasons"]


def test_enterprise_tokens_get_no_bureau_lists(client, users, enterprises, data):
    ent = auth(users["ent_a"])
    assert client.get(f"/api/services/policies/{data['policy'].pk}/enterprises", **ent).status_code == 403
    assert [r["lender"] for r in client.get("/api/services/financing", **ent).json()["items"]] == ["甲"]
    assert client.get("/api/services/events", **auth(users["expert"])).status_code == 403
