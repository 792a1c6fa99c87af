import uuid

import pytest
from django.test import override_settings

from peiyu.core.models import User
from peiyu.core.testing import PASSWORD

pytestmark = pytest.mark.django_db


def login(client, username, password):
    return client.post("/login/", {"username": username, "password": password})


def test_login_and_logout(client, users):
    assert login(client, "bureau", PASSWORD).status_code == 302
    assert client.get("/").status_code == 200
    client.post("/logout/")
    assert client.get("/").status_code == 302


@override_settings(LOGIN_FAILURE_LIMIT=3)
def test_repeated_failures_lock_the_account_even_for_the_right_password(client, users):
    for _ in range(3):
        assert login(client, "bureau", "wrong-password").status_code == 200
    response = login(client, "bureau", PASSWORD)
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert response.context["form"].errors["__all__"][0].startswith(("Too many", "登录失败次数过多"))
    # Another account from the same address is not locked.
    assert login(client, "leader", PASSWORD).status_code == 302


@override_settings(LOGIN_FAILURE_LIMIT=3, LOGIN_ACCOUNT_FAILURE_LIMIT=6)
def test_guessing_from_many_addresses_locks_the_account(client, users):
    for n in range(6):
        client.post("/login/", {"username": "bureau", "password": "wrong"}, REMOTE_ADDR=f"10.0.0.{n}")
    response = client.post("/login/", {"username": "bureau", "password": PASSWORD}, REMOTE_ADDR="10.0.0.99")
    assert response.status_code == 200 and "_auth_user_id" not in client.session


@override_settings(LOGIN_FAILURE_LIMIT=3, PEIYU_CLIENT_IP_HEADER="HTTP_X_REAL_IP")
def test_behind_a_proxy_the_client_address_counts(client, users):
    for _ in range(3):
        client.post("/login/", {"username": "bureau", "password": "wrong"}, HTTP_X_REAL_IP="203.0.113.5")
    ok = client.post("/login/", {"username": "bureau", "password": PASSWORD}, HTTP_X_REAL_IP="203.0.113.6")
    assert ok.status_code == 302  # another client behind the same proxy is not locked out


@override_settings(LOGIN_FAILURE_LIMIT=3)
def test_a_success_clears_earlier_failures(client, users):
    login(client, "bureau", "wrong")
    login(client, "bureau", "wrong")
    assert login(client, "bureau", PASSWORD).status_code == 302
    client.post("/logout/")
    login(client, "bureau", "wrong")
    login(client, "bureau", "wrong")
    assert login(client, "bureau", PASSWORD).status_code == 302


def test_password_change(client_for, users, client):
    c = client_for(users["town_a"])
    response = c.post("/password/", {"old_password": PASSWORD, "new_password1": "Xinmima-2026!", "new_password2": "Xinmima-2026!"})
    assert response.status_code == 302
    users["town_a"].refresh_from_db()
    assert users["town_a"].check_password("Xinmima-2026!")


def test_administrator_creates_a_unit_official(client_for, users, units):
    c = client_for(users["admin"])
    response = c.post("/users/new/", {
        "username": "xinli", "full_name": "新立街专员", "role": "unit", "unit": units["town_b"].pk,
        "password1": "Xinli-2026-ok", "password2": "Xinli-2026-ok", "is_active": "on",
    })
    assert response.status_code == 302
    user = User.objects.get(username="xinli")
    assert user.unit == units["town_b"] and user.check_password("Xinli-2026-ok") and not user.is_superuser


def test_unit_staff_need_a_unit(client_for, users):
    response = client_for(users["admin"]).post("/users/new/", {
        "username": "nounit", "role": "unit", "password1": "Xinli-2026-ok", "password2": "Xinli-2026-ok",
    })
    assert response.status_code == 200 and "unit" in response.context["form"].errors


def test_editing_a_user_keeps_the_password_when_left_empty(client_for, users):
    target = users["leader"]
    response = client_for(users["admin"]).post(f"/users/{target.pk}/edit/", {"username": "leader", "role": "leader", "is_active": "on"})
    assert response.status_code == 302
    target.refresh_from_db()
    assert target.check_password(PASSWORD) and target.unit is None


