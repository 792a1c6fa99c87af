"""What the pages, the API, the CLI and the jobs share: monthly history and forecasts of a target,
snapshots, cadre credit and the plan overview (cached under the data version)."""

import datetime as dt
from collections import OrderedDict, defaultdict
from decimal import Decimal

from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from peiyu.core import metrics
from peiyu.core.caching import data_generation
from peiyu.core.choices import Role
from peiyu.core.history import acting_as
from peiyu.core.models import Unit
from peiyu.core.periods import Period, month_end
from peiyu.targets import forecast as fc
from peiyu.targets.models import CadreTarget, ReportedValue, ReportState, Snapshot, Target
from peiyu.targets.progress import measure, progress_of

HISTORY_YEARS = 4


def data_version() -> str:
    """Changes whenever targets, reports, snapshots or enterprise data change (highest stamps)."""
    from peiyu.core.models import ObjectChange

    last = ObjectChange.objects.aggregate(m=Max("pk"))["m"]
    return f"{data_generation()}:{last}"


_local: "OrderedDict[str, object]" = OrderedDict()
LOCAL_ENTRIES = 64


def cached(key: str, compute, timeout: int = 600):
    """Figures cached under a key that holds the data version: first in this process (no unpickling
    of a few hundred targets on every request), then in the shared cache, else computed."""
    if key in _local:
        _local.move_to_end(key)
        return _local[key]
    found = cache.get(key)
    if found is None:
        found = compute()
        cache.set(key, found, timeout)
    _local[key] = found
    while len(_local) > LOCAL_ENTRIES:
        _local.popitem(last=False)
    return found


def monthly_history(target, upto: dt.date, months=range(1, 13)) -> dict[int, dict[int, Decimal]]:
    """Month-end values (year-to-date or stock) of the target's unit for the target's year and the
    years before it: accepted reports for a reported indicator (the children's sum when the unit does
    not report), the metric at each month end for a computed one."""
    year = target.period.end.year
    first = year - HISTORY_YEARS
    indicator = target.indicator
    history = defaultdict(dict)
    if indicator.source == "reported":
        rows = ReportedValue.objects.filter(
            indicator=indicator, state=ReportState.ACCEPTED, period_end__year__gte=first, period_end__lte=upto
        ).values_list("unit_id", "period_end", "value")
        own, per_child = defaultdict(dict), defaultdict(lambda: defaultdict(dict))
        child_ids = set(Unit.objects.filter(parent_id=target.unit_id).values_list("pk", flat=True))
        for unit_id, end, value in rows:
            if unit_id == target.unit_id:
                own[end.year][end.month] = value
            elif unit_id in child_ids:
                per_child[end.year][unit_id][end.month] = value
        if own:
            return {y: dict(months) for y, months in own.items()}
        return {y: children_sum(by_child) for y, by_child in per_child.items()}
    try:
        metric = metrics.get(indicator.metric_code)
    except ValueError:  # the app registering it is not installed yet
        return {}
    params = indicator.params
    scale = indicator.scale
    for y in range(first, year + 1):
        for m in months:
            end = month_end(y, m)
            if end > upto:
                break
            value = metric.value(target.unit, Period(dt.date(y, 1, 1), end, str(y)), **params)
            if value is not None:
                history[y][m] = value * scale
    return dict(history)


def children_sum(by_child: dict) -> dict[int, Decimal]:
    """Month by month, the sum of the children's year-to-date values; a child whose figure for a
    month is not (yet) accepted counts with its latest earlier month of the year."""
    last = max((m for months in by_child.values() for m in months), default=0)
    sums = {}
    for m in range(1, last + 1):
        values = [
            months[max(k for k in months if k <= m)]
            for months in by_child.values()
            if any(k <= m for k in months)
        ]
        sums[m] = sum(values, Decimal(0))
    return sums


def forecast_for(target, as_of: dt.date):
    """The year-end forecast of a one-year target as of `as_of` (None for spans or short history)."""
    period = target.period
    if period.kind != "year" or not (period.start <= as_of):
        return None
    month_done = min(as_of, period.end)
    month = (
        month_done.month
        if month_done == month_end(month_done.year, month_done.month)
        else month_done.month - 1
    )
    if month < 1:
        return None
    key = f"targets:forecast:v2:{target.pk}:{month}:{data_version()}"
    found = cache.get(key)
    if found is None:
        # A computed figure is read only at the months the method uses (this month and December of
        # each year): a metric over the whole library is not cheap.
        months = range(1, 13) if target.indicator.source == "reported" else sorted({month, 12})
        history = monthly_history(target, month_end(period.end.year, month), months)
        this_year = [m for m in history.get(period.end.year, {}) if m <= month]
        month = max(this_year) if this_year else month  # the latest month with an accepted figure
        places = "1" if target.indicator.unit in ("家", "件", "项", "次", "人", "个") else "0.01"
        found = (
            fc.forecast(
                history,
                period.end.year,
                month,
                target.floor,
                target.stretch,
                places,
                target.indicator.direction == "lower",
            )
            or "none"
        )
        cache.set(key, found, 3600)
    return None if found == "none" else found


