"""The reader and normaliser on ugly files built here: title rows, merged two-row headers, units in
titles and headers, full-width digits, thousands separators, percentages, dates in four forms and
Excel serials, totals rows, blank rows, GB18030 and BOM CSV, unknown columns."""

import datetime
import io
from decimal import Decimal

import pytest
import xlsxwriter
from django.utils import translation

from peiyu.core.spreadsheets import Column, find_header, parse_table, read_file
from peiyu.core.spreadsheets import columns as k
from peiyu.core.spreadsheets.headers import normalise_header
from peiyu.core.spreadsheets.units import declared_unit, wan, wan_display
from peiyu.core.spreadsheets.values import parse_count, parse_date, parse_decimal, parse_money

COLUMNS = [
    Column("uscc", "统一社会信用代码", k.CODE),
    Column("name", "企业名称"),
    Column("year", "年度", k.YEAR),
    Column("established", "成立日期", k.DATE),
    Column("revenue", "营业收入", k.MONEY, "万元"),
    Column("rd_expense", "研发费用", k.MONEY, "万元"),
    Column("rd_expense_domestic", "境内研发费用", k.MONEY, "万元"),
    Column("profit", "利润总额", k.SIGNED_MONEY, "万元"),
    Column("employees", "职工总数", k.COUNT, "人"),
    Column("ratio", "研发占比", k.DECIMAL),
]



@pytest.fixture(autouse=True)
def english():
    """Messages are compared in English (their msgids); the interface default is Chinese."""
    with translation.override("en"):
        yield

