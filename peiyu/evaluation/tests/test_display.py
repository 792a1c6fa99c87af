"""What users read about a result: amounts, ages, reasons that agree between table and notes,
rule sets that fit the district and the period, and bad input that gets words instead of a 500."""

import datetime
import io
from decimal import Decimal
from fractions import Fraction

import pytest
from django.urls import reverse

from peiyu.core.testing import make_year
from peiyu.enterprises.models import Qualification
from peiyu.evaluation import display, explain, rules
from peiyu.evaluation.engine import evaluate
from peiyu.evaluation.gaps import apply, evaluate_with_gaps
from peiyu.evaluation.levers import Change
from peiyu.evaluation.models import RuleSet, applicable_rulesets
from peiyu.evaluation.tests.factories import D, hitech, hitech_rows, one_year, tech_sme

TECH = rules.official("tech-sme-2022")
HITECH = rules.official("hitech-2016")
SPECIALIZED = rules.official("specialized-sme-2022")


# — numbers ————————————————————————————————————————————————————————————————————————

def test_a_gap_shows_two_decimals_rounded_up_and_adding_the_shown_amount_qualifies():
    inp = tech_sme(tech_staff=20, rd_expense=D("162.4567"), total_costs=D(100000), invention_patents=0, utility_patents=4)
    result = evaluate_with_gaps(TECH, inp)
    gap = result.gaps[0]
    assert gap.amount == D("37.5433") and gap.message == "研发费用还需增加 37.55 万元"
    shown = Decimal("37.55")
    following = apply(inp, Change({"0.rd_expense": shown, "0.total_costs": shown}))
    assert evaluate(TECH, following).eligible is True


def test_money_shows_two_decimals_truncated_and_ages_whole_years():
    assert display.shown("rd_expense", D("180.2468")) == "180.24万元"
    assert display.shown("revenue", D(1000)) == "1000.00万元"
    assert display.shown("registered_years", Fraction(2648, 100)) == "26年多"
    assert display.shown("registered_years", Fraction(8)) == "8年"
    assert display.shown("registered_years", Fraction(1, 2)) == "不满1年"


def test_an_age_over_a_limit_never_reads_as_within_it():
    # established 2015-03-01, as of 2024-12-31: 9 years and some months, over the 雏鹰 limit of 8
    result = evaluate(rules.official("chick-tianjin-2021"), one_year(revenue=D(500), profile={"established": datetime.date(2015, 3, 1)}))
    age = result.indicator("age")
    assert age.passed is False and age.shown == "9年多" and "26.48" not in age.why


# — reasons agree between the table and the notes ————————————————————————————————————

def test_a_compound_condition_shows_its_figures_and_the_reason():
    # 180.24万 of R&D on 7800万 revenue is 2.31%: the 100万 part holds, the 3% part does not
    inp = one_year(revenue=D("7800"), rd_expense=D("180.24"), employees=50, total_assets=D(3000))
    gate = evaluate(SPECIALIZED, inp).indicator("rd")
    assert gate.passed is False
    assert gate.shown == "180.24万元；2.31%"
    assert gate.why == "研发费用占销售收入的比例为2.31%，要求不低于3%"
    assert gate.why in [m.message for m in evaluate(SPECIALIZED, inp).failed]


def test_a_short_history_growth_note_says_what_was_scored_as_the_table_does():
    rows = hitech_rows()[1:]  # two years only: 1300 → 1690 net assets, +30%
    result = evaluate(HITECH, hitech(rows))
    row = result.indicator("net_asset_growth")
    note = next(n.message for n in result.notes if n.code == "net_asset_growth")
    assert row.shown == "30%" and row.points_min > 0
    assert "30%" in note and "0分" not in note


def test_a_negative_growth_base_is_scored_zero_and_says_so():
    rows = hitech_rows()
    rows[1]["net_assets"] = D(-100)
    result = evaluate(HITECH, hitech(rows))
    row = result.indicator("net_asset_growth")
    note = next(n.message for n in result.notes if n.code == "net_asset_growth")
    assert row.shown == "" or row.value is None
    assert row.points_max == 0 and "负值" in note and "已按0分计" in note


def test_summary_names_the_outcome_and_every_reason():
    result = evaluate(TECH, tech_sme(tech_staff=5))
    text = explain.summary(result)
    assert text.startswith("不符合：") and all(m.message in text for m in result.failed)


