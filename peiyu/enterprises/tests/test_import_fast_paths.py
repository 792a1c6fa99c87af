"""The import's fast paths give exactly what the careful paths give: stored amounts read back as
whole yuan like Django's converter, and numeric columns parsed in one comprehension like cell by
cell."""

import random
from decimal import Decimal

import pytest
from django.db import connection

from peiyu.core.spreadsheets.columns import ParsedTable, money_parser, parse_count_column, parse_money_column
from peiyu.core.spreadsheets.headers import HeaderMatch
from peiyu.core.spreadsheets.report import Report
from peiyu.core.spreadsheets.values import ValueProblem, parse_count
from peiyu.core.testing import make_year
from peiyu.enterprises.import_columns import MONEY_FIELDS, YEAR_FIELDS
from peiyu.enterprises.import_state import sqlite_yuan, to_yuan
from peiyu.enterprises.importing import ImportOptions, Planner
from peiyu.enterprises.models import EnterpriseYear


def django_yuan(value):
    """What Django's SQLite converter followed by `to_yuan` gives."""
    field = EnterpriseYear._meta.get_field("revenue")
    from django.db.backends.sqlite3.base import DatabaseWrapper  # whatever database the tests use
    from django.db.models.expressions import Col

    converter = DatabaseWrapper.ops_class(connection).get_decimalfield_converter(Col("t", field))
    return to_yuan(converter(value, Col("t", field), connection))


def test_sqlite_amounts_read_back_as_django_reads_them():
    random.seed(7)
    values = [0, 0.0, -0.0, 1, -1, 3000, 10**10, 10**11 + 1, 12345678901234, 0.5, 0.00005, 0.00015, 1234.5678, -1234.5678,
              99999999999.9999, 123456789012.3456, 1e-5, 2.5e-5, 9.87654321012345e13, 0.1 + 0.2]
    values += [round(random.uniform(-1e6, 1e8), random.randint(0, 6)) for _ in range(20000)]
    values += [random.uniform(0, 1e12) for _ in range(5000)]
    values += [float(Decimal(random.randint(0, 10**15)) / 10000) for _ in range(5000)]
    context = EnterpriseYear._meta.get_field("revenue").context
    for value in values:
        assert sqlite_yuan(value, context) == django_yuan(value), value


@pytest.mark.django_db
def test_stored_years_load_as_the_orm_reads_them(enterprises):
    a, b = enterprises["a"], enterprises["b"]
    make_year(a, 2023, revenue=Decimal("1234.5678"), profit=Decimal("-0.0001"), employees=7, rd_expense=Decimal("0"))
    make_year(a, 2024, revenue=Decimal("99999999999.9999"), net_assets=Decimal("-5"), rd_institution_level=3)
    make_year(b, 2024, revenue=Decimal("0.0001"), taxes=Decimal("12.5"))
    planner = Planner(ImportOptions(), Report(), lambda *args: None)
    planner.load_years([a.pk, b.pk], {2023, 2024, 2025})
    expected = {}
    for row in EnterpriseYear.objects.values("pk", "enterprise_id", "year", *YEAR_FIELDS):
        key = (row.pop("enterprise_id"), row.pop("year"))
        expected[key] = {name: to_yuan(value) if name in MONEY_FIELDS else value for name, value in row.items()}
    assert planner.years == expected and len(expected) == 3


def cell_by_cell(raw, parse):
    out, problems = [], []
    for index, value in enumerate(raw):
        try:
            out.append(parse(value))
        except ValueProblem as problem:
            out.append(None)
            problems.append((index, str(problem)))
    return out, problems


@pytest.mark.parametrize("signed", [False, True])
def test_money_and_count_columns_match_cell_by_cell_parsing(signed):
    raw = [1.5, -2.25, 0.0, -0.0, 3, "4,000", "", None, "abc", 1e-5, 2.5, "12%", 7.0, "(5)", 123456.78905,
           "1234.5678", "0.00005", "12", "007", "3.14159", "2.5", "-2.5", "0.00015", "999999999999999.9999", "1e3", " 12 ", "１２"]
    parse = money_parser(10_000, signed)
    table = ParsedTable("s", HeaderMatch(0, 1), numbers=list(range(2, 2 + len(raw))))
    assert parse_money_column(raw, parse, "revenue", table) == cell_by_cell(raw, parse)[0]
    problems = [(index, p.message) for index, ps in sorted(table.row_problems.items()) for p in ps]
    assert problems == cell_by_cell(raw, parse)[1]
    counts = [1.0, 2.5, -1.0, 3, "4人", "", None, "x", 0.0, 10.0, "12", "007", "²", "１２", " 3", "-4", "5.0"]
    table = ParsedTable("s", HeaderMatch(0, 1), numbers=list(range(2, 2 + len(counts))))
    assert parse_count_column(counts, "employees", table) == cell_by_cell(counts, parse_count)[0]
    assert [(index, p.message) for index, ps in sorted(table.row_problems.items()) for p in ps] == cell_by_cell(counts, parse_count)[1]


