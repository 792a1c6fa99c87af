"""A bureau with seed 004's departments, and builders for ledgers and items."""

import datetime as dt

import pytest

from peiyu.core.choices import Role
from peiyu.core.models import Department
from peiyu.core.testing import make_user
from peiyu.ledger import services
from peiyu.ledger.models import Item, Ledger


@pytest.fixture
def bureau_setup(units, users):
    district = units["district"]
    director = make_user("director", Role.LEADER, district, full_name="刘志强")
    deputy = make_user("deputy", Role.LEADER, district, full_name="马建华")
    clerk = make_user("clerk", Role.BUREAU, district, full_name="郑凯")
    hitech = make_user("hitech", Role.BUREAU, district, full_name="冯磊")
    office = Department.objects.create(unit=district, name="局办公室", sort_order=10)
    office.members.set([clerk])
    office.leaders.set([director])
    tech = Department.objects.create(unit=district, name="高新技术科", sort_order=20)
    tech.members.set([hitech])
    tech.leaders.set([deputy])
    manage = Department.objects.create(unit=district, name="科技管理科", sort_order=30)
    return {
        "director": director,
        "deputy": deputy,
        "clerk": clerk,
        "hitech": hitech,
        "office": office,
        "tech": tech,
        "manage": manage,
    }


@pytest.fixture
def ledger(units, bureau_setup):
    return Ledger.objects.create(name="2026年整改台账", unit=units["district"], year=2026)


@pytest.fixture
def make_item(ledger):
    def make(
        number=1,
        deadline=dt.date(2026, 12, 31),
        leaders="刘志强",
        departments="局办公室",
        persons="郑凯",
        unit=None,
        measures=("一是加强学习。", "二是完善制度。"),
        **fields,
    ):
        target = fields.pop("ledger", ledger)
        parsed = services.parse_deadline(deadline) if deadline else services.Deadline(None, True, "长期")
        item = Item(
            ledger=target,
            unit=unit or target.unit,
            number=number,
            problem=fields.pop("problem", f"问题{number}"),
            deadline=parsed.date,
            long_term=parsed.long_term,
            cadence=fields.pop("cadence", "quarter" if parsed.long_term else ""),
            **fields,
        )
        owners = services.match_owners(item.unit, leaders, departments, persons)
        services.apply_owners(item, owners)
        item.save()
        services.save_responsibility(item, owners)
        services.set_measures(item, list(measures))
        return item

    return make
