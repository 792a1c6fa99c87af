"""Administrators find users, reset passwords and see which enterprise an account belongs to."""

import pytest

pytestmark = pytest.mark.django_db


def test_user_search_finds_names_units_and_enterprises(client_for, users, enterprises):
    admin = client_for(users["admin"])
    by_enterprise = admin.get("/users/", {"q": "华东"})
    assert [u.username for u in by_enterprise.context["users"]] == ["ent_a"]
    by_unit = admin.get("/users/", {"q": "丰年村"})
    assert [u.username for u in by_unit.context["users"]] == ["town_b"]
    assert "华东科技有限公司" in admin.get("/users/").content.decode()


def test_the_user_form_shows_the_enterprise_of_an_enterprise_account(client_for, users, enterprises):
    page = client_for(users["admin"]).get(f"/users/{users['ent_a'].pk}/edit/").content.decode()
    assert "华东科技有限公司" in page and f"/enterprises/{enterprises['a'].pk}/" in page


def test_only_administrators_reset_passwords_or_unlock(client_for, users):
    bureau = client_for(users["bureau"])
    assert bureau.get(f"/users/{users['town_a'].pk}/password/").status_code == 403
    assert bureau.post(f"/users/{users['town_a'].pk}/unlock/").status_code == 403


def test_a_weak_reset_password_is_refused(client_for, users):
    response = client_for(users["admin"]).post(f"/users/{users['bureau'].pk}/password/", {"new_password1": "123", "new_password2": "123"})
    assert response.status_code == 200 and response.context["form"].errors
