"""Progress of targets (完成进度与序时进度): the actual value as of a date, completion of floor and
stretch, the elapsed share of the period by calendar and by working days, the gap between the two
and a traffic light. All arithmetic in Decimal.

序时进度 (RULES.md §10.2): a target is behind when its completion is below the elapsed share of the
period. The yellow band (behind by less than YELLOW_POINTS) is the bureau's habit, not an official
rule: 口径待核实."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from peiyu.core import metrics
from peiyu.core.models import Unit
from peiyu.core.periods import Period
from peiyu.core.workdays import working_days_between

HUNDRED = Decimal(100)
YELLOW_POINTS = Decimal(10)  # 口径待核实: behind by less than this many points is yellow, not red
ONE_DAY = dt.timedelta(days=1)


def pct(value: Decimal | None) -> Decimal | None:
    return None if value is None else Decimal(value).quantize(Decimal("0.01"), ROUND_HALF_UP)


def clip(day: dt.date, period: Period) -> dt.date:
    return min(max(day, period.start - ONE_DAY), period.end)


def elapsed_calendar(period: Period, as_of: dt.date) -> Decimal:
    """Share of the period's calendar days up to and including `as_of`, in %."""
    done = (clip(as_of, period) - period.start).days + 1
    return Decimal(done) * HUNDRED / Decimal((period.end - period.start).days + 1)


_workday_memo: dict[tuple, int] = {}


def _working_days(start: dt.date, end: dt.date) -> int:
    key = (start, end)
    if key not in _workday_memo:
        _workday_memo[key] = working_days_between(start, end)
    return _workday_memo[key]


def elapsed_working(period: Period, as_of: dt.date) -> Decimal:
    """Share of the period's working days (Chinese holidays and make-up days) up to `as_of`, in %."""
    before = period.start - ONE_DAY
    total = _working_days(before, period.end)
    return Decimal(_working_days(before, clip(as_of, period))) * HUNDRED / Decimal(total)


def completion(actual: Decimal | None, goal: Decimal | None, lower_is_better: bool = False) -> Decimal | None:
    """actual ÷ goal × 100 (goal ÷ actual for indicators where lower is better)."""
    if actual is None or goal is None:
        return None
    if lower_is_better:
        return (
            HUNDRED
            if actual <= 0 and goal >= 0
            else (Decimal(goal) * HUNDRED / Decimal(actual) if actual else None)
        )
    if goal == 0:
        return HUNDRED if actual >= 0 else Decimal(0)
    return Decimal(actual) * HUNDRED / Decimal(goal)


def light(completion_pct: Decimal | None, gap: Decimal | None) -> str:
    """green (done or on schedule), yellow (behind by less than YELLOW_POINTS), red, or grey (no value)."""
    if completion_pct is None or gap is None:
        return "grey"
    if completion_pct >= HUNDRED or gap >= 0:
        return "green"
    return "yellow" if gap > -YELLOW_POINTS else "red"


@dataclass
class Progress:
    target: object
    as_of: dt.date
    actual: Decimal | None
    completion: Decimal | None
    stretch_completion: Decimal | None
    elapsed: Decimal
    elapsed_calendar: Decimal
    gap: Decimal | None
    light: str

    @property
    def behind(self) -> bool:
        return self.light in ("yellow", "red")


def measure(target, actual: Decimal | None, as_of: dt.date) -> Progress:
    period = target.period
    lower = target.indicator.direction == "lower"
    done = completion(actual, target.floor, lower)
    stretched = completion(actual, target.stretch, lower) if target.stretch is not None else None
    elapsed = elapsed_working(period, as_of)
    gap = None if done is None else done - elapsed
    return Progress(
        target,
        as_of,
        actual,
        pct(done),
        pct(stretched),
        pct(elapsed),
        pct(elapsed_calendar(period, as_of)),
        pct(gap),
        light(done, gap),
    )


def progress_of(targets, as_of: dt.date) -> list[Progress]:
    """Progress of every target as of `as_of`: one metric call per (indicator, period), one query
    for the reported values."""
    targets = list(targets)
    _workday_memo.clear()  # declared days may have changed since the last call
    actuals = actual_values(targets, as_of)
    return [measure(t, actuals.get(t.pk), as_of) for t in targets]


def actual_values(targets, as_of: dt.date) -> dict[int, Decimal | None]:
    computed, reported = defaultdict(list), defaultdict(list)
    for t in targets:
        (computed if t.indicator.source == "computed" else reported)[(t.indicator, t.period)].append(t)
    found = {}
    for (indicator, period), group in computed.items():
        found.update(computed_values(indicator, period, group, as_of))
    if reported:
        found.update(reported_values([t for group in reported.values() for t in group], as_of))
    return found


def window(period: Period, as_of: dt.date) -> Period:
    """The part of the period up to `as_of` (a flow adds up within it; a stock is read at its end)."""
    end = clip(as_of, period)
    if end < period.start:
        end = period.start
    return Period(period.start, end, period.code)


def computed_values(indicator, period: Period, targets, as_of: dt.date) -> dict[int, Decimal | None]:
    try:
        metric = metrics.get(indicator.metric_code)
    except ValueError:  # the app that registers it (e.g. carriers) is not installed: no value yet
        return {t.pk: None for t in targets}
    units = list({t.unit_id: t.unit for t in targets}.values())
    values = metric.values(units, window(period, as_of), **indicator.params)
    scale = indicator.scale
    return {t.pk: None if values.get(t.unit_id) is None else values[t.unit_id] * scale for t in targets}


def reported_values(targets, as_of: dt.date) -> dict[int, Decimal | None]:
    """The latest accepted report of each target's unit within its period up to `as_of`; a unit that
    reports nothing itself gets the sum of its direct children's latest reports (not for ratios)."""
    from peiyu.targets.models import ReportedValue, ReportState

    indicator_ids = {t.indicator_id for t in targets}
    earliest = min(t.period.start for t in targets)
    rows = (
        ReportedValue.objects.filter(
            indicator_id__in=indicator_ids,
            state=ReportState.ACCEPTED,
            period_end__gte=earliest,
            period_end__lte=as_of,
        )
        .order_by("period_end")
        .values_list("indicator_id", "unit_id", "period_end", "value")
    )
    latest = defaultdict(dict)  # (indicator, unit) → {period_end: value}
    for indicator_id, unit_id, end, value in rows:
        latest[(indicator_id, unit_id)][end] = value
    parents = dict(Unit.objects.values_list("pk", "parent_id"))
    found = {}
    for t in targets:
        period = t.period
        found[t.pk] = latest_in(latest.get((t.indicator_id, t.unit_id)), period)
        if found[t.pk] is None and not t.indicator.is_ratio:
            children = [
                latest_in(values, period)
                for (indicator_id, unit_id), values in latest.items()
                if indicator_id == t.indicator_id and parents.get(unit_id) == t.unit_id
            ]
            children = [v for v in children if v is not None]
            found[t.pk] = sum(children, Decimal(0)) if children else None
    return found


def latest_in(values: dict | None, period: Period) -> Decimal | None:
    if not values:
        return None
    inside = [end for end in values if period.start <= end <= period.end]
    return values[max(inside)] if inside else None
