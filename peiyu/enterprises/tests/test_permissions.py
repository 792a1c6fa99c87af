"""Every role against every enterprise, by page and by API: outside one's scope is 404/403, never data."""

import pytest

from peiyu.core.models import ApiToken

pytestmark = pytest.mark.django_db

# Who may see (S) and change (C) enterprise a (town A, account ent_a) and b (town B).
MATRIX = {
    "admin": ("SC", "SC"),
    "bureau": ("SC", "SC"),
    "town_a": ("SC", ""),
    "town_b": ("", "SC"),
    "park_a": ("", ""),  # a park official sees only enterprises in the park
    "leader": ("S", "S"),
    "party": ("S", "S"),
    "expert": ("", ""),
    "ent_a": ("SC", ""),
}
# Roles with no access to enterprise data at all are refused outright (403), not shown an empty scope.
REFUSED = {"expert"}
CASES = [(user, key, rights) for user, pair in MATRIX.items() for key, rights in zip("ab", pair, strict=True)]


@pytest.mark.parametrize(("username", "key", "rights"), CASES)
def test_detail_page(client_for, users, enterprises, username, key, rights):
    e = enterprises[key]
    response = client_for(users[username]).get(f"/enterprises/{e.pk}/")
    assert response.status_code == (200 if "S" in rights else 403 if username in REFUSED else 404)
    if "S" not in rights:
        assert e.name.encode() not in response.content


@pytest.mark.parametrize(("username", "key", "rights"), CASES)
def test_edit_page(client_for, users, enterprises, username, key, rights):
    e = enterprises[key]
    response = client_for(users[username]).get(f"/enterprises/{e.pk}/edit/")
    expected = 200 if "C" in rights else (403 if "S" in rights else 404)
    assert response.status_code == expected


@pytest.mark.parametrize(("username", "key", "rights"), CASES)
def test_edit_post_is_refused_outside_scope(client_for, users, enterprises, username, key, rights):
    e = enterprises[key]
    response = client_for(users[username]).post(f"/enterprises/{e.pk}/edit/", {"uscc": e.uscc, "name": "改名", "unit": e.unit_id, "status": "active", "address": "新地址"})
    e.refresh_from_db()
    if "C" in rights:
        assert response.status_code == 302 and e.address == "新地址"  # saved, not a form error
    else:
        assert response.status_code in (403, 404) and e.name != "改名"


@pytest.mark.parametrize(("username", "key", "rights"), CASES)
def test_list_shows_only_scope(client_for, users, enterprises, username, key, rights):
    response = client_for(users[username]).get("/enterprises/")
    if username in REFUSED:
        assert response.status_code == 403
    assert (enterprises[key].name.encode() in response.content) == ("S" in rights)


@pytest.mark.parametrize(("username", "key", "rights"), CASES)
def test_api_detail_and_patch(client, users, enterprises, username, key, rights):
    _token, secret = ApiToken.objects.issue(users[username])
    auth = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    e = enterprises[key]
    response = client.get(f"/api/enterprises/{e.pk}", **auth)
    assert response.status_code == (200 if "S" in rights else 403 if username in REFUSED else 404)
    response = client.patch(f"/api/enterprises/{e.pk}", {"address": "接口地址"}, content_type="application/json", **auth)
    assert response.status_code == (200 if "C" in rights else (403 if "S" in rights or username in REFUSED else 404))
    e.refresh_from_db()
    assert (e.address == "接口地址") == ("C" in rights)


@pytest.mark.parametrize("username", list(MATRIX))
def test_api_list_shows_only_scope(client, users, enterprises, username):
    _token, secret = ApiToken.objects.issue(users[username])
    response = client.get("/api/enterprises", HTTP_AUTHORIZATION=f"Bearer {secret}")
    if username in REFUSED:
        assert response.status_code == 403
        return
    names = {item["name"] for item in response.json()["items"]}
    expected = {enterprises[k].name for k, rights in zip("ab", MATRIX[username], strict=True) if "S" in rights}
    assert names == expected


def test_town_official_cannot_move_an_enterprise_out_of_their_unit(client_for, users, enterprises, units):
    e = enterprises["a"]
    response = client_for(users["town_a"]).post(f"/enterprises/{e.pk}/edit/", {"uscc": e.uscc, "name": e.name, "unit": units["town_b"].pk, "status": "active"})
    assert response.status_code == 200  # form error: town B is not a choice
    e.refresh_from_db()
    assert e.unit == units["town_a"]


def test_town_official_cannot_add_a_year_to_another_towns_enterprise(client_for, users, enterprises):
    response = client_for(users["town_a"]).post(f"/enterprises/{enterprises['b'].pk}/years/new/", {"year": 2024, "rd_institution_level": 0})
    assert response.status_code == 404
    assert not enterprises["b"].years.exists()


