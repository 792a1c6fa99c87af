"""Table tests of the voucher arithmetic and the commissioners' checks (RULES.md §8.1, §9)."""

from decimal import Decimal as D
from types import SimpleNamespace

import pytest

from peiyu.support import rules

SCHEME = SimpleNamespace(
    min_team_size=10,
    leader_rank="full_senior",
    min_local_share=D("0.5"),
    min_county_share=D("0.2"),
    max_outside_share=D("0.2"),
    excellent_points=D("60"),
    pass_points=D("30"),
)


@pytest.mark.parametrize(
    "fee, share, remaining, face, expected, limited_by",
    [
        ("10", "0.30", "20", "5", "3.0000", "share"),  # share cap below the face value
        ("100", "0.30", "20", "20", "20.0000", "annual_cap"),  # exactly at the annual cap (30 by share)
        ("100", "0.30", "19.9999", "20", "19.9999", "annual_cap"),  # one yuan of cap left short
        (
            "66.6667",
            "0.30",
            "20",
            "20",
            "20.0000",
            "share",
        ),  # share 20.00001 → rounded down to 20.0000 (a tie: the share is named)
        ("66.6663", "0.30", "20", "20", "19.9998", "share"),  # 19.99989 rounds DOWN to the yuan
        ("10", "0.20", "20", "1.5", "1.5000", "face_value"),  # face value below the share
        ("10", "0.30", "0", "5", "0.0000", "annual_cap"),  # cap used up
        ("10", "0.30", "-1", "5", "0.0000", "annual_cap"),  # never negative
    ],
)
def test_voucher_subsidy_is_the_smallest_limit(fee, share, remaining, face, expected, limited_by):
    result = rules.voucher_subsidy(D(fee), D(share), D(remaining), D(face))
    assert result.amount == D(expected)
    assert result.limited_by == limited_by


def test_per_person_cap_for_manager_training():
    # 30 % of 1万 = 3000 元, but 1000 元 × 2 persons = 2000 元.
    result = rules.voucher_subsidy(D("1"), D("0.30"), D("20"), D("5"), per_person_cap=D("0.1"), persons=2)
    assert result.amount == D("0.2") and result.limited_by == "per_person"
    assert rules.voucher_subsidy(D("1"), D("0.30"), D("20"), D("5"), D("0.1"), 4).amount == D("0.3000")


@pytest.mark.parametrize(
    "amount, share, provincial, local",
    [
        ("3", "0.6", "1.8000", "1.2000"),
        ("0.0001", "0.6", "0.0000", "0.0001"),
        ("12.3457", "0.5", "6.1728", "6.1729"),
        ("5", "0", "0", "5"),
    ],
)
def test_split_adds_up(amount, share, provincial, local):
    p, loc = rules.split(D(amount), D(share))
    assert (p, loc) == (D(provincial), D(local)) and p + loc == D(amount)


def team(n, county=2, city=3, outside=0, outside_rank="full_senior"):
    members = [rules.Member("senior", "county", False) for _ in range(county)]
    members += [rules.Member("senior", "city", False) for _ in range(city)]
    members += [rules.Member(outside_rank, "province", True) for _ in range(outside)]
    members += [rules.Member("senior", "province", False) for _ in range(n - len(members))]
    return members


def test_team_composition_at_its_boundaries():
    leader = rules.Member("full_senior", "province", False)
    assert (
        rules.team_problems(team(10, county=2, city=3, outside=2), leader, SCHEME) == []
    )  # 50 %, 20 %, 20 % exactly
    assert len(rules.team_problems(team(9), leader, SCHEME)) >= 1  # 9 < 10
    assert any(
        "县级" in p or "county" in p for p in rules.team_problems(team(10, county=1, city=4), leader, SCHEME)
    )  # county 10 %
    assert rules.team_problems(team(10, county=2, city=2), leader, SCHEME)  # local 40 %
    assert rules.team_problems(team(10, outside=3), leader, SCHEME)  # outside 30 %
    assert rules.team_problems(
        team(10, outside=1, outside_rank="senior"), leader, SCHEME
    )  # outside but not 正高
    assert rules.team_problems(team(10), rules.Member("senior", "city", False), SCHEME)  # leader not 正高
    assert rules.team_problems(team(10), None, SCHEME)


@pytest.mark.parametrize("days, met", [("60", True), ("59.5", False), ("60.5", True), ("0", False)])
def test_service_time_two_months(days, met):
    assert rules.service_time_met(D(days), D("60")) is met


def test_assessment_points_and_grades():
    items = [
        SimpleNamespace(label="项目", outcome_kind="project", min_trained=None, points=D(10), per_item=False),
        SimpleNamespace(label="示范基地", outcome_kind="base", min_trained=None, points=D(5), per_item=True),
        SimpleNamespace(label="培训≥400人次", outcome_kind="", min_trained=400, points=D(10), per_item=False),
    ]
    total, lines = rules.assessment_points(items, {"project": 3, "base": 2}, trained=400)
    assert total == D(30) and [p for _l, p in lines] == [D(10), D(10), D(10)]
    assert rules.assessment_points(items, {}, trained=399)[0] == D(0)
    assert rules.grade(D(30), SCHEME) == "Pass" or rules.grade(D(30), SCHEME) == "合格"
    assert rules.grade(D("29.5"), SCHEME) != rules.grade(D(30), SCHEME)
