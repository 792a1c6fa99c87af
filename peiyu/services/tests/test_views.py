"""Every page renders for the bureau with data in it; publishing a policy notifies the enterprises
that qualify (and respects their opt-out); the growth diagnosis saves and prints as .docx."""

import datetime
from decimal import Decimal

import pytest

from peiyu.core.models import Notification
from peiyu.core.models.notifications import NotificationPreference
from peiyu.services.choices import ConditionKind as K
from peiyu.services.models import (
    Diagnosis,
    EventAttendance,
    Financing,
    Introduction,
    Quota,
    ServiceEvent,
    TechPost,
)


@pytest.fixture
def data(units, enterprises, figures, policy_factory):
    a = enterprises["a"]
    event = ServiceEvent.objects.create(
        kind="briefing", date=datetime.date(2025, 3, 1), unit=units["town_a"], topic="高企政策宣讲"
    )
    EventAttendance.objects.create(event=event, enterprise=a, method="qr")
    Quota.objects.create(
        unit=units["district"], year=2025, measure="events", period="month", target=2, unconfirmed=True
    )
    Financing.objects.create(
        enterprise=a,
        product="天府科创贷",
        lender="建行",
        amount=Decimal("500"),
        date=datetime.date(2025, 3, 2),
    )
    demand = TechPost.objects.create(
        side="demand",
        title="传感器温漂补偿",
        field="1",
        description="MEMS 传感器 温漂 补偿算法",
        unit=units["town_a"],
        enterprise=a,
    )
    supply = TechPost.objects.create(
        side="supply",
        title="MEMS传感器温度补偿算法",
        field="1",
        description="传感器 温漂 补偿",
        unit=units["district"],
        provider="天津大学",
    )
    Introduction.objects.create(demand=demand, supply=supply)
    policy = policy_factory("研发后补助", [(K.RD_RATIO_MIN, "3"), (K.REVENUE_MIN, "1000")])
    draft = policy_factory("新政策", [(K.REVENUE_MIN, "1000")], status="draft")
    return {"event": event, "demand": demand, "policy": policy, "draft": draft}


def test_pages_render(client_for, users, enterprises, data):
    client = client_for(users["bureau"])
    a = enterprises["a"]
    pages = [
        "/services/?year=2025",
        "/services/quotas/add/",
        "/services/events/",
        "/services/events/add/",
        f"/services/events/{data['event'].pk}/",
        "/services/financing/",
        "/services/financing/add/",
        "/services/financing/import/",
        "/services/board/",
        "/services/board/add/",
        f"/services/board/{data['demand'].pk}/",
        "/services/policies/",
        "/services/policies/add/",
        f"/services/policies/{data['policy'].pk}/",
        f"/services/policies/{data['policy'].pk}/edit/",
        f"/services/enterprises/{a.pk}/policies/",
        f"/services/enterprises/{a.pk}/diagnosis/",
    ]
    for page in pages:
        response = client.get(page)
        assert response.status_code == 200, page
        assert "T00:00" not in response.content.decode()
    assert "传感器温漂补偿" in client.get(f"/services/enterprises/{a.pk}/diagnosis/").content.decode()
    policy_page = client.get(f"/services/policies/{data['policy'].pk}/").content.decode()
    assert a.name in policy_page
    export = client.get(f"/services/policies/{data['policy'].pk}/push-list.xlsx")
    assert export.status_code == 200 and export.content[:2] == b"PK"


def test_enterprise_user_sees_its_policies(client_for, users, enterprises, data):
    client = client_for(users["ent_a"])
    response = client.get("/services/my-policies/", follow=True)
    assert "研发后补助" in response.content.decode()
    assert "新政策" not in response.content.decode()
    assert client.get(f"/services/policies/{data['policy'].pk}/").status_code == 200


def test_publishing_notifies_qualifying_enterprises_respecting_opt_out(
    client_for, users, enterprises, data, english_uploads, django_capture_on_commit_callbacks
):
    client = client_for(users["bureau"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/services/policies/{data['draft'].pk}/publish/")
    data["draft"].refresh_from_db()
    assert data["draft"].status == "published"
    assert Notification.objects.filter(recipient=users["ent_a"], kind="services.policy").count() == 1
    third = data["policy"]
    third.status = "draft"
    third.save()
    NotificationPreference.objects.create(user=users["ent_a"], kind="services.policy", enabled=False)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/services/policies/{third.pk}/publish/")
    third.refresh_from_db()
    assert third.status == "published"
    assert Notification.objects.filter(recipient=users["ent_a"], kind="services.policy").count() == 1


def test_diagnosis_is_saved_and_printed(client_for, users, enterprises, data):
    client = client_for(users["town_a"])
    a = enterprises["a"]
    response = client.post(
        f"/services/enterprises/{a.pk}/diagnosis/",
        {
            "written_on": "2025-06-01",
            "author": "王科长",
            "summary": "研发投入稳定",
            "strengths": "",
            "problems": "",
            "suggestions": "申报高企",
        },
    )
    assert response.status_code == 302
    assert Diagnosis.objects.get().suggestions == "申报高企"
    doc = client.get(f"/services/enterprises/{a.pk}/diagnosis.docx")
    assert doc.status_code == 200 and b"".join(doc.streaming_content)[:2] == b"PK"
    assert (
        client_for(users["leader"])
        .post(f"/services/enterprises/{a.pk}/diagnosis/", {"author": "x", "written_on": "2025-06-01"})
        .status_code
        == 403
    )
    assert client_for(users["town_b"]).get(f"/services/enterprises/{a.pk}/diagnosis/").status_code == 404


def test_policy_form_takes_chinese_names_and_checks_numbers(client_for, users):
    client = client_for(users["bureau"])
    base = {
        "title": "高企奖励",
        "issuer": "区科技局",
        "level": "district",
        "benefit_kind": "subsidy",
        "benefit": "奖励",
        "c-TOTAL_FORMS": "2",
        "c-INITIAL_FORMS": "0",
        "c-MIN_NUM_FORMS": "0",
        "c-MAX_NUM_FORMS": "1000",
    }
    bad = client.post("/services/policies/add/", {**base, "c-0-kind": "revenue_min", "c-0-value": "五百"})
    assert (
        bad.status_code == 200 and "is not a number" in bad.content.decode() or "不是" in bad.content.decode()
    )
    good = client.post(
        "/services/policies/add/",
        {
            **base,
            "c-0-kind": "qualification",
            "c-0-value": "High and new technology enterprise",
            "c-1-kind": "revenue_min",
            "c-1-value": "500",
        },
    )
    assert good.status_code == 302
    from peiyu.services.models import PolicyCondition

    assert sorted(PolicyCondition.objects.values_list("value", flat=True)) == ["500", "hitech"]
