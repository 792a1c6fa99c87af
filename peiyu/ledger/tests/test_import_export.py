"""Importing seed 004's table from Word (one row per problem, and one row per measure with merged
cells) and from Excel, exact fields; errors write nothing; export → import gives the same ledger."""

import datetime as dt
import io

import docx
import pytest
import xlsxwriter
from django.core.management import call_command
from django.urls import reverse

from peiyu.core.models import ImportBatch, ObjectChange
from peiyu.ledger import exporting, importing
from peiyu.ledger.models import Item, Ledger
from peiyu.ledger.seed004 import ITEMS

HEAD = ["存在问题", "主要表现", "解决措施", "责任领导", "责任部门", "责任人", "完成时限"]


def seed_docx(per_measure_rows: bool = False, deadline_override=None) -> bytes:
    """Seed 004 as a bureau keeps it in Word: a title, then the table. With `per_measure_rows`,
    each measure has its own row and the item's other cells are merged down (vertical merge)."""
    document = docx.Document()
    document.add_paragraph("科技局党组科学开展观活动整改落实方案")
    rows = sum(len(i["measures"]) + 1 for i in ITEMS) if per_measure_rows else len(ITEMS)
    table = document.add_table(rows=1 + rows, cols=len(HEAD))
    for col, text in enumerate(HEAD):
        table.cell(0, col).text = text
    row = 1
    for n, item in enumerate(ITEMS):
        deadline = deadline_override if (deadline_override and n == 1) else item["deadline"]
        values = [
            item["problem"],
            item["manifestations"],
            None,
            item["leaders"],
            item["departments"],
            item["persons"],
            deadline,
        ]
        if per_measure_rows:
            cells = [item["goal"], *item["measures"]]
            for offset, text in enumerate(cells):
                table.cell(row + offset, 2).text = text
            for col, value in enumerate(values):
                if value is not None:
                    table.cell(row, col).text = value
                    table.cell(row, col).merge(table.cell(row + len(cells) - 1, col))
            row += len(cells)
        else:
            for col, value in enumerate(values):
                if value is not None:
                    table.cell(row, col).text = value
            cell = table.cell(row, 2)
            cell.text = item["goal"]
            for measure in item["measures"]:
                cell.add_paragraph(measure)
            row += 1
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def seed_xlsx() -> bytes:
    """Seed 004 in Excel: a title row, the header, one row per measure, item cells merged."""
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    sheet = book.add_worksheet("整改台账")
    sheet.write(0, 0, "科技局整改台账")
    for col, text in enumerate(HEAD):
        sheet.write(1, col, text)
    row = 2
    for item in ITEMS:
        cells = [item["goal"], *item["measures"]]
        for offset, text in enumerate(cells):
            sheet.write(row + offset, 2, text)
        values = [
            item["problem"],
            item["manifestations"],
            None,
            item["leaders"],
            item["departments"],
            item["persons"],
            item["deadline"],
        ]
        for col, value in enumerate(values):
            if value is not None:
                sheet.merge_range(row, col, row + len(cells) - 1, col, value)
        row += len(cells)
    book.close()
    return out.getvalue()


def assert_seed_items(ledger, bureau_setup):
    items = list(ledger.items.order_by("number"))
    assert [i.number for i in items] == [1, 2, 3, 4]
    for item, expected in zip(items, ITEMS, strict=True):
        assert item.problem == expected["problem"]
        assert item.manifestations == expected["manifestations"]
        assert item.goal == expected["goal"]
        assert list(item.measures.values_list("text", flat=True)) == expected["measures"]
        assert (item.leaders_text, item.departments_text, item.persons_text) == (
            expected["leaders"],
            expected["departments"],
            expected["persons"],
        )
    first, second, third, fourth = items
    assert (first.deadline, first.long_term) == (dt.date(2023, 12, 31), False)
    assert all(i.long_term and i.deadline is None and i.cadence == "quarter" for i in (second, third, fourth))
    assert first.lead_department == bureau_setup["office"] and second.lead_department == bureau_setup["tech"]
    assert third.lead_department_name == "高新技术科" and third.responsibility.co_departments == [
        bureau_setup["manage"]
    ]
    # The blanked names and the misprinted department match nothing: kept as written.
    assert first.unmatched == "xxx、x" and third.unmatched == "x、农业与社会开展科、x"
    assert len(first.measures.all()) == 4 and len(fourth.measures.all()) == 1


