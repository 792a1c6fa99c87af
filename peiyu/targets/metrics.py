"""Targets' figures in the metric registry, for bulletins and dashboards (a contract the bulletins
app relies on). Parameter `indicator` is an indicator code of the catalogue. For a period P each
unit's value concerns that unit's target for the indicator whose period contains P.end, in the plan
that is current (in force, else the latest closed); None when the unit has no such target.

`targets.actual`, `targets.floor` and `targets.stretch` are declared in 家 but follow the
indicator's own unit of measure (亿元, %, 件 …): read the indicator's unit from the catalogue."""

from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from peiyu.core.metrics import Param, metric
from peiyu.core.periods import Period

INDICATOR = (Param("indicator", _("Indicator code")),)


def current_targets(units, period: Period, indicator: str) -> dict:
    """unit id → the target of `indicator` whose period contains period.end, in the current plan."""
    from peiyu.targets.models import PlanStatus, Target

    candidates = (
        Target.objects.filter(indicator__code=indicator, unit__in=[u.pk for u in units])
        .exclude(plan__status=PlanStatus.DRAFT)
        .select_related("indicator", "plan", "unit")
    )
    chosen = {}
    for t in candidates:
        if period.end not in t.period:
            continue
        rank = (t.plan.status == PlanStatus.ACTIVE, t.plan.period_code, t.pk)
        if t.unit_id not in chosen or rank > chosen[t.unit_id][0]:
            chosen[t.unit_id] = (rank, t)
    return {unit_id: t for unit_id, (_rank, t) in chosen.items()}


def _progress(units, period, indicator):
    from peiyu.targets.progress import progress_of

    targets = current_targets(units, period, indicator)
    return {p.target.unit_id: p for p in progress_of(targets.values(), period.end)}


@metric("targets.actual", _("Actual value of a target"), unit="家", kind="stock", params=INDICATOR)
def actual(units, period, indicator):
    return {pk: p.actual for pk, p in _progress(units, period, indicator).items()}


@metric("targets.floor", _("Floor value of a target"), unit="家", kind="stock", params=INDICATOR)
def floor(units, period, indicator):
    return {pk: t.floor for pk, t in current_targets(units, period, indicator).items()}


@metric("targets.stretch", _("Stretch value of a target"), unit="家", kind="stock", params=INDICATOR)
def stretch(units, period, indicator):
    return {pk: t.stretch for pk, t in current_targets(units, period, indicator).items()}


@metric("targets.completion", _("Completion of a target's floor"), unit="%", kind="ratio", params=INDICATOR)
def completion(units, period, indicator):
    return {pk: p.completion for pk, p in _progress(units, period, indicator).items()}


@metric(
    "targets.elapsed",
    _("Elapsed share of a target's period (working days)"),
    unit="%",
    kind="ratio",
    params=INDICATOR,
)
def elapsed(units, period, indicator):
    return {pk: p.elapsed for pk, p in _progress(units, period, indicator).items()}


@metric(
    "targets.schedule_gap",
    _("Completion minus elapsed share (points)"),
    unit="%",
    kind="ratio",
    params=INDICATOR,
)
def schedule_gap(units, period, indicator):
    return {pk: p.gap for pk, p in _progress(units, period, indicator).items()}


@metric(
    "targets.reported",
    _("Accepted reported value of an indicator"),
    unit="家",
    kind="stock",
    params=INDICATOR,
)
def reported(units, period, indicator):
    """The accepted value each unit reported for exactly P, else its latest accepted report within
    P's year up to P.end."""
    from peiyu.targets.models import ReportedValue, ReportState

    rows = (
        ReportedValue.objects.filter(
            indicator__code=indicator,
            unit__in=[u.pk for u in units],
            state=ReportState.ACCEPTED,
            period_end__lte=period.end,
            period_end__year=period.end.year,
        )
        .order_by("period_end")
        .values_list("unit_id", "period_code", "value")
    )
    found: dict[int, Decimal] = {}
    exact = set()
    for unit_id, code, value in rows:
        if code == period.code:
            exact.add(unit_id)
            found[unit_id] = value
        elif unit_id not in exact:
            found[unit_id] = value
    return found


@metric(
    "targets.sme_share",
    _("Technology-based SMEs as a share of all SMEs"),
    unit="%",
    kind="ratio",
    params=(
        Param("all_sme_indicator", _("Indicator code of the reported all-SME count"), default="all_smes"),
    ),
    description=_("Tech SMEs in the library ÷ the all-SME count the unit reports × 100."),
)
def sme_share(units, period, all_sme_indicator="all_smes"):
    from peiyu.core.metrics import get, ratio

    tech = get("enterprises.count").values(units, period, qualification="tech_sme")
    everyone = reported(units, period, all_sme_indicator)
    return {u.pk: ratio(tech.get(u.pk), everyone.get(u.pk)) for u in units}


@metric(
    "targets.enterprises_over",
    _("Enterprises with revenue at or above a threshold"),
    unit="家",
    kind="stock",
    params=(
        Param("min_revenue", _("Revenue at least (10k yuan)"), kind="decimal"),
        Param("qualification", _("Qualification held"), required=False),
    ),
    description=_(
        "Seed 001: little giants over 3亿 / 10亿; seed 000: little giants over 1亿. Revenue of the period's year."
    ),
)
def enterprises_over(units, period, min_revenue, qualification=None):
    from peiyu.enterprises.metrics import count_rows, enterprises_in, fold
    from peiyu.enterprises.models import EnterpriseYear

    found = enterprises_in(period, qualification=qualification or None)
    over = EnterpriseYear.objects.filter(year=period.end.year, revenue__gte=min_revenue).values(
        "enterprise_id"
    )
    return fold(units, count_rows(found.filter(pk__in=over)))
