import datetime
from decimal import Decimal

import pytest

from peiyu.core.testing import make_year
from peiyu.services.models import Policy, PolicyCondition


@pytest.fixture
def policy_factory(db):
    def make(title="测试政策", conditions=(), status="published", **fields):
        policy = Policy.objects.create(
            title=title,
            issuer="东丽区科技局",
            level="district",
            benefit_kind="subsidy",
            benefit="奖励10万元",
            status=status,
            issued_on=datetime.date(2025, 1, 1),
            **fields,
        )
        for kind, value in conditions:
            PolicyCondition.objects.create(policy=policy, kind=kind, value=value)
        return policy

    return make


@pytest.fixture
def figures(enterprises):
    """2024 figures: 华东科技 revenue 5000万, R&D 300万 (exactly 6%), 100 staff; 丰年电子 revenue 499.9999万."""
    a = make_year(
        enterprises["a"],
        2024,
        revenue=Decimal("5000"),
        rd_expense=Decimal("300"),
        total_costs=Decimal("4000"),
        employees=100,
    )
    b = make_year(
        enterprises["b"],
        2024,
        revenue=Decimal("499.9999"),
        rd_expense=Decimal("10"),
        total_costs=Decimal("400"),
        employees=20,
    )
    return {"a": a, "b": b}
