"""The list, dashboard, detail and form as a bureau user reads them (issue 7, points 2, 8, 9, 20)."""

import datetime
import re
from decimal import Decimal

import pytest

from peiyu.core.choices import Role, UnitKind
from peiyu.core.models import Unit
from peiyu.core.testing import make_enterprise, make_user, make_year
from peiyu.enterprises.models import Enterprise, Qualification

pytestmark = pytest.mark.django_db


@pytest.fixture
def bureau(client_for, users):
    return client_for(users["bureau"])


def html(response) -> str:
    return response.content.decode()


def options(page: str, name: str) -> list[str]:
    select = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', page, re.S).group(1)
    return [re.sub(r"<[^>]+>", "", o).strip("\n") for o in re.findall(r"<option[^>]*>(.*?)</option>", select, re.S)]


# point 2: one year per screen ----------------------------------------------------------------

def test_badges_and_qualification_filter_are_of_the_chosen_year(bureau, enterprises):
    a, b = enterprises["a"], enterprises["b"]
    make_year(a, 2015)
    make_year(a, 2024)
    Qualification.objects.create(enterprise=a, kind="hitech", granted_on=datetime.date(2014, 3, 1))  # to 2017-02-28
    Qualification.objects.create(enterprise=b, kind="hitech", granted_on=datetime.date(2023, 3, 1))
    old = bureau.get("/enterprises/?year=2015")
    assert [q.kind for q in {e.name: e for e in old.context["object_list"]}[a.name].current_quals] == ["hitech"]
    assert [e.name for e in bureau.get("/enterprises/?year=2015&qualification=hitech").context["object_list"]] == [a.name]
    assert [e.name for e in bureau.get("/enterprises/?year=2024&qualification=hitech").context["object_list"]] == [b.name]


def test_a_year_without_figures_says_so_and_offers_the_years_with_figures(bureau, enterprises):
    make_year(enterprises["a"], 2010)
    make_year(enterprises["a"], 2024)
    page = html(bureau.get("/enterprises/?year=2015"))
    assert "2015 年没有年度指标" in page and 'href="?year=2010"' in page
    assert options(page, "year") == ["2015", "2024", "2010"]


def test_dashboard_follows_the_year_and_counts_qualifications_in_force_then(bureau, enterprises):
    make_year(enterprises["a"], 2015, revenue=Decimal("20000"))
    make_year(enterprises["a"], 2024, revenue=Decimal("300"))
    Qualification.objects.create(enterprise=enterprises["a"], kind="hitech", granted_on=datetime.date(2014, 3, 1))
    old = bureau.get("/?year=2015")
    assert old.context["year"] == 2015 and dict(old.context["qualification_counts"])["高新技术企业"] == 1
    assert [n for _label, n in old.context["stage_counts"]] == [0, 0, 1]
    latest = bureau.get("/")
    assert latest.context["year"] == 2024 and dict(latest.context["qualification_counts"])["高新技术企业"] == 0
    page = html(old)
    assert options(page, "year") == ["2024", "2015"]
    assert 'href="/enterprises/?year=2015&amp;stage=3"' in page and 'href="/enterprises/?year=2015&amp;qualification=hitech"' in page
    assert "2016 年没有年度指标" in html(bureau.get("/?year=2016"))


def test_the_years_tab_shows_stage_and_band(bureau, enterprises):
    make_year(enterprises["a"], 2024, revenue=Decimal("20000"))
    page = html(bureau.get(enterprises["a"].get_absolute_url()))
    assert "壮大期" in page and "1亿" in page


def test_trend_charts_keep_gaps_between_years(bureau, enterprises):
    make_year(enterprises["a"], 2010, revenue=Decimal("100"))
    make_year(enterprises["a"], 2013, revenue=Decimal("400"))
    trend = bureau.get(enterprises["a"].get_absolute_url()).context["trend"]
    assert trend["years"] == [2010, 2011, 2012, 2013] and trend["revenue"] == ["100.0000", None, None, "400.0000"]
    dashboard = bureau.get("/").context["charts"]["trend"]
    assert dashboard["years"] == [2010, 2011, 2012, 2013] and dashboard["count"] == [1, None, None, 1]


# point 8: lists and forms --------------------------------------------------------------------

def test_filters_say_all_and_list_units_as_a_tree(bureau, enterprises, units):
    Unit.objects.create(name="东丽湖科技园", code="120110002P1", kind=UnitKind.PARK, parent=units["town_b"])
    page = html(bureau.get("/enterprises/"))
    assert "---------" not in page
    assert options(page, "band")[0] == "全部" and options(page, "unit")[0] == "全部"
    assert options(page, "unit")[1:] == ["东丽区", "\u3000张贵庄街道", "\u3000\u3000张贵庄科技园", "\u3000丰年村街道", "\u3000\u3000东丽湖科技园"]


def test_sort_headers_show_the_direction(bureau, enterprises):
    page = html(bureau.get("/enterprises/?sort=-revenue"))
    assert re.search(r'href="\?sort=revenue"[^>]*>[^<]*<i class="bi bi-sort-down"', page)
    assert re.search(r'href="\?sort=name"[^>]*>[^<]*<i class="bi bi-arrow-down-up', page)


