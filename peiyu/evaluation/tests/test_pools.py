"""Cultivation pools (issue 7 points 4, 5, 8, 13): firms over a ceiling kept apart, every listed
firm says why and its gap, one pool per tab with pages, search and a unit filter, membership cached
under a data version, and an export that keeps every row in sheets named after the rule sets."""

import datetime
import io
from decimal import Decimal

import pytest
import python_calamine
from django.urls import reverse

from peiyu.core.testing import make_enterprise, make_year
from peiyu.enterprises.models import Qualification
from peiyu.evaluation import pools

pytestmark = pytest.mark.django_db
URL = reverse("evaluation:pools")


def near_miss(unit, name, **fields):
    """A tech-SME near-miss: 9 technology staff of 100 (band F, under the 10 % the rules need)."""
    enterprise = make_enterprise(unit, name)
    figures = dict(revenue=Decimal(5000), rd_expense=Decimal(250), employees=100, tech_staff=9, invention_patents=2,
                   total_assets=Decimal(1000), total_costs=Decimal(4000))
    make_year(enterprise, 2024, **{**figures, **fields})
    return enterprise


@pytest.fixture
def many(units):
    firms = [near_miss(units["town_a"], f"甲{n:02d}科技有限公司") for n in range(30)]
    firms.append(near_miss(units["town_b"], "乙方电子有限公司"))
    return firms


def page(client, query: str) -> str:
    response = client.get(URL + query)
    assert response.status_code == 200
    return response.content.decode()


def test_a_firm_over_the_asset_ceiling_is_kept_apart(client_for, users, units):
    near_miss(units["town_a"], "华北重工有限公司", total_assets=Decimal(23000))  # 2.3亿: over 2亿, within 2亿 + 50 %
    near_miss(units["town_a"], "华东科技有限公司")
    client = client_for(users["bureau"])
    cultivable = page(client, "?year=2024&margin=50&step=tech-sme-2022")
    assert "华东科技有限公司" in cultivable and "华北重工有限公司" not in cultivable
    over = page(client, "?year=2024&margin=50&step=tech-sme-2022&kind=over_ceiling")
    assert "华北重工有限公司" in over and "华东科技有限公司" not in over
    assert "资产总额" in over  # the reason names the ceiling


def test_every_listed_firm_says_why_and_its_gap(client_for, users, units):
    near_miss(units["town_a"], "华东科技有限公司")
    response = client_for(users["bureau"]).get(URL + "?year=2024&margin=20&step=tech-sme-2022")
    row = next(r for r in response.context["pool"].rows if r["name"] == "华东科技有限公司")
    assert row["reasons"] and row["gaps"] == ["科技人员还需增加 1 人"]


def test_hitech_candidates_with_a_score_range_say_why(client_for, users, units):
    """A tech SME whose hi-tech score depends on expert scores: the row explains that, not just "20–94"."""
    enterprise = near_miss(units["town_a"], "华东科技有限公司", tech_staff=30, hitech_revenue=Decimal(4000),
                           rd_expense_domestic=Decimal(250))
    enterprise.established = datetime.date(2015, 3, 1)
    enterprise.hitech_field = "1"
    enterprise.save()
    Qualification.objects.create(enterprise=enterprise, kind="tech_sme", granted_on=datetime.date(2024, 4, 1))
    response = client_for(users["bureau"]).get(URL + "?year=2024&margin=50&step=hitech-2016")
    rows = response.context["pool"].rows
    assert [r["name"] for r in rows] == ["华东科技有限公司"]
    assert rows[0]["score_min"] != rows[0]["score_max"]
    assert rows[0]["reasons"], "a candidate with a score range must say why"


