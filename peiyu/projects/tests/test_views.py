"""Every page answers in its frame for the roles that use it; eligibility on the call page; exports;
the public publicity page; metrics."""

import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from peiyu.core.metrics import get as metric
from peiyu.core.periods import Period
from peiyu.core.testing import make_year
from peiyu.enterprises.choices import QualificationKind
from peiyu.enterprises.models import Qualification
from peiyu.projects import services
from peiyu.projects.choices import AppState, ProjectLevel, ReserveStatus
from peiyu.projects.models import Project, ReserveProject
from peiyu.projects.tests.conftest import make_application, make_call, make_expert


def test_call_page_says_eligible_or_why_not(client_for, users, enterprises, units):
    year = timezone.localdate().year
    call = make_call(
        units["district"],
        eligibility={
            "rulesets": ["tech-sme-2022"],
            "qualifications": [QualificationKind.TECH_SME],
            "stages": [1, 2],
            "no_open_overdue": True,
        },
    )
    c = client_for(users["ent_a"])
    page = c.get(call.get_absolute_url()).content.decode()
    assert "不符合" in page or "not eligible" in page
    assert str(year - 1) in page  # no figures for last year, named
    make_year(enterprises["a"], year - 1, total_assets=Decimal("2000"))
    Qualification.objects.create(
        enterprise=enterprises["a"],
        kind=QualificationKind.TECH_SME,
        granted_on=timezone.localdate().replace(month=1, day=1),
    )
    check = services.eligibility(call, enterprises["a"])
    assert check.eligible, check.reasons
    page = c.get(call.get_absolute_url()).content.decode()
    assert reverse("projects:application-create", args=[call.pk]) in page


def test_eligibility_conditions_each_with_a_reason(units, enterprises, call):
    e = enterprises["b"]
    year = call.year - 1
    make_year(e, year, revenue=Decimal("300000"), employees=800, total_assets=Decimal("90000"))
    call.eligibility = {
        "rulesets": ["tech-sme-2022"],
        "stages": [1],
        "units": [units["town_a"].code],
        "qualifications": ["hitech"],
    }
    check = services.eligibility(call, e)
    assert not check.eligible
    text = " ".join(check.reasons)
    assert "800" in text  # the rule set's own reason
    assert len(check.reasons) == 4


def test_open_overdue_project_blocks(units, enterprises, call):
    old_call = make_call(units["district"], year=call.year - 2, title="旧")
    app = make_application(old_call, enterprises["a"], state=AppState.APPROVED)
    Project.objects.create(
        application=app,
        call=old_call,
        enterprise=enterprises["a"],
        title="旧项目",
        approved_amount=Decimal("10"),
        approved_on=datetime.date(2024, 1, 1),
        acceptance_due=datetime.date(2025, 1, 1),
        state="running",
    )
    check = services.eligibility(call, enterprises["a"])
    assert not check.eligible and "旧项目" in check.reasons[0]


def test_pages_answer_for_the_bureau(client_for, users, enterprises, call):
    a = make_application(
        call, enterprises["a"], state=AppState.ACCEPTED, score=Decimal("80"), review_group="电子信息"
    )
    make_expert(call.programme.unit, "甲")
    c = client_for(users["bureau"])
    for url in [
        reverse("projects:call-list"),
        call.get_absolute_url(),
        reverse("projects:application-list"),
        a.get_absolute_url(),
        reverse("projects:draws", args=[call.pk]),
        reverse("projects:ranking", args=[call.pk]),
        reverse("projects:funding"),
        reverse("projects:expert-list"),
        reverse("projects:expert-add"),
        reverse("projects:reserve-list"),
        reverse("projects:reserve-add"),
    ]:
        r = c.get(url)
        assert r.status_code == 200, url
        assert "T00:00" not in r.content.decode()


def test_exports_open(client_for, users, enterprises, call):
    from docx import Document
    from openpyxl import load_workbook

    make_application(
        call, enterprises["a"], state=AppState.ACCEPTED, score=Decimal("80"), requested_amount=Decimal("12.5")
    )
    c = client_for(users["bureau"])
    book = load_workbook(
        io.BytesIO(c.get(reverse("projects:ranking-export", args=[call.pk, "xlsx"])).content)
    )
    rows = list(book.active.values)
    assert rows[4][1] == "华东科技有限公司" and rows[4][7] == 12.5
    doc = Document(io.BytesIO(c.get(reverse("projects:ranking-export", args=[call.pk, "docx"])).content))
    assert "12.50" in [cell.text for cell in doc.tables[0].rows[1].cells]
    assert c.get(reverse("projects:funding-export", args=["xlsx"])).status_code == 200
    assert c.get(reverse("projects:funding-export", args=["docx"])).status_code == 200
    assert c.get(reverse("projects:ranking-export", args=[call.pk, "exe"])).status_code == 404


