"""Error pages: Chinese, inside the page frame, with a way back; the 500 page needs no database."""

import pytest
from django.conf import settings
from django.test import Client, RequestFactory
from django.views import defaults

from peiyu.core.views import accounts


def assert_in_frame(response, heading: str):
    html = response.content.decode()
    assert heading in html
    assert 'class="navbar' in html and "返回首页" in html and "data-history-back" in html
    assert "Traceback" not in html and "URLconf" not in html


@pytest.mark.django_db
def test_out_of_scope_enterprise_is_a_chinese_404_in_the_frame(client_for, users, enterprises):
    assert settings.DEBUG is False  # pytest-django serves with DEBUG off, as production does
    response = client_for(users["town_b"]).get(f"/enterprises/{enterprises['a'].pk}/")
    assert response.status_code == 404
    assert_in_frame(response, "页面不存在")
    assert "华东科技" not in response.content.decode()
    assert "退出登录" in response.content.decode()  # the signed-in frame: menu and account


@pytest.mark.django_db
def test_unknown_address_is_a_chinese_404_for_visitors_too(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert_in_frame(response, "您要打开的页面不存在")


@pytest.mark.django_db
def test_read_only_record_is_a_403_naming_the_reason(client_for, users, enterprises):
    response = client_for(users["leader"]).get(f"/enterprises/{enterprises['a'].pk}/edit/")
    assert response.status_code == 403
    assert_in_frame(response, "无权访问")
    assert "您可以查看此记录，但无权修改。" in response.content.decode()


@pytest.mark.django_db
def test_a_form_without_its_csrf_token_gets_the_chinese_403():
    response = Client(enforce_csrf_checks=True).post("/login/", {"username": "x", "password": "y"})
    assert response.status_code == 403
    assert_in_frame(response, "表单已过期")


@pytest.mark.django_db
def test_an_exception_in_a_view_is_a_chinese_500_in_the_frame(client_for, users, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(accounts.TokenListView, "get_context_data", broken)
    client = client_for(users["bureau"])
    client.raise_request_exception = False
    response = client.get("/tokens/")
    assert response.status_code == 500
    assert_in_frame(response, "服务器出错")
    assert "boom" not in response.content.decode()


def test_the_500_page_renders_without_the_database():
    # No django_db mark: any query here raises, as it would when the database itself is down.
    response = defaults.server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    assert "服务器出错" in response.content.decode()


@pytest.mark.django_db
def test_favicon_is_linked_and_served(client):
    html = client.get("/login/").content.decode()
    assert 'rel="icon" href="/static/core/favicon.svg"' in html
    response = client.get("/favicon.ico")
    assert response.status_code == 302 and response["Location"] == "/static/core/favicon.svg"
    svg = (settings.BASE_DIR / "core/static/core/favicon.svg").read_text()
    assert svg.startswith("<svg") and "viewBox" in svg
