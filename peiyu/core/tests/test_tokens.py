"""API tokens: an optional last valid day, and revocation when the password changes."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from peiyu.core.models import ApiToken
from peiyu.core.testing import PASSWORD

pytestmark = pytest.mark.django_db


def call(client, key):
    return client.get("/api/enterprises", HTTP_AUTHORIZATION=f"Bearer {key}")


def test_a_token_works_through_its_last_day_and_not_after(client, users):
    today = timezone.localdate()
    _t, today_key = ApiToken.objects.issue(users["bureau"], expires=today)
    _t, old_key = ApiToken.objects.issue(users["bureau"], expires=today - datetime.timedelta(days=1))
    assert call(client, today_key).status_code == 200
    expired = call(client, old_key)
    assert expired.status_code == 401 and "令牌" in expired.json()["detail"]


def test_the_token_page_sets_and_shows_the_expiry(client_for, users):
    client = client_for(users["bureau"])
    last_day = timezone.localdate() + datetime.timedelta(days=30)
    client.post("/tokens/", {"description": "报表系统", "expires": last_day.isoformat()})
    token = ApiToken.objects.get(user=users["bureau"])
    assert token.expires == last_day
    page = client.get("/tokens/").content.decode()
    assert last_day.strftime("%Y-%m-%d") in page and "有效期至" in page
    refused = client.post("/tokens/", {"description": "过去", "expires": "2020-01-01"})
    assert "不能早于今天" in refused.content.decode() and ApiToken.objects.count() == 1


def test_changing_the_password_revokes_every_token(client_for, users):
    _t, key = ApiToken.objects.issue(users["bureau"])
    ApiToken.objects.issue(users["leader"])
    client_for(users["bureau"]).post("/password/", {
        "old_password": PASSWORD, "new_password1": "Another-pass-2027", "new_password2": "Another-pass-2027",
    })
    assert not ApiToken.objects.filter(user=users["bureau"]).exists()
    assert ApiToken.objects.filter(user=users["leader"]).exists()
    assert call(Client(), key).status_code == 401


def test_an_administrator_reset_revokes_tokens_too(client_for, users):
    ApiToken.objects.issue(users["bureau"])
    admin = client_for(users["admin"])
    response = admin.post(f"/users/{users['bureau'].pk}/password/", {"new_password1": "Reset-pass-2027", "new_password2": "Reset-pass-2027"})
    assert response.status_code == 302
    users["bureau"].refresh_from_db()
    assert users["bureau"].check_password("Reset-pass-2027")
    assert not ApiToken.objects.filter(user=users["bureau"]).exists()


def test_a_hash_upgrade_at_sign_in_keeps_tokens(users):
    user = users["bureau"]
    ApiToken.objects.issue(user)
    user.password = "md5$plain$" + "0" * 32  # not the hash of the current password; stands for an outdated hash
    user.set_password(PASSWORD)
    user._password = None  # what Django's own hash upgrade leaves
    user.save(update_fields=["password"])
    assert ApiToken.objects.filter(user=user).exists()
