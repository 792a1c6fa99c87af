"""`peiyu import` and `peiyu export`: options, JSON report, exit codes, round trip."""

import json

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from peiyu.core.models import ImportBatch
from peiyu.core.testing import make_uscc
from peiyu.enterprises.models import Enterprise, EnterpriseYear
from peiyu.enterprises.tests.test_import import years_file


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def test_import_dry_run_report_and_exit_code(tmp_path, enterprises):
    bad = enterprises["a"].uscc[:17] + ("0" if enterprises["a"].uscc[17] != "0" else "1")
    path = tmp_path / "towns.xlsx"
    path.write_bytes(years_file([make_uscc(), "甲公司", 2024, "张贵庄街道", 1, None, None, 1, 0], [bad, "乙", 2024, "张贵庄街道", 1, None, None, 1, 0]))
    report_path = tmp_path / "report.json"
    with pytest.raises(SystemExit) as exit_info:
        call_command("import", str(path), "--dry-run", "--report", str(report_path))
    assert exit_info.value.code == 1
    report = json.loads(report_path.read_text())
    assert report["counts"]["new"] == 1 and report["counts"]["error"] == 1 and not report["written"]
    [error] = report["errors"]
    assert {k: error[k] for k in ("sheet", "row", "column", "value")} == {"sheet": "年度指标", "row": 4, "column": "统一社会信用代码", "value": bad}
    assert error["message"].startswith("wrong check character")
    assert not ImportBatch.objects.exists()


def test_import_commit_strict_year_and_unit(tmp_path, units, users):
    path = tmp_path / "t.csv"
    path.write_text(f"统一社会信用代码,企业名称,营业收入(元)\n{make_uscc()},丙公司,\"5,000,000\"\n", encoding="gb18030")
    call_command("import", str(path), "--year", "2023", "--unit", "120110001", "--strict", "--user", "bureau")
    firm = Enterprise.objects.get(name="丙公司")
    assert firm.unit == units["town_a"] and EnterpriseYear.objects.get(enterprise=firm, year=2023).revenue == 500
    assert ImportBatch.objects.get().user == users["bureau"]


def test_import_unit_scopes_the_command(tmp_path, enterprises):
    path = tmp_path / "t.xlsx"
    path.write_bytes(years_file([enterprises["b"].uscc, "丰年电子有限公司", 2024, None, 1, None, None, 1, 0]))
    with pytest.raises(SystemExit):
        call_command("import", str(path), "--unit", "120110001")
    assert not EnterpriseYear.objects.exists()


def test_import_bad_arguments(tmp_path, db):
    with pytest.raises(CommandError):
        call_command("import", str(tmp_path / "missing.xlsx"))
    (tmp_path / "x.csv").write_text("a")
    with pytest.raises(CommandError):
        call_command("import", str(tmp_path / "x.csv"), "--unit", "nope")


def test_export_command_round_trips(tmp_path, enterprises):
    from peiyu.core.testing import make_year

    make_year(enterprises["a"], 2024)
    out = tmp_path / "all.xlsx"
    call_command("export", "--out", str(out), "--year", "2024", "--unit", "120110001")
    report_path = tmp_path / "r.json"
    call_command("import", str(out), "--dry-run", "--report", str(report_path))
    counts = json.loads(report_path.read_text())["counts"]
    assert counts["rows"] == 1 and counts["unchanged"] == 1
    call_command("export", "--out", str(tmp_path / "all.csv"))
    assert (tmp_path / "all.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    with pytest.raises(CommandError):
        call_command("export", "--out", str(tmp_path / "x.pdf"))
