"""A town official sees only their town — on the enterprise page, the pools, their export, the
alerts and the what-if — and gets 403/404, never data, for anything else. Enterprise users reach
only their own enterprise. Only bureau staff change rule sets."""

import datetime
import io
from decimal import Decimal

import pytest
import python_calamine
from django.urls import reverse

from peiyu.core.testing import make_year
from peiyu.enterprises.models import Qualification
from peiyu.evaluation.models import RuleSet

pytestmark = pytest.mark.django_db
OTHER = "丰年电子有限公司"  # town B


@pytest.fixture
def data(enterprises):
    for e in enterprises.values():  # near-miss tech SMEs (9% tech staff) with 1.2亿 sales and no R&D institution
        make_year(e, 2024, revenue=Decimal(12000), rd_expense=Decimal(600), employees=100, tech_staff=9, invention_patents=0,
                  total_assets=Decimal(1000), total_costs=Decimal(11000))
    Qualification.objects.create(enterprise=enterprises["b"], kind="hitech", granted_on=datetime.date(2022, 5, 1),
                                 valid_until=datetime.date.today() + datetime.timedelta(days=30))  # expiring soon
    RuleSet.objects.sync_official()
    return enterprises


def get(client, name, *args, query=""):
    return client.get(reverse(f"evaluation:{name}", args=args) + query)


def test_other_towns_enterprise_page_is_404(client_for, users, data):
    client = client_for(users["town_a"])
    assert get(client, "enterprise", data["a"].pk).status_code == 200
    page = get(client, "enterprise", data["b"].pk)
    assert page.status_code == 404 and OTHER not in page.content.decode()


@pytest.mark.parametrize("name", ["pools", "alerts"])
def test_town_lists_show_only_the_town(client_for, users, data, name):
    if name == "pools":  # a certificate holder is past the tech-SME and hi-tech pools
        data["b"].qualifications.all().delete()
    page = get(client_for(users["town_a"]), name, query="?year=2024&margin=50")
    text = page.content.decode()
    assert page.status_code == 200, text
    assert "华东科技有限公司" in text and OTHER not in text
    bureau = get(client_for(users["bureau"]), name, query="?year=2024&margin=50").content.decode()
    assert OTHER in bureau


def test_pool_export_is_scoped(client_for, users, data):
    response = get(client_for(users["town_a"]), "pools-export", query="?year=2024&margin=50")
    book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(response.content))
    cells = [str(c) for name in book.sheet_names for row in book.get_sheet_by_name(name).to_python() for c in row]
    assert "华东科技有限公司" in cells and OTHER not in cells


def test_what_if_is_scoped(client_for, users, data):
    record = RuleSet.objects.get(code="tech-sme-2017")
    page = client_for(users["town_a"]).post(reverse("evaluation:whatif") + f"?ruleset={record.pk}&year=2024",
                                            {"indicators.0.bands.4.when.value": "0.09"})
    assert page.context["simulation"].total == 1 and OTHER not in page.content.decode()


@pytest.mark.parametrize("name", ["pools", "alerts", "whatif", "pools-export"])
def test_enterprise_users_and_experts_cannot_see_staff_lists(client_for, users, data, name):
    for user in (users["ent_a"], users["expert"]):
        assert get(client_for(user), name, query="?year=2024").status_code == 403


def test_enterprise_user_self_evaluates_only_their_own(client_for, users, data):
    client = client_for(users["ent_a"])
    assert get(client, "self-enterprise", data["a"].pk).status_code == 200
    assert get(client, "self-enterprise", data["b"].pk).status_code == 404
    assert get(client, "enterprise", data["b"].pk).status_code == 404


def test_only_bureau_changes_rule_sets(client_for, users, data):
    record = RuleSet.objects.get(code="tech-sme-2017")
    for name in ("town_a", "leader", "ent_a"):
        client = client_for(users[name])
        assert get(client, "ruleset-copy", record.pk).status_code == 403
        assert client.post(reverse("evaluation:ruleset-activate", args=[record.pk])).status_code == 403
    assert get(client_for(users["bureau"]), "ruleset-copy", record.pk).status_code == 200


def test_anonymous_is_sent_to_sign_in(client):
    for name in ("index", "pools", "alerts", "whatif", "self"):
        assert get(client, name).status_code == 302