@pytest.mark.django_db
def test_a_held_registration_beside_a_failing_result_is_explained(client_for, users, enterprises):
    a = enterprises["a"]
    for year in (2023, 2024):
        make_year(a, year, revenue=Decimal(5000), rd_expense=Decimal(10), employees=100, tech_staff=5, total_assets=Decimal(1000),
                  total_costs=Decimal(4000))
    Qualification.objects.create(enterprise=a, kind="tech_sme", number="202512011000000123",
                                 granted_on=datetime.date.today().replace(month=1, day=1))
    text = client_for(users["town_a"]).get(reverse("evaluation:enterprise", args=[a.pk]) + "?year=2024").content.decode()
    assert "202512011000000123" in text and "登记或认定按当时的规则和企业当时填报的数据作出" in text


# — internal words ——————————————————————————————————————————————————————————————————

@pytest.mark.django_db
def test_rule_set_page_names_unconfirmed_rules_in_chinese(client_for, users):
    RuleSet.objects.sync_official()
    hitech_page = client_for(users["town_a"]).get(reverse("evaluation:ruleset", args=[RuleSet.objects.get(code="hitech-2016").pk]))
    text = hitech_page.content.decode()
    assert "经营不足三年企业的成长性计算方法" in text and ">gates.registered_years<" not in text and ">options." not in text
    tech = RuleSet.objects.get(code="tech-sme-2022")
    text = client_for(users["town_a"]).get(reverse("evaluation:ruleset", args=[tech.pk])).content.decode()
    assert "tech_staff at least" not in text and "科技人员 at least" not in text
    specialized = RuleSet.objects.get(code="specialized-sme-2022")
    assert "UNCONFIRMED" not in client_for(users["town_a"]).get(reverse("evaluation:ruleset", args=[specialized.pk])).content.decode()


# — rule sets that fit the district and the period ———————————————————————————————————

@pytest.mark.django_db
def test_tianjin_gets_the_national_and_tianjin_sets_in_force(units):
    codes = {r.code for r in applicable_rulesets(units["district"], datetime.date(2026, 6, 1))}
    assert {"tech-sme-2022", "hitech-2016", "chick-tianjin-2021", "gazelle-tianjin-2021"} <= codes
    assert not codes & {"gazelle-huangpu-2022", "gazelle-jinan-2016", "tech-sme-2017", "little-giant-tianjin-2011"}
    in_2012 = {r.code for r in applicable_rulesets(units["town_a"], datetime.date(2012, 1, 1))}
    assert in_2012 == {"little-giant-tianjin-2011"}
    # without a unit, the platform's own units (the demo's 天津市 tree) decide
    assert {r.code for r in applicable_rulesets(None, datetime.date(2026, 6, 1))} == codes


@pytest.mark.django_db
def test_index_marks_history_and_other_regions_never_in_use(client_for, users):
    text = client_for(users["bureau"]).get(reverse("evaluation:index")).content.decode()
    rows = {r.split("</a>")[0].rsplit(">", 1)[-1]: r for r in text.split("<tr")[2:]}
    status = {name: ("使用中" in row, "历史版本" in row, "不适用本地区" in row) for name, row in rows.items()}
    assert status["瞪羚企业（广州市黄埔区、广州开发区，2022年）"] == (False, False, True)
    assert status["科技型中小企业评价（2017年办法）"] == (False, True, False)
    assert status["科技小巨人（天津市科技小巨人成长计划，2011–2015）"] == (False, True, False)
    assert status["雏鹰企业（天津市，津科规〔2021〕3号）"] == (True, False, False)
    assert "口径待核实" in rows["瞪羚企业（天津市，津科规〔2021〕3号）"]


@pytest.mark.django_db
def test_what_if_defaults_to_a_rule_set_that_applies(client_for, users):
    page = client_for(users["bureau"]).get(reverse("evaluation:whatif"))
    record = page.context["record"]
    assert record.region in ("", "120000") and record.in_force(datetime.date.today().year)


# — bad input ————————————————————————————————————————————————————————————————————————

@pytest.mark.django_db
def test_self_evaluation_of_an_impossible_year_is_a_400_in_words(client_for, users, enterprises):
    client = client_for(users["ent_a"])
    url = reverse("evaluation:self-enterprise", args=[enterprises["a"].pk])
    response = client.post(url + "?year=2033", {"f-revenue": "100", "evaluate": "1"})
    assert response.status_code == 400 and "不可能有 2033 年的数据" in response.content.decode()


