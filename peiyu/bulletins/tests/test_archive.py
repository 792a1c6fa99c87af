"""Generation (a job), the frozen archive, publishing with notifications, and scoping on every
page, download and API endpoint: a town generates and sees only its own bulletins."""

import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.urls import reverse

from peiyu.bulletins import services
from peiyu.bulletins.models import Bulletin, BulletinState, BulletinTemplate, ReportedInput
from peiyu.bulletins.shipped import ensure_shipped
from peiyu.core.models import ApiToken, Job
from peiyu.core.periods import Period

pytestmark = pytest.mark.django_db


@pytest.fixture
def templates(db):
    ensure_shipped()
    return {t.code: t for t in BulletinTemplate.objects.all()}


@pytest.fixture(autouse=True)
def _no_charts(monkeypatch):
    """Charts are drawn by matplotlib (slow to start); one test below draws them for real."""
    from peiyu.bulletins import documents

    monkeypatch.setattr(documents, "chart_png", lambda chart: _tiny_png())


def _tiny_png() -> bytes:
    import base64

    return base64.b64decode(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
    )


def generate(client_for, user, template, unit, period="2025"):
    client = client_for(user)
    return client.post(
        reverse("bulletins:bulletin-generate"), {"template": template.pk, "unit": unit.pk, "period": period}
    )


def test_generation_runs_as_a_job_and_archives_a_frozen_draft(client_for, users, units, library, templates):
    response = generate(client_for, users["bureau"], templates["status"], units["district"])
    bulletin = Bulletin.objects.get()
    assert response.status_code == 302 and response.url == bulletin.get_absolute_url()
    job = Job.objects.get(kind="bulletin-generate")
    assert job.state == "done" and job.result["bulletin"] == bulletin.pk
    assert (
        bulletin.state == BulletinState.DRAFT and bulletin.title == "东丽区科技型中小企业发展现状（2025年）"
    )
    assert bytes(bulletin.docx)[:2] == b"PK" and bytes(bulletin.xlsx)[:2] == b"PK"
    page = client_for(users["bureau"]).get(bulletin.get_absolute_url()).content.decode()
    assert "全区有科技型中小企业3家" in page
    assert "bureau" in page  # who generated it


def test_a_published_bulletin_is_unchanged_after_the_data_and_template_change(
    client_for, users, units, library, templates, enterprises
):
    bulletin = services.generate(
        templates["status"], units["district"], Period.parse("2025"), users["bureau"]
    )
    services.publish(bulletin, users["bureau"])
    before_text = services.document_of(bulletin)
    before_docx = bytes(bulletin.docx)
    # the library changes, a reported figure is entered, the wording is edited
    year = enterprises["a"].years.get(year=2025)
    year.revenue = Decimal(99999)
    year.save()
    ReportedInput.objects.create(
        unit=units["district"], period="2025", key="all_smes", value=10, source="年鉴"
    )
    template = templates["status"]
    template.body["sections"][0]["blocks"][0]["text"] = "改过的句子{count}。"
    template.save()
    bulletin = Bulletin.objects.get(pk=bulletin.pk)
    assert services.document_of(bulletin) == before_text
    assert bytes(bulletin.docx) == before_docx
    page = client_for(users["leader"]).get(bulletin.get_absolute_url()).content.decode()
    assert "销售收入3.6亿元" in page and "改过的句子" not in page
    # a new generation reads the new data
    fresh = services.generate(templates["status"], units["district"], Period.parse("2025"), users["bureau"])
    assert "改过的句子" in services.document_of(fresh)["sections"][0]["blocks"][0]["text"]


def test_publishing_notifies_the_leaders_who_can_see_it(
    users, units, library, templates, django_capture_on_commit_callbacks
):
    from peiyu.core.models import Notification

    bulletin = services.generate(templates["status"], units["town_a"], Period.parse("2025"), users["town_a"])
    with django_capture_on_commit_callbacks(execute=True):
        services.publish(bulletin, users["town_a"])
    bulletin.refresh_from_db()
    assert bulletin.state == BulletinState.PUBLISHED and bulletin.published_at
    notified = set(Notification.objects.values_list("recipient__username", flat=True))
    assert "leader" in notified  # the district leader sees town A
    assert users["town_a"].username not in notified


