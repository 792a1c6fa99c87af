"""Pages: rule sets (view, copy to a local version, activate), an enterprise's evaluation, self-
evaluation, pools with export, alerts and what-if — rendered for the right users."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from peiyu.core.testing import make_enterprise, make_year
from peiyu.enterprises.models import EnterpriseYear, Qualification
from peiyu.evaluation.models import RuleSet, applicable_rulesets

pytestmark = pytest.mark.django_db


@pytest.fixture
def figures(enterprises, units):
    a, b = enterprises["a"], enterprises["b"]
    for year, revenue in ((2022, 3000), (2023, 4000), (2024, 5000)):
        make_year(a, year, revenue=Decimal(revenue), rd_expense=Decimal(revenue) / 20, employees=100, tech_staff=9,
                  invention_patents=2, total_assets=Decimal(1000), total_costs=Decimal(4000), patent_applications=0)
    make_year(b, 2024, revenue=Decimal(12000), rd_expense=Decimal(100), employees=300, tech_staff=60, total_assets=Decimal(9000),
              total_costs=Decimal(11000), rd_institution_level=0)
    Qualification.objects.create(enterprise=b, kind="hitech", granted_on=datetime.date(2022, 3, 1))
    return enterprises


def test_index_lists_rule_sets_with_unconfirmed_counts(client_for, users):
    page = client_for(users["town_a"]).get(reverse("evaluation:index"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "tech-sme-2017" in text and "hitech-2016" in text and "gazelle-jinan-2016" in text


def test_rule_set_page_shows_source_and_unconfirmed(client_for, users):
    RuleSet.objects.sync_official()
    record = RuleSet.objects.get(code="hitech-2016")
    page = client_for(users["town_a"]).get(reverse("evaluation:ruleset", args=[record.pk]))
    text = page.content.decode()
    assert "国科发火〔2016〕32号" in text and 'class="unconfirmed' in text


def test_bureau_copies_a_rule_set_into_a_local_version(client_for, users):
    RuleSet.objects.sync_official()
    record = RuleSet.objects.get(code="tech-sme-2017")
    client = client_for(users["bureau"])
    assert client.get(reverse("evaluation:ruleset-copy", args=[record.pk])).status_code == 200
    response = client.post(reverse("evaluation:ruleset-copy", args=[record.pk]), {"pass.min_score": "55", "note": "试行", "activate": "1"})
    local = RuleSet.objects.get(code="tech-sme-2017", version="1-L1")
    assert response.status_code == 302 and local.data["pass"]["min_score"] == 55 and local.is_active
    assert RuleSet.objects.get(pk=record.pk).data["pass"]["min_score"] == 60 and not RuleSet.objects.get(pk=record.pk).is_active
    page = client.get(reverse("evaluation:ruleset", args=[local.pk]))
    assert "55" in page.content.decode()


def test_invalid_copy_is_refused(client_for, users):
    RuleSet.objects.sync_official()
    record = RuleSet.objects.get(code="tech-sme-2017")
    response = client_for(users["bureau"]).post(reverse("evaluation:ruleset-copy", args=[record.pk]), {"pass.min_score": "sixty"})
    assert response.status_code == 200 and not RuleSet.objects.filter(version="1-L1").exists()


def test_enterprise_page_shows_every_rule_set_with_gap(client_for, users, figures):
    page = client_for(users["town_a"]).get(reverse("evaluation:enterprise", args=[figures["a"].pk]) + "?year=2024")
    assert page.status_code == 200
    text = page.content.decode()
    assert "科技人员还需增加 1 人" in text  # 9 of 100: the tech-sme gap
    applicable = applicable_rulesets(figures["a"].unit, datetime.date(2025, 1, 1))  # figures of 2024 serve 2025
    assert text.count("result-card") == len(applicable) > 0


def test_self_evaluation_for_the_enterprise_user(client_for, users, figures):
    client = client_for(users["ent_a"])
    assert client.get(reverse("evaluation:self")).status_code == 302
    url = reverse("evaluation:self-enterprise", args=[figures["a"].pk]) + "?year=2024"
    page = client.get(url)
    assert page.status_code == 200 and "科技人员还需增加 1 人" in page.content.decode()
    data = {f"f-{k}": v for k, v in {"revenue": "5000", "rd_expense": "250", "employees": "100", "tech_staff": "10",
                                     "total_assets": "1000", "total_costs": "4000", "invention_patents": "2",
                                     "rd_institution_level": "0"}.items()}
    evaluated = client.post(url, {**data, "evaluate": "1"})
    assert "科技人员还需增加 1 人" not in evaluated.content.decode()
    assert EnterpriseYear.objects.get(enterprise=figures["a"], year=2024).tech_staff == 9  # evaluate only: nothing saved
    client.post(url, {**data, "save": "1"})
    assert EnterpriseYear.objects.get(enterprise=figures["a"], year=2024).tech_staff == 10


def test_pools_alerts_and_export(client_for, users, figures):
    client = client_for(users["bureau"])
    pools = client.get(reverse("evaluation:pools") + "?year=2024&margin=20")
    assert pools.status_code == 200
    text = pools.content.decode()
    assert "华东科技有限公司" in text  # a near-miss tech SME (9% staff)
    export = client.get(reverse("evaluation:pools-export") + "?year=2024&margin=20")
    assert export.status_code == 200 and export["Content-Type"].startswith("application/vnd.openxmlformats")
    alerts = client.get(reverse("evaluation:alerts") + "?year=2024").content.decode()
    assert "丰年电子有限公司" in alerts  # 1.2亿 without R&D institution; hi-tech with R&D under 5%


def test_what_if_counts_and_flips(client_for, users, figures):
    RuleSet.objects.sync_official()
    record = RuleSet.objects.get(code="tech-sme-2017")
    client = client_for(users["bureau"])
    url = reverse("evaluation:whatif") + f"?ruleset={record.pk}&year=2024"
    assert client.get(url).status_code == 200
    page = client.post(url, {"indicators.0.bands.4.when.value": "0.09"})  # band E from 9%: 华东 flips
    text = page.content.decode()
    assert page.status_code == 200 and "华东科技有限公司" in text
    assert page.context["simulation"].after == page.context["simulation"].before + 1


def test_large_district_what_if_is_fast(client_for, users, units):
    for i in range(300):
        e = make_enterprise(units["town_a" if i % 2 else "town_b"], f"企业{i}")
        make_year(e, 2024, revenue=Decimal(1000 + i), rd_expense=Decimal(i % 80), employees=100, tech_staff=i % 40,
                  total_assets=Decimal(900), total_costs=Decimal(900))
    RuleSet.objects.sync_official()
    record = RuleSet.objects.get(code="tech-sme-2017")
    page = client_for(users["bureau"]).post(reverse("evaluation:whatif") + f"?ruleset={record.pk}&year=2024", {"pass.min_score": "50"})
    assert page.context["simulation"].total == 300 and page.context["simulation"].seconds < 1
