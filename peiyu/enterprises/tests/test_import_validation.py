"""Imports refuse what the enterprise form and the API refuse (issue 7, point 3): an industry code
that is not in GB/T 4754-2017, a phone number one cannot call, a founding date in the future and net
assets above total assets, each as a row error naming the row, column, value and what was expected,
with nothing of a refused row written."""

import datetime
import io

import pytest
import xlsxwriter

from peiyu.core.models import ImportBatch
from peiyu.core.testing import make_uscc
from peiyu.enterprises.importing import ImportOptions, run_import
from peiyu.enterprises.models import Enterprise, EnterpriseYear

pytestmark = pytest.mark.django_db

HEAD = ["统一社会信用代码", "企业名称", "年度", "所属单位", "行业代码", "联系电话", "成立日期", "资产总额(万元)", "净资产(万元)"]


def years_file(*rows):
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = workbook.add_worksheet("年度指标")
    for r, row in enumerate([["2024年科技企业年度指标(单位:万元)"], HEAD, *rows]):
        for c, value in enumerate(row):
            if value is not None:
                sheet.write_string(r, c, value) if isinstance(value, str) else sheet.write(r, c, value)
    workbook.close()
    return buffer.getvalue()


def row(name, industry="3823", phone="13812345678", established="2015-06-01", assets=1000, net=400, uscc=None):
    return [uscc or make_uscc(), name, 2024, "张贵庄街道", industry, phone, established, assets, net]


def run(data, user, **options):
    return run_import(data, "t.xlsx", ImportOptions(user=user, **options))


def errors_by_row(report):
    return {p.row: (p.column, p.value, p.message) for p in report.errors}


@pytest.fixture
def bureau(users, units):
    return users["bureau"]


def test_ugly_rows_are_refused_with_the_forms_words_and_written_nowhere(bureau):
    tomorrow = (datetime.date.today() + datetime.timedelta(days=1)).isoformat()
    data = years_file(
        row("好企业"),
        row("九九企业", industry="9999"),
        row("一二企业", industry="1234"),
        row("短号企业", phone="12345"),
        row("未来企业", established=tomorrow),
        row("倒挂企业", assets=100, net=200),
    )
    enterprises, years = Enterprise.objects.count(), EnterpriseYear.objects.count()
    report = run(data, bureau, dry_run=False)
    assert [(r.row, r.status) for r in report.rows] == [(3, "new"), (4, "error"), (5, "error"), (6, "error"), (7, "error"), (8, "error")]
    errors = errors_by_row(report)
    assert errors[4][:2] == ("行业代码", "9999") and "没有 99 大类" in errors[4][2]
    assert errors[5][:2] == ("行业代码", "1234") and "12 大类（其他采矿业）下没有 123 中类" in errors[5][2]
    assert errors[6][:2] == ("联系电话", "12345") and "手机号" in errors[6][2]
    assert errors[7][:2] == ("成立日期", tomorrow) and "未来" in errors[7][2]
    assert errors[8] == ("净资产(万元)", "200", "净资产(万元)（200）不能超过资产总额(万元)（100）")
    assert report.rows[1].messages[-1] == "“行业代码”列 值“9999”：9999 不是 GB/T 4754-2017 行业代码：没有 99 大类（大类代码为 01—97）。"
    # Only the good row was written: the enterprise, its year, and nothing of the refused rows.
    assert Enterprise.objects.count() == enterprises + 1 and EnterpriseYear.objects.count() == years + 1
    good = Enterprise.objects.get(name="好企业")
    assert (good.industry_code, good.industry_name, good.contact_phone) == ("3823", "配电开关控制设备制造", "13812345678")
    assert not Enterprise.objects.filter(name__in=["九九企业", "一二企业", "短号企业", "未来企业", "倒挂企业"]).exists()


def test_strict_mode_writes_nothing_when_one_row_has_a_bad_industry_code(bureau):
    data = years_file(row("好企业"), row("九九企业", industry="C9999"))
    enterprises = Enterprise.objects.count()
    report = run(data, bureau, dry_run=False, strict=True)
    assert report.failed and not report.written
    assert Enterprise.objects.count() == enterprises and not ImportBatch.objects.exists()


def test_an_existing_enterprise_cannot_be_changed_to_an_invalid_code(bureau, enterprises):
    a = enterprises["a"]
    a.industry_code = "6513"
    a.save()
    report = run(years_file(row(a.name, industry="6599X", uscc=a.uscc), row(a.name, industry="6518", uscc=a.uscc)), bureau, dry_run=False)
    assert {r.status for r in report.rows} == {"error"}
    errors = errors_by_row(report)
    assert errors[3] == ("行业代码", "6599X", "行业代码为 2—4 位数字（前面可加门类字母），如 3841 或 C3841。")
    assert errors[4][2] == "6518 不是 GB/T 4754-2017 行业小类：651 中类（软件开发）的小类为 6511、6512、6513、6519。"
    a.refresh_from_db()
    assert a.industry_code == "6513"


def test_valid_codes_at_every_level_and_with_the_section_letter_are_accepted(bureau):
    data = years_file(row("门类字母企业", industry="I6513"), row("中类企业", industry="732"), row("大类企业", industry="38"))
    report = run(data, bureau, dry_run=False)
    assert [r.status for r in report.rows] == ["new", "new", "new"]
    # Stored without the section letter, as the form stores it; the section is derived.
    stored = {e.name: (e.industry_section, e.industry_code, e.industry_name) for e in Enterprise.objects.filter(name__endswith="企业")}
    assert stored["门类字母企业"] == ("I", "6513", "应用软件开发")
    assert stored["中类企业"] == ("M", "732", "工程和技术研究和试验发展")
    assert stored["大类企业"] == ("C", "38", "电气机械和器材制造业")
    # Re-importing the code with its letter changes nothing.
    assert [r.status for r in run(data, bureau).rows] == ["unchanged", "unchanged", "unchanged"]
