import pytest

from peiyu.core.choices import Role
from peiyu.core.testing import make_enterprise, make_user, make_year


@pytest.fixture
def party_users(units, users):
    """Party staff of the district (bureau level) and of each town."""
    return {
        "bureau": users["party"],
        "town_a": make_user("party_a", Role.PARTY, units["town_a"]),
        "town_b": make_user("party_b", Role.PARTY, units["town_b"]),
    }


@pytest.fixture
def firms(units, users):
    """Five enterprises: three in town A (one in its park), two in town B, with headcounts."""
    made = {}
    for key, unit, name, staff in [
        ("a1", "town_a", "华东科技有限公司", 120),
        ("a2", "town_a", "津东软件有限公司", 40),
        ("a3", "park_a", "东丽智造有限公司", 15),
        ("b1", "town_b", "丰年电子有限公司", 60),
        ("b2", "town_b", "新立材料有限公司", 8),
    ]:
        made[key] = make_enterprise(units[unit], name)
        make_year(made[key], 2024, employees=staff)
    from peiyu.party.coverage import refresh

    refresh()
    return made


def entry(enterprise):
    from peiyu.party.models import CoverageEntry

    return CoverageEntry.objects.get(enterprise=enterprise)
