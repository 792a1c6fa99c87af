"""Carrier figures for targets, assessments and bulletins (looked up by code in core's registry).

Both are stocks read as of `period.end`: a carrier counts when it was recognised on or before that
day and not revoked by then (and is not deleted). Each unit's value covers its whole subtree: one
grouped query by owning unit, rolled up along the unit paths."""

from decimal import Decimal

from django.db.models import Count, Sum
from django.utils.translation import gettext_lazy as _

from peiyu.carriers.choices import CarrierKind, CarrierLevel, levels_at_or_above
from peiyu.carriers.models import Carrier
from peiyu.core.metrics import Param, metric

KIND = Param("type", _("Carrier type"), kind="choice", choices=tuple(CarrierKind.choices), required=False)
MIN_LEVEL = Param(
    "min_level", _("This level or higher"), kind="choice", choices=tuple(CarrierLevel.choices), required=False
)


def carriers_in_force(period, type=None, min_level=None):
    qs = Carrier.objects.in_force(period.end)
    if type:
        qs = qs.filter(kind=type)
    if min_level:
        qs = qs.filter(level__in=levels_at_or_above(min_level))
    return qs


def roll_up(units, by_path: dict[str, int]) -> dict[int, Decimal]:
    """Each unit's total over the paths below it (a unit's own path included)."""
    return {u.pk: Decimal(sum(n for path, n in by_path.items() if path.startswith(u.path))) for u in units}


@metric(
    "carriers.count",
    _("Innovation carriers"),
    unit="个",
    kind="stock",
    params=[KIND, MIN_LEVEL],
    description=_(
        "Carriers recognised on or before the period's end and not revoked by then; "
        "min_level counts that level and the levels above it."
    ),
)
def carrier_count(units, period, type=None, min_level=None):
    rows = carriers_in_force(period, type, min_level).values("unit__path").annotate(n=Count("pk")).order_by()
    return roll_up(units, {row["unit__path"]: row["n"] for row in rows})


@metric(
    "carriers.incubated",
    _("Enterprises incubated in carriers"),
    unit="家",
    kind="stock",
    params=[KIND, MIN_LEVEL],
    description=_(
        "Enterprises of the library linked to carriers in force (each counted once per unit) plus the "
        "enterprises outside the library the carriers report."
    ),
)
def incubated(units, period, type=None, min_level=None):
    carriers = carriers_in_force(period, type, min_level)
    others = {
        row["unit__path"]: row["n"] or 0
        for row in carriers.values("unit__path").annotate(n=Sum("incubated_other")).order_by()
    }
    pairs = (
        Carrier.incubated.through.objects.filter(
            carrier__in=carriers.values("pk"), enterprise__deleted_at__isnull=True
        )
        .values_list("carrier__unit__path", "enterprise_id")
        .distinct()
    )
    linked: dict[str, set] = {}
    for path, enterprise_id in pairs:
        linked.setdefault(path, set()).add(enterprise_id)
    result = {}
    for unit in units:
        inside = set().union(*(ids for path, ids in linked.items() if path.startswith(unit.path)))
        other = sum(n for path, n in others.items() if path.startswith(unit.path))
        result[unit.pk] = Decimal(len(inside) + other)
    return result
