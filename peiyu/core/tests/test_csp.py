"""The Content-Security-Policy header, and templates that keep working under it: inline scripts carry
the response's nonce, and no template uses inline event handlers (which the policy blocks)."""

import re
from pathlib import Path

import pytest
from django.conf import settings

from peiyu.core.testing import make_year

TEMPLATES = sorted(Path(settings.BASE_DIR).glob("*/templates/**/*.html"))


def policy(response) -> dict[str, str]:
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.strip() for part in header.split(";") if part.strip()}


@pytest.mark.django_db
def test_pages_send_a_policy_with_a_nonce_for_their_inline_scripts(client_for, users, enterprises):
    make_year(enterprises["a"], 2024, revenue=1000)
    response = client_for(users["bureau"]).get("/")
    directives = policy(response)
    assert directives["default-src"] == "default-src 'self'"
    assert directives["object-src"] == "object-src 'none'"
    assert directives["frame-ancestors"] == "frame-ancestors 'none'"
    nonce = re.search(r"'nonce-([^']+)'", directives["script-src"]).group(1)
    assert "'unsafe-inline'" not in directives["script-src"] and "'unsafe-eval'" not in directives["script-src"]
    html = response.content.decode()
    inline = re.findall(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)([^>]*)>", html)
    assert inline, "the dashboard draws its charts from an inline script"
    assert all(f'nonce="{nonce}"' in attrs for attrs in inline)


@pytest.mark.django_db
def test_each_response_gets_its_own_nonce(client_for, users):
    client = client_for(users["bureau"])
    first, second = (policy(client.get("/"))["script-src"] for _ in range(2))
    assert first != second


@pytest.mark.django_db
def test_the_login_page_has_a_policy_too(client):
    assert "default-src 'self'" in client.get("/login/")["Content-Security-Policy"]


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: str(p.relative_to(settings.BASE_DIR)))
def test_templates_have_no_inline_handlers_or_nonce_less_scripts(path):
    text = path.read_text(encoding="utf-8")
    assert not re.search(r"\son[a-z]+\s*=", text), "inline event handler: use data-autosubmit/-print/-confirm (core/peiyu.js)"
    assert "javascript:" not in text
    for attrs in re.findall(r"<script\b([^>]*)>", text):
        if "src=" in attrs or "application/json" in attrs:
            continue
        assert "nonce=" in attrs, "inline <script> without nonce=\"{{ request.csp_nonce }}\""