def test_pagination_has_page_numbers_and_a_jump_box(bureau, units):
    Enterprise.objects.bulk_create([Enterprise(uscc=f"X{i:017d}", name=f"企业{i:03d}", unit=units["town_a"]) for i in range(500)])
    page = html(bureau.get("/enterprises/?page=5&band=&sort=name"))
    assert 'href="?band=&amp;sort=name&amp;page=4"' in page and 'href="?band=&amp;sort=name&amp;page=10"' in page
    assert "…" in page and '<input id="page-jump" type="number" name="page"' in page
    assert '<input type="hidden" name="sort" value="name">' in page


def test_cadre_choices_are_staff_in_scope_only(client_for, users, units):
    district_cadre = make_user("cadre", Role.BUREAU, units["district"], full_name="李干部")
    own = make_user("town_a2", Role.UNIT, units["town_a"], full_name="王专员")
    form = client_for(users["town_a"]).get("/enterprises/new/").context["form"]
    offered = set(form.fields["cadre"].queryset)
    assert {district_cadre, own, users["town_a"], users["park_a"]} <= offered
    assert not offered & {users["admin"], users["leader"], users["town_b"], users["party"], users["ent_a"]}
    assert "李干部（东丽区）" in html(client_for(users["town_a"]).get("/enterprises/new/"))


def test_account_choices_are_free_accounts_in_scope(client_for, users, enterprises, units):
    free_a = make_user("ent_free_a", Role.ENTERPRISE, units["town_a"])
    free_b = make_user("ent_free_b", Role.ENTERPRISE, units["town_b"])
    town_a = client_for(users["town_a"])
    offered = set(town_a.get("/enterprises/new/").context["form"].fields["accounts"].queryset)
    assert offered == {free_a}  # not ent_a (another firm's), not town B's account
    edit = town_a.get(f"/enterprises/{enterprises['a'].pk}/edit/").context["form"].fields["accounts"].queryset
    assert set(edit) == {free_a, users["ent_a"]}
    a = enterprises["a"]
    response = town_a.post(f"/enterprises/{a.pk}/edit/", {
        "uscc": a.uscc, "name": a.name, "unit": a.unit_id, "status": "active", "accounts": [free_b.pk],
    })
    assert response.status_code == 200 and "accounts" in response.context["form"].errors
    assert not a.accounts.filter(pk=free_b.pk).exists()


# point 9: 我的包联企业 --------------------------------------------------------------------------

def test_a_cadre_lists_the_enterprises_they_look_after(client_for, users, enterprises, units):
    cadre = make_user("cadre", Role.BUREAU, units["district"], full_name="李干部")
    enterprises["b"].cadre = cadre
    enterprises["b"].save()
    client = client_for(cadre)
    response = client.get("/enterprises/?mine=1")
    assert [e.name for e in response.context["object_list"]] == [enterprises["b"].name]
    assert "我的包联企业" in html(response)
    assert "我的包联企业" in html(client.get("/enterprises/"))


# points 5 and 6: the History tab -------------------------------------------------------------

def test_history_shows_money_names_and_the_system_in_chinese(bureau, users, enterprises):
    from peiyu.core.history import acting_as

    users["bureau"].full_name = "赵局长"
    users["bureau"].save()
    with acting_as(users["bureau"]):
        y = make_year(enterprises["a"], 2024, revenue=Decimal("2158.27"))
        y.revenue = Decimal("2300")
        y.save()
    y.revenue = Decimal("2300.1234")
    y.save()  # no user: a command or job
    page = html(bureau.get(enterprises["a"].get_absolute_url()))
    assert "<del>2,158.27 万元</del> → <ins>2,300.00 万元</ins>" in page
    assert "<del>2,300.00 万元</del> → <ins>2,300.1234 万元</ins>" in page
    assert "赵局长" in page and "系统" in page and ">system<" not in page and "营业收入" in page


def test_changes_from_a_command_name_the_command(monkeypatch, units):
    from peiyu.core.models import ObjectChange
    from peiyu.core.views.history import actor_label

    monkeypatch.setattr("sys.argv", ["/usr/bin/peiyu", "import", "file.xlsx"])
    e = make_enterprise(units["town_a"])
    change = ObjectChange.objects.filter(object_id=e.pk, content_type__model="enterprise").get()
    assert change.user_name == "peiyu import" and actor_label(change) == "系统（peiyu import）"


def test_the_detail_gives_the_age_in_whole_years(bureau, units):
    # 9,500 days is 26 years and a few days whatever today is: shown as 26, not 26.01.
    e = make_enterprise(units["town_a"], established=datetime.date.today() - datetime.timedelta(days=9500))
    assert "（26 年）" in html(bureau.get(e.get_absolute_url()))


def test_the_form_lists_units_as_a_tree_and_names_its_empty_choices(bureau, units):
    page = html(bureau.get("/enterprises/new/"))
    assert "---------" not in page
    assert options(page, "unit")[:3] == ["请选择…", "东丽区", "\u3000张贵庄街道"]
    assert options(page, "park")[0] == "（无）"
