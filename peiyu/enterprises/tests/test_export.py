"""Exports: template layout, round trip (export → import is all unchanged), scoping across towns,
phone masking, formula injection, CSV with BOM, background export with progress."""

import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse
from django.utils import translation

from peiyu.core.models import Job
from peiyu.core.testing import make_enterprise, make_year
from peiyu.enterprises.importing import ImportOptions, run_import
from peiyu.enterprises.models import Qualification


@pytest.fixture(autouse=True)
def english(settings, tmp_path, client):
    settings.MEDIA_ROOT = tmp_path
    client.cookies["django_language"] = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def library(units, enterprises):
    a, b = enterprises["a"], enterprises["b"]
    a.industry_code, a.hitech_field, a.emerging_industry, a.established = "3841", "1", "3", datetime.date(2015, 3, 1)
    a.park = units["park_a"]
    a.save()
    make_year(a, 2024, revenue=Decimal("3200.5678"), net_assets=Decimal("-12.5"), profit=Decimal("-3"), rd_institution_level=3,
              hitech_revenue=Decimal("100"), taxes=Decimal("0.0001"))
    make_year(b, 2024, revenue=Decimal("800"), employees=40, tech_staff=5)
    make_enterprise(units["town_a"], "=HYPERLINK(\"http://x\")", contact_phone="+8613800000000")  # no year data
    Qualification.objects.create(enterprise=a, kind="hitech", granted_on=datetime.date(2023, 1, 1))
    return enterprises


def download(client, **params):
    """Start the export job (run at once in tests) and download its file from the job's page."""
    started = client.get(reverse("enterprise-export"), params)
    assert started.status_code == 302, started.status_code
    job = Job.objects.latest("pk")
    assert started.url == reverse("job-detail", args=[job.pk]) and job.state == Job.State.DONE, job.error
    response = client.get(reverse("job-download", args=[job.pk]))
    assert response.status_code == 200, response.status_code
    return b"".join(response.streaming_content)


def test_xlsx_layout_and_round_trip(client_for, users, library):
    data = download(client_for(users["bureau"]), format="xlsx", year=2024)
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    assert sheet["A1"].value.startswith("Enterprise years 2024 — all enterprises — exported ")
    assert [c.value for c in sheet[2]][:4] == ["统一社会信用代码", "企业名称", "年度", "所属单位"]
    assert sheet.freeze_panes == "B3"
    [row] = [r for r in range(3, sheet.max_row + 1) if sheet.cell(row=r, column=2).value == "华东科技有限公司"]
    revenue = sheet.cell(row=row, column=10)
    assert sheet.cell(row=2, column=10).value == "营业收入(万元)" and revenue.number_format == "#,##0.00##"
    assert revenue.value == 3200.5678 and sheet.cell(row=row, column=9).value == datetime.datetime(2015, 3, 1)
    report = run_import(data, "export.xlsx", ImportOptions(user=users["bureau"]))
    assert not report.failed, report.errors
    assert [row.status for row in report.rows] == ["unchanged"] * 3


def test_csv_round_trip_bom_and_formula_injection(client_for, users, library):
    data = download(client_for(users["bureau"]), format="csv", year=2024)
    assert data.startswith("\ufeff统一社会信用代码,企业名称".encode())
    text = data.decode("utf-8-sig")
    assert "'=HYPERLINK" in text and "'+8613800000000" in text and "3200.5678" in text
    report = run_import(data, "export.csv", ImportOptions(user=users["bureau"]))
    assert [row.status for row in report.rows] == ["unchanged"] * 3, report.errors


def test_xlsx_cells_from_user_data_are_never_formulas(client_for, users, library):
    sheet = openpyxl.load_workbook(io.BytesIO(download(client_for(users["bureau"]), format="xlsx"))).active
    names = {sheet.cell(row=r, column=2).value: sheet.cell(row=r, column=2) for r in range(3, sheet.max_row + 1)}
    cell = names['=HYPERLINK("http://x")']
    assert cell.data_type == "s" and cell.quotePrefix


def test_town_official_cannot_export_another_town(client_for, users, library):
    client = client_for(users["town_a"])
    own = download(client, format="csv").decode("utf-8-sig")
    assert "华东科技有限公司" in own and "丰年电子有限公司" not in own
    other = download(client, format="csv", unit=library["b"].unit_id).decode("utf-8-sig")
    assert "丰年电子有限公司" not in other  # an out-of-scope filter is refused; the export stays within town A
    refused = client_for(users["expert"]).get(reverse("enterprise-export"), {"format": "csv"})
    assert refused.status_code == 403 and "丰年电子" not in refused.content.decode()  # experts see no enterprise data


def test_phones_masked_for_roles_that_do_not_see_them(client_for, users, library):
    assert "13812345678" in download(client_for(users["bureau"]), format="csv").decode("utf-8-sig")
    leader = download(client_for(users["leader"]), format="csv").decode("utf-8-sig")
    assert "138****5678" in leader and "13812345678" not in leader


def test_filtered_export_names_the_filter(client_for, users, library):
    data = download(client_for(users["bureau"]), format="xlsx", year=2024, unit=library["a"].unit_id)
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    assert "Unit: 张贵庄街道" in sheet["A1"].value
    assert {sheet.cell(row=r, column=2).value for r in range(3, sheet.max_row + 1)} == {"华东科技有限公司", '=HYPERLINK("http://x")'}


def test_export_is_a_job_of_its_owner_with_progress_and_file_name(client_for, users, library):
    client = client_for(users["bureau"])
    response = client.get(reverse("enterprise-export"), {"format": "xlsx", "year": "2024"})
    job = Job.objects.get()
    assert (job.kind, job.user, job.params) == ("enterprise-export", users["bureau"], {"query": {"year": ["2024"]}, "format": "xlsx"})
    assert (job.done, job.total, job.result) == (3, 3, {"rows": 3}) and job.attempts == 1
    page = client.get(response.url).content.decode()
    assert reverse("job-download", args=[job.pk]) in page and "3 enterprises" in page
    finished = client.get(reverse("job-download", args=[job.pk]))
    assert b"".join(finished.streaming_content).startswith(b"PK")
    assert "enterprises-2024-" in finished["Content-Disposition"] or "%E4%BC%81%E4%B8%9A-2024-" in finished["Content-Disposition"]
    other = client_for(users["town_a"])
    assert other.get(reverse("job-download", args=[job.pk])).status_code == 404  # only its owner downloads it
    assert other.get(response.url).status_code == 404