@pytest.mark.django_db
def test_year_snapshot_is_the_stored_rows_snapshot(enterprises):
    from peiyu.core.history import snapshot
    from peiyu.enterprises.import_state import year_snapshot

    a = enterprises["a"]
    figures = {"revenue": 12_345_678, "profit": -1, "net_assets": 0, "taxes": 999_999_999_999_999, "employees": 3, "rd_expense": 5}
    year = make_year(a, 2024, revenue=Decimal("1234.5678"), profit=Decimal("-0.0001"), net_assets=Decimal("0"),
                     taxes=Decimal("99999999999.9999"), employees=3, rd_expense=Decimal("0.0005"), tech_staff=None, total_costs=None)
    year.refresh_from_db()
    assert year_snapshot(a.pk, 2024, figures) == snapshot(year)


def years_book(rows) -> bytes:
    import io

    import xlsxwriter

    head = ["统一社会信用代码", "企业名称", "年度", "所属单位", "营业收入(万元)", "职工总数(人)"]
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = workbook.add_worksheet("年度指标")
    for r, row in enumerate([["年度指标(单位:万元)"], head, *rows]):
        for c, value in enumerate(row):
            if value is not None:
                sheet.write_string(r, c, value) if isinstance(value, str) else sheet.write(r, c, value)
    workbook.close()
    return buffer.getvalue()


@pytest.mark.django_db
def test_rows_repeating_an_applied_enterprise_are_checked_as_before(enterprises, users):
    """Later rows of an enterprise that repeat the cells of a row applied without problems skip the
    enterprise checks; every other row still gets them (errors, changes, creation)."""
    from django.utils import translation

    from peiyu.core.testing import make_uscc
    from peiyu.enterprises.importing import run_import

    a = enterprises["a"]
    new, broken, late = make_uscc(), make_uscc(), make_uscc()
    rows = [
        [a.uscc, "华东科技股份有限公司", 2021, "张贵庄街道", 10, 5],  # 3: renames a → changed
        [a.uscc, "华东科技股份有限公司", 2022, "张贵庄街道", 10, 5],  # 4: repeat, no further change
        [a.uscc, "别的名字有限公司", 2023, "张贵庄街道", 10, 5],  # 5: differs from row 3
        [a.uscc, "华东科技股份有限公司", 2024, "张贵庄街道", 10, 5],  # 6: repeat of row 3 again
        [broken, "坏单位有限公司", 2021, "不存在街道", 10, 5],  # 7: unknown unit
        [broken, "坏单位有限公司", 2022, "不存在街道", 10, 5],  # 8: the same cells, the same error
        [late, "晚到有限公司", 1800, "张贵庄街道", 10, 5],  # 9: bad year, enterprise not yet valid
        [late, "晚到有限公司", 2022, "张贵庄街道", 10, 5],  # 10: creates it
        [late, "晚到有限公司", 2023, "丰年村街道", 10, 5],  # 11: other unit than row 10
        [new, "新到有限公司", 2022, "张贵庄街道", 10, 5],  # 12: new
        [new, "新到有限公司", 2023, "张贵庄街道", 20, 50],  # 13: new, repeat
    ]
    with translation.override("en"):
        report = run_import(years_book(rows), "t.xlsx", ImportOptions(user=users["bureau"]))
        assert [(row.row, row.status) for row in report.rows] == [
            (3, "new"), (4, "new"), (5, "error"), (6, "new"), (7, "error"), (8, "error"), (9, "error"), (10, "new"), (11, "error"),
            (12, "new"), (13, "new"),
        ]
        assert report.rows[0].changes == [("企业名称", "华东科技有限公司", "华东科技股份有限公司")]
        assert [row.changes for row in report.rows[1:4]] == [[], [], []]
        assert report.rows[3].label == "华东科技股份有限公司 2024" and report.rows[12 - 3].label == "新到有限公司 2022"
        assert [(p.row, p.column, p.message) for p in report.errors] == [
            (5, "企业名称", "differs from row 3 for the same enterprise"),
            (7, "所属单位", "is not a unit known to the platform"),
            (8, "所属单位", "is not a unit known to the platform"),
            (9, "年度", "is not a plausible year"),
            (9, "年度", "the year is missing; add a 年度 column or choose the year"),
            (11, "所属单位", "differs from row 10 for the same enterprise"),
        ]
        report = run_import(years_book(rows), "t.xlsx", ImportOptions(user=users["bureau"], dry_run=False))
    from peiyu.enterprises.models import Enterprise

    assert report.written and report.created_enterprises == 2
    assert Enterprise.objects.get(pk=a.pk).name == "华东科技股份有限公司"
    assert Enterprise.objects.get(uscc=late).unit.name == "张贵庄街道"
    assert not Enterprise.all_objects.filter(uscc=broken).exists()


