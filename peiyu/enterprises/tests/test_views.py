import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from peiyu.core.choices import Role
from peiyu.core.testing import make_enterprise, make_user, make_year
from peiyu.enterprises.models import Enterprise, EnterpriseYear, Qualification

pytestmark = pytest.mark.django_db


@pytest.fixture
def bureau(client_for, users):
    return client_for(users["bureau"])


def names(response):
    return [e.name for e in response.context["object_list"]]


def test_search_by_pinyin_initials_name_and_code(bureau, enterprises):
    assert names(bureau.get("/enterprises/?q=hdkj")) == ["华东科技有限公司"]
    assert names(bureau.get("/enterprises/?q=丰年")) == ["丰年电子有限公司"]
    assert names(bureau.get(f"/enterprises/?q={enterprises['b'].uscc}")) == ["丰年电子有限公司"]


def test_filters_by_band_stage_year_and_unit(bureau, enterprises, units):
    make_year(enterprises["a"], 2023, revenue=Decimal("9999.9999"))
    make_year(enterprises["a"], 2024, revenue=Decimal("10000"))
    make_year(enterprises["b"], 2024, revenue=Decimal("499"))
    assert names(bureau.get("/enterprises/?band=3")) == ["华东科技有限公司"]  # latest year 2024
    assert names(bureau.get("/enterprises/?band=2&year=2023")) == ["华东科技有限公司"]
    assert names(bureau.get("/enterprises/?stage=1")) == ["丰年电子有限公司"]
    assert names(bureau.get(f"/enterprises/?unit={units['town_b'].pk}")) == ["丰年电子有限公司"]
    assert sorted(names(bureau.get(f"/enterprises/?unit={units['district'].pk}"))) == ["丰年电子有限公司", "华东科技有限公司"]


def test_filters_by_qualification_section_and_field(bureau, enterprises):
    Qualification.objects.create(enterprise=enterprises["b"], kind="hitech", granted_on=datetime.date.today())
    Qualification.objects.create(enterprise=enterprises["a"], kind="hitech", granted_on=datetime.date(2015, 1, 1))  # expired
    enterprises["a"].industry_code, enterprises["a"].hitech_field = "6513", "1"
    enterprises["a"].save()
    assert names(bureau.get("/enterprises/?qualification=hitech")) == ["丰年电子有限公司"]
    assert names(bureau.get("/enterprises/?industry_section=I")) == ["华东科技有限公司"]
    assert names(bureau.get("/enterprises/?hitech_field=1")) == ["华东科技有限公司"]


def test_sorting_by_revenue_puts_missing_figures_last(bureau, enterprises, units):
    c = make_enterprise(units["town_a"], "创新材料有限公司")
    make_year(enterprises["a"], 2024, revenue=Decimal("800"))
    make_year(c, 2024, revenue=Decimal("5000"))
    assert names(bureau.get("/enterprises/?sort=-revenue")) == ["创新材料有限公司", "华东科技有限公司", "丰年电子有限公司"]
    assert names(bureau.get("/enterprises/?sort=revenue")) == ["华东科技有限公司", "创新材料有限公司", "丰年电子有限公司"]
    assert names(bureau.get("/enterprises/?sort=nonsense"))[0] == "丰年电子有限公司"  # falls back to name order


def test_list_query_count_does_not_grow_with_rows(bureau, units):
    def count_queries():
        with CaptureQueriesContext(connection) as ctx:
            assert bureau.get("/enterprises/").status_code == 200
        return len(ctx)

    for i in range(3):
        e = make_enterprise(units["town_a"], f"企业{i}")
        make_year(e)
        Qualification.objects.create(enterprise=e, kind="tech_sme", granted_on=datetime.date.today())
    few = count_queries()
    for i in range(30):
        e = make_enterprise(units["town_b"], f"另一企业{i}")
        make_year(e)
        Qualification.objects.create(enterprise=e, kind="tech_sme", granted_on=datetime.date.today())
    assert count_queries() == few <= 13  # 12 for the list, 1 for the notification bell


def test_pagination(bureau, units):
    Enterprise.objects.bulk_create(
        [Enterprise(uscc=f"X{i:017d}", name=f"企业{i:03d}", unit=units["town_a"]) for i in range(120)]
    )
    page = bureau.get("/enterprises/?page=3")
    assert page.context["page_obj"].paginator.count == 120 and len(names(page)) == 20


def test_detail_shows_years_qualifications_and_history(bureau, enterprises):
    e = enterprises["a"]
    make_year(e, 2024, revenue=Decimal("12345.6789"))
    page = bureau.get(f"/enterprises/{e.pk}/").content.decode()
    assert "12,345.68" in page and e.uscc in page and "trend-data" in page