def test_unit_cannot_be_moved_under_itself(client_for, users, units):
    district = units["district"]
    response = client_for(users["admin"]).post(f"/units/{district.pk}/edit/", {
        "name": district.name, "code": district.code, "kind": "district", "parent": units["town_a"].pk, "sort_order": 0,
    })
    assert response.status_code == 200 and "parent" in response.context["form"].errors


def test_moving_a_unit_moves_its_subtree(units):
    town_a, park = units["town_a"], units["park_a"]
    town_a.parent = units["city"]
    town_a.save()
    park.refresh_from_db()
    assert park.path == f"/{units['city'].pk}/{town_a.pk}/{park.pk}/" and park.depth == 2


def test_api_token_page_shows_the_key_once(client_for, users):
    from django.test import Client

    client = Client()  # no session: only the token may authenticate
    c = client_for(users["bureau"])
    c.post("/tokens/", {"description": "报表"})
    key = c.get("/tokens/").context["new_key"]
    assert key and c.get("/tokens/").context["new_key"] is None
    assert client.get("/api/enterprises", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 200
    assert client.get("/api/enterprises", HTTP_AUTHORIZATION="Bearer wrong").status_code == 401


def _parallel_attempts(n: int) -> list[bool]:
    """n sign-in attempts for one account from one address, all at once."""
    from concurrent.futures import ThreadPoolExecutor
    from threading import Barrier

    from peiyu.core import throttling

    barrier = Barrier(n)

    def attempt(_):
        barrier.wait()
        return throttling.begin_attempt("bureau", "198.51.100.7")

    with ThreadPoolExecutor(n) as pool:
        return list(pool.map(attempt, range(n)))


def _redis_url():
    redis = pytest.importorskip("redis")
    url = "redis://127.0.0.1:6379/6"
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("no Redis server at 127.0.0.1:6379")
    return url


@pytest.mark.parametrize("backend", ["file", "redis"])
def test_parallel_guesses_are_counted_atomically(backend, tmp_path):
    if backend == "file":
        cache = {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": str(tmp_path)}
    else:
        # A fresh key prefix per run (its keys expire with the lock-out), so nothing else in db 6 is touched.
        cache = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": _redis_url(), "KEY_PREFIX": uuid.uuid4().hex}
    with override_settings(CACHES={"default": cache}, LOGIN_FAILURE_LIMIT=5, LOGIN_ACCOUNT_FAILURE_LIMIT=20):
        from peiyu.core import throttling

        results = _parallel_attempts(30)
        # Exactly the limit's worth of attempts get their password checked; no count is lost.
        assert results.count(True) == 5
        assert throttling.is_locked("bureau")


@override_settings(LOGIN_FAILURE_LIMIT=3, LOGIN_ACCOUNT_FAILURE_LIMIT=6)
def test_strangers_cannot_lock_the_owner_out_of_a_known_address(client, users):
    assert login(client, "bureau", PASSWORD).status_code == 302  # from 127.0.0.1, now trusted
    client.post("/logout/")
    for n in range(8):
        client.post("/login/", {"username": "bureau", "password": "wrong"}, REMOTE_ADDR=f"10.0.0.{n}")
    assert client.post("/login/", {"username": "bureau", "password": PASSWORD}, REMOTE_ADDR="10.0.0.99").status_code == 200
    assert login(client, "bureau", PASSWORD).status_code == 302


@override_settings(LOGIN_FAILURE_LIMIT=3)
def test_an_administrator_unlocks_a_locked_account(client, client_for, users):
    for _ in range(4):
        login(client, "bureau", "wrong")
    assert login(client, "bureau", PASSWORD).status_code == 200
    admin = client_for(users["admin"])
    listing = admin.get("/users/").content.decode()
    assert "已锁定" in listing
    response = admin.post(f"/users/{users['bureau'].pk}/unlock/")
    assert response.status_code == 302
    admin.post("/logout/")
    assert login(client, "bureau", PASSWORD).status_code == 302
