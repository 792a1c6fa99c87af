from decimal import Decimal

import pytest

from peiyu.core.history import acting_as
from peiyu.core.models import ObjectChange
from peiyu.core.testing import make_enterprise, make_year
from peiyu.core.views.history import history_for

pytestmark = pytest.mark.django_db


def test_create_change_delete_are_recorded_with_who_before_and_after(units, users):
    with acting_as(users["bureau"]):
        e = make_enterprise(units["town_a"], "华东科技有限公司")
        e.name = "华东智能科技有限公司"
        e.save()
        y = make_year(e, revenue=Decimal("1200.5"))
        y.delete()
    changes = list(ObjectChange.objects.exclude(content_type__model__in=["user", "unit"]).order_by("pk"))
    assert [c.action for c in changes] == ["create", "update", "create", "delete"]
    assert all(c.user == users["bureau"] and c.user_name == "bureau" for c in changes)
    update = changes[1]
    assert update.before["name"] == "华东科技有限公司" and update.after["name"] == "华东智能科技有限公司"
    assert update.changed_fields == ["name"]  # derived initials are not history
    assert changes[2].after["revenue"] == "1200.5000"  # exact decimal text, not a float
    assert changes[3].before["revenue"] == "1200.5000" and changes[3].after is None


def test_years_show_on_the_enterprise_history_tab(units, users):
    e = make_enterprise(units["town_a"])
    y = make_year(e)
    y.employees = 120
    y.save()
    rows = history_for(e, None)
    assert len(rows) == 3
    change, fields = rows[0]
    assert change.action == "update" and [(f.before, f.after) for f in fields] == [("100", "120")]


def test_soft_delete_and_restore_are_named_as_such(units):
    e = make_enterprise(units["town_a"])
    e.soft_delete()
    e.restore()
    assert list(ObjectChange.objects.filter(object_id=e.pk, content_type__model="enterprise").order_by("pk").values_list("action", flat=True)) == ["create", "delete", "restore"]


def test_saving_unchanged_records_nothing(units):
    e = make_enterprise(units["town_a"])
    e.save()
    assert ObjectChange.objects.filter(content_type__model="enterprise").count() == 1


def test_changes_through_a_request_name_the_signed_in_user(client_for, users, enterprises):
    client = client_for(users["town_a"])
    e = enterprises["a"]
    response = client.post(f"/enterprises/{e.pk}/edit/", {
        "uscc": e.uscc, "name": "华东新名称有限公司", "unit": e.unit_id, "status": "active",
        "accounts": list(e.accounts.values_list("pk", flat=True)),
    })
    assert response.status_code == 302
    change = ObjectChange.objects.filter(object_id=e.pk, content_type__model="enterprise", action="update").first()
    assert change.user == users["town_a"] and change.after["name"] == "华东新名称有限公司"


def test_api_changes_name_the_token_user(client, users, enterprises):
    from peiyu.core.models import ApiToken

    _token, key = ApiToken.objects.issue(users["town_a"])
    e = enterprises["a"]
    response = client.patch(f"/api/enterprises/{e.pk}", {"address": "跃进路1号"}, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 200
    change = ObjectChange.objects.filter(object_id=e.pk, content_type__model="enterprise", action="update").first()
    assert change.user == users["town_a"] and change.user_name == "town_a"


def test_user_unit_and_account_link_changes_are_recorded(units, users, enterprises):
    with acting_as(users["admin"]):
        town_a = users["town_a"]
        town_a.role, town_a.unit = "leader", units["district"]
        town_a.save()
        enterprises["b"].accounts.add(users["ent_a"])
        units["town_b"].name = "丰年村街"
        units["town_b"].save()
    user_change = ObjectChange.objects.get(object_id=town_a.pk, content_type__model="user", action="update")
    assert user_change.before["role"] == "unit" and user_change.after["unit_id"] == units["district"].pk
    assert "password" not in user_change.after
    link = ObjectChange.objects.get(object_id=enterprises["b"].pk, content_type__model="enterprise", action="update")
    assert link.before == {"accounts": []} and link.after == {"accounts": [users["ent_a"].pk]}
    assert ObjectChange.objects.filter(content_type__model="unit", object_id=units["town_b"].pk, action="update").exists()


def test_history_tab_masks_phones_for_roles_that_do_not_see_them(client_for, users, enterprises):
    e = enterprises["a"]
    e.contact_phone = "13800001111"
    e.save()
    page = client_for(users["leader"]).get(f"/enterprises/{e.pk}/").content.decode()
    assert "13800001111" not in page and "13812345678" not in page and "138****1111" in page
