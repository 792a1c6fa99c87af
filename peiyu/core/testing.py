"""Test kit shared by every app: a small district with two towns, one user per role, and
enterprises with valid credit codes. Import the fixtures in a conftest or use the builders."""

import itertools
from decimal import Decimal

from peiyu.core.choices import Role, UnitKind
from peiyu.core.codes import uscc_check_char
from peiyu.core.models import Unit, User

PASSWORD = "Peiyu-test-2026"
_serial = itertools.count(1)


def make_uscc(n: int | None = None, region: str = "120110") -> str:
    """A valid credit code for an ordinary company (91…), unique per call."""
    n = next(_serial) if n is None else n
    body = f"91{region}MA{n:07d}"
    return body + uscc_check_char(body)


def make_district():
    """City → district → two towns (and a park inside town A). Returns a dict of units by key."""
    city = Unit.objects.create(name="天津市", code="120000", kind=UnitKind.CITY)
    district = Unit.objects.create(name="东丽区", code="120110", kind=UnitKind.DISTRICT, parent=city)
    town_a = Unit.objects.create(name="张贵庄街道", code="120110001", kind=UnitKind.STREET, parent=district)
    town_b = Unit.objects.create(name="丰年村街道", code="120110002", kind=UnitKind.STREET, parent=district)
    park_a = Unit.objects.create(name="张贵庄科技园", code="120110001P1", kind=UnitKind.PARK, parent=town_a)
    return {"city": city, "district": district, "town_a": town_a, "town_b": town_b, "park_a": park_a}


def make_user(username: str, role: str = Role.BUREAU, unit=None, **extra) -> User:
    return User.objects.create_user(username=username, password=PASSWORD, role=role, unit=unit, **extra)


def make_enterprise(unit, name: str = "华东科技有限公司", **fields):
    from peiyu.enterprises.models import Enterprise

    fields.setdefault("uscc", make_uscc())
    return Enterprise.objects.create(name=name, unit=unit, **fields)


def make_year(enterprise, year: int = 2024, **fields):
    from peiyu.enterprises.models import EnterpriseYear

    defaults = dict(revenue=Decimal("3000"), employees=100, tech_staff=30, rd_expense=Decimal("200"), total_costs=Decimal("2500"))
    return EnterpriseYear.objects.create(enterprise=enterprise, year=year, **{**defaults, **fields})