def assessment(scheme, as_of: dt.date | None = None):
    """The scheme's scores and ranking, cached under the data version (the ranking page and the
    dashboard ask for it on every visit)."""
    from peiyu.targets.scoring import assess

    return cached(f"targets:assess:{scheme.pk}:{as_of}:{data_version()}", lambda: assess(scheme, as_of))


# — snapshots ————————————————————————————————————————————————————————————————————————————


def snapshot_targets(period: Period, plan=None):
    """Targets whose period contains the snapshot period's end (plans in force or closed)."""
    found = []
    targets = Target.objects.exclude(plan__status="draft").select_related("indicator", "unit", "plan")
    for t in targets.filter(plan=plan) if plan is not None else targets:
        if period.end in t.period:
            found.append(t)
    return found


def take_snapshots(period: Period, user=None, retake: bool = False, plan=None) -> tuple[int, int]:
    """Freeze every target's progress at the period's end. Existing snapshots are kept unless
    `retake` (bureau staff only; the change lands in history). Returns (taken, kept)."""
    if retake and user is not None and not (user.is_superuser or user.role == Role.BUREAU):
        raise PermissionDenied(_("Only bureau staff may re-take a snapshot."))
    targets = snapshot_targets(period, plan)
    existing = set(Snapshot.objects.filter(period_code=period.code).values_list("target_id", flat=True))
    todo = targets if retake else [t for t in targets if t.pk not in existing]
    taken = 0
    with transaction.atomic(), acting_as(user):
        for p in progress_of(todo, period.end):
            Snapshot.objects.update_or_create(
                target=p.target,
                period_code=period.code,
                defaults={
                    "as_of": period.end,
                    "actual": p.actual,
                    "completion": p.completion,
                    "stretch_completion": p.stretch_completion,
                    "elapsed": p.elapsed,
                    "gap": p.gap,
                    "taken_by": user,
                },
            )
            taken += 1
    return taken, len(targets) - len(todo)


def progress_as_reported(targets, as_of: dt.date):
    """Progress for a past month or quarter end comes from its snapshot when there is one, so a
    report printed then reads the same today; other dates are computed."""
    targets = list(targets)
    frozen = {s.target_id: s for s in Snapshot.objects.filter(target__in=targets, as_of=as_of)}
    live = progress_of([t for t in targets if t.pk not in frozen], as_of)
    by_pk = {p.target.pk: p for p in live}
    result = []
    for t in targets:
        if t.pk in frozen:
            s = frozen[t.pk]
            p = measure(t, s.actual, as_of)
            p.completion, p.stretch_completion, p.elapsed, p.gap = (
                s.completion,
                s.stretch_completion,
                s.elapsed,
                s.gap,
            )
            p.frozen = True
            result.append(p)
        else:
            result.append(by_pk[t.pk])
    return result


# — cadre targets ————————————————————————————————————————————————————————————————————————


def cadre_credit(plan, as_of: dt.date | None = None) -> list[dict]:
    """Each cadre target with the enterprises credited to the cadre: enterprises the cadre looks
    after (包联) registered as technology-based SMEs within the target's period (up to `as_of`) that were
    not registered the day before the period began (a registration is valid for its year)."""
    from peiyu.enterprises.models import Enterprise, Qualification

    rows = []
    for ct in CadreTarget.objects.filter(plan=plan).select_related("cadre"):
        period = ct.period
        end = min(as_of or period.end, period.end)
        # "New": registered within the period and not a registered tech SME the day before it began.
        before = period.start - dt.timedelta(days=1)
        earlier = Qualification.objects.current(before).filter(kind="tech_sme").values("enterprise_id")
        granted = Qualification.objects.filter(kind="tech_sme", granted_on__range=(period.start, end)).values(
            "enterprise_id"
        )
        credited = list(
            Enterprise.objects.filter(cadre=ct.cadre, pk__in=granted).exclude(pk__in=earlier).order_by("name")
        )
        rows.append(
            {"target": ct, "cadre": ct.cadre, "credited": credited, "delivered": len(credited) >= ct.floor}
        )
    return sorted(rows, key=lambda r: (r["delivered"], r["cadre"].username))
