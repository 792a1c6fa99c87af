"""Year-end assessment (年度考核) scoring. The common form (RULES.md §10.2, 武进区 2010): reaching
the target earns the indicator's full points, below it scores in proportion, the bonus for going
beyond is capped. Here the bonus grows in proportion from the floor to the stretch value and reaches
its cap at the stretch; without a stretch value there is no bonus. Under `minimum` per cent of the
floor an indicator scores zero; a missed veto item (一票否决) zeroes the unit's total. Points are
rounded to two decimals, half up, once per indicator."""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
HUNDRED = Decimal(100)


def q(value: Decimal) -> Decimal:
    return Decimal(value).quantize(CENT, ROUND_HALF_UP)


@dataclass(frozen=True)
class Rule:
    weight: Decimal
    bonus_cap: Decimal = Decimal(0)
    minimum: Decimal = Decimal(0)  # % of the floor
    veto: bool = False


@dataclass(frozen=True)
class ItemScore:
    points: Decimal
    base: Decimal
    bonus: Decimal
    vetoed: bool
    explanation: str


def score(
    rule: Rule, actual: Decimal | None, floor: Decimal, stretch: Decimal | None = None, lower_is_better=False
) -> ItemScore:
    """Points of one indicator for one unit."""
    if actual is None:
        return ItemScore(Decimal(0), Decimal(0), Decimal(0), False, "no_value")  # nothing to judge a veto on
    actual, floor = Decimal(actual), Decimal(floor)
    if lower_is_better:  # mirror: reaching the floor means staying at or below it
        ratio = HUNDRED if actual <= 0 else floor * HUNDRED / actual
        beyond = None if stretch is None or actual >= floor else (floor - actual, floor - Decimal(stretch))
    else:
        ratio = HUNDRED if floor == 0 else actual * HUNDRED / floor
        beyond = None if stretch is None or actual <= floor else (actual - floor, Decimal(stretch) - floor)
    if ratio < HUNDRED:
        if rule.veto:
            return ItemScore(Decimal(0), Decimal(0), Decimal(0), True, "veto")
        if ratio < rule.minimum:
            return ItemScore(Decimal(0), Decimal(0), Decimal(0), False, "under_minimum")
        base = q(rule.weight * ratio / HUNDRED)
        return ItemScore(base, base, Decimal(0), False, "proportional")
    bonus = Decimal(0)
    if beyond and rule.bonus_cap and beyond[1] > 0:
        bonus = q(min(rule.bonus_cap, rule.bonus_cap * beyond[0] / beyond[1]))
    base = q(rule.weight)
    return ItemScore(
        base + bonus,
        base,
        bonus,
        False,
        "stretch" if bonus == rule.bonus_cap and bonus else ("bonus" if bonus else "full"),
    )


@dataclass
class UnitResult:
    unit: object
    items: dict = field(default_factory=dict)  # indicator id → (ItemScore, Progress or None)
    adjustments: list = field(default_factory=list)
    vetoed: bool = False
    rank: int = 0

    @property
    def subtotal(self) -> Decimal:
        return sum((s.points for s, _p in self.items.values()), Decimal(0))

    @property
    def adjustment_total(self) -> Decimal:
        return sum((a.points for a in self.adjustments), Decimal(0))

    @property
    def total(self) -> Decimal:
        return Decimal(0) if self.vetoed else q(self.subtotal + self.adjustment_total)


def rank(results: list[UnitResult]) -> list[UnitResult]:
    """Highest total first; equal totals share a rank (1, 2, 2, 4), then by unit order."""
    ordered = sorted(results, key=lambda r: (-r.total, r.unit.path))
    previous, place = None, 0
    for i, r in enumerate(ordered, 1):
        if r.total != previous:
            place, previous = i, r.total
        r.rank = place
    return ordered


def assess(scheme, as_of=None) -> list[UnitResult]:
    """Score every unit that has targets for the scheme's indicators in its plan, and rank them."""
    import datetime as dt

    from peiyu.targets.models import Target
    from peiyu.targets.progress import progress_of

    items = list(scheme.items.select_related("indicator"))
    as_of = as_of or dt.date(scheme.year, 12, 31)
    targets = Target.objects.filter(
        plan=scheme.plan, indicator__in=[i.indicator_id for i in items], parent__isnull=False
    ).select_related("indicator", "unit", "plan")
    by_unit = defaultdict(dict)
    for p in progress_of(targets, as_of):
        by_unit[p.target.unit][p.target.indicator_id] = p
    adjustments = defaultdict(list)
    for a in scheme.adjustments.all():
        adjustments[a.unit_id].append(a)
    results = []
    for unit, progresses in by_unit.items():
        result = UnitResult(unit, adjustments=adjustments.get(unit.pk, []))
        for item in items:
            p = progresses.get(item.indicator_id)
            if p is None:
                continue
            rule = Rule(item.weight, item.bonus_cap, item.minimum, item.veto)
            s = score(rule, p.actual, p.target.floor, p.target.stretch, item.indicator.direction == "lower")
            result.items[item.indicator_id] = (s, p)
            result.vetoed |= s.vetoed
        results.append(result)
    return rank(results)