@pytest.mark.django_db
def test_self_evaluation_offers_the_rd_institution_level_as_a_choice(client_for, users, enterprises):
    make_year(enterprises["a"], 2024, revenue=Decimal("5871.4700"))
    page = client_for(users["ent_a"]).get(reverse("evaluation:self-enterprise", args=[enterprises["a"].pk]))
    text = page.content.decode()
    assert '<select name="f-rd_institution_level"' in text and "省级" in text
    assert page.context["figures"]["revenue"].value() == "5871.47"  # no padding zeros


# — alerts and the self-evaluation list ————————————————————————————————————————————————

@pytest.mark.django_db
def test_a_certificate_that_ended_two_weeks_ago_is_flagged_with_days_and_cadre(client_for, users, enterprises):
    today = datetime.date.today()
    a = enterprises["a"]
    a.cadre = users["bureau"]
    a.save()
    Qualification.objects.create(enterprise=a, kind="hitech", number="GR202212000123",
                                 granted_on=today - datetime.timedelta(days=3 * 365), valid_until=today - datetime.timedelta(days=14))
    page = client_for(users["town_a"]).get(reverse("evaluation:alerts") + "?list=expiring")
    text = page.content.decode()
    assert page.status_code == 200 and "GR202212000123" in text and "14" in text
    assert page.context["page_obj"][0].days_left == -14 and "138****5678" in text or "13812345678" in text


@pytest.mark.django_db
def test_alerts_search_paginate_and_export_masked(client_for, users, enterprises):
    import openpyxl

    today = datetime.date.today()
    for e in enterprises.values():
        Qualification.objects.create(enterprise=e, kind="hitech", number=f"GR{e.pk:010d}", valid_until=today + datetime.timedelta(days=30))
    client = client_for(users["leader"])
    page = client.get(reverse("evaluation:alerts") + "?list=expiring&q=华东")
    assert [r.enterprise.name for r in page.context["page_obj"]] == ["华东科技有限公司"]
    response = client.get(reverse("evaluation:alerts-export") + "?list=expiring&q=华东")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    cells = [c.value for row in sheet.iter_rows() for c in row if c.value is not None]
    assert "华东科技有限公司" in cells and "丰年电子有限公司" not in cells
    assert users["leader"].sees_phones or "13812345678" not in cells


@pytest.mark.django_db
def test_the_bureau_self_evaluation_list_is_searchable_and_paged(client_for, users, enterprises):
    page = client_for(users["bureau"]).get(reverse("evaluation:self") + "?q=丰年")
    assert [e.name for e in page.context["page_obj"]] == ["丰年电子有限公司"]
    assert page.context["page_obj"].paginator.per_page == 30


# — English mode ——————————————————————————————————————————————————————————————————————

def test_english_mode_translates_rule_names_verdicts_and_gaps():
    from django.utils import translation

    inp = tech_sme(tech_staff=20, rd_expense=D("162.4567"), total_costs=D(100000), invention_patents=0, utility_patents=4,
                   )
    with translation.override("en"):
        result = evaluate_with_gaps(TECH, inp)
        credit = result.indicator("credit")
        failing = evaluate(rules.official("hitech-2016"), hitech(extras={"major_accident": True}))
    assert credit.name == "Not on the abnormal-operations or serious-violation lists" and credit.threshold_shown == "must be no"
    assert result.gaps[0].message == "37.55 ×10k yuan more R&D expense needed"
    assert any("A major safety or quality accident" in m.message for m in failing.failed)
    assert not any("\u4e00" <= ch <= "\u9fff" for m in failing.failed for ch in m.message)
    assert evaluate(TECH, inp).indicator("credit").name == "未列入经营异常名录和严重违法失信企业名单"  # Chinese otherwise


@pytest.mark.django_db
def test_the_english_enterprise_page_has_no_chinese_rule_wording(client, users, enterprises):
    from django.utils import translation

    a = enterprises["a"]
    for year in (2023, 2024):
        make_year(a, year, revenue=Decimal(5000), rd_expense=Decimal(10), employees=100, tech_staff=5, total_assets=Decimal(1000),
                  total_costs=Decimal(4000))
    client.force_login(users["town_a"])
    with translation.override("en"):
        text = client.get(reverse("evaluation:enterprise", args=[a.pk]) + "?year=2024", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Technology-based SME evaluation (entry conditions from 2022)" in text and "应为" not in text and "万元" not in text