def test_last_value_tag_is_the_last_in_the_whole_block():
    from peiyu.core.spreadsheets.reading import TAIL_WINDOW, VALUE_TAGS, last_value_tag

    random.seed(3)
    filler = b'<c r="B7" s="1"/>'
    for _ in range(300):
        parts = []
        for _ in range(random.randint(0, 6)):
            parts.append(filler * random.randint(0, TAIL_WINDOW // len(filler) * 2 // 6 + 1))
            parts.append(random.choice(VALUE_TAGS))
        parts.append(filler * random.randint(0, 5000))
        buf = b"".join(parts)
        cut = random.randint(0, len(buf))
        assert last_value_tag(buf, cut) == max(buf.rfind(tag, 0, cut) for tag in VALUE_TAGS)


def test_count_and_text_columns_parse_each_distinct_value_as_cell_by_cell():
    """Equal keys of other types (True == 1.0 == 1, -0.0 == 0.0) and failing cells give exactly
    what parsing every cell gives, problems in row order."""
    from peiyu.core.spreadsheets.columns import parse_column
    from peiyu.core.spreadsheets.values import parse_code

    counts = [True, 1.0, 1, 2.0, -0.0, 0.0, "3", "x", 1.0, "x", 4.5, False, 0, 2.0]
    for values in (counts, list(reversed(counts))):
        table = ParsedTable("s", HeaderMatch(0, 1), numbers=list(range(2, 2 + len(values))))
        assert parse_count_column(values, "employees", table) == cell_by_cell(values, parse_count)[0]
        assert [(index, p.message) for index, ps in table.row_problems.items() for p in ps] == cell_by_cell(values, parse_count)[1]
    codes = ["a 1", 12.0, "", 1.5, "A1", 12, "a 1", 1.5, None, 1e16]
    table = ParsedTable("s", HeaderMatch(0, 1), numbers=list(range(2, 2 + len(codes))))
    assert parse_column(codes, parse_code, "industry_code", table) == cell_by_cell(codes, parse_code)[0]
    assert [(index, p.message) for index, ps in table.row_problems.items() for p in ps] == cell_by_cell(codes, parse_code)[1]


def test_pinyin_initials_equal_whole_name_segmentation():
    """Initials built from remembered words equal pypinyin's own run over the whole name, on the
    demo's company names and on names whose heteronyms depend on the word (重庆, 银行, 长春)."""
    from peiyu.demo import names
    from peiyu.demo.industries import INDUSTRIES
    from peiyu.enterprises.pinyin import initials, segmented_initials

    rng = random.Random(7)
    samples = [names.company_name(names.trade_name(rng, rng.choice((2, 3, 4))), rng.choice(rng.choice(INDUSTRIES).words), rng.random() < 0.2)
               for _ in range(3000)]
    samples += ["重庆银行股份有限公司", "长春长生生物科技有限公司", "行健科技", "ABC科技１２", "〇〇七", "朝阳朝气", "乐乐音乐", "天津3D打印"]
    assert [initials(name) for name in samples] == [segmented_initials(name) for name in samples]
    assert initials("重庆银行") == "cqyh" and initials("华东科技") == "hdkj"


@pytest.mark.django_db
def test_new_enterprises_history_is_the_saved_objects_snapshot(units, users):
    from peiyu.core.history import snapshot
    from peiyu.core.models import ObjectChange
    from peiyu.core.testing import make_uscc
    from peiyu.enterprises.importing import run_import
    from peiyu.enterprises.models import Enterprise
    from peiyu.enterprises.tests.test_import import HEAD, years_file

    head = [*HEAD, "成立日期", "行业代码", "联系人"]
    report = run_import(years_file([make_uscc(), "重庆银行天津分行科技公司", 2024, "张贵庄街道", 1, 1, 1, 1, 1, "2015-03-01", "3841", "张三"], head=head),
                        "t.xlsx", ImportOptions(user=users["bureau"], dry_run=False))
    assert not report.errors
    created = Enterprise.objects.get()
    change = ObjectChange.objects.get(object_id=created.pk, content_type__model="enterprise")
    assert change.after == snapshot(created) and change.object_repr == created.name
    assert created.name_initials == "cqyhtjfhkjgs" and created.industry_section == "C" and created.status == "active"
    assert created.created is not None and created.created == created.updated
