"""Values the form, the API and the import refuse alike (issue 7, point 3)."""

import datetime

import pytest

from peiyu.core.models import ApiToken
from peiyu.core.testing import make_enterprise
from peiyu.enterprises.industries import industry_code_error, industry_name
from peiyu.enterprises.models import Enterprise, EnterpriseYear
from peiyu.enterprises.validators import enterprise_errors

pytestmark = pytest.mark.django_db

NEW = {"uscc": "91512081MA62K0260E", "name": "新企业", "status": "active"}


@pytest.fixture
def bureau(client_for, users):
    return client_for(users["bureau"])


def post_new(client, units, **fields):
    return client.post("/enterprises/new/", {**NEW, "unit": units["town_a"].pk, **fields})


@pytest.mark.parametrize("code", ["9999", "99", "3999", "I3841", "12a4"])
def test_codes_outside_gbt4754_are_refused(code):
    assert industry_code_error(code)


@pytest.mark.parametrize("code, name", [("3841", "锂离子电池制造"), ("C3976", "光电子器件制造"), ("6513", "应用软件开发"), ("34", "通用设备制造业")])
def test_real_codes_pass_and_have_names(code, name):
    assert industry_code_error(code) is None and industry_name(code) == name


def test_form_refuses_industry_9999_and_shows_the_name_of_a_real_one(bureau, units):
    response = post_new(bureau, units, industry_code="9999")
    assert response.status_code == 200 and "没有 99 大类" in response.context["form"].errors["industry_code"][0]
    assert post_new(bureau, units, industry_code="C3841").status_code == 302
    e = Enterprise.objects.get(name="新企业")
    assert e.industry_code == "3841"
    assert "锂离子电池制造" in bureau.get(e.get_absolute_url()).content.decode()


def test_form_refuses_a_short_phone_and_a_future_founding_date(bureau, units):
    tomorrow = datetime.date.today() + datetime.timedelta(days=1)
    errors = post_new(bureau, units, contact_phone="12345", established=tomorrow.isoformat()).context["form"].errors
    assert "手机号" in errors["contact_phone"][0] and "未来" in errors["established"][0]
    assert post_new(bureau, units, contact_phone="022-84371234", established="2001-05-01").status_code == 302


def test_net_assets_above_total_assets_are_refused(bureau, enterprises):
    url = f"/enterprises/{enterprises['a'].pk}/years/new/"
    response = bureau.post(url, {"year": 2024, "net_assets": 200, "total_assets": 100, "rd_institution_level": 0})
    assert "净资产" in response.context["form"].errors["net_assets"][0]
    assert not EnterpriseYear.objects.filter(enterprise=enterprises["a"]).exists()


def test_the_api_refuses_the_same_values(client, users, enterprises):
    _token, key = ApiToken.objects.issue(users["bureau"])
    auth = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    url = f"/api/enterprises/{enterprises['a'].pk}"
    for body in ({"industry_code": "9999"}, {"contact_phone": "12345"}, {"established": "2999-01-01"}):
        assert client.patch(url, body, content_type="application/json", **auth).status_code == 422
    year = {"enterprise": enterprises["a"].pk, "year": 2024, "net_assets": "200", "total_assets": "100"}
    assert client.post("/api/enterprise-years", year, content_type="application/json", **auth).status_code == 422


def test_importers_get_the_same_checks_as_one_function():
    errors = enterprise_errors({"industry_code": "9999", "contact_phone": "12345", "established": datetime.date(2999, 1, 1)})
    assert set(errors) == {"industry_code", "contact_phone", "established"}
    assert enterprise_errors({"industry_code": "3841", "contact_phone": "13812345678", "established": datetime.date(2001, 1, 1)}) == {}


def test_a_duplicate_credit_code_names_the_enterprise_with_a_link(bureau, enterprises, units):
    a = enterprises["a"]
    error = post_new(bureau, units, uscc=a.uscc).context["form"].errors["uscc"][0]
    assert a.name in error and f'href="{a.get_absolute_url()}"' in error


def test_a_duplicate_outside_the_users_scope_is_not_named(client_for, users, enterprises, units):
    b = enterprises["b"]  # town B, not visible to town A's official
    error = post_new(client_for(users["town_a"]), units, uscc=b.uscc).context["form"].errors["uscc"][0]
    assert b.name not in error and "辖区以外" in error


def test_a_duplicate_of_a_deleted_enterprise_says_to_restore_it(bureau, units):
    gone = make_enterprise(units["town_a"], "已注销科技有限公司")
    gone.soft_delete()
    error = post_new(bureau, units, uscc=gone.uscc).context["form"].errors["uscc"][0]
    assert gone.name in error and "恢复" in error