def test_leaders_cannot_publish_and_do_not_see_drafts(client_for, users, units, library, templates):
    bulletin = services.generate(
        templates["status"], units["district"], Period.parse("2025"), users["bureau"]
    )
    leader = client_for(users["leader"])
    assert leader.get(bulletin.get_absolute_url()).status_code == 404
    assert leader.post(reverse("bulletins:bulletin-publish", args=[bulletin.pk])).status_code in (403, 404)
    services.publish(bulletin, users["bureau"])
    assert leader.get(bulletin.get_absolute_url()).status_code == 200
    assert leader.get(reverse("bulletins:bulletin-file", args=[bulletin.pk, "docx"])).status_code == 200


def test_a_town_generates_only_its_own_and_sees_only_its_own(client_for, users, units, library, templates):
    # town A may not generate the district's bulletin: the unit is not offered, the form refuses it
    response = generate(client_for, users["town_a"], templates["status"], units["district"])
    assert response.status_code == 200 and not Bulletin.objects.exists()
    response = generate(client_for, users["town_a"], templates["status"], units["town_b"])
    assert response.status_code == 200 and not Bulletin.objects.exists()
    generate(client_for, users["town_a"], templates["status"], units["town_a"])
    own = Bulletin.objects.get()
    assert (
        own.unit == units["town_a"]
        and "全街有科技型中小企业2家" in services.document_of(own)["sections"][0]["blocks"][0]["text"]
    )
    district = services.generate(
        templates["status"], units["district"], Period.parse("2025"), users["bureau"]
    )
    town_a = client_for(users["town_a"])
    for url in (district.get_absolute_url(), reverse("bulletins:bulletin-file", args=[district.pk, "xlsx"])):
        assert town_a.get(url).status_code == 404
    listing = town_a.get(reverse("bulletins:bulletin-list")).content.decode()
    assert own.title in listing and district.title not in listing
    town_b = client_for(users["town_b"])
    assert town_b.get(own.get_absolute_url()).status_code == 404
    with pytest.raises(PermissionDenied):
        services.generate(templates["status"], units["district"], Period.parse("2025"), users["town_a"])


@pytest.mark.parametrize("role", ["expert", "party", "ent_a"])
def test_other_roles_are_refused(client_for, users, role):
    client = client_for(users[role])
    for name in ("bulletin-list", "cockpit", "input-list", "template-list", "bulletin-generate"):
        assert client.get(reverse(f"bulletins:{name}")).status_code == 403, name


def test_the_api_lists_and_downloads_only_what_the_user_sees(client, users, units, library, templates):
    district = services.generate(
        templates["status"], units["district"], Period.parse("2025"), users["bureau"]
    )
    own = services.generate(templates["status"], units["town_a"], Period.parse("2025"), users["town_a"])

    def get(user, url):
        _t, key = ApiToken.objects.issue(users[user])
        return client.get(url, HTTP_AUTHORIZATION=f"Bearer {key}")

    listed = get("town_a", "/api/bulletins/bulletins").json()
    assert [b["id"] for b in listed["items"]] == [own.pk]
    assert get("town_a", f"/api/bulletins/bulletins/{district.pk}").status_code == 404
    assert get("town_a", f"/api/bulletins/bulletins/{district.pk}/docx").status_code == 404
    response = get("bureau", f"/api/bulletins/bulletins/{district.pk}/docx")
    assert response.status_code == 200 and response.content == bytes(district.docx)
    body = get("bureau", f"/api/bulletins/bulletins/{district.pk}").json()
    assert (
        body["period_label"] == "2025年"
        and "全区有科技型中小企业3家" in body["sections"][0]["blocks"][0]["text"]
    )
    assert get("expert", "/api/bulletins/bulletins").status_code == 403
    _t, key = ApiToken.objects.issue(users["town_a"])
    made = client.post(
        "/api/bulletins/bulletins",
        {"template": "quarterly", "period": "2025-Q3", "unit": units["district"].pk},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {key}",
    )
    assert made.status_code == 404  # the district is outside town A's scope


