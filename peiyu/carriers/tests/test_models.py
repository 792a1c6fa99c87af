import datetime

import pytest
from django.core.exceptions import ValidationError

from peiyu.carriers.choices import levels_at_or_above
from peiyu.carriers.models import Carrier, carrier_errors

D = datetime.date
BASE = {"kind": "incubator", "status": "operating", "recognised_on": D(2020, 1, 1)}


@pytest.mark.parametrize(
    ("values", "enterprise", "fields"),
    [
        ({}, None, set()),
        ({"kind": "productivity_centre"}, None, {"centre_scope"}),
        ({"kind": "productivity_centre", "centre_scope": "general"}, None, set()),
        ({"kind": "productivity_centre", "centre_scope": "industry"}, None, {"industry"}),
        ({"kind": "productivity_centre", "centre_scope": "industry", "industry": "新材料"}, None, set()),
        ({"centre_scope": "general"}, None, {"centre_scope"}),
        ({"kind": "rd_centre"}, None, {"enterprise"}),
        ({"kind": "key_lab"}, None, {"enterprise"}),
        ({"kind": "engineering_centre"}, 7, set()),
        ({"status": "revoked"}, None, {"revoked_on"}),
        (
            {"status": "revoked", "revoked_on": D(2020, 1, 1)},
            None,
            set(),
        ),  # revoked the day it was recognised
        ({"status": "revoked", "revoked_on": D(2019, 12, 31)}, None, {"revoked_on"}),
        ({"revoked_on": D(2021, 1, 1)}, None, {"revoked_on"}),
        ({"recognised_on": None}, None, {"recognised_on"}),
        ({"recognised_on": None, "status": "building"}, None, set()),
        ({"recognised_on": datetime.date.today() + datetime.timedelta(days=1)}, None, {"recognised_on"}),
        ({"recognised_on": datetime.date.today()}, None, set()),
    ],
)
def test_cross_field_rules(values, enterprise, fields):
    assert set(carrier_errors({**BASE, **values}, enterprise)) == fields


def test_min_level_counts_that_level_and_above():
    assert levels_at_or_above("city") == ["national", "provincial", "city"]
    assert levels_at_or_above("national") == ["national"]
    assert levels_at_or_above("district") == ["national", "provincial", "city", "district"]


@pytest.mark.django_db
def test_in_force_boundaries(units):
    c = Carrier.objects.create(
        unit=units["town_a"],
        name="甲",
        kind="incubator",
        level="city",
        recognised_on=D(2020, 3, 1),
        status="revoked",
        revoked_on=D(2022, 6, 30),
    )
    in_force = lambda day: Carrier.objects.in_force(day).filter(pk=c.pk).exists()  # noqa: E731
    assert not in_force(D(2020, 2, 29))
    assert in_force(D(2020, 3, 1))
    assert in_force(D(2022, 6, 29))
    assert not in_force(D(2022, 6, 30))  # revoked that day: no longer counted


@pytest.mark.django_db
def test_names_are_unique_among_live_carriers_and_freed_by_delete(units):
    first = Carrier.objects.create(
        unit=units["town_a"], name="甲", kind="incubator", level="city", recognised_on=D(2020, 3, 1)
    )
    second = Carrier(
        unit=units["town_b"], name="甲", kind="maker_space", level="city", recognised_on=D(2020, 3, 1)
    )
    with pytest.raises(ValidationError) as exc:
        second.full_clean()
    assert "name" in exc.value.message_dict
    first.soft_delete()
    second.full_clean()
    second.save()


@pytest.mark.django_db
def test_changes_are_recorded_in_history(units, users):
    from peiyu.core.history import acting_as
    from peiyu.core.models import ObjectChange

    with acting_as(users["bureau"]):
        c = Carrier.objects.create(
            unit=units["town_a"], name="甲", kind="incubator", level="city", recognised_on=D(2020, 3, 1)
        )
        c.level = "provincial"
        c.save()
    changes = ObjectChange.objects.filter(object_id=c.pk, content_type__model="carrier").order_by("pk")
    assert [ch.action for ch in changes] == ["create", "update"]
    assert changes[1].before["level"] == "city" and changes[1].after["level"] == "provincial"
    assert changes[1].user == users["bureau"]


def test_kind_label_names_the_centre_scope_and_industry():
    c = Carrier(kind="productivity_centre", centre_scope="industry", industry="新材料")
    assert "新材料" in c.kind_label
