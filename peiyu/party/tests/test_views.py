import datetime

import pytest
from django.urls import reverse

from peiyu.party import snapshots
from peiyu.party.choices import OrganisationKind, Setup
from peiyu.party.models import (
    Activity,
    Commendation,
    CoverageEntry,
    Instructor,
    LeadCriterion,
    Nomination,
    Organisation,
    Showcase,
)


@pytest.fixture
def ledger(units, firms, party_users):
    own = Organisation.objects.create(
        name="华东科技党支部", unit=units["town_a"], formal_members=5, secretary="张伟"
    )
    own.enterprises.add(firms["a1"])
    joint = Organisation.objects.create(
        name="丰年联合党支部", unit=units["town_b"], kind=OrganisationKind.JOINT_BRANCH, setup=Setup.JOINT
    )
    joint.enterprises.set([firms["b1"], firms["b2"]])
    Instructor.objects.create(name="李红", unit=units["town_a"]).enterprises.add(firms["a2"])
    Activity.objects.create(
        organisation=own,
        unit=units["town_a"],
        date=datetime.date.today(),
        kind="theme_day",
        topic="主题党日：学习科技政策",
        attendance=5,
    )
    Activity.objects.create(
        organisation=joint,
        unit=units["town_b"],
        date=datetime.date.today(),
        kind="briefing",
        topic="研发后补助政策宣讲",
        attendance=9,
    )
    LeadCriterion.objects.create(text="党组织班子健全")
    nomination = Nomination.objects.create(organisation=own, year=datetime.date.today().year)
    Showcase.objects.create(
        kind="case", title="支部建在创新链上", year=2025, organisation=own, unit=units["town_a"]
    )
    Commendation.objects.create(
        year=2025, kind="member", person="王芳", organisation=joint, unit=units["town_b"]
    )
    march = snapshots.open_window(datetime.date(2025, 3, 3))
    march.apply_transition("close", party_users["bureau"])
    october = snapshots.open_window(datetime.date(2025, 10, 9))
    return {"own": own, "joint": joint, "nomination": nomination, "march": march, "october": october}


def pages(ledger):
    entry = CoverageEntry.objects.first()
    return [
        reverse("party:home"),
        reverse("party:entry-list"),
        reverse("party:entry-list") + "?coverage=gap&should_build=1&q=华东",
        reverse("party:entry-edit", args=[entry.pk]),
        reverse("party:organisation-list"),
        reverse("party:organisation-add"),
        reverse("party:organisation-detail", args=[ledger["own"].pk]),
        reverse("party:organisation-edit", args=[ledger["own"].pk]),
        reverse("party:instructor-list"),
        reverse("party:instructor-add"),
        reverse("party:window-list"),
        reverse("party:window-detail", args=[ledger["march"].pk]),
        reverse("party:window-detail", args=[ledger["october"].pk]),
        reverse("party:return-detail", args=[ledger["october"].returns.first().pk]),
        reverse("party:window-compare"),
        reverse("party:nomination-list"),
        reverse("party:nomination-add"),
        reverse("party:nomination-detail", args=[ledger["nomination"].pk]),
        reverse("party:showcase-list"),
        reverse("party:showcase-add"),
        reverse("party:activity-calendar"),
        reverse("party:activity-list"),
        reverse("party:activity-add"),
        reverse("party:commendation-list"),
        reverse("party:commendation-add"),
    ]


def test_every_page_renders_for_bureau_party_staff(ledger, party_users, client_for):
    client = client_for(party_users["bureau"])
    for url in pages(ledger):
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        assert "T00:00" not in body and "None" not in body.replace("display:none", ""), url


def test_other_roles_see_no_party_data(ledger, users, client_for):
    for key in ("town_a", "expert", "ent_a", "leader", "bureau"):
        client = client_for(users[key])
        for url in pages(ledger)[1:]:
            assert client.get(url).status_code in (403, 404), (key, url)
    # Leaders and bureau staff read the summary rates only.
    for key in ("leader", "bureau"):
        body = client_for(users[key]).get(reverse("party:home")).content.decode()
        assert "丰年村街道" in body and "华东科技党支部" not in body
    assert client_for(users["expert"]).get(reverse("party:home")).status_code == 403


def test_granted_reader_sees_but_cannot_change(ledger, users, client_for):
    from django.contrib.auth.models import Permission

    leader = users["leader"]
    leader.user_permissions.add(
        Permission.objects.get(codename="view_ledger", content_type__app_label="party")
    )
    client = client_for(leader)
    assert client.get(reverse("party:organisation-detail", args=[ledger["own"].pk])).status_code == 200
    assert client.get(reverse("party:organisation-edit", args=[ledger["own"].pk])).status_code == 403
    assert client.get(reverse("party:organisation-add")).status_code == 403


