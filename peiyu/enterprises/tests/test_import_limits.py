"""Values beyond what the database can store and ugly files (issue 7 points 14, 17, 24): each is a
Chinese error naming the row, column and value, never infinity stored or a raw Python message.
Messages are compared in Chinese, the interface default, unless a test says otherwise."""

import io
import zipfile

import pytest
from django.core.management import call_command
from django.utils import translation

from peiyu.core.spreadsheets import SpreadsheetError, read_file
from peiyu.core.spreadsheets.limits import field_limit
from peiyu.core.testing import make_uscc
from peiyu.enterprises.importing import ImportOptions, run_import
from peiyu.enterprises.models import Enterprise, EnterpriseYear
from peiyu.enterprises.tests.test_import import HEAD, years_file

CSV_HEAD = ",".join(HEAD)


def csv(*rows) -> bytes:
    return "\n".join([CSV_HEAD, *(",".join(str(c) for c in row) for row in rows)]).encode()


def run(data, user, name="t.csv", **options):
    return run_import(data, name, ImportOptions(user=user, dry_run=False, **options))


@pytest.mark.parametrize(("cells", "column", "expected"), [
    (["1e309", 1, 1, 1, 1], "营业收入(万元)", "远超可保存的任何金额或数量"),
    (["1e20", 1, 1, 1, 1], "营业收入(万元)", "过大，最多只能保存 99,999,999,999.9999 万元"),
    ([1, 1, 1, "99999999999", 1], "职工总数(人)", "过大，最多只能保存 2,147,483,647"),
    ([1, 1, 1, "1e30", 1], "职工总数(人)", "过大，最多只能保存 2,147,483,647"),
])
def test_numbers_beyond_the_fields_are_row_errors(users, units, cells, column, expected):
    code = make_uscc()
    report = run(csv([code, "新公司", 2024, "张贵庄街道", *cells]), users["bureau"])
    [problem] = report.errors
    assert (problem.row, problem.column, problem.message) == (2, column, expected)
    assert not EnterpriseYear.objects.exists()


def test_limits_come_from_the_model_fields():
    revenue = EnterpriseYear._meta.get_field("revenue")
    assert field_limit(revenue, money=True).high == 10**15 - 1  # whole yuan = 4 decimals of 万元, 15 digits exact on SQLite too
    assert field_limit(EnterpriseYear._meta.get_field("employees")).high == 2**31 - 1
    assert field_limit(Enterprise._meta.get_field("name")).max_length == 200


def test_an_over_long_name_is_refused_with_its_length(users, units):
    report = run(csv([make_uscc(), "长" * 32767, 2024, "张贵庄街道", 1, 1, 1, 1, 1]), users["bureau"])
    assert [p.message for p in report.errors][0] == "长 32,767 个字符，最多只能容纳 200 个"
    assert len(report.errors[0].value) <= 200 and not Enterprise.objects.exists()


def test_an_infinite_float_cell_in_xlsx_is_an_error_not_a_crash(users, units):
    """calamine reads <v>1e309</v> as float infinity; the money fast path raised OverflowError."""
    data = years_file([make_uscc(), "新公司", 2024, "张贵庄街道", 777.5, 1.0, 1.0, 1, 1])
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            target.writestr(info, source.read(info).replace(b"<v>777.5</v>", b"<v>1e309</v>"))
    report = run(out.getvalue(), users["bureau"], "t.xlsx")
    [problem] = report.errors
    assert (problem.column, problem.message) == ("营业收入(万元)", "不是有限的数字")
    assert not EnterpriseYear.objects.exists()


def test_values_that_fit_on_the_edge_are_written(users, units):
    code = make_uscc()
    report = run(csv([code, "边界公司", 2024, "张贵庄街道", "99999999999.9999", 1, 1, 2147483647, 1]), users["bureau"])
    assert not report.errors
    assert EnterpriseYear.objects.get().employees == 2147483647


def test_a_damaged_deflate_stream_is_a_clear_error():
    """A zip whose compressed worksheet is corrupt raised zlib.error, shown to users raw."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", "<worksheet>" + "<row r='1'><c><v>1</v></c></row>" * 5000 + "</worksheet>")
    data = bytearray(buffer.getvalue())
    start = data.index(b"xl/worksheets/sheet1.xml") + len("xl/worksheets/sheet1.xml") + 40
    data[start : start + 200] = b"\xff" * 200
    with translation.override("en"), pytest.raises(SpreadsheetError) as caught:
        read_file(bytes(data), "x.xlsx")
    assert "damaged" in caught.value.message


def test_a_csv_cell_over_the_field_limit_is_a_clear_error():
    data = ("统一社会信用代码,企业名称\n" + "91120110MA05T8XK0X,\"" + "x" * 200_000 + "\"\n").encode()
    with translation.override("en"), pytest.raises(SpreadsheetError) as caught:
        read_file(data, "x.csv")
    assert "more than 131,072 characters" in caught.value.message and "field limit" not in caught.value.message


def test_an_unexpected_failure_in_a_job_shows_no_python_text(users):
    from peiyu.core import jobs
    from peiyu.core.jobs import kinds

    @jobs.kind("test-type-error", "boom")
    def work(job, progress):
        raise TypeError("unsupported operand type(s) for +: 'int' and 'str'")

    try:
        with translation.override("zh-hans"):
            job = jobs.start("test-type-error", users["bureau"], {})
        job.refresh_from_db()
    finally:
        kinds.KINDS.pop("test-type-error")
    assert job.state == "failed" and "operand" not in job.error and "未写入" in job.error


def test_the_command_reads_a_local_file_beyond_the_upload_limits(tmp_path, settings, units):
    """Upload limits protect the server; a file on the user's own disk has none (issue 7 point 14)."""
    settings.PEIYU_UPLOAD_MAX_BYTES = 2000
    settings.PEIYU_IMPORT_MAX_ROWS = 50
    rows = [[make_uscc(), f"公司{n}", 2024, "张贵庄街道", 1, 1, 1, 1, 1] for n in range(120)]
    path = tmp_path / "big.csv"
    path.write_bytes(csv(*rows))
    assert path.stat().st_size > 2000
    with pytest.raises(SpreadsheetError):
        read_file(path, "big.csv")  # as an upload: refused
    call_command("import", str(path))
    assert Enterprise.objects.count() == 120


def test_a_gb18030_csv_is_streamed_and_read(tmp_path, users, units):
    path = tmp_path / "gbk.csv"
    path.write_bytes(csv([make_uscc(), "国标编码公司", 2024, "张贵庄街道", 1, 1, 1, 1, 1]).decode().encode("gb18030"))
    [sheet] = read_file(path, "gbk.csv")
    assert sheet.rows[1][1] == "国标编码公司"
