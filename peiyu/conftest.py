"""Fixtures every app's tests share (see core.testing for the builders)."""

import pytest
from django.utils import translation

from peiyu.core.choices import Role
from peiyu.core.testing import PASSWORD, make_district, make_enterprise, make_user


def pytest_configure(config):
    from django.conf import settings

    # Hashing is deliberately slow in production; tests create many users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    # Jobs run at once, in the request that starts them; test_worker runs real consumers.
    from huey.contrib.djhuey import HUEY

    HUEY.immediate = True


@pytest.fixture(autouse=True)
def _fresh_cache():
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def english_uploads(settings, tmp_path, client):
    """Uploads and job files under a temporary folder; pages and messages in English (their msgids)."""
    settings.MEDIA_ROOT = tmp_path
    client.cookies["django_language"] = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def units(db):
    return make_district()


@pytest.fixture
def users(units):
    """One user per role; unit staff and leaders exist for both towns where it matters."""
    return {
        "admin": make_user("admin", Role.BUREAU, is_superuser=True, is_staff=True),
        "bureau": make_user("bureau", Role.BUREAU, units["district"]),
        "town_a": make_user("town_a", Role.UNIT, units["town_a"]),
        "town_b": make_user("town_b", Role.UNIT, units["town_b"]),
        "park_a": make_user("park_a", Role.UNIT, units["park_a"]),
        "leader": make_user("leader", Role.LEADER, units["district"]),
        "expert": make_user("expert", Role.EXPERT),
        "party": make_user("party", Role.PARTY, units["district"]),
        "ent_a": make_user("ent_a", Role.ENTERPRISE),
    }


@pytest.fixture
def enterprises(units, users):
    """华东科技 in town A (its account is ent_a) and 丰年电子 in town B."""
    a = make_enterprise(units["town_a"], "华东科技有限公司", contact_phone="13812345678")
    a.accounts.add(users["ent_a"])
    b = make_enterprise(units["town_b"], "丰年电子有限公司", contact_phone="13987654321")
    return {"a": a, "b": b}


@pytest.fixture
def client_for(client):
    """Log a test client in as a named user: `client_for(users["town_a"])`."""

    def login(user):
        client.force_login(user)
        return client

    return login


__all__ = ["PASSWORD"]
