"""The R&D post-subsidy engine: tiers with intensity gates, the increment with its cap, title
multipliers with their maxima, exemptions — at every boundary (RULES.md §8.2)."""

import datetime
from decimal import Decimal as D

import polars as pl
import pytest

from peiyu.core.testing import make_enterprise, make_year
from peiyu.enterprises.choices import QualificationKind, QualificationLevel
from peiyu.enterprises.models import Qualification
from peiyu.support import subsidy
from peiyu.support.choices import SubsidyMethod
from peiyu.support.models import SubsidyPolicy, SubsidyResult, SubsidyTier

# 深圳市龙岗区 2022 (RULES.md §8.2): last year's R&D → intensity gate → award, 万元.
LONGGANG_2022 = [
    ("0", "0.09", "10"),
    ("1000", "0.07", "30"),
    ("3000", "0.05", "50"),
    ("6000", "0.03", "100"),
    ("10000", "0.03", "200"),
]
TIER_PLAN = subsidy.Plan(
    method=SubsidyMethod.TIERS,
    tiers=tuple((subsidy.yuan(D(f)), subsidy.ppm(D(i)), subsidy.yuan(D(a))) for f, i, a in LONGGANG_2022),
)
INCREMENT_PLAN = subsidy.Plan(method=SubsidyMethod.INCREMENT, rate_ppm=250_000, cap=subsidy.yuan(D("25")))


def run(plan, **row):
    base = {
        "enterprise_id": 1,
        "rd": None,
        "rd_previous": None,
        "revenue": None,
        "deduction_rd": None,
        "industry_code": "",
        "hitech": False,
        "provincial": False,
        "giant": False,
    }
    base.update(
        {
            k: subsidy.yuan(D(v))
            if k in ("rd", "rd_previous", "revenue", "deduction_rd") and v is not None
            else v
            for k, v in row.items()
        }
    )
    out = subsidy.compute_frame(plan, pl.DataFrame([base], schema=subsidy.FRAME_SCHEMA)).row(0, named=True)
    return subsidy.from_yuan(out["amount"]), out


@pytest.mark.parametrize(
    "rd, revenue, expected",
    [
        ("900", "10000", "10"),  # 9.00 % exactly at the <1000 tier's gate
        ("899.9999", "10000", "0"),  # one yuan under 9 %
        ("999.9999", "11111.11", "10"),  # just under the 1000 floor: the first tier (9.0000009 %)
        ("1000", "14285.7142", "30"),  # 1000 reaches the second tier; 7.0000001 %
        ("1000", "14285.7143", "0"),  # 6.99999997 %: refused exactly, not rounded to 7 %
        ("3000", "60000", "50"),  # 5 % exactly
        ("3000", "60000.0001", "0"),  # a yuan more revenue: 4.9999999 %
        ("6000", "200000", "100"),  # 3 %
        ("10000", "333333.3333", "200"),  # ≥1亿, 3.0000000003 %
        ("9999.9999", "100000", "100"),  # just under 1亿: the 6000 tier
    ],
)
def test_longgang_tiers_and_intensity_gates(rd, revenue, expected):
    assert run(TIER_PLAN, rd=rd, revenue=revenue)[0] == D(expected)


@pytest.mark.parametrize(
    "title, base_rd, revenue, expected",
    [
        ("provincial", "3000", "60000", "75"),  # 50 × 150 %
        ("giant", "3000", "60000", "100"),  # 50 × 200 %
        ("provincial", "10000", "100000", "300"),  # 200 × 150 % = 300: exactly the maximum
        ("giant", "10000", "100000", "400"),  # 200 × 200 % = 400: exactly the maximum
    ],
)
def test_title_multipliers_and_maxima(title, base_rd, revenue, expected):
    amount, row = run(TIER_PLAN, rd=base_rd, revenue=revenue, **{title: True})
    assert amount == D(expected)


def test_multiplier_maximum_bites():
    plan = subsidy.Plan(method=SubsidyMethod.TIERS, tiers=((0, None, subsidy.yuan(D("250"))),))
    assert run(plan, rd="1", revenue="1", provincial=True)[0] == D("300")  # 375 capped at 300
    assert run(plan, rd="1", revenue="1", giant=True, provincial=True)[0] == D(
        "400"
    )  # 500 capped; giant wins
    small = subsidy.Plan(
        method=SubsidyMethod.TIERS,
        tiers=((0, None, subsidy.yuan(D("350"))),),
        provincial_max=subsidy.yuan(D("300")),
    )
    assert run(small, rd="1", revenue="1", provincial=True)[0] == D(
        "350"
    )  # the maximum never lowers the base