def test_phone_numbers_are_masked_for_roles_that_do_not_need_them(client_for, users, enterprises):
    assert b"13812345678" in client_for(users["town_a"]).get("/enterprises/").content
    page = client_for(users["leader"]).get("/enterprises/").content
    assert b"13812345678" not in page and b"138****5678" in page


def test_api_masks_phones_for_leaders(client, users, enterprises):
    _token, secret = ApiToken.objects.issue(users["leader"])
    data = client.get(f"/api/enterprises/{enterprises['a'].pk}", HTTP_AUTHORIZATION=f"Bearer {secret}").json()
    assert data["contact_phone"] == "138****5678"


def test_only_bureau_restores_deleted_enterprises(client_for, users, enterprises):
    e = enterprises["a"]
    assert client_for(users["town_a"]).post(f"/enterprises/{e.pk}/delete/").status_code == 302
    assert client_for(users["town_a"]).post("/enterprises/deleted/", {"restore": e.pk}).status_code == 403
    assert client_for(users["bureau"]).post("/enterprises/deleted/", {"restore": e.pk}).status_code == 302
    e.refresh_from_db()
    assert e.deleted_at is None


def test_enterprise_user_cannot_delete_or_add_qualifications(client_for, users, enterprises):
    client = client_for(users["ent_a"])
    e = enterprises["a"]
    assert client.post(f"/enterprises/{e.pk}/delete/").status_code == 403
    assert type(e).objects.filter(pk=e.pk).exists()
    assert client.get(f"/enterprises/{e.pk}/qualifications/new/").status_code == 403


def test_admin_pages_are_for_administrators_only(client_for, users):
    assert client_for(users["bureau"]).get("/users/").status_code == 403
    assert client_for(users["admin"]).get("/users/").status_code == 200


def test_anonymous_is_sent_to_login_and_api_refuses(client, enterprises):
    assert client.get("/enterprises/").status_code == 302
    assert client.get(f"/api/enterprises/{enterprises['a'].pk}").status_code == 401


def test_enterprise_user_api_patch_is_limited_to_self_service_fields(client, users, enterprises, units):
    _token, secret = ApiToken.objects.issue(users["ent_a"])
    e = enterprises["a"]
    response = client.patch(f"/api/enterprises/{e.pk}", {"name": "自改名", "unit": units["town_b"].pk, "status": "deregistered"},
                            content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert response.status_code == 403
    e.refresh_from_db()
    assert (e.name, e.unit, e.status) == ("华东科技有限公司", units["town_a"], "active")


def test_api_refuses_a_park_as_unit(client, users, enterprises, units):
    _token, secret = ApiToken.objects.issue(users["bureau"])
    response = client.patch(f"/api/enterprises/{enterprises['a'].pk}", {"unit": units["park_a"].pk},
                            content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert response.status_code == 422


def test_park_official_edits_an_enterprise_of_a_park_in_another_unit(client_for, users, enterprises, units):
    from peiyu.core.choices import Role, UnitKind
    from peiyu.core.models import Unit
    from peiyu.core.testing import make_user

    park_b = Unit.objects.create(name="丰年科技园", code="P-B", kind=UnitKind.PARK, parent=units["town_b"])
    official = make_user("park_b", Role.UNIT, park_b)
    e = enterprises["b"]
    e.park = park_b
    e.save()
    response = client_for(official).post(f"/enterprises/{e.pk}/edit/", {
        "uscc": e.uscc, "name": e.name, "unit": e.unit_id, "park": park_b.pk, "status": "active", "address": "园区路1号",
    })
    assert response.status_code == 302
    e.refresh_from_db()
    assert e.address == "园区路1号" and e.unit == units["town_b"]


def test_enterprise_user_cannot_delete_a_year_by_url(client_for, users, enterprises):
    from peiyu.core.testing import make_year

    y = make_year(enterprises["a"])
    assert client_for(users["ent_a"]).post(f"/enterprises/years/{y.pk}/delete/").status_code == 403
    assert type(y).objects.filter(pk=y.pk).exists()


def test_qualifications_of_deleted_enterprises_cannot_be_changed(client_for, users, enterprises):
    import datetime

    from peiyu.enterprises.models import Qualification

    q = Qualification.objects.create(enterprise=enterprises["a"], kind="gazelle", granted_on=datetime.date(2025, 1, 1))
    enterprises["a"].soft_delete()
    client = client_for(users["town_a"])
    assert client.get(f"/enterprises/qualifications/{q.pk}/edit/").status_code == 404
    assert client.post(f"/enterprises/qualifications/{q.pk}/delete/").status_code == 404


def test_cadre_choices_stay_within_the_users_units(client_for, users, enterprises):
    form = client_for(users["town_a"]).get(f"/enterprises/{enterprises['a'].pk}/edit/").context["form"]
    cadres = set(form.fields["cadre"].queryset.values_list("username", flat=True))
    assert "town_a" in cadres and "bureau" in cadres and "town_b" not in cadres