def test_publicity_page_is_public_once_started(client, users, enterprises, call):
    app = make_application(call, enterprises["a"], state=AppState.ACCEPTED, score=Decimal("80"))
    url = reverse("projects:publicity", args=[call.pk])
    assert client.get(url).status_code == 404
    services.decide(call, {app.pk: Decimal("80")}, users["bureau"])
    services.publish(call, datetime.date(2025, 9, 29), users["bureau"])
    page = client.get(url).content.decode()
    assert "华东科技有限公司" in page and "80.00" in page and "2025年10月11日" in page


def test_metrics_count_and_funding(units, enterprises):
    a, b = enterprises["a"], enterprises["b"]
    day = datetime.date(2025, 6, 1)
    ReserveProject.objects.create(
        enterprise=a,
        title="国家项目",
        level=ProjectLevel.NATIONAL,
        plan_name="国家重点研发计划",
        batch="2025年第一批",
        year=2025,
        status=ReserveStatus.APPROVED,
        amount_approved=Decimal("500"),
        approved_on=day,
    )
    ReserveProject.objects.create(
        enterprise=b,
        title="市级项目",
        level=ProjectLevel.CITY,
        plan_name="天津市科技计划",
        batch="2025年第一批",
        year=2025,
        status=ReserveStatus.COMPLETED,
        amount_approved=Decimal("50.5"),
        approved_on=day,
    )
    ReserveProject.objects.create(
        enterprise=b,
        title="储备项目",
        level=ProjectLevel.CITY,
        plan_name="天津市科技计划",
        batch="2025年第二批",
        year=2025,
        status=ReserveStatus.PLANNED,
    )
    period = Period.year(2025)
    count = metric("projects.count")
    assert count.value(units["district"], period) == Decimal(2)
    assert count.value(units["town_a"], period) == Decimal(1)
    assert count.value(units["district"], period, level="city") == Decimal(1)
    assert count.value(units["district"], period, status="planned") == Decimal(1)
    assert count.value(units["district"], Period.year(2024)) == Decimal(0)
    assert metric("projects.funding").value(units["district"], period) == Decimal("550.5")
    with pytest.raises(ValueError):
        count.value(units["district"], period, level="galactic")


def test_reserve_form_refuses_approved_over_requested(client_for, users, enterprises):
    c = client_for(users["town_a"])
    r = c.post(
        reverse("projects:reserve-add"),
        {
            "enterprise": enterprises["a"].pk,
            "title": "x",
            "level": "city",
            "plan_name": "p",
            "batch": "2025年第一批",
            "year": "2025",
            "status": "approved",
            "amount_requested": "10",
            "amount_approved": "11",
            "approved_on": "2025-06-01",
        },
    )
    assert r.status_code == 200 and not ReserveProject.objects.exists()
    # a town cannot file a project for another town's enterprise
    r = c.post(
        reverse("projects:reserve-add"),
        {
            "enterprise": enterprises["b"].pk,
            "title": "x",
            "level": "city",
            "plan_name": "p",
            "batch": "b",
            "year": "2025",
            "status": "planned",
        },
    )
    assert not ReserveProject.objects.exists()


def test_overdue_reminders(units, enterprises, call):
    from peiyu.projects.tasks import remind_overdue

    app = make_application(call, enterprises["a"], state=AppState.APPROVED)
    Project.objects.create(
        application=app,
        call=call,
        enterprise=enterprises["a"],
        title="逾期项目",
        approved_amount=Decimal("10"),
        approved_on=datetime.date(2024, 1, 1),
        midterm_due=datetime.date(2025, 1, 1),
        state="running",
    )
    assert remind_overdue(datetime.date(2025, 1, 2)) == 1
    assert remind_overdue(datetime.date(2024, 12, 31)) == 0


def test_bureau_creates_a_call_with_rules_as_data(client_for, users, units, call):
    c = client_for(users["bureau"])
    data = {
        "programme": call.programme.pk,
        "year": "2027",
        "title": "2027年度天使资金",
        "opens_on": "2027-03-01",
        "closes_at": "2027-04-15T17:00",
        "unit_check_due": "2027-04-25",
        "publicity_days": "5",
        "budget": "300",
        "funding_cap": "20",
        "funding_ratio": "50",
        "trim_from": "5",
        "spread_limit": "20",
        "pass_score": "60",
        "avoid_years": "3",
        "eligibility": '{"rulesets": ["no-such-rules"]}',
        "required_attachments": "[]",
        "form_sections": "[]",
        "scoring_sheet": '[{"code": "a", "label": "创新", "max": 100}]',
    }
    r = c.post(reverse("projects:call-add"), data)
    assert r.status_code == 200 and "no-such-rules" in r.content.decode()
    data["eligibility"] = '{"rulesets": ["tech-sme-2022"], "stages": [1]}'
    assert c.post(reverse("projects:call-add"), data).status_code == 302
    assert client_for(users["town_a"]).get(reverse("projects:call-add")).status_code == 403
    assert client_for(users["town_a"]).get(reverse("projects:call-edit", args=[call.pk])).status_code == 403
