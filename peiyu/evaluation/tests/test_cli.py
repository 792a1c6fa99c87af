"""`peiyu evaluate` on files: no database, the template's headers and synonyms, several rows per
enterprise, JSON / CSV / xlsx output as issue 4 specifies, bad rows reported with row numbers."""

import io
import json

import pytest
import python_calamine
import xlsxwriter
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from peiyu.core.codes import uscc_check_char


def code(n: int) -> str:
    body = f"91120110MA{n:07d}"
    return body + uscc_check_char(body)


HEADER = ["统一社会信用代码", "企业名称", "年度", "营业收入(万元)", "研发费用(万元)", "境内研发费用(万元)", "成本费用总额(万元)",
          "职工总数(人)", "科技人员数(人)", "资产总额(万元)", "净资产(万元)", "高新技术产品(服务)收入(万元)", "有效发明专利(件)",
          "有效实用新型专利(件)", "成立日期", "技术领域", "高新技术企业证书有效(是/否)", "知识产权专家评分", "研发组织管理评分", "科技成果转化(项)"]


def rows():
    """T1, T2 and T4 of RULES.md §W as 2024 rows, plus two earlier years for the first firm."""
    return [
        [code(1), "甲公司", 2022, 3000, 300, 300, 2800, 90, 27, 900, 1000, 2100, 1, 0, "2015-03-01", "电子信息", "否", 26, 16, 12],
        [code(1), "甲公司", 2023, 4000, 400, 400, 3500, 95, 28, 950, 1300, 2800, 1, 0, "2015-03-01", "电子信息", "否", 26, 16, 12],
        [code(1), "甲公司", 2024, 5000, 300, 300, 4000, 100, 30, 1000, 1690, 3500, 1, 0, "2015-03-01", "电子信息", "否", 26, 16, 12],
        [code(2), "乙公司", 2024, 5000, "299.5", "", 4500, 100, 29, 1000, "", "", 0, 3, "", "", "", "", "", ""],
        [code(3), "丙公司", 2024, 5000, 500, "", "", 100, 9, 1000, "", "", 2, 0, "", "", "", "", "", ""],
    ]


def write_csv(path, data, encoding="utf-8-sig", title=True):
    lines = (["企业年度数据", "单位：万元"] if title else []) + [",".join(str(c) for c in r) for r in [HEADER, *data]]
    path.write_bytes(("\n".join(lines) + "\n").encode(encoding))
    return path


def write_xlsx(path, data):
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("数据")
    sheet.write_row(0, 0, ["企业年度数据（单位：万元）"])
    sheet.write_row(2, 0, HEADER)
    for i, r in enumerate(data, start=3):
        sheet.write_row(i, 0, r)
    book.close()
    return path


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("evaluate", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_json_output_on_csv_without_database(tmp_path):
    src = write_csv(tmp_path / "in.csv", rows())
    run("--rules", "tech-sme-2017", str(src), "--out", str(tmp_path / "out.json"))
    results = {r["uscc"]: r for r in json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))}
    t1, t2, t4 = results[code(1)], results[code(2)], results[code(3)]
    assert (t1["eligible"], t1["route"], t1["score"], t1["year"]) == (True, "score", 100, 2024)
    assert (t2["eligible"], t2["score"]) == (True, 74)
    assert (t4["eligible"], t4["route"], t4["score"]) == (False, None, 80)
    indicators = {i["code"]: i for i in t2["indicators"]}
    assert {"tech_staff", "rd_input", "ip"} <= set(indicators)
    assert (indicators["rd_input"]["value"], indicators["rd_input"]["band"], indicators["rd_input"]["points"]) == ("0.0599", "B", 40)
    assert t4["failed"][0]["code"] == "min_points.tech_staff"
    assert t4["gaps"] == [{"code": "tech_staff", "message": "科技人员还需增加 1 人", "amount": "1", "unit": "人", "changes": {"0.tech_staff": "1"}}]
    for key in ("uscc", "name", "year", "ruleset", "eligible", "route", "indicators", "failed", "gaps"):
        assert key in t1


def test_hitech_reads_several_rows_per_enterprise(tmp_path):
    src = write_xlsx(tmp_path / "in.xlsx", rows())
    run("--rules", "hitech-2016", str(src), "--out", str(tmp_path / "out.json"))
    first = next(r for r in json.loads((tmp_path / "out.json").read_text(encoding="utf-8")) if r["uscc"] == code(1))
    indicators = {i["code"]: i for i in first["indicators"]}
    for name in ("tech_staff_ratio", "rd_ratio_3y", "domestic_rd_share", "hitech_revenue_share", "registered_years",
                 "net_asset_growth", "sales_growth"):
        assert name in indicators
    assert indicators["rd_ratio_3y"]["value"] == "0.083333"  # 1000 / 12000
    assert indicators["net_asset_growth"]["value"] == "0.3"  # G1
    assert (first["eligible"], first["route"]) == (True, "score")
    assert "score_min" in first and "score_max" in first


def test_pending_expert_scores_give_null(tmp_path):
    data = rows()
    for r in data:
        r[17:20] = ["", "", ""]
    src = write_csv(tmp_path / "in.csv", data)
    run("--rules", "hitech-2016", str(src), "--year", "2024", "--out", str(tmp_path / "out.json"))
    first = next(r for r in json.loads((tmp_path / "out.json").read_text(encoding="utf-8")) if r["uscc"] == code(1))
    assert first["eligible"] is None and first["route"] is None
    assert first["score_min"] < first["score_max"]