@pytest.mark.parametrize("per_measure_rows", [False, True], ids=["one-row-per-problem", "merged-cells"])
def test_import_seed_004_from_word(units, users, bureau_setup, per_measure_rows):
    result = importing.import_ledger(
        seed_docx(per_measure_rows), "整改方案.docx", "整改台账", units["district"], users["bureau"]
    )
    assert result.errors == []
    assert_seed_items(result.ledger, bureau_setup)
    # Each unmatched name is one warning, naming the row.
    assert len(result.warnings) == 2 + 2 + 3 + 2
    assert result.warnings[0].startswith("Row") or result.warnings[0].startswith("第")
    batch = ImportBatch.objects.get(kind="ledger")
    assert ObjectChange.objects.filter(batch=str(batch.pk)).count() > 4  # attributable, reviewable


def test_import_seed_004_from_excel_with_merged_cells(units, users, bureau_setup):
    result = importing.import_ledger(
        seed_xlsx(), "整改台账.xlsx", "整改台账", units["district"], users["bureau"]
    )
    assert result.errors == []
    assert_seed_items(result.ledger, bureau_setup)


def test_a_bad_deadline_names_row_column_and_value_and_writes_nothing(units, users, bureau_setup):
    result = importing.import_ledger(
        seed_docx(deadline_override="明年"), "a.docx", "整改台账", units["district"], users["bureau"]
    )
    assert result.ledger is None
    assert len(result.errors) == 1
    message = result.errors[0]
    assert "3" in message and "完成时限" in message and "明年" in message
    assert not Ledger.objects.exists() and not Item.objects.exists()


def test_a_table_without_the_columns_is_refused(units, users):
    document = docx.Document()
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "名称", "备注"
    out = io.BytesIO()
    document.save(out)
    result = importing.import_ledger(out.getvalue(), "x.docx", "台账", units["district"], users["bureau"])
    assert result.errors and "存在问题" in result.errors[0]


@pytest.mark.parametrize("extension", ["xlsx", "docx"])
def test_export_then_import_gives_the_same_ledger(units, users, bureau_setup, extension):
    original = importing.import_ledger(
        seed_docx(), "a.docx", "整改台账", units["district"], users["bureau"]
    ).ledger
    data = (
        exporting.xlsx_bytes(original, users["bureau"])
        if extension == "xlsx"
        else exporting.docx_bytes(original, users["bureau"])
    )
    again = importing.import_ledger(
        data, f"b.{extension}", "整改台账（回导）", units["district"], users["bureau"]
    )
    assert again.errors == []
    assert_seed_items(again.ledger, bureau_setup)


def test_export_reads_through_the_users_scope(client_for, units, users, bureau_setup):
    ledger = importing.import_ledger(
        seed_docx(), "a.docx", "整改台账", units["district"], users["bureau"]
    ).ledger
    url = reverse("ledger:ledger-export", args=[ledger.pk])
    response = client_for(users["bureau"]).get(url, {"format": "docx"})
    assert response.status_code == 200 and "filename*=utf-8''" in response["Content-Disposition"]
    assert client_for(users["town_a"]).get(url).status_code == 404


def test_import_page(client_for, units, users, bureau_setup):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = client_for(users["bureau"])
    upload = SimpleUploadedFile("整改方案.docx", seed_docx())
    response = client.post(
        reverse("ledger:ledger-import"),
        {"file": upload, "name": "整改台账", "kind": "rectification", "unit": units["district"].pk},
        follow=True,
    )
    assert response.status_code == 200
    assert Ledger.objects.get(name="整改台账").items.count() == 4
    assert client_for(users["town_a"]).get(reverse("ledger:ledger-import")).status_code == 403


def test_cli_import_export_and_remind(tmp_path, units, users, bureau_setup, capsys):
    source = tmp_path / "seed.docx"
    source.write_bytes(seed_docx())
    call_command("ledger", "import", str(source), "--unit", units["district"].code, "--name", "整改台账")
    assert Ledger.objects.get(name="整改台账").items.count() == 4
    out = tmp_path / "out.xlsx"
    call_command("ledger", "export", "--name", "整改台账", "--out", str(out))
    assert out.read_bytes().startswith(b"PK")
    call_command("ledger", "remind", "--dry-run")
    printed = capsys.readouterr().out
    assert "4" in printed
