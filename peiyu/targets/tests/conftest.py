"""A small plan: the district's target for tech SMEs (computed) and R&D spend (reported, 亿元), each
split to the two towns; an assessment scheme over both."""

import datetime as dt
from decimal import Decimal as D

import pytest

from peiyu.core.history import acting_as
from peiyu.targets.models import Indicator, Plan, ReportedValue, Scheme, SchemeItem, Target


def report(indicator, unit, code, value, state="accepted", measure=None):
    return ReportedValue.objects.create(
        indicator=indicator,
        unit=unit,
        period_code=code,
        value=D(value),
        measure=measure or indicator.unit,
        state=state,
    )


@pytest.fixture
def plan(units, users):
    with acting_as(users["bureau"]):
        tech = Indicator.objects.create(
            code="tech_smes",
            name="科技型中小企业",
            unit="家",
            source="computed",
            metric_code="enterprises.count",
            metric_params="qualification=tech_sme",
        )
        rd = Indicator.objects.create(code="rd", name="研发投入", unit="亿元", source="reported")
        plan = Plan.objects.create(
            code="P2025",
            name="2025年度目标",
            issuer="区科技局",
            unit=units["district"],
            period_code="2025",
            status="active",
        )
        t = Target.objects.create(plan=plan, indicator=tech, unit=units["district"], floor=D(4), stretch=D(6))
        Target.objects.create(
            plan=plan, indicator=tech, unit=units["town_a"], parent=t, floor=D(2), stretch=D(3)
        )
        Target.objects.create(
            plan=plan, indicator=tech, unit=units["town_b"], parent=t, floor=D(2), stretch=D(3)
        )
        r = Target.objects.create(plan=plan, indicator=rd, unit=units["district"], floor=D(19), stretch=D(20))
        Target.objects.create(
            plan=plan, indicator=rd, unit=units["town_a"], parent=r, floor=D(12), stretch=D(13)
        )
        Target.objects.create(
            plan=plan, indicator=rd, unit=units["town_b"], parent=r, floor=D(7), stretch=D(7)
        )
        scheme = Scheme.objects.create(plan=plan, name="2025年度考核", year=2025, unit=units["district"])
        SchemeItem.objects.create(scheme=scheme, indicator=tech, weight=D(40), bonus_cap=D(4))
        SchemeItem.objects.create(scheme=scheme, indicator=rd, weight=D(60), bonus_cap=D(6), minimum=D(50))
    return {"plan": plan, "tech": tech, "rd": rd, "scheme": scheme}


def qualify(enterprise, on=dt.date(2025, 3, 1), until=None):
    from peiyu.enterprises.models import Qualification

    until = until or on.replace(month=12, day=31)
    return Qualification.objects.create(
        enterprise=enterprise, kind="tech_sme", granted_on=on, valid_until=until
    )