def test_gb18030_csv_and_csv_output(tmp_path):
    src = write_csv(tmp_path / "in.csv", rows()[3:], encoding="gb18030", title=False)
    run("--rules", "tech-sme-2017", str(src), "--format", "csv", "--out", str(tmp_path / "out.csv"))
    text = (tmp_path / "out.csv").read_bytes().decode("utf-8")
    assert text.startswith("\ufeff统一社会信用代码,企业名称,年度,评价规则")
    assert "科技人员还需增加 1 人" in text and ",是,评分,74," in text


def test_xlsx_output_has_chinese_headers(tmp_path):
    src = write_csv(tmp_path / "in.csv", rows())
    run("--rules", "tech-sme-2022", str(src), "--out", str(tmp_path / "out.xlsx"))
    sheet = python_calamine.CalamineWorkbook.from_path(str(tmp_path / "out.xlsx")).get_sheet_by_index(0).to_python()
    assert sheet[0][:6] == ["统一社会信用代码", "企业名称", "年度", "评价规则", "规则版本", "是否符合"]
    by_code = {r[0]: r for r in sheet[1:]}
    assert by_code[code(2)][5] == "是" and by_code[code(3)][5] == "否"


def test_bad_rows_are_reported_with_row_numbers_and_exit_code(tmp_path):
    data = rows()[3:] + [
        [code(9)[:-1] + "0", "坏码公司", 2024, 100, 1, "", "", 10, 1, 100, "", "", 0, 0, "", "", "", "", "", ""],
        [code(8), "超员公司", 2024, 100, 1, "", "", 10, 20, 100, "", "", 0, 0, "", "", "", "", "", ""],
        [code(7), "负数公司", 2024, -5, 1, "", "", 10, 1, 100, "", "", 0, 0, "", "", "", "", "", ""],
        [code(2), "乙公司", 2024, 5000, 1, "", "", 10, 1, 100, "", "", 0, 0, "", "", "", "", "", ""],
    ]
    src = write_csv(tmp_path / "in.csv", data)
    with pytest.raises(CommandError) as raised:
        run("--rules", "tech-sme-2017", str(src), "--out", str(tmp_path / "out.json"))
    assert raised.value.returncode == 2
    results = json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))
    assert sorted(r["uscc"] for r in results) == sorted([code(2), code(3)])


def test_bad_row_messages_name_the_rows(tmp_path, capsys):
    data = rows()[3:] + [[code(8), "超员公司", 2024, 100, 1, "", "", 10, 20, 100, "", "", 0, 0, "", "", "", "", "", ""]]
    src = write_csv(tmp_path / "in.csv", data)
    err = io.StringIO()
    with pytest.raises(CommandError), translation.override("en"):
        call_command("evaluate", "--rules", "tech-sme-2017", str(src), "--out", str(tmp_path / "o.json"), stderr=err)
    assert "row 6" in err.getvalue()  # title, unit line, header, two good rows, then the bad one


def test_not_a_spreadsheet_is_a_clean_error(tmp_path):
    bad = tmp_path / "x.xlsx"
    bad.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(CommandError):
        run("--rules", "tech-sme-2017", str(bad))


def test_unknown_rule_set(tmp_path):
    src = write_csv(tmp_path / "in.csv", rows())
    with pytest.raises(CommandError):
        run("--rules", "no-such-rules", str(src))


def test_local_file_has_no_upload_size_or_row_limit(tmp_path, settings):
    """Issue 7 point 14: a file on the user's own disk is not an upload; a CSV larger than the upload
    limit and with more rows than an import allows is evaluated in full."""
    settings.PEIYU_UPLOAD_MAX_BYTES = 1000
    settings.PEIYU_IMPORT_MAX_ROWS = 2
    data = [[code(n), f"企业{n}", 2024, 5000, 300, 300, 4000, 100, 30, 1000, 1690, 3500, 1, 0, "2015-03-01", "电子信息", "否", 26, 16, 12]
            for n in range(1, 41)]
    src = write_csv(tmp_path / "big.csv", data)
    assert src.stat().st_size > 1000
    _out, err = run("--rules", "tech-sme-2017", str(src), "--out", str(tmp_path / "out.json"))
    assert len(json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))) == 40
    assert "40 行" in err


def test_local_xlsx_keeps_the_zip_bomb_guard(tmp_path, settings):
    settings.PEIYU_IMPORT_MAX_UNPACKED_BYTES = 1000
    src = write_xlsx(tmp_path / "in.xlsx", rows())
    with pytest.raises(CommandError, match="MB"):
        run("--rules", "tech-sme-2017", str(src))


def test_tech_sme_gaps_come_from_the_batch_search(tmp_path, monkeypatch):
    """Issue 7 point 13: the file command searches tech-SME gaps in batch (the per-row search,
    50–150 ms a row, is never asked) and writes the same gaps the per-row engine gives."""
    from peiyu.evaluation import gaps

    src = write_csv(tmp_path / "in.csv", rows())
    run("--rules", "tech-sme-2017", str(src), "--out", str(tmp_path / "per_row.json"))
    per_row = json.loads((tmp_path / "per_row.json").read_text(encoding="utf-8"))

    def refuse(*args, **kwargs):
        raise AssertionError("per-row gap search")

    monkeypatch.setattr(gaps, "find_plans", refuse)
    run("--rules", "tech-sme-2017", str(src), "--out", str(tmp_path / "batch.json"))
    batched = json.loads((tmp_path / "batch.json").read_text(encoding="utf-8"))
    assert batched == per_row
    assert {r["uscc"]: r["gaps"][0]["message"] for r in batched if r["gaps"]} == {code(3): "科技人员还需增加 1 人"}
