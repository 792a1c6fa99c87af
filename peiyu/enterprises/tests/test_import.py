"""The enterprise import service: planning (new / changed / unchanged / duplicate / error), exact
errors, scoping, strict and default commits, history tagged with the batch, and undo."""

import datetime
import io
from decimal import Decimal

import pytest
import xlsxwriter
from django.utils import translation

from peiyu.core.choices import ChangeAction
from peiyu.core.history import snapshot
from peiyu.core.models import ImportBatch, ObjectChange
from peiyu.core.spreadsheets.undo import UndoConflict
from peiyu.core.testing import make_uscc, make_year
from peiyu.enterprises.importing import ImportOptions, run_import, undo
from peiyu.enterprises.models import Enterprise, EnterpriseYear, Qualification

HEAD = ["统一社会信用代码", "企业名称", "年度", "所属单位", "营业收入(万元)", "研发费用(万元)", "成本费用总额(万元)", "职工总数(人)", "科技人员数(人)"]



@pytest.fixture(autouse=True)
def english():
    """Messages are compared in English (their msgids); the interface default is Chinese."""
    with translation.override("en"):
        yield

def book(*sheets):
    """An .xlsx with sheets given as (name, rows)."""
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    for name, rows in sheets:
        ws = workbook.add_worksheet(name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if value is not None:
                    ws.write_string(r, c, value) if isinstance(value, str) else ws.write(r, c, value)
    workbook.close()
    return buffer.getvalue()


def years_file(*rows, head=HEAD):
    return book(("年度指标", [["2024年科技企业年度指标(单位:万元)"], head, *rows]))


def run(data, user, **options):
    return run_import(data, "t.xlsx", ImportOptions(user=user, **options))


def statuses(report):
    return [(row.row, row.status) for row in report.rows]


@pytest.fixture
def library(enterprises):
    a = enterprises["a"]
    make_year(a, 2024, revenue=Decimal("3000"), employees=100, tech_staff=30, rd_expense=Decimal("200"), total_costs=Decimal("2500"))
    return enterprises


def test_dry_run_classifies_every_row_and_writes_nothing(library, users):
    a, b = library["a"], library["b"]
    new_code = make_uscc()
    data = years_file(
        [a.uscc, "华东科技有限公司", 2024, "张贵庄街道", 3000, 200, 2500, 100, 30],  # unchanged
        [a.uscc, "华东科技有限公司", 2023, "张贵庄街道", 2800, 150, 2400, 90, 20],  # new year
        [b.uscc, "丰年电子有限公司", 2024, "丰年村街道", 900, None, None, 40, 10],  # new year of b
        [new_code, "新星科技有限公司", 2024, "张贵庄街道", 100, 5, 80, 10, 3],  # new enterprise
        [a.uscc[:17] + ("0" if a.uscc[17] != "0" else "1"), "错码公司", 2024, "张贵庄街道", 1, 0, 1, 1, 0],
    )
    before = EnterpriseYear.objects.count()
    report = run(data, users["bureau"])
    assert statuses(report) == [(3, "unchanged"), (4, "new"), (5, "new"), (6, "new"), (7, "error")]
    assert report.counts["new"] == 3 and report.counts["errors"] == 1
    assert EnterpriseYear.objects.count() == before and not ImportBatch.objects.exists()
    [error] = report.errors
    assert (error.sheet, error.row, error.column) == ("年度指标", 7, "统一社会信用代码")
    assert error.message == f"wrong check character, it should be {a.uscc[17]}"
    assert report.sheets[0]["header_row"] == 2 and report.sheets[0]["unit"] == "万元"


def test_changed_rows_show_old_and_new(library, users):
    a = library["a"]
    report = run(years_file([a.uscc, "华东科技有限公司", 2024, "张贵庄街道", "3,500.5", 200, 2500, 100, 30]), users["bureau"])
    [row] = report.rows
    assert row.status == "changed" and row.changes == [("营业收入(万元)", "3,000", "3,500.5")]


def test_commit_writes_rows_history_and_generated_fields(library, users):
    a = library["a"]
    new_code = make_uscc()
    data = years_file(
        [a.uscc, "华东科技有限公司", 2024, "张贵庄街道", 12000, 200, 2500, 100, 30],
        [new_code, "新星科技有限公司", 2024, "张贵庄街道", "500", 5, 80, 10, 3],
    )
    report = run(data, users["bureau"], dry_run=False)
    assert report.written and not report.failed
    batch = ImportBatch.objects.get()
    assert batch.counts["changed"] == 1 and batch.counts["new"] == 1 and batch.counts["enterprises_created"] == 1
    year = EnterpriseYear.objects.get(enterprise=a, year=2024)
    assert year.revenue == Decimal("12000") and year.stage == 3 and year.revenue_band == 3
    created = Enterprise.objects.get(uscc=new_code)
    assert created.unit.name == "张贵庄街道" and created.name_initials == "xxkjyxgs"
    new_year = created.years.get()
    assert new_year.revenue == Decimal("500") and new_year.stage == 2
    changes = ObjectChange.objects.filter(batch=str(batch.id))
    assert changes.count() == 3  # enterprise created, its year created, a's year changed
    for change in changes:
        if change.content_type.model == "enterpriseyear":
            assert change.after == snapshot(EnterpriseYear.objects.get(pk=change.object_id))
            assert change.parent_id == EnterpriseYear.objects.get(pk=change.object_id).enterprise_id
    assert changes.get(action=ChangeAction.UPDATE).before["revenue"] == "3000.0000"


def test_impossible_values_duplicates_and_unknown_units(library, users):
    a = library["a"]
    other = make_uscc()
    data = years_file(
        [a.uscc, "华东科技有限公司", 2024, "张贵庄街道", 3000, 200, 2500, 100, 130],  # tech staff > employees
        [make_uscc(), "负数公司", 2024, "张贵庄街道", -5, 0, 1, 1, 0],  # negative revenue
        [make_uscc(), "研发公司", 2024, "张贵庄街道", 100, 90, 80, 1, 0],  # R&D > costs
        [make_uscc(), "外星公司", 2024, "火星街道", 100, 1, 80, 1, 0],  # unknown unit
        [other, "重复公司", 2024, "张贵庄街道", 100, 1, 80, 1, 0],
        [other, "重复公司", 2024, "张贵庄街道", 100, 1, 80, 1, 0],  # identical duplicate
        [a.uscc, "华东科技有限公司", 2022, "张贵庄街道", 1, 0, 1, 1, 0],
        [a.uscc, "华东科技有限公司", 2022, "张贵庄街道", 2, 0, 1, 1, 0],  # conflicting duplicate
    )
    report = run(data, users["bureau"])
    assert statuses(report) == [(3, "error"), (4, "error"), (5, "error"), (6, "error"), (7, "new"), (8, "duplicate"), (9, "error"), (10, "error")]
    texts = {(p.row, p.column): p.message for p in report.problems}
    assert texts[(3, "科技人员数(人)")] == "科技人员数(人) (130) cannot exceed 职工总数(人) (100)"
    assert texts[(4, "营业收入(万元)")] == "cannot be negative"
    assert texts[(5, "研发费用(万元)")] == "研发费用(万元) (90) cannot exceed 成本费用总额(万元) (80)"
    assert texts[(6, "所属单位")] == "is not a unit known to the platform"
    assert texts[(8, "统一社会信用代码")] == "repeats row 7 exactly; skipped"
    assert texts[(9, "统一社会信用代码")] == "row 10 gives different values for the same record"
    assert texts[(10, "统一社会信用代码")] == "row 9 gives different values for the same record"
    assert report.rows[0].messages == ["“科技人员数(人)” value “130”: 科技人员数(人) (130) cannot exceed 职工总数(人) (100)"]


def test_unit_staff_cannot_touch_other_units(library, users):
    b = library["b"]
    data = years_file(
        [b.uscc, "丰年电子有限公司", 2024, "丰年村街道", 900, None, None, 40, 10],
        [make_uscc(), "越界公司", 2024, "丰年村街道", 1, None, None, 1, 0],
        [make_uscc(), "本镇公司", 2024, None, 1, None, None, 1, 0],
    )
    report = run(data, users["town_a"], dry_run=False)
    assert statuses(report) == [(3, "error"), (4, "error"), (5, "error")]
    assert [p.message for p in report.errors] == [
        "this enterprise belongs to a unit outside your responsibility",
        "you may not create enterprises in this unit",
        "the enterprise is not in the library and the row gives no 所属单位 to create it",
    ]
    report = run(data, users["town_a"], unit=library["a"].unit, dry_run=True)
    assert statuses(report)[2] == (5, "new")  # the unit chosen for the import fills the gap


def test_strict_mode_writes_nothing_default_mode_skips_errors(library, users):
    data = years_file(
        [make_uscc(), "好公司", 2024, "张贵庄街道", 1, None, None, 1, 0],
        [make_uscc(), "坏公司", 2024, "张贵庄街道", "abc", None, None, 1, 0],
    )
    count = Enterprise.objects.count()
    report = run(data, users["bureau"], dry_run=False, strict=True)
    assert report.failed and not report.written and Enterprise.objects.count() == count and not ImportBatch.objects.exists()
    report = run(data, users["bureau"], dry_run=False)
    assert report.written and Enterprise.objects.count() == count + 1
    assert Enterprise.objects.filter(name="好公司").exists() and not Enterprise.objects.filter(name="坏公司").exists()


def test_qualifications_sheet_can_use_enterprises_created_by_the_year_sheet(library, users):
    code = make_uscc()
    data = book(
        ("资质", [["统一社会信用代码", "企业名称", "资质类型", "级别", "证书编号", "认定日期", "有效期至"],
                [code, "新星科技有限公司", "高企", "国家级", "GR202312000123", "2023-11-06", None],
                [library["a"].uscc, "华东科技有限公司", "科技型中小企业", None, "2024120110A0000123", "2024年5月1日", None]]),
        ("年度", [HEAD, [code, "新星科技有限公司", 2024, "张贵庄街道", 100, None, None, 10, 3]]),
    )
    report = run(data, users["bureau"], dry_run=False)
    assert report.kind == "qualifications+years" and not report.failed
    hitech = Qualification.objects.get(enterprise__uscc=code)
    assert hitech.kind == "hitech" and hitech.valid_until == datetime.date(2026, 11, 5)
    assert Qualification.objects.get(enterprise=library["a"]).valid_until == datetime.date(2024, 12, 31)
    again = run(data, users["bureau"])
    assert {row.status for row in again.rows} == {"unchanged"}
    data = book(("资质", [["统一社会信用代码", "资质类型", "级别", "证书编号"], [code, "高新技术企业", "省级", "GR202312000123"]]))
    report = run(data, users["bureau"], dry_run=False)
    assert [(row.status, row.changes) for row in report.rows] == [("changed", [("级别", "国家级", "省级")])]
    assert Qualification.objects.get(enterprise__uscc=code).level == "provincial"


def state():
    years = {(y.enterprise_id, y.year): snapshot(y) for y in EnterpriseYear.objects.all()}
    firms = {e.pk: (snapshot(e), e.name_initials) for e in Enterprise.all_objects.all()}
    quals = {q.pk: snapshot(q) for q in Qualification.objects.all()}
    return years, firms, quals


def test_undo_restores_exactly_and_is_recorded(library, users):
    a = library["a"]
    before = state()
    data = years_file(
        [a.uscc, "华东科技集团有限公司", 2024, "张贵庄街道", 12000, 300, 2500, 120, 30],
        [a.uscc, "华东科技集团有限公司", 2023, "张贵庄街道", 100, 1, 80, 10, 3],
        [make_uscc(), "新星科技有限公司", 2024, "张贵庄街道", 100, 5, 80, 10, 3],
    )
    report = run(data, users["bureau"], dry_run=False)
    assert state() != before and Enterprise.objects.get(pk=a.pk).name_initials == "hdkjjtyxgs"
    batch = ImportBatch.objects.get(pk=report.batch)
    assert undo(batch, users["bureau"]) == 5
    assert state() == before
    batch.refresh_from_db()
    assert batch.status == "undone" and batch.undone_by == users["bureau"]
    undone = ObjectChange.objects.filter(batch=f"undo:{batch.id}")
    assert sorted(undone.values_list("action", flat=True)) == ["delete", "delete", "delete", "update", "update"]
    with pytest.raises(UndoConflict):
        undo(batch, users["bureau"])


def test_undo_refuses_when_rows_changed_since(library, users):
    a = library["a"]
    report = run(years_file([a.uscc, "华东科技有限公司", 2024, "张贵庄街道", 12000, 200, 2500, 100, 30]), users["bureau"], dry_run=False)
    year = EnterpriseYear.objects.get(enterprise=a, year=2024)
    year.revenue = Decimal("1")
    year.save()
    with pytest.raises(UndoConflict, match="changed since"):
        undo(ImportBatch.objects.get(pk=report.batch), users["bureau"])
    assert EnterpriseYear.objects.get(pk=year.pk).revenue == Decimal("1")


def test_not_a_spreadsheet_is_a_clear_error(users, db):
    report = run(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 10, users["bureau"])
    assert report.failed and "not a spreadsheet" in report.errors[0].message
