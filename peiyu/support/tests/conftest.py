import datetime
from decimal import Decimal

import pytest

from peiyu.support.choices import ServiceCategory
from peiyu.support.models import ServiceProvider, VoucherPolicy, VoucherShare

# Shares of 川科政〔2025〕6号 (RULES.md §8.1).
SICHUAN_SHARES = {
    ServiceCategory.SHARED_LAB: ("0.30", None),
    ServiceCategory.PILOT: ("0.20", None),
    ServiceCategory.TESTING: ("0.30", None),
    ServiceCategory.COMPUTING: ("0.20", None),
    ServiceCategory.MANAGER_TRAINING: ("0.30", "0.1"),
}


def make_policy(unit, budget="100", cap="20", **fields):
    policy = VoucherPolicy.objects.create(
        unit=unit,
        year=2025,
        name="2025年科技创新券",
        total_budget=Decimal(budget),
        enterprise_annual_cap=Decimal(cap),
        **fields,
    )
    for category, (share, per_person) in SICHUAN_SHARES.items():
        VoucherShare.objects.create(
            policy=policy,
            category=category,
            share_cap=Decimal(share),
            per_person_cap=Decimal(per_person) if per_person else None,
        )
    return policy


@pytest.fixture
def policy(units):
    return make_policy(units["district"])


@pytest.fixture
def provider(units):
    return ServiceProvider.objects.create(
        unit=units["district"], name="天津检测中心", uscc="12120000MB0000001X", legal_representative="周明"
    )


APPLIED = datetime.date(2025, 5, 20)
