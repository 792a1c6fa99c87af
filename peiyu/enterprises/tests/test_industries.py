"""The GB/T 4754-2017 code table is complete, and codes are checked against it at every level."""

import collections

import pytest

from peiyu.core.testing import make_enterprise
from peiyu.enterprises.industries import industry_code_error, industry_name, industry_table

LEVELS = {1: "sections", 2: "divisions", 3: "groups", 4: "classes"}


def test_the_table_has_every_section_division_group_and_class():
    counts = collections.Counter(LEVELS[len(code)] for code in industry_table())
    assert counts == {"sections": 20, "divisions": 97, "groups": 473, "classes": 1381}


def test_every_code_sits_under_an_existing_parent():
    names = industry_table()
    digits = [code for code in names if code.isdigit()]
    assert all(code[:-1] in names for code in digits if len(code) > 2)
    assert {code[:2] for code in digits} == {f"{n:02d}" for n in range(1, 98)}
    # A group with no subdivision has exactly one class, coded with a trailing 0 and named like it.
    for group in (code for code in digits if len(code) == 3):
        classes = [code for code in digits if len(code) == 4 and code.startswith(group)]
        assert classes, group
        if f"{group}0" in classes:
            assert classes == [f"{group}0"] and names[f"{group}0"] == names[group]


@pytest.mark.parametrize("code, name", [
    ("3823", "配电开关控制设备制造"), ("6513", "应用软件开发"), ("7320", "工程和技术研究和试验发展"),
    ("6311", "固定电信服务"), ("C3841", "锂离子电池制造"), ("0220", "造林和更新"), ("9700", "国际组织"),
    ("1200", "其他采矿业"), ("3240", "有色金属合金制造"), ("7869", "其他游览景区管理"), ("3963", "智能无人飞行器制造"),
    ("382", "输配电及控制设备制造"), ("65", "软件和信息技术服务业"), ("I6513", "应用软件开发"),
])
def test_known_codes_are_valid_and_named(code, name):
    assert industry_code_error(code) is None
    assert industry_name(code) == name


@pytest.mark.parametrize("code, expected", [
    ("9999", "没有 99 大类"),
    ("1234", "12 大类（其他采矿业）下没有 123 中类，应为以下中类之一：120"),
    ("3828", "382 中类（输配电及控制设备制造）的小类为 3821、3822、3823、3824、3825、3829"),
    ("3999", "399 中类（其他电子设备制造）的小类为 3990"),
    ("0221", "022 中类（造林和更新）的小类为 0220"),
    ("C6513", "65 大类（软件和信息技术服务业）属于 I 门类"),
    ("98", "没有 98 大类"),
    ("12345", "2—4 位数字"),
])
def test_codes_outside_the_standard_are_refused_naming_what_it_has(code, expected):
    error = industry_code_error(code)
    assert error and expected in error


@pytest.mark.django_db
def test_detail_names_the_class_and_flags_a_code_stored_before_checking(client_for, users, units):
    bureau = client_for(users["bureau"])
    good = make_enterprise(units["town_a"], industry_code="6513")
    page = bureau.get(good.get_absolute_url()).content.decode()
    assert "I6513" in page and "应用软件开发" in page
    legacy = make_enterprise(units["town_a"], name="旧数据企业", industry_code="1234")
    page = bureau.get(legacy.get_absolute_url()).content.decode()
    assert "不是 GB/T 4754-2017 行业代码，请更正" in page


@pytest.mark.django_db
def test_the_api_gives_the_industry_name_and_refuses_1234(client, users, enterprises):
    from peiyu.core.models import ApiToken

    _token, key = ApiToken.objects.issue(users["bureau"])
    auth = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    url = f"/api/enterprises/{enterprises['a'].pk}"
    response = client.patch(url, {"industry_code": "1234"}, content_type="application/json", **auth)
    assert response.status_code == 422 and "12 大类（其他采矿业）下没有 123 中类" in response.json()["detail"]
    response = client.patch(url, {"industry_code": "7320"}, content_type="application/json", **auth)
    assert response.status_code == 200
    body = client.get(url, **auth).json()
    assert (body["industry_code"], body["industry_name"]) == ("7320", "工程和技术研究和试验发展")


def test_every_demo_industry_is_a_class_of_the_standard():
    from peiyu.demo.industries import INDUSTRIES

    assert all(len(i.code) == 4 and industry_code_error(i.code) is None and industry_name(i.code) for i in INDUSTRIES)


@pytest.mark.django_db
def test_exports_name_the_industry_and_still_import_unchanged(client_for, users, units):
    import io

    import openpyxl

    from peiyu.enterprises.exporting import template_file
    from peiyu.enterprises.import_columns import YEARS
    from peiyu.enterprises.importing import ImportOptions, run_import

    make_enterprise(units["town_a"], "配电科技有限公司", industry_code="3823")
    from peiyu.enterprises.tests.test_export import download

    data = download(client_for(users["bureau"]), format="xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    headers = [c.value for c in sheet[2]]
    row = [c.value for c in sheet[3]]
    assert row[headers.index("行业代码")] == "3823" and row[headers.index("行业名称")] == "配电开关控制设备制造"
    report = run_import(data, "export.xlsx", ImportOptions(user=users["bureau"]))
    assert [r.status for r in report.rows] == ["unchanged"], report.errors
    # The blank import template has no name column: it is not something to fill in.
    template = openpyxl.load_workbook(template_file(YEARS)).active
    assert "行业代码" in [c.value for c in template[2]] and "行业名称" not in [c.value for c in template[2]]


@pytest.mark.django_db
def test_the_api_stores_a_code_without_its_section_letter(client, users, enterprises):
    from peiyu.core.models import ApiToken

    _token, key = ApiToken.objects.issue(users["bureau"])
    url = f"/api/enterprises/{enterprises['a'].pk}"
    response = client.patch(url, {"industry_code": "C3823"}, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 200
    assert (response.json()["industry_section"], response.json()["industry_code"]) == ("C", "3823")
