"""The bank's monthly .xlsx: title rows, 元 declared in the title, synonyms, totals rows, and Chinese
errors row by row; one transaction; a month loaded twice is not counted twice."""

import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.utils import translation

from peiyu.services.importing import import_financing
from peiyu.services.models import Financing


def bank_file(rows) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "5月"
    sheet.append(["建设银行东丽支行 天府科创贷放款月报 2025年5月"])
    sheet.append(["单位：元"])
    sheet.append(
        ["序号", "借款人", "统一社会信用代码", "贷款产品", "贷款银行", "放款金额", "发放日期", "贷款期限"]
    )
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def good_rows(enterprises):
    a, b = enterprises["a"], enterprises["b"]
    return [
        [1, a.name, a.uscc, "天府科创贷", "建设银行东丽支行", 5_000_000, datetime.datetime(2025, 5, 6), 12],
        [2, b.name, b.uscc, "天府科创贷", "建设银行东丽支行", "1,234,567.89", "2025年5月20日", 24],
        ["合计", "", "", "", "", 6_234_567.89, "", ""],
    ]


def test_a_bureau_user_imports_the_month_and_a_second_load_adds_nothing(users, good_rows):
    report = import_financing(bank_file(good_rows), "5月.xlsx", users["bureau"])
    assert (report.rows, report.created, report.errors) == (2, 2, 0)
    amounts = sorted(Financing.objects.values_list("amount", flat=True))
    assert amounts == [
        Decimal("123.4568"),
        Decimal("500.0000"),
    ]  # 元 → 万元, to the yuan (rounded half up at the fen)
    again = import_financing(bank_file(good_rows), "5月.xlsx", users["bureau"])
    assert (again.created, again.duplicates) == (0, 2)
    assert Financing.objects.count() == 2


def test_rows_with_errors_are_named_and_skipped(users, enterprises, good_rows):
    bad = [
        [3, "某公司", "91120110MA0000000X", "天府科创贷", "农商行", 100, "2025-05-01", 6],
        [4, enterprises["a"].name, enterprises["a"].uscc, "天府科创贷", "", -5, "", 6],
        [
            5,
            enterprises["a"].name,
            enterprises["a"].uscc,
            "天府科创贷",
            "农商行",
            100,
            "2025-05-02",
            "六个月",
        ],
    ]
    report = import_financing(bank_file(good_rows[:1] + bad), "5月.xlsx", users["town_a"])
    assert report.created == 1
    messages = {(p.row, p.column): p.message for p in report.problems}
    assert messages[(5, "统一社会信用代码")] == "no enterprise with this credit code in your units"
    assert (6, "放款金额") in messages and (6, "贷款银行") in messages and (6, "发放日期") in messages
    assert (7, "贷款期限") in messages
    assert Financing.objects.count() == 1


def test_town_staff_cannot_import_other_towns_enterprises(users, good_rows, enterprises):
    report = import_financing(bank_file(good_rows), "5月.xlsx", users["town_a"])
    assert report.created == 1 and report.errors == 1
    [problem] = [p for p in report.problems if p.is_error]
    assert problem.value == enterprises["b"].uscc and enterprises["b"].name not in problem.message


def test_dry_run_writes_nothing_and_a_non_spreadsheet_is_refused(users, good_rows):
    report = import_financing(bank_file(good_rows), "5月.xlsx", users["bureau"], dry_run=True)
    assert report.created == 2 and not report.written and not Financing.objects.exists()
    report = import_financing(b"not a spreadsheet at all", "x.xlsx", users["bureau"])
    assert report.problems and not Financing.objects.exists()


def test_the_import_page(client_for, users, good_rows, english_uploads):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = client_for(users["bureau"])
    upload = SimpleUploadedFile("5月.xlsx", bank_file(good_rows))
    response = client.post("/services/financing/import/", {"file": upload})
    assert response.status_code == 200 and Financing.objects.count() == 2
    assert client_for(users["leader"]).get("/services/financing/import/").status_code == 403
    template = client.get("/services/financing/template.xlsx")
    assert template.status_code == 200 and template.content[:2] == b"PK"


def test_the_command(tmp_path, users, good_rows, capsys):
    from django.core.management import call_command

    path = tmp_path / "5月.xlsx"
    path.write_bytes(bank_file(good_rows))
    call_command("import_financing", str(path), "--user", "bureau")
    assert Financing.objects.count() == 2
    assert "imported 2" in capsys.readouterr().out