def test_town_party_staff_see_and_change_only_their_town(ledger, party_users, client_for):
    client = client_for(party_users["town_a"])
    body = client.get(reverse("party:entry-list")).content.decode()
    assert "华东科技有限公司" in body and "丰年电子有限公司" not in body
    assert client.get(reverse("party:organisation-detail", args=[ledger["joint"].pk])).status_code == 404
    assert (
        client.post(reverse("party:organisation-edit", args=[ledger["joint"].pk]), {"name": "x"}).status_code
        == 404
    )
    b_entry = CoverageEntry.objects.get(enterprise__name="丰年电子有限公司")
    assert (
        client.post(reverse("party:entry-edit", args=[b_entry.pk]), {"party_members": 1}).status_code == 404
    )
    # The compare page lists only their town's changes.
    assert "丰年电子" not in client.get(reverse("party:window-compare")).content.decode()


def test_member_counts_never_exceed_headcount_in_forms(ledger, firms, party_users, client_for, units):
    client = client_for(party_users["town_b"])
    entry = CoverageEntry.objects.get(enterprise=firms["b2"])  # 8 employees
    response = client.post(
        reverse("party:entry-edit", args=[entry.pk]),
        {"employees": 8, "party_members": 9, "mobile_members": 0},
    )
    assert (
        response.status_code == 200
        and "cannot exceed" in response.content.decode()
        or "不能超过" in response.content.decode()
    )
    entry.refresh_from_db()
    assert entry.party_members == 0
    data = {
        "name": "新立材料党支部",
        "kind": "branch",
        "setup": "single",
        "unit": units["town_b"].pk,
        "status": "active",
        "formal_members": 8,
        "probationary_members": 1,
        "mobile_members_placed": 0,
        "enterprises": [firms["b2"].pk],
    }
    response = client.post(reverse("party:organisation-add"), data)
    assert response.status_code == 200 and not Organisation.objects.filter(name="新立材料党支部").exists()
    data["probationary_members"] = 0
    response = client.post(reverse("party:organisation-add"), data)
    assert response.status_code == 302
    assert CoverageEntry.objects.get(enterprise=firms["b2"]).coverage == "own"


def test_town_staff_submit_bureau_closes(ledger, units, party_users, client_for):
    october = ledger["october"]
    ret = october.returns.get(unit=units["town_a"])
    client = client_for(party_users["town_a"])
    entry = ret.entries.first()
    if entry:
        client.post(reverse("party:return-detail", args=[ret.pk]), {f"item_{entry.pk}": "企业12家"})
    step = reverse("workflow-transition", args=[_ct(ret), ret.pk, "submit"])
    client.post(step)
    ret.refresh_from_db()
    assert ret.state == "submitted"
    client.post(reverse("workflow-transition", args=[_ct(october), october.pk, "close"]))
    october.refresh_from_db()
    assert october.state == "open"  # a town may not close
    client_for(party_users["bureau"]).post(
        reverse("workflow-transition", args=[_ct(october), october.pk, "close"])
    )
    october.refresh_from_db()
    assert october.state == "closed" and october.rows.count() == 5


def _ct(obj):
    from django.contrib.contenttypes.models import ContentType

    return ContentType.objects.get_for_model(obj).pk


def test_exports(ledger, party_users, client_for, english_uploads):
    import io

    import openpyxl

    client = client_for(party_users["town_a"])
    response = client.get(reverse("party:entry-list") + "?format=xlsx")
    assert response.status_code == 302
    from peiyu.core.models import Job

    job = Job.objects.latest("pk")
    assert job.state == "done", job.error
    from django.conf import settings

    sheet = openpyxl.load_workbook(settings.MEDIA_ROOT / job.result_file).worksheets[0]
    names = [row[2] for row in sheet.iter_rows(min_row=4, values_only=True)]
    assert sorted(names) == ["东丽智造有限公司", "华东科技有限公司", "津东软件有限公司"]
    bureau = client_for(party_users["bureau"])
    march = ledger["march"]
    ledger["october"].apply_transition("close", party_users["bureau"])
    response = bureau.get(
        reverse("party:window-compare") + f"?a={march.pk}&b={ledger['october'].pk}&format=xlsx"
    )
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert [s.title for s in book.worksheets] == [
        "新实现组织覆盖",
        "空白清零",
        "新增空白",
        "新建党组织",
        "覆盖率对比",
    ]
    snap = bureau.get(reverse("party:window-export", args=[march.pk]))
    assert snap.status_code == 200
    docx = bureau.get(reverse("party:year-report", args=[2025]))
    assert docx.status_code == 200 and docx.content[:2] == b"PK"