def test_create_enterprise_normalises_the_code_and_explains_errors_in_chinese(bureau, units):
    bad = bureau.post("/enterprises/new/", {"uscc": "91512081MA62K0260F", "name": "新企业", "unit": units["town_a"].pk, "status": "active"})
    assert bad.status_code == 200
    assert "校验" in bad.content.decode() and "E" in bad.context["form"].errors["uscc"][0]
    ok = bureau.post("/enterprises/new/", {"uscc": " 91512081ma62k0260e ", "name": "新企业", "unit": units["town_a"].pk, "status": "active"})
    assert ok.status_code == 302
    assert Enterprise.objects.get(name="新企业").uscc == "91512081MA62K0260E"


def test_duplicate_credit_code_is_refused(bureau, enterprises, units):
    response = bureau.post("/enterprises/new/", {"uscc": enterprises["a"].uscc, "name": "重复", "unit": units["town_a"].pk, "status": "active"})
    assert response.status_code == 200 and "uscc" in response.context["form"].errors


def test_year_form_refuses_impossible_figures_and_duplicates(bureau, enterprises):
    e = enterprises["a"]
    make_year(e, 2023)
    url = f"/enterprises/{e.pk}/years/new/"
    response = bureau.post(url, {"year": 2024, "employees": 10, "tech_staff": 12, "rd_institution_level": 0})
    assert response.status_code == 200 and "tech_staff" in response.context["form"].errors
    response = bureau.post(url, {"year": 2023, "rd_institution_level": 0})
    assert "year" in response.context["form"].errors
    response = bureau.post(url, {"year": 2024, "revenue": "1500.25", "employees": 10, "tech_staff": 3, "rd_institution_level": 2})
    assert response.status_code == 302
    y = EnterpriseYear.objects.get(enterprise=e, year=2024)
    assert y.revenue == Decimal("1500.25") and y.stage == 2


def test_enterprise_user_edits_only_self_service_fields(client_for, users, enterprises, units):
    client = client_for(users["ent_a"])
    e = enterprises["a"]
    form = client.get(f"/enterprises/{e.pk}/edit/").context["form"]
    assert "uscc" not in form.fields and "unit" not in form.fields and "contact_phone" in form.fields
    client.post(f"/enterprises/{e.pk}/edit/", {"contact_phone": "13900000000", "unit": units["town_b"].pk})
    e.refresh_from_db()
    assert e.contact_phone == "13900000000" and e.unit == units["town_a"]


def test_dashboard_counts(bureau, enterprises):
    make_year(enterprises["a"], 2024, revenue=Decimal("10000"))
    make_year(enterprises["b"], 2024, revenue=Decimal("300"))
    Qualification.objects.create(enterprise=enterprises["a"], kind="hitech", granted_on=datetime.date(2024, 6, 1))
    ctx = bureau.get("/").context
    assert ctx["year"] == 2024 and ctx["enterprise_count"] == 2
    assert [n for _label, n in ctx["stage_counts"]] == [1, 0, 1]
    assert [n for _label, n in ctx["band_counts"]] == [1, 0, 1, 0, 0]
    assert dict(ctx["qualification_counts"])["高新技术企业"] == 1


def test_dashboard_of_a_town_counts_only_the_town(client_for, users, enterprises):
    make_year(enterprises["a"], 2024)
    make_year(enterprises["b"], 2024)
    ctx = client_for(users["town_a"]).get("/").context
    assert ctx["enterprise_count"] == 1 and ctx["totals"]["n"] == 1


def test_enterprise_user_lands_on_their_enterprise(client_for, users, enterprises):
    response = client_for(users["ent_a"]).get("/")
    assert response.status_code == 302 and response.url == f"/enterprises/{enterprises['a'].pk}/"


def test_english_is_available(bureau, enterprises):
    bureau.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert "Enterprise library" in bureau.get("/enterprises/").content.decode()
    bureau.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    assert "企业库" in bureau.get("/enterprises/").content.decode()


def test_dashboard_follows_changes_despite_its_cache(bureau, enterprises):
    y = make_year(enterprises["a"], 2024, revenue=Decimal("300"))
    assert [n for _label, n in bureau.get("/").context["stage_counts"]] == [1, 0, 0]
    y.revenue = Decimal("20000")
    y.save()
    assert [n for _label, n in bureau.get("/").context["stage_counts"]] == [0, 0, 1]


def test_bureau_links_an_enterprise_account(bureau, client_for, users, enterprises, units):
    e = enterprises["b"]
    account = make_user("ent_b", Role.ENTERPRISE, units["town_b"])
    response = bureau.post(f"/enterprises/{e.pk}/edit/", {
        "uscc": e.uscc, "name": e.name, "unit": e.unit_id, "status": "active", "accounts": [account.pk],
    })
    assert response.status_code == 302
    assert client_for(account).get(f"/enterprises/{e.pk}/").status_code == 200


def test_forms_show_amounts_without_padding_zeros(bureau, enterprises):
    y = make_year(enterprises["a"], 2024, revenue=Decimal("1500.2500"), rd_expense=Decimal("100"))
    form = bureau.get(f"/enterprises/years/{y.pk}/edit/").context["form"]
    assert form["revenue"].value() == "1500.25" and form["rd_expense"].value() == "100"
