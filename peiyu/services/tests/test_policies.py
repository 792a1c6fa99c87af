"""Policy conditions at their boundaries, and the two directions of matching agreeing."""

import datetime
from decimal import Decimal

import pytest
from django.utils import translation

from peiyu.core.testing import make_enterprise, make_year
from peiyu.enterprises.models import Enterprise, Qualification
from peiyu.services import policies
from peiyu.services.choices import ConditionKind as K


def qualified(policy, enterprise) -> bool | None:
    """True: qualifies; False: nearly; None: not listed on the enterprise's page."""
    fits = {f.policy.pk: f for f in policies.policies_for_enterprise(enterprise, [policy], 2024)}
    fit = fits.get(policy.pk)
    return None if fit is None else fit.qualifies


@pytest.mark.parametrize(
    ("kind", "value", "a", "b"),
    [
        (K.REVENUE_MIN, "5000", True, False),  # 5000 ≥ 5000 (含)
        (K.REVENUE_MIN, "5000.0001", False, False),
        (K.REVENUE_MAX, "500", False, True),  # 499.9999 < 500
        (K.REVENUE_MAX, "499.9999", False, False),  # below, not equal
        (K.RD_RATIO_MIN, "6", True, False),  # 300 / 5000 = 6 % exactly
        (K.RD_RATIO_MIN, "6.01", False, False),
        (K.EMPLOYEES_MIN, "100", True, False),
        (K.EMPLOYEES_MAX, "20", False, True),
        (K.STAGE, "2", True, False),  # 5000万 is 成长期; 499.9999万 初创期
        (K.STAGE, "1", False, True),
    ],
)
def test_condition_boundaries(policy_factory, enterprises, figures, kind, value, a, b):
    policy = policy_factory(conditions=[(kind, value), (K.EMPLOYEES_MIN, "0")])
    assert (qualified(policy, enterprises["a"]) is True) is a
    assert (qualified(policy, enterprises["b"]) is True) is b


def test_missing_figures_count_as_not_met_and_say_so(policy_factory, units, enterprises):
    policy = policy_factory(conditions=[(K.REVENUE_MIN, "1"), (K.UNIT, units["district"].code)])
    with translation.override("en"):
        [fit] = policies.policies_for_enterprise(enterprises["a"], [policy], 2024)
    assert not fit.qualifies
    assert fit.missing == [("Revenue of at least 1.00 万元", "not reported for the year", False)]


def test_failing_the_only_condition_is_not_near(policy_factory, enterprises, figures):
    policy = policy_factory(conditions=[(K.REVENUE_MIN, "1000")])
    assert qualified(policy, enterprises["a"]) is True
    assert qualified(policy, enterprises["b"]) is None


def test_qualification_unit_field_and_industry(policy_factory, units, enterprises, figures):
    a, b = enterprises["a"], enterprises["b"]
    Qualification.objects.create(enterprise=a, kind="hitech", granted_on=datetime.date(2024, 1, 1))
    Qualification.objects.create(
        enterprise=b, kind="hitech", granted_on=datetime.date(2019, 1, 1)
    )  # expired 2021
    Enterprise.objects.filter(pk=a.pk).update(hitech_field="1", industry_code="3841", industry_section="C")
    hitech = policy_factory(conditions=[(K.QUALIFICATION, "hitech,gazelle")])
    assert qualified(hitech, a) is True and qualified(hitech, b) is None
    town = policy_factory(conditions=[(K.UNIT, units["town_a"].code)])
    assert qualified(town, a) is True and qualified(town, b) is None
    field = policy_factory(conditions=[(K.HITECH_FIELD, "1"), (K.INDUSTRY, "C")])
    assert qualified(field, a) is True and qualified(field, b) is None  # b misses both: not even near


def test_a_park_enterprise_is_inside_the_park_unit(policy_factory, units):
    e = make_enterprise(units["town_a"], "园区企业", park=units["park_a"])
    policy = policy_factory(conditions=[(K.UNIT, units["park_a"].code)])
    assert qualified(policy, e) is True


def test_both_directions_agree(policy_factory, units, enterprises, figures):
    extra = [make_enterprise(units["town_b" if i % 2 else "town_a"], f"企业{i}") for i in range(8)]
    for i, e in enumerate(extra):
        make_year(
            e,
            2024,
            revenue=Decimal(400 + 300 * i),
            rd_expense=Decimal(10 * i),
            total_costs=Decimal(300 + 300 * i),
            employees=10 * i,
        )
    made = [
        policy_factory("P1", [(K.REVENUE_MIN, "1000"), (K.RD_RATIO_MIN, "3")]),
        policy_factory("P2", [(K.EMPLOYEES_MAX, "40"), (K.UNIT, units["town_b"].code)]),
        policy_factory("P3", [(K.STAGE, "2,3"), (K.EMPLOYEES_MIN, "30"), (K.REVENUE_MAX, "2000")]),
    ]
    everyone = Enterprise.objects.all()
    for policy in made:
        qualifies, near = policies.enterprises_for_policy(policy, everyone, 2024)
        for e in everyone:
            state = qualified(policy, e)
            assert (state is True) == (e.pk in qualifies), (policy.title, e.name)
            assert (state is False) == (e.pk in near), (policy.title, e.name)
        assert qualifies  # each policy finds someone, so the test says something


def test_rule_set_condition_uses_the_evaluation_engine(policy_factory, enterprises, figures):
    policy = policy_factory(conditions=[(K.RULESET, "no-such-rules"), (K.EMPLOYEES_MIN, "1")])
    assert qualified(policy, enterprises["a"]) is False
    tech_sme = policy_factory(conditions=[(K.RULESET, "tech-sme-2022")])
    qualifies, near = policies.enterprises_for_policy(tech_sme, Enterprise.objects.all(), 2024)
    assert set(qualifies) | set(near) <= {enterprises["a"].pk, enterprises["b"].pk}


def test_requirements_read_as_plain_numbers(policy_factory):
    policy = policy_factory(conditions=[(K.EMPLOYEES_MIN, "20"), (K.RD_RATIO_MIN, "3.50")])
    with translation.override("en"):
        texts = [policies.requirement(c) for c in policy.conditions.all()]
    assert texts == ["At least 20 employees", "R&D expense at least 3.5% of revenue"]
