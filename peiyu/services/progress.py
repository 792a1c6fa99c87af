"""What the services achieved in a period, for a set of units (each over its subtree): events held,
enterprises served (each counted once in the period), financing obtained and technology contract
amounts; and each quota's progress month by month or for the year."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Sum
from django.db.models.functions import ExtractMonth
from django.utils import timezone

from peiyu.core.models import Unit
from peiyu.core.periods import Period, month_end
from peiyu.services.choices import IntroductionStatus, QuotaMeasure, QuotaPeriod
from peiyu.services.models import EventAttendance, Financing, Introduction, ServiceEvent


def events(unit_ids, start: datetime.date, end: datetime.date, kind: str = ""):
    qs = ServiceEvent.objects.filter(unit_id__in=unit_ids, date__range=(start, end))
    return qs.filter(kind=kind) if kind else qs


def attendances(unit_ids, start, end, kind: str = ""):
    qs = EventAttendance.objects.filter(
        event__deleted_at__isnull=True, event__unit_id__in=unit_ids, event__date__range=(start, end)
    )
    return qs.filter(event__kind=kind) if kind else qs


def financings(unit_ids, start, end, kind: str = "", product: str = ""):
    qs = Financing.objects.filter(
        enterprise__unit_id__in=unit_ids, enterprise__deleted_at__isnull=True, date__range=(start, end)
    )
    if kind:
        qs = qs.filter(kind=kind)
    return qs.filter(product=product) if product else qs


def contracts(unit_ids, start, end):
    """Signed introductions whose contract date falls in the period, by the demand's unit."""
    return Introduction.objects.filter(
        status=IntroductionStatus.SIGNED,
        demand__unit_id__in=unit_ids,
        contract_date__range=(start, end),
        contract_amount__isnull=False,
    )


def measure_value(measure: str, unit_ids, start, end, kind: str = "", product: str = "") -> Decimal:
    if measure == QuotaMeasure.EVENTS:
        return Decimal(events(unit_ids, start, end, kind).count())
    if measure == QuotaMeasure.ENTERPRISES:
        return Decimal(attendances(unit_ids, start, end, kind).values("enterprise_id").distinct().count())
    return financings(unit_ids, start, end, product=product).aggregate(s=Sum("amount"))["s"] or Decimal(0)


def by_month(measure: str, unit_ids, year: int, kind: str = "", product: str = "") -> dict[int, Decimal]:
    """The measure for each month of a year, by one grouped query."""
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    if measure == QuotaMeasure.EVENTS:
        rows = (
            events(unit_ids, start, end, kind)
            .annotate(m=ExtractMonth("date"))
            .values("m")
            .annotate(v=Count("pk"))
        )
    elif measure == QuotaMeasure.ENTERPRISES:
        rows = (
            attendances(unit_ids, start, end, kind)
            .annotate(m=ExtractMonth("event__date"))
            .values("m")
            .annotate(v=Count("enterprise_id", distinct=True))
        )
    else:
        rows = (
            financings(unit_ids, start, end)
            .annotate(m=ExtractMonth("date"))
            .values("m")
            .annotate(v=Sum("amount"))
        )
    found = {r["m"]: Decimal(r["v"] or 0) for r in rows}
    return {m: found.get(m, Decimal(0)) for m in range(1, 13)}


@dataclass
class Cell:
    """One period of a quota: what was achieved against the target."""

    label: str
    actual: Decimal
    target: Decimal
    state: str  # met, missed, running (the period is not over), future

    @property
    def share(self) -> int:
        if not self.target:
            return 100
        return min(100, int(self.actual * 100 / self.target))


def _state(actual, target, start, end, today) -> str:
    if start > today:
        return "future"
    if actual >= target:
        return "met"
    return "running" if end >= today else "missed"


def quota_progress(quota, today: datetime.date | None = None) -> list[Cell]:
    """Each month of the quota's year (or the year as one cell) against its target."""
    today = today or timezone.localdate()
    unit_ids = Unit.objects.subtree_ids(quota.unit)
    if quota.period == QuotaPeriod.MONTH:
        values = by_month(quota.measure, unit_ids, quota.year, quota.event_kind, quota.product)
        return [
            Cell(
                f"{m}月",
                values[m],
                quota.target,
                _state(
                    values[m], quota.target, datetime.date(quota.year, m, 1), month_end(quota.year, m), today
                ),
            )
            for m in range(1, 13)
        ]
    period = Period.year(quota.year)
    actual = measure_value(quota.measure, unit_ids, period.start, period.end, quota.event_kind, quota.product)
    return [
        Cell(
            f"{quota.year}年",
            actual,
            quota.target,
            _state(actual, quota.target, period.start, period.end, today),
        )
    ]


def months_met(cells: list[Cell]) -> tuple[int, int]:
    """How many finished periods met the target, of how many finished."""
    done = [c for c in cells if c.state in ("met", "missed")]
    return sum(c.state == "met" for c in done), len(done)
