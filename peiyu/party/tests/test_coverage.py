from decimal import Decimal

import pytest

from peiyu.party.choices import Coverage, OrganisationKind, Setup
from peiyu.party.coverage import classify, rates_by_unit, refresh
from peiyu.party.models import CoverageEntry, Instructor, Organisation, PartySettings
from peiyu.party.tests.conftest import entry


@pytest.mark.parametrize(
    ("own", "joint", "instructor", "members", "expected"),
    [
        (True, False, False, 5, (Coverage.OWN, False)),
        (True, True, True, 0, (Coverage.OWN, False)),  # own wins over everything
        (False, True, False, 2, (Coverage.JOINT, False)),  # under the threshold: a joint branch is right
        (
            False,
            True,
            False,
            3,
            (Coverage.JOINT, True),
        ),  # 3 members under a joint branch: should have its own
        (False, True, True, 0, (Coverage.JOINT, False)),  # joint wins over an instructor
        (False, False, True, 2, (Coverage.WORK, False)),
        (False, False, True, 3, (Coverage.WORK, True)),
        (False, False, False, 0, (Coverage.GAP, False)),
        (False, False, False, 2, (Coverage.GAP, False)),  # below the threshold
        (False, False, False, 3, (Coverage.GAP, True)),  # exactly at the threshold: 应建未建
    ],
)
def test_classify_every_case(own, joint, instructor, members, expected):
    assert classify(own, joint, instructor, members, threshold=3) == expected


def make_org(unit, name, enterprises, **fields):
    org = Organisation.objects.create(name=name, unit=unit, **fields)
    org.enterprises.set(enterprises)
    return org


def test_ledger_follows_organisations_and_instructors(units, firms):
    a1, a2, a3, b1, b2 = (firms[k] for k in ("a1", "a2", "a3", "b1", "b2"))
    assert CoverageEntry.objects.count() == 5 and entry(a1).employees == 120
    CoverageEntry.objects.filter(enterprise=b1).update(party_members=4)
    CoverageEntry.objects.filter(enterprise=a3).update(party_members=2)
    make_org(units["town_a"], "华东科技党支部", [a1])
    joint = make_org(
        units["town_a"], "科技园联合党支部", [a2, a3], kind=OrganisationKind.JOINT_BRANCH, setup=Setup.JOINT
    )
    teacher = Instructor.objects.create(name="王建国", unit=units["town_b"])
    teacher.enterprises.add(b1)
    refresh()
    got = {k: (entry(e).coverage, entry(e).should_build) for k, e in firms.items()}
    assert got == {
        "a1": (Coverage.OWN, False),
        "a2": (Coverage.JOINT, False),
        "a3": (Coverage.JOINT, False),
        "b1": (Coverage.WORK, True),
        "b2": (Coverage.GAP, False),
    }
    # Signals keep it in step without a manual refresh: dissolving the joint branch leaves gaps.
    joint.status = "dissolved"
    joint.save()
    assert entry(a2).coverage == Coverage.GAP and entry(a3).coverage == Coverage.GAP
    teacher.enterprises.remove(b1)
    assert entry(b1).coverage == Coverage.GAP and entry(b1).should_build
    # The threshold is data: raising it to 5 clears the flag of an enterprise with 4 members.
    settings = PartySettings.current()
    settings.member_threshold = 5
    settings.save()
    assert not entry(b1).should_build


def test_single_setup_of_a_joint_kind_is_not_own(units, firms):
    make_org(
        units["town_b"],
        "丰年联合党支部",
        [firms["b1"]],
        kind=OrganisationKind.JOINT_BRANCH,
        setup=Setup.SINGLE,
    )
    assert entry(firms["b1"]).coverage == Coverage.JOINT


def test_enterprise_leaving_the_library_leaves_the_denominator(units, firms):
    firms["b2"].status = "deregistered"
    firms["b2"].save()
    assert not entry(firms["b2"]).operating
    rates = rates_by_unit([units["town_b"]])
    assert rates[units["town_b"].pk].enterprises == 1


def test_unit_rates_computed_over_the_subtree(units, firms):
    make_org(units["town_a"], "华东科技党支部", [firms["a1"]])
    make_org(
        units["park_a"],
        "园区联合党支部",
        [firms["a3"]],
        kind=OrganisationKind.JOINT_BRANCH,
        setup=Setup.JOINT,
    )
    Instructor.objects.create(name="李红", unit=units["town_a"]).enterprises.add(firms["a2"])
    rates = rates_by_unit([units["district"], units["town_a"], units["town_b"], units["park_a"]])
    town_a, district = rates[units["town_a"].pk], rates[units["district"].pk]
    assert (town_a.enterprises, town_a.own, town_a.joint, town_a.work) == (3, 1, 1, 1)
    assert town_a.organisation_rate == Decimal("66.67")  # 2 ÷ 3
    assert town_a.single_rate == Decimal("33.33")
    assert town_a.work_rate == Decimal("100.00")
    assert rates[units["park_a"].pk].organisation_rate == Decimal("100.00")
    assert district.enterprises == 5 and district.organisation_rate == Decimal("40.00")  # exactly 2 ÷ 5
    assert rates[units["town_b"].pk].organisation_rate == Decimal("0.00")


def test_unit_without_enterprises_has_no_rate(units):
    rates = rates_by_unit([units["town_b"]])
    assert rates[units["town_b"].pk].organisation_rate is None


def test_members_never_exceed_headcount(firms):
    from django.core.exceptions import ValidationError

    line = entry(firms["b2"])
    line.party_members = 9
    with pytest.raises(ValidationError, match="cannot exceed|不能超过"):
        line.full_clean()
    line.party_members = 8
    line.full_clean()
