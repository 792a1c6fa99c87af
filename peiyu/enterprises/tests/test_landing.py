"""Each role lands on a page that fits its work, and its menu lists only what it can use."""

import re

import pytest

from peiyu.core.choices import Role
from peiyu.core.models import ApiToken
from peiyu.core.testing import make_user, make_year

pytestmark = pytest.mark.django_db


def menu(response) -> list[str]:
    """The top-level entries of the bar (an app's dropdown counts as one, named after the app)."""
    nav = response.content.decode().split('<ul class="navbar-nav')[1].split("/i18n/setlang/")[0]
    return [re.sub(r"<[^>]+>", "", label).strip() for label in re.findall(r'class="nav-link[^"]*"[^>]*>(.*?)</a>', nav)]


@pytest.mark.parametrize("username", ["bureau", "town_a", "leader", "admin"])
def test_bureau_unit_staff_leaders_and_administrators_land_on_the_dashboard(client_for, users, enterprises, username):
    response = client_for(users[username]).get("/")
    assert response.status_code == 200
    assert "enterprises/dashboard.html" in [t.name for t in response.templates]
    assert menu(response)[:3] == ["驾驶舱", "企业库", "评价"]


def test_import_is_in_the_menu_of_those_who_may_import(client_for, users):
    for username, expected in [("bureau", True), ("town_a", True), ("leader", False), ("party", False)]:
        assert ("数据导入" in menu(client_for(users[username]).get("/"))) is expected, username


def test_party_staff_land_on_their_unit_summary_not_the_bureau_dashboard(client_for, users, units, enterprises):
    make_year(enterprises["a"], 2024, employees=120, college_staff=80)
    make_year(enterprises["b"], 2024, employees=30)
    response = client_for(users["party"]).get("/")
    html = response.content.decode()
    assert response.status_code == 200 and "enterprises/dashboard.html" not in [t.name for t in response.templates]
    assert "党建工作台" in html and "2024 年度数据" in html
    rows = response.context["rows"]
    assert [(r["name"], r["enterprises"], r["employees"], r["college"]) for r in rows] == [
        (units["town_a"].name, 1, 120, 80), (units["town_b"].name, 1, 30, None),
    ]
    assert response.context["totals"]["employees"] == 150
    assert f'href="/enterprises/?unit={units["town_a"].pk}"' in html
    assert "新建企业" not in html and "数据导入" not in html  # read-only
    assert menu(response)[:3] == ["党建工作台", "企业库", "评价"] and "党建台账" in menu(response)
    assert "数据导入" not in menu(response) and "目标与考核" not in menu(response)


def test_party_summary_is_scoped_to_the_users_unit(client_for, units, enterprises):
    make_year(enterprises["a"], 2024, employees=120)
    make_year(enterprises["b"], 2024, employees=30)
    street_party = make_user("party_a", Role.PARTY, units["town_a"])
    rows = client_for(street_party).get("/").context["rows"]
    assert [r["name"] for r in rows] == [units["town_a"].name]


def test_expert_lands_on_their_review_assignments(client_for, users):
    response = client_for(users["expert"]).get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "projects/review_list.html" in [t.name for t in response.templates]
    assert menu(response) == ["我的评审", "我的特派员服务"]  # no enterprise library, no evaluation
    assert "API 令牌" not in html


def test_expert_cannot_open_or_export_the_enterprise_library(client_for, users, enterprises):
    client = client_for(users["expert"])
    for path in ["/enterprises/", f"/enterprises/{enterprises['a'].pk}/", "/enterprises/export/?format=csv",
                 "/enterprises/export/?format=xlsx"]:
        response = client.get(path)
        assert response.status_code == 403, path
        assert "无权访问" in response.content.decode() and "华东科技" not in response.content.decode()
    assert client.get("/api/enterprises").status_code == 403  # signed-in session
    _token, secret = ApiToken.objects.issue(users["expert"])
    response = client.get("/api/enterprises", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert response.status_code == 403 and "无权访问企业数据" in response.json()["detail"]


def test_enterprise_user_lands_on_their_own_enterprise(client_for, users, enterprises):
    response = client_for(users["ent_a"]).get("/")
    assert response.status_code == 302 and response["Location"] == enterprises["a"].get_absolute_url()
    detail = client_for(users["ent_a"]).get(response["Location"])
    assert menu(detail)[:2] == ["我的企业", "评价"]
    assert not {"企业库", "数据导入", "目标与考核", "统计公报", "党建台账"} & set(menu(detail))


def test_enterprise_user_without_an_enterprise_is_told_whom_to_ask(client_for, users):
    lonely = make_user("ent_new", Role.ENTERPRISE)
    response = client_for(lonely).get("/")
    assert response.status_code == 200
    assert "您的账号尚未关联企业。" in response.content.decode()
    assert "统一社会信用代码" in response.content.decode()
