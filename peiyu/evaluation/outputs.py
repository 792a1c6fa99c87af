"""Writing results as JSON, CSV (UTF-8 with BOM, so Excel opens it in Chinese) and .xlsx. The JSON
is the list `Result.to_json` gives; CSV and xlsx carry the same in Chinese-headed columns, one row
per enterprise. The Chinese headers are the bureau's file format, not interface text."""

import csv
import io
import json

import xlsxwriter

from peiyu.evaluation.results import Result
from peiyu.evaluation.rules import RuleSet

BASE_HEADERS = ["统一社会信用代码", "企业名称", "年度", "评价规则", "规则版本", "是否符合", "认定途径", "得分", "最低得分", "最高得分"]
TAIL_HEADERS = ["未满足条件", "待定事项", "差距"]
ELIGIBLE = {True: "是", False: "否", None: "待定"}
ROUTE = {"score": "评分", "direct": "直接认定", None: ""}
FORMULA_START = ("=", "+", "-", "@")


def safe(value):
    """A cell value that a spreadsheet will not run as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_START) and not _is_number(value):
        return "'" + value
    return value


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def headers(rs: RuleSet) -> list[str]:
    out = list(BASE_HEADERS)
    for gate in rs.gates:
        out += [f"{gate.name}·数值", f"{gate.name}·是否满足"]
    for ind in rs.indicators:
        out += [f"{ind.name}·数值", f"{ind.name}·档次", f"{ind.name}·得分"]
    return out + TAIL_HEADERS


def _cell(value):
    if isinstance(value, bool):
        return ELIGIBLE[value]
    return "" if value is None else value


def _points(ind) -> str:
    if ind.points_min is None:
        return ""
    return str(ind.points_min) if ind.points_min == ind.points_max else f"{ind.points_min}–{ind.points_max}"


def row(rs: RuleSet, result: Result) -> list:
    exact = result.score_min is not None and result.score_min == result.score_max
    out = [result.uscc, result.name, result.year, rs.code, rs.version, ELIGIBLE[result.eligible], ROUTE[result.route],
           result.score_min if exact else "", "" if exact else result.score_min, "" if exact else result.score_max]
    for gate in rs.gates:
        ind = result.indicator(gate.code)
        out += [_cell(ind.value), ELIGIBLE[ind.passed]]
    for spec in rs.indicators:
        ind = result.indicator(spec.code)
        band = ind.band if ind.band_max in (None, ind.band) else f"{ind.band}–{ind.band_max}"
        out += [_cell(ind.value), band or "", _points(ind)]
    out += ["；".join(f.message for f in result.failed), "；".join(p.message for p in result.pending),
            "；".join(g.message for g in result.gaps)]
    return [safe(v) for v in out]


def to_json(results: list[Result]) -> str:
    return json.dumps([r.to_json() for r in results], ensure_ascii=False, indent=2)


def to_csv(rs: RuleSet, results: list[Result]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(headers(rs))
    writer.writerows(row(rs, r) for r in results)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(rs: RuleSet, results: list[Result]) -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False})
    sheet = book.add_worksheet(rs.code[:31])
    bold = book.add_format({"bold": True, "bg_color": "#E7F3EF", "text_wrap": True, "valign": "top"})
    text = book.add_format({"num_format": "@"})
    sheet.write_row(0, 0, headers(rs), bold)
    for i, values in enumerate((row(rs, r) for r in results), start=1):
        for j, value in enumerate(values):
            sheet.write_string(i, j, str(value), text) if isinstance(value, str) else sheet.write(i, j, value)
    sheet.freeze_panes(1, 2)
    sheet.set_column(0, 0, 22)
    sheet.set_column(1, 1, 30)
    sheet.set_column(2, len(headers(rs)) - 1, 14)
    book.close()
    return buffer.getvalue()


def render(fmt: str, rs: RuleSet, results: list[Result]) -> bytes:
    if fmt == "json":
        return to_json(results).encode("utf-8")
    if fmt == "csv":
        return to_csv(rs, results)
    return to_xlsx(rs, results)
