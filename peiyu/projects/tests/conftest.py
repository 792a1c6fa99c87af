"""Builders for the projects tests: a programme with an open call, experts and applications in any state."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from peiyu.core.choices import Role
from peiyu.core.testing import make_user
from peiyu.projects.choices import AppState, FundingMode, ProgrammeKind
from peiyu.projects.models import Application, Call, Expert, Programme


def make_call(unit, **fields) -> Call:
    programme = (
        fields.pop("programme", None)
        or Programme.objects.get_or_create(
            name="科技型中小企业技术创新资金",
            defaults={"kind": ProgrammeKind.INNOVATION_FUND, "funding_mode": FundingMode.GRANT, "unit": unit},
        )[0]
    )
    today = timezone.localdate()
    defaults = dict(
        programme=programme,
        year=today.year,
        title=f"{today.year}年度技术创新资金项目申报指南",
        opens_on=today - datetime.timedelta(days=10),
        closes_at=timezone.now() + datetime.timedelta(days=10),
        unit_check_due=today + datetime.timedelta(days=20),
        budget=Decimal("300"),
        funding_cap=Decimal("100"),
        funding_ratio=Decimal("30"),
        eligibility={"no_open_overdue": True},
    )
    return Call.objects.create(**{**defaults, **fields})


ANSWERS = {
    "summary": "研制新型传感器",
    "innovation": "低功耗",
    "plan": "两年完成",
    "team_size": "12",
    "self_funding": "200",
}


def make_application(call, enterprise, state=AppState.DRAFT, **fields) -> Application:
    defaults = dict(
        title=f"{enterprise.name}项目{Application.objects.count() + 1}",
        field="1",
        total_investment=Decimal("400"),
        requested_amount=Decimal("100"),
        answers=dict(ANSWERS),
    )
    return Application.objects.create(call=call, enterprise=enterprise, state=state, **{**defaults, **fields})


def make_expert(unit, name, field="1", employer="天津大学", user=None, **fields) -> Expert:
    return Expert.objects.create(unit=unit, name=name, field=field, employer=employer, user=user, **fields)


@pytest.fixture
def call(units):
    return make_call(units["district"])


@pytest.fixture
def expert_user(users, units):
    """The fixture's expert account, linked to an expert record."""
    make_expert(units["district"], "王专家", user=users["expert"])
    return users["expert"]


@pytest.fixture
def other_expert_user(units):
    user = make_user("expert2", Role.EXPERT)
    make_expert(units["district"], "李专家", employer="南开大学", user=user)
    return user