def test_reported_figures_are_entered_with_their_source(client_for, users, units):
    client = client_for(users["bureau"])
    response = client.post(
        reverse("bulletins:input-add"),
        {
            "unit": units["district"].pk,
            "period": "2009年",
            "key": "all_smes",
            "value": "4194",
            "source": "统计年鉴",
        },
    )
    assert response.status_code == 200 and not ReportedInput.objects.exists()  # "2009年" is not a period
    response = client.post(
        reverse("bulletins:input-add"),
        {
            "unit": units["district"].pk,
            "period": "2009",
            "key": "all_smes",
            "value": "4194",
            "source": "统计年鉴",
        },
    )
    assert response.status_code == 302
    row = ReportedInput.objects.get()
    assert row.value == 4194 and row.entered_by == users["bureau"]
    assert client_for(users["town_a"]).get(reverse("bulletins:input-edit", args=[row.pk])).status_code == 404


def test_the_cockpit_shows_headlines_ranking_and_published_bulletins(
    client_for, users, units, library, templates
):
    bulletin = services.generate(
        templates["status"], units["district"], Period.parse("2025"), users["bureau"]
    )
    services.publish(bulletin, users["bureau"])
    page = client_for(users["leader"]).get(reverse("bulletins:cockpit") + "?period=2025").content.decode()
    assert "3.6亿元" in page and "增长12.5%" in page
    assert bulletin.title in page and "张贵庄街道" in page
    town = client_for(users["town_a"]).get(reverse("bulletins:cockpit") + "?period=2025").content.decode()
    assert bulletin.title not in town


def test_the_cli_writes_docx_xlsx_and_html(tmp_path, units, library, templates):
    out = io.StringIO()
    for suffix in ("docx", "xlsx", "html"):
        call_command(
            "bulletin",
            "--template",
            "quarterly",
            "--period",
            "2025-Q3",
            "--out",
            str(tmp_path / f"公报.{suffix}"),
            stdout=out,
        )
    assert (tmp_path / "公报.docx").read_bytes()[:2] == b"PK"
    assert "统计公报" in (tmp_path / "公报.html").read_text(encoding="utf-8")
    call_command(
        "bulletin",
        "--template",
        "status",
        "--period",
        "2025",
        "--unit",
        units["town_a"].code,
        "--out",
        str(tmp_path / "a.html"),
        stdout=out,
    )
    assert "全街有科技型中小企业2家" in (tmp_path / "a.html").read_text(encoding="utf-8")
    # a year-to-date bulletin over a span of months
    call_command(
        "bulletin",
        "--template",
        "quarterly",
        "--period",
        "2025-01..2025-08",
        "--out",
        str(tmp_path / "ytd.html"),
        stdout=out,
    )
    assert "东丽区2025年1—8月科技型中小企业统计公报" in (tmp_path / "ytd.html").read_text(encoding="utf-8")
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("bulletin", "--template", "nope", "--period", "2025", "--out", str(tmp_path / "x.docx"))
    with pytest.raises(CommandError):
        call_command(
            "bulletin", "--template", "status", "--period", "2025年", "--out", str(tmp_path / "x.docx")
        )


def test_the_xlsx_holds_every_table_with_numbers_as_the_page_rounds_them(users, units, library, templates):
    from python_calamine import CalamineWorkbook

    bulletin = services.generate(
        templates["status"], units["district"], Period.parse("2025"), users["bureau"]
    )
    book = CalamineWorkbook.from_filelike(io.BytesIO(bytes(bulletin.xlsx)))
    assert book.sheet_names[0] == "正文" and "各单位科技型中小企业情况" in book.sheet_names
    rows = book.get_sheet_by_name("各单位科技型中小企业情况").to_python()
    assert rows[2][:3] == ["单位", "企业数（家）", "销售收入（亿元）"]
    assert rows[3][:3] == ["张贵庄街道", 2, 3.0] and rows[-1][:3] == ["合计", 3, 3.6]


def test_the_template_page_explains_slots_and_refuses_a_wrong_one(client_for, users, templates):
    template = templates["status"]
    url = reverse("bulletins:template-edit", args=[template.pk])
    page = client_for(users["bureau"]).get(url).content.decode()
    assert "填报数：中小企业总数（家）" in page
    from peiyu.bulletins.forms import TemplateWordingForm

    data = {name: field.initial for name, field in TemplateWordingForm(template=template).fields.items()}
    data["s1b0"] = "资产总额为{asets}。"
    response = client_for(users["bureau"]).post(url, data)
    assert response.status_code == 200 and "本模板中没有占位符“{asets}”" in response.content.decode()
    template.refresh_from_db()
    assert "{asets}" not in str(template.body)
    assert client_for(users["town_a"]).get(url).status_code == 403
