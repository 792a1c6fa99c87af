"""Decomposition (层层分解): a target split to the units below it by hand, by baseline share or
evenly. Counts are split into whole numbers and money into cents by the largest-remainder method,
so the children add up to the parent exactly; a ratio is not added up but weighed by each child's
weight (its denominator, e.g. GDP), and the weighted value must equal the parent's."""

from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

WHOLE_UNITS = frozenset({"家", "件", "项", "次", "人", "个"})
METHODS = ("manual", "baseline", "even")


def step_of(indicator) -> Decimal:
    return Decimal(1) if indicator.unit in WHOLE_UNITS else Decimal("0.01")


def apportion(total: Decimal | None, shares: list[Decimal], step: Decimal) -> list[Decimal | None]:
    """Split `total` in proportion to `shares`, in multiples of `step`, adding up to `total` exactly
    (largest remainder; ties go to the earlier row)."""
    if total is None:
        return [None] * len(shares)
    whole = sum(shares, Decimal(0))
    if not shares or whole <= 0:
        raise ValidationError(_("The shares to split by must add up to more than zero."))
    exact = [Decimal(total) * s / whole for s in shares]
    floors = [(e / step).to_integral_value(ROUND_DOWN) * step for e in exact]
    left = int(((Decimal(total) - sum(floors, Decimal(0))) / step).to_integral_value())
    order = sorted(range(len(shares)), key=lambda i: (-(exact[i] - floors[i]), i))
    for i in order[:left]:
        floors[i] += step
    return floors


@dataclass
class Row:
    unit: object
    floor: Decimal | None
    stretch: Decimal | None = None
    weight: Decimal | None = None
    baseline: Decimal | None = None
    person: object = None


def propose(parent, units, method: str, baselines: dict | None = None) -> list[Row]:
    """Children for `units` split from the parent by baseline share or evenly (ratios: every child
    gets the parent's value, to be adjusted by hand)."""
    baselines = baselines or {}
    if parent.indicator.is_ratio:
        return [Row(u, parent.floor, parent.stretch, baseline=baselines.get(u.pk)) for u in units]
    if method == "baseline":
        shares = [Decimal(baselines.get(u.pk) or 0) for u in units]
        if sum(shares, Decimal(0)) <= 0:
            raise ValidationError(_("No child unit has a baseline: enter baselines or split evenly."))
    else:
        shares = [Decimal(1)] * len(units)
    step = step_of(parent.indicator)
    floors, stretches = apportion(parent.floor, shares, step), apportion(parent.stretch, shares, step)
    return [
        Row(u, f, s, baseline=baselines.get(u.pk)) for u, f, s in zip(units, floors, stretches, strict=True)
    ]


@dataclass
class Check:
    floor_total: Decimal | None
    floor_difference: Decimal | None
    stretch_total: Decimal | None
    stretch_difference: Decimal | None
    ratio: bool

    @property
    def ok(self) -> bool:
        return (
            all(d in (None, 0) for d in (self.floor_difference, self.stretch_difference))
            and self.floor_total is not None
        )


def combine(rows: list[Row], attr: str, ratio: bool) -> Decimal | None:
    values = [getattr(r, attr) for r in rows]
    if not rows or any(v is None for v in values):
        return None
    if not ratio:
        return sum(values, Decimal(0))
    weights = [r.weight for r in rows]
    if any(w is None or w <= 0 for w in weights):
        return None
    return (
        sum((v * w for v, w in zip(values, weights, strict=True)), Decimal(0)) / sum(weights, Decimal(0))
    ).quantize(Decimal("0.01"))


def check(parent, rows: list[Row]) -> Check:
    """The children's sum (or weighted value) against the parent, and the difference."""
    ratio = parent.indicator.is_ratio
    floor_total = combine(rows, "floor", ratio)
    stretch_total = combine(rows, "stretch", ratio) if parent.stretch is not None else None

    def difference(total, goal):
        if total is None or goal is None:
            return None
        return total - (Decimal(goal).quantize(Decimal("0.01")) if ratio else Decimal(goal))

    return Check(
        floor_total,
        difference(floor_total, parent.floor),
        stretch_total,
        difference(stretch_total, parent.stretch),
        ratio,
    )


def validate(parent, rows: list[Row]) -> Check:
    """Refuse, in Chinese, a split that does not add up or names a unit outside the parent's unit."""
    errors = []
    seen = set()
    for row in rows:
        if row.unit.pk in seen:
            errors.append(_("%(unit)s appears twice.") % {"unit": row.unit})
        seen.add(row.unit.pk)
        if not row.unit.is_within(parent.unit) or row.unit.pk == parent.unit_id:
            errors.append(_("%(unit)s is not below %(parent)s.") % {"unit": row.unit, "parent": parent.unit})
        if row.floor is None:
            errors.append(_("%(unit)s: the floor value is missing.") % {"unit": row.unit})
        elif row.stretch is not None and row.stretch < row.floor and parent.indicator.direction == "higher":
            errors.append(_("%(unit)s: the stretch value is below the floor value.") % {"unit": row.unit})
        if parent.indicator.is_ratio and (row.weight is None or row.weight <= 0):
            errors.append(
                _("%(unit)s: a ratio is split by weight; enter the unit's weight.") % {"unit": row.unit}
            )
    if errors:
        raise ValidationError(errors)
    result = check(parent, rows)
    if result.floor_difference not in (None, 0):
        errors.append(
            _(
                "The children's floor values come to %(total)s but the parent's is %(goal)s (difference %(diff)s)."
            )
            % {
                "total": _num(result.floor_total),
                "goal": _num(parent.floor),
                "diff": _num(result.floor_difference),
            }
        )
    if result.stretch_difference not in (None, 0):
        errors.append(
            _(
                "The children's stretch values come to %(total)s but the parent's is %(goal)s (difference %(diff)s)."
            )
            % {
                "total": _num(result.stretch_total),
                "goal": _num(parent.stretch),
                "diff": _num(result.stretch_difference),
            }
        )
    if (
        parent.stretch is not None
        and result.stretch_total is None
        and any(r.stretch is not None for r in rows)
    ):
        errors.append(_("Enter a stretch value for every child or for none."))
    if errors:
        raise ValidationError(errors)
    return result


def _num(value) -> str:
    return "—" if value is None else f"{Decimal(value).normalize():f}"


def save(parent, rows: list[Row]):
    """Replace the parent's children with `rows` in one transaction, after `validate`."""
    from peiyu.targets.models import Target

    validate(parent, rows)
    with transaction.atomic():
        keep = []
        for row in rows:
            child, _created = Target.objects.update_or_create(
                plan=parent.plan,
                indicator=parent.indicator,
                unit=row.unit,
                period_code=parent.period_code,
                defaults={
                    "parent": parent,
                    "floor": row.floor,
                    "stretch": row.stretch,
                    "weight": row.weight,
                    "baseline": row.baseline,
                },
            )
            if row.person is not None:
                child.set_responsibility(persons=[row.person])
            keep.append(child.pk)
        parent.children.exclude(pk__in=keep).delete()
    return parent.children.all()