def test_pages_search_and_unit_filter(client_for, users, units, many):
    client = client_for(users["bureau"])
    first = client.get(URL + "?year=2024&step=tech-sme-2022")
    assert first.context["pool"].total == 31
    assert len(first.context["pool"].rows) == 25 and first.context["page_obj"].paginator.num_pages == 2
    second = client.get(URL + "?year=2024&step=tech-sme-2022&page=2")
    assert len(second.context["pool"].rows) == 6
    found = page(client, "?year=2024&step=tech-sme-2022&q=甲07")
    assert "甲07科技有限公司" in found and "甲08科技有限公司" not in found
    town_b = client.get(URL + f"?year=2024&step=tech-sme-2022&unit={units['town_b'].pk}")
    assert [r["name"] for r in town_b.context["pool"].rows] == ["乙方电子有限公司"]


def test_membership_is_cached_until_the_data_changes(client_for, users, units, many, monkeypatch):
    calls = []
    compute = pools._compute
    monkeypatch.setattr(pools, "_compute", lambda *a: calls.append(1) or compute(*a))
    client = client_for(users["bureau"])
    page(client, "?year=2024")
    page(client, "?year=2024&page=2&q=甲")
    assert len(calls) == 1
    near_miss(units["town_a"], "新来科技有限公司")
    assert "新来科技有限公司" in page(client, "?year=2024&q=新来")
    assert len(calls) == 2


def test_export_keeps_every_row_in_sheets_named_after_the_rule_sets(client_for, users, units, many):
    near_miss(units["town_a"], "华北重工有限公司", total_assets=Decimal(23000))
    response = client_for(users["bureau"]).get(reverse("evaluation:pools-export") + "?year=2024&margin=50")
    book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(response.content))
    names = book.sheet_names
    assert "科技型中小企业评价（2022年办法）" in names or any(n.startswith("科技型中小企业") for n in names)
    assert not any(n[0].isdigit() or "tech-sme" in n for n in names)
    main = next(n for n in names if n.startswith("科技型中小企业") and "超出上限" not in n)
    rows = book.get_sheet_by_name(main).to_python()[3:]
    assert len(rows) == 31  # every row, not a page
    over = next(n for n in names if "超出上限" in n)
    assert any("华北重工有限公司" in str(c) for r in book.get_sheet_by_name(over).to_python() for c in r)


def test_sheet_names_are_valid_and_unique():
    taken = set()
    assert pools_sheet("科技型中小企业评价（2017年办法）", taken) == "科技型中小企业评价（2017年办法）"
    assert pools_sheet("a/b:c" * 10, taken) == ("a-b-c" * 10)[:31]
    assert pools_sheet("a/b:c" * 10, taken) == ("a-b-c" * 10)[:28] + "(2)"


def pools_sheet(title, taken):
    from peiyu.evaluation.exports import sheet_name

    return sheet_name(title, taken)


def test_inputs_read_together_equal_inputs_read_one_by_one(enterprises):
    """The pools explain a page from inputs read by two queries; they must be the page's inputs."""
    from peiyu.evaluation.dbframes import input_for, inputs_for

    a, b = enterprises["a"], enterprises["b"]
    for year in (2021, 2023, 2024):
        make_year(a, year, revenue=Decimal(1000 + year), net_assets=Decimal(-5))
    make_year(b, 2023)  # no 2024 figures: left out
    Qualification.objects.create(enterprise=a, kind="hitech", granted_on=datetime.date(2023, 3, 1))
    together = inputs_for([a, b], 2024)
    assert set(together) == {a.pk} and input_for(b, 2024) is None
    assert together[a.pk] == input_for(a, 2024)
    assert together[a.pk].extra("hitech_certificate_valid") is True


def test_shown_rows_take_their_gaps_from_the_batch_search(client_for, users, units, monkeypatch):
    """Issue 7 point 13: the rows a pools page shows get their gaps from the batch search, not from
    the per-row search (which took 50–150 ms a row)."""
    from peiyu.evaluation import gaps

    near_miss(units["town_a"], "华东科技有限公司")

    def refuse(*args, **kwargs):
        raise AssertionError("per-row gap search")

    monkeypatch.setattr(gaps, "find_plans", refuse)
    response = client_for(users["bureau"]).get(URL + "?year=2024&margin=20&step=tech-sme-2022")
    row = next(r for r in response.context["pool"].rows if r["name"] == "华东科技有限公司")
    assert row["gaps"] == ["科技人员还需增加 1 人"]
