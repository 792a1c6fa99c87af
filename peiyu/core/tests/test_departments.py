"""Departments and responsibilities: ordered leaders, lead and co-departments, persons, attached
to any object; administrators manage departments and memberships in the UI."""

import pytest
from django.urls import reverse

from peiyu.core.choices import Role
from peiyu.core.departments import assign_responsibility, responsibility_of
from peiyu.core.models import Department
from peiyu.core.testing import make_user


@pytest.fixture
def bureau(units, users):
    office = Department.objects.create(unit=units["district"], name="局办公室", sort_order=1)
    hitech = Department.objects.create(unit=units["district"], name="高新技术科", sort_order=2)
    management = Department.objects.create(unit=units["district"], name="科技管理科", sort_order=3)
    deputy = make_user("deputy", Role.LEADER, units["district"], full_name="马建华")
    return {"office": office, "hitech": hitech, "management": management, "deputy": deputy}


def test_responsibility_keeps_order_and_names_the_lead(bureau, users, enterprises):
    target = enterprises["a"]  # any object: later a target, a ledger item or a project
    assign_responsibility(
        target,
        leaders=[bureau["deputy"], users["leader"]],
        departments=[bureau["management"], bureau["hitech"], bureau["office"]],
        persons=[users["bureau"]],
    )
    r = responsibility_of(target)
    assert r.lead_leader == bureau["deputy"] and r.leaders == [bureau["deputy"], users["leader"]]
    assert r.lead_department == bureau["management"]
    assert r.co_departments == [bureau["hitech"], bureau["office"]]
    assert r.persons == [users["bureau"]]
    assert responsibility_of(enterprises["b"]) is None


def test_reassigning_replaces_the_whole_value(bureau, users, enterprises):
    assign_responsibility(enterprises["a"], leaders=[users["leader"]], departments=[bureau["office"]])
    r = assign_responsibility(enterprises["a"], departments=[bureau["hitech"]])
    assert r.leaders == [] and r.departments == [bureau["hitech"]]


def test_users_belong_to_several_departments(bureau, users):
    bureau["hitech"].members.add(users["bureau"])
    bureau["management"].members.add(users["bureau"])
    assert set(users["bureau"].departments.values_list("name", flat=True)) == {"高新技术科", "科技管理科"}


def test_admin_manages_departments_and_memberships(bureau, users, units, client_for):
    client = client_for(users["admin"])
    page = client.get(reverse("department-list")).content.decode()
    assert "局办公室" in page and "高新技术科" in page
    response = client.post(reverse("department-add"), {
        "unit": units["district"].pk, "name": "农业与社会发展科", "sort_order": 4,
        "leaders": [bureau["deputy"].pk], "members": [users["bureau"].pk],
    })
    assert response.status_code == 302
    created = Department.objects.get(name="农业与社会发展科")
    assert list(created.leaders.all()) == [bureau["deputy"]] and list(created.members.all()) == [users["bureau"]]


def test_a_department_takes_no_members_from_another_unit(bureau, users, units, client_for):
    response = client_for(users["admin"]).post(reverse("department-edit", args=[bureau["office"].pk]), {
        "unit": units["town_b"].pk, "name": "局办公室", "sort_order": 1, "members": [users["town_a"].pk],
    })
    assert response.status_code == 200 and not Department.objects.filter(unit=units["town_b"]).exists()


@pytest.mark.parametrize("name", ["bureau", "leader", "town_a"])
def test_only_administrators_manage_departments(bureau, users, client_for, name):
    assert client_for(users[name]).get(reverse("department-list")).status_code == 403


def test_declared_days_are_managed_by_administrators(users, client_for):
    from peiyu.core.models import DeclaredDay

    client = client_for(users["admin"])
    response = client.post(reverse("declared-day-add"), {"date": "2026-02-24", "reason": "区里调休"})
    assert response.status_code == 302
    day = DeclaredDay.objects.get()
    assert not day.is_working_day
    assert "区里调休" in client.get(reverse("declared-day-list")).content.decode()
    client.post(reverse("declared-day-delete", args=[day.pk]))
    assert not DeclaredDay.objects.exists()
    assert client_for(users["bureau"]).get(reverse("declared-day-list")).status_code == 403


def test_responsibility_renders_as_the_bureau_lists_it(bureau, users, enterprises):
    from django.template import Context, Template

    assign_responsibility(enterprises["a"], leaders=[bureau["deputy"]],
                          departments=[bureau["hitech"], bureau["management"], bureau["office"]], persons=[users["bureau"]])
    html = Template("{% load departments %}{% responsibility obj %}").render(Context({"obj": enterprises["a"]}))
    assert "责任领导" in html and "马建华" in html
    assert "牵头部门</dt><dd class=\"col-sm-8\">高新技术科" in html
    assert "配合部门</dt><dd class=\"col-sm-8\">科技管理科、局办公室" in html
    assert "尚未指定" in Template("{% load departments %}{% responsibility obj %}").render(Context({"obj": enterprises["b"]}))


def test_a_department_named_in_a_responsibility_is_not_deleted(bureau, users, enterprises, client_for):
    assign_responsibility(enterprises["a"], departments=[bureau["hitech"]])
    client = client_for(users["admin"])
    client.post(reverse("department-delete", args=[bureau["hitech"].pk]))
    assert Department.objects.filter(pk=bureau["hitech"].pk).exists()
    client.post(reverse("department-delete", args=[bureau["office"].pk]))
    assert not Department.objects.filter(pk=bureau["office"].pk).exists()