@pytest.mark.parametrize(
    "rd, previous, expected",
    [
        ("200", "100", "25"),  # 25 % of 100 = 25: exactly the cap
        ("200", "100.0001", "24.9999"),  # 25 % of 99.9999 = 24.999975 → 24.9999 (down to the yuan)
        ("300", "100", "25"),  # 50 over the cap
        ("100", "120", "0"),  # R&D fell
        ("100", None, "0"),  # no figure for the year before
    ],
)
def test_increment_rate_with_cap(rd, previous, expected):
    assert run(INCREMENT_PLAN, rd=rd, rd_previous=previous, revenue="1000")[0] == D(expected)


def test_deduction_figure_replaces_the_year_and_can_be_required():
    plan = subsidy.Plan(method=SubsidyMethod.INCREMENT, rate_ppm=250_000, cap=None, requires_deduction=True)
    assert run(plan, rd="200", rd_previous="100")[0] == D("0")
    assert run(plan, rd="200", rd_previous="100", deduction_rd="180")[0] == D("20")


def test_gates_and_industry_exemption():
    plan = subsidy.Plan(
        method=SubsidyMethod.TIERS,
        requires_hitech=True,
        min_revenue=subsidy.yuan(D("2000")),
        min_intensity_ppm=30_000,
        exempt_prefixes=("27",),
        tiers=TIER_PLAN.tiers,
    )
    assert run(plan, rd="1000", revenue="10000", hitech=True)[0] == D("30")
    assert run(plan, rd="1000", revenue="10000")[0] == D("0")  # not 高企
    amount, row = run(plan, rd="1000", revenue="1999.9999", hitech=True)
    assert amount == D("0") and row["below_revenue"]
    # 生物医药 (27…): no 高企 or intensity condition, the revenue floor still applies
    assert run(plan, rd="1000", revenue="50000", industry_code="2710")[0] == D("30")
    assert run(plan, rd="1000", revenue="1000", industry_code="2710")[0] == D("0")


def test_reasons_explain_the_number():
    amount, row = run(TIER_PLAN, rd="3000", revenue="60000", giant=True)
    text = " ".join(subsidy.reasons_for(TIER_PLAN, row))
    assert "3,000.00" in text and "200%" in text and "100.00" in text


def test_compute_policy_stores_every_enterprise(units, enterprises):
    policy = SubsidyPolicy.objects.create(
        unit=units["district"], year=2024, name="研发后补助", method=SubsidyMethod.TIERS
    )
    for floor, need, award in LONGGANG_2022:
        SubsidyTier.objects.create(policy=policy, rd_floor=D(floor), min_intensity=D(need), award=D(award))
    make_year(enterprises["a"], 2024, revenue=D("20000"), rd_expense=D("1500"), total_costs=D("18000"))
    make_year(enterprises["b"], 2024, revenue=D("20000"), rd_expense=D("500"), total_costs=D("18000"))
    Qualification.objects.create(
        enterprise=enterprises["a"],
        kind=QualificationKind.SPECIALIZED_SME,
        level=QualificationLevel.PROVINCIAL,
        granted_on=datetime.date(2023, 1, 1),
        valid_until=datetime.date(2026, 1, 1),
    )
    outsider = make_enterprise(units["city"], "市直企业")
    make_year(outsider, 2024, revenue=D("20000"), rd_expense=D("1500"), total_costs=D("18000"))
    summary = subsidy.compute_policy(policy)
    assert summary == {"enterprises": 2, "eligible": 1, "total": D("45")}  # 30 × 150 %; b: 2.5 % < 9 %
    a = SubsidyResult.objects.get(enterprise=enterprises["a"])
    assert a.amount == D("45") and a.multiplier == D("1.5") and a.reasons
    # recomputing keeps results already in review
    a.state = "confirmed"
    a.save()
    subsidy.compute_policy(policy)
    assert SubsidyResult.objects.get(enterprise=enterprises["a"]).state == "confirmed"
    assert SubsidyResult.objects.count() == 2
    cost = subsidy.what_if(policy, tier_factor=D("2"))
    assert cost["current"]["total"] == D("45") and cost["changed"]["total"] == D("90")