def xlsx(rows, merges=(), sheet="数据"):
    """An .xlsx built in memory: `rows` written from A1, `merges` as (first_row, first_col, last_row, last_col, text)."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    ws = book.add_worksheet(sheet)
    date_format = book.add_format({"num_format": "yyyy-mm-dd"})
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if isinstance(value, datetime.date):
                ws.write_datetime(r, c, value, date_format)
            elif value is not None:
                ws.write(r, c, value)
    for first_row, first_col, last_row, last_col, text in merges:
        ws.merge_range(first_row, first_col, last_row, last_col, text)
    book.close()
    return buffer.getvalue()


def parse(data, name="t.xlsx"):
    sheet = read_file(data, name)[0]
    match = find_header(sheet.rows, COLUMNS, "uscc")
    return sheet, match, parse_table(sheet, match)


def test_title_rows_units_and_ugly_numbers():
    data = xlsx([
        ["2023年度科技型企业统计表"],
        ["填报单位:张贵庄街道", None, None, "单位:元"],
        ["序号", "统一社会信用代码", "企业名称", "销售收入", "从业人员", "备注"],
        [1, " 91120110MA0000001X ", "华东科技", "1,234,567.89", "１２０", "x"],
        [None, None, None, None, None, None],
        [2, "91120110MA0000002X", "丰年电子", 5000000, "３５人", ""],
        ["合计", None, None, 6234567.89, 155, None],
    ])
    sheet, match, table = parse(data)
    assert match.row == 2 and match.depth == 1 and match.title_unit == "元"
    assert match.title == "2023年度科技型企业统计表"
    assert sorted(match.ignored) == ["备注", "序号"]
    assert table.numbers == [4, 6]  # Excel's own row numbers; the blank row 5 and the 合计 row are gone
    assert table.skipped == 1
    assert table.values["uscc"] == ["91120110MA0000001X", "91120110MA0000002X"]
    assert table.values["revenue"] == [1234568, 5000000]  # whole yuan (123.4568 万元 and 500 万元)
    assert table.values["employees"] == [120, 35]
    assert not table.row_problems and not table.problems


def test_merged_two_row_header_with_units_in_headers():
    rows = [
        ["企业研发情况表"],
        [None] * 6,
        [None, None, "经济指标（万元）", None, "研发费用（亿元）", None],
        [None, None, "营业收入", "利润总额", "合计", "其中：境内"],
        ["91120110MA0000001X", "华东科技", 3000, -12.5, 0.5, 0.25],
    ]
    merges = [(2, 0, 3, 0, "统一社会信用代码"), (2, 1, 3, 1, "企业\n名称"), (2, 2, 2, 3, "经济指标（万元）"), (2, 4, 2, 5, "研发费用（亿元）")]
    sheet, match, table = parse(xlsx(rows, merges))
    assert (match.row, match.depth) == (1, 2)
    assert match.keys == {"uscc", "name", "revenue", "profit", "rd_expense", "rd_expense_domestic"}
    assert table.numbers == [5]
    assert table.values["revenue"] == [30_000_000]
    assert table.values["profit"] == [-125_000]
    assert table.values["rd_expense"] == [50_000_000]  # 0.5 亿元 = 5000 万元
    assert table.values["rd_expense_domestic"] == [25_000_000]
    assert table.values["name"] == ["华东科技"]


def test_dates_in_four_forms_and_excel_serials():
    rows = [["统一社会信用代码", "成立日期"]] + [[f"C{i}", value] for i, value in enumerate([
        datetime.date(2021, 3, 5), "2021-3-5", "2021年3月5日", "2021.03.05", 44260.0, "20210305", "2021/03/05", "二〇二一年",
    ])]
    _, _, table = parse(xlsx(rows))
    assert table.values["established"][:7] == [datetime.date(2021, 3, 5)] * 7
    [problem] = table.row_problems[7]
    assert problem.row == 9 and problem.column == "成立日期" and problem.value == "二〇二一年"
    assert "2021年3月5日" in problem.message


def test_gb18030_csv_with_percentages_and_full_width():
    text = "统一社会信用代码,企业名称,营业收入（万元）,研发占比,职工总数\n91120110MA0000001X,华东科技,\"１，２３４．５\",12%,1e2\n"
    _, match, table = parse(text.encode("gb18030"), "towns.csv")
    assert table.values["revenue"] == [12_345_000]
    assert table.values["ratio"] == [Decimal("0.12")]
    assert table.values["employees"] == [100]
    assert table.values["name"] == ["华东科技"]


def test_utf8_bom_csv_and_unknown_columns_reported():
    text = "\ufeff统一社会信用代码,企业名称,注册资本,法人代表\n91120110MA0000001X,华东科技,100,张三\n"
    _, match, table = parse(text.encode("utf-8"), "x.csv")
    assert match.keys == {"uscc", "name"}
    assert match.ignored == ["注册资本", "法人代表"]
    assert table.values["uscc"] == ["91120110MA0000001X"]


def test_unknown_money_unit_is_a_sheet_error():
    _, _, table = parse(xlsx([["统一社会信用代码", "营业收入(美元)"], ["A", 1]]))
    assert table.fatal
    assert "美元" in table.problems[0].message and table.problems[0].column == "营业收入(美元)"


def test_missing_unit_warns_and_reads_wan():
    _, _, table = parse(xlsx([["统一社会信用代码", "营业收入"], ["A", 12.5]]))
    assert not table.fatal and table.problems[0].severity == "warning"
    assert table.values["revenue"] == [125_000]


def test_bad_values_name_row_column_value_and_expectation():
    rows = [["统一社会信用代码", "营业收入(万元)", "职工总数(人)", "年度"], ["A", "-5", "12.5", "23年"], ["B", "abc", "-1", 2023]]
    _, _, table = parse(xlsx(rows))
    messages = {(p.row, p.column, p.value): p.message for problems in table.row_problems.values() for p in problems}
    assert messages == {
        (2, "营业收入(万元)", "-5"): "cannot be negative",
        (2, "职工总数(人)", "12.5"): "must be a whole number",
        (2, "年度", "23年"): "is not a year (expected e.g. 2023)",
        (3, "营业收入(万元)", "abc"): "is not a number",
        (3, "职工总数(人)", "-1"): "cannot be negative",
    }


@pytest.mark.parametrize(("raw", "unit", "yuan"), [
    (1234.5678, 10_000, 12_345_678), ("1,234.5678", 10_000, 12_345_678), ("  ３０００ ", 10_000, 30_000_000),
    ("(12.5)", 10_000, -125_000), ("2.5亿元", 10_000, 250_000_000), ("5000元", 10_000, 5000), (0.00005, 10_000, 1),
    ("12345.5", 1, 12346), (1.2, 100_000_000, 120_000_000), ("-", 10_000, None), ("", 1, None), (7, 10_000, 70_000),
])
def test_money_values(raw, unit, yuan):
    assert parse_money(raw, unit) == yuan


def test_other_values():
    assert parse_decimal("12%") == Decimal("0.12") and parse_decimal("１２.５％") == Decimal("0.125")
    assert parse_count("1,200") == 1200 and parse_count("35人") == 35 and parse_count(12.0) == 12
    assert parse_date(45000.0) == datetime.date(2023, 3, 15)
    assert parse_date("2023-03-15 00:00:00") == datetime.date(2023, 3, 15)


def test_header_normalisation_and_units():
    assert normalise_header("营业收入\n（单位：万元）") == ("营业收入", "万元")
    assert normalise_header("* 高新技术产品(服务)收入(万元)") == ("高新技术产品(服务)收入", "万元")
    assert normalise_header("其中：境内研发费用") == ("境内研发费用", "")
    assert normalise_header("R&D经费支出") == ("r&d经费支出", "")
    assert declared_unit("（金额单位：亿元）") == "亿元" and declared_unit("单位: 元") == "元" and declared_unit("2023年") is None
    assert wan(30_000_000) == "3000.0000" and wan(-125_000) == "-12.5000" and wan_display(12_345_678) == "1,234.5678"
