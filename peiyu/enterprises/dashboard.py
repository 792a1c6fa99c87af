"""Figures of the landing dashboard, for a chosen year (the latest by default) and the user's scope.

A handful of grouped queries (no per-enterprise work), so the page stays fast at 100,000 enterprises.
"""

from django.core.cache import cache
from django.db.models import Count, Max, Sum
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from peiyu.core.caching import data_generation
from peiyu.core.models import ObjectChange, Unit
from peiyu.enterprises import choices
from peiyu.enterprises.filtersets import qualification_day
from peiyu.enterprises.models import Enterprise, EnterpriseYear, Qualification


def cached_dashboard_data(user, year: int | None = None) -> dict:
    """The dashboard, recomputed only when the data or the day changes. The version is read from
    the highest ids of the tables involved and of the change history, which every write —
    form, API, import or undo — advances; each is one index lookup."""
    key = ":".join(map(str, ("dashboard", user.role, user.unit_id, user.pk if user.role == "enterprise" else "",
                             user.is_superuser, get_language(), timezone.localdate(), year, data_generation(), *data_version())))
    return cache.get_or_set(key, lambda: dashboard_data(user, year), timeout=600)


def data_version() -> tuple:
    return tuple(
        model._base_manager.aggregate(m=Max("pk"))["m"] for model in (ObjectChange, Enterprise, EnterpriseYear, Qualification)
    )


def dashboard_data(user, year: int | None = None) -> dict:
    """The figures of `year` (the latest year with figures when None); qualifications are those in
    force at that year's end, so every figure on the page is of one year."""
    enterprises = Enterprise.objects.for_user(user)
    years = EnterpriseYear.objects.alive().for_user(user)
    trend = list(years.values("year").annotate(n=Count("pk"), revenue=Sum("revenue")).order_by("year"))
    years_with_data = [row["year"] for row in reversed(trend)]
    if year is None:
        year = years_with_data[0] if years_with_data else None
    # One pass over the year's rows, grouped finely enough to fold every figure from it.
    groups = list(
        years.filter(year=year).values("enterprise__unit", "revenue_band", "stage")
        .annotate(n=Count("pk"), **{name: Sum(column) for name, column in SUMMED.items()}).order_by()
    )
    totals = {name: _sum(groups, name) for name in ("n", *SUMMED)}
    band_counts = _count_by(groups, "revenue_band", choices.RevenueBand)
    stage_counts = _count_by(groups, "stage", choices.Stage)
    qualification_counts = _qualification_counts(user, qualification_day(year))
    unit_rows = _unit_rows(groups)
    trend_years, (trend_count, trend_revenue) = continuous_years(
        {row["year"]: (row["n"], str(round(row["revenue"] / 10000, 2)) if row["revenue"] is not None else None) for row in trend}, 2
    )

    return {
        "year": year,
        "years": years_with_data,
        "enterprise_count": enterprises.count(),
        "totals": totals,
        "band_counts": band_counts,
        "stage_counts": stage_counts,
        "qualification_counts": qualification_counts,
        "unit_rows": unit_rows,
        "charts": {
            "stage": [{"name": label, "value": n} for label, n in stage_counts],
            "band": {"labels": [label for label, _n in band_counts], "values": [n for _label, n in band_counts]},
            "qualification": {"labels": [label for label, _n in qualification_counts], "values": [n for _l, n in qualification_counts]},
            "unit": {"labels": [row["name"] for row in unit_rows], "values": [row["n"] for row in unit_rows]},
            "trend": {
                "years": trend_years,
                "count": trend_count,
                "revenue": trend_revenue,
                "labels": {"count": _("Enterprises with figures"), "revenue": _("Revenue (100 million yuan)")},
            },
        },
    }


SUMMED = {
    "revenue": "revenue", "hitech_revenue": "hitech_revenue", "rd": "rd_expense", "taxes": "taxes",
    "employees": "employees", "tech_staff": "tech_staff",
}


def _sum(groups, name):
    values = [g[name] for g in groups if g[name] is not None]
    return sum(values) if values else None


def _count_by(rows, key, enum) -> list[tuple[str, int]]:
    counts = dict.fromkeys(enum.values, 0)
    for row in rows:
        if row[key] is not None:
            counts[row[key]] += row["n"]
    return [(enum(value).label, counts[value]) for value in enum.values]


def continuous_years(values: dict[int, tuple], width: int) -> tuple[list[int], list[list]]:
    """Every year from the first to the last, with None where a year has no figures, so a chart's
    axis keeps time to scale (2010 and 2024 are not drawn side by side). `values` maps a year to a
    tuple of `width` figures; returns the years and one list per figure."""
    years = list(range(min(values), max(values) + 1)) if values else []
    rows = [values.get(y, (None,) * width) for y in years]
    return years, [[row[i] for row in rows] for i in range(width)]


def _qualification_counts(user, on) -> list[tuple[str, int]]:
    rows = (
        Qualification.objects.current(on).for_user(user).filter(enterprise__deleted_at__isnull=True)
        .values("kind").annotate(n=Count("enterprise", distinct=True)).order_by()
    )
    counts = {row["kind"]: row["n"] for row in rows}
    return [(label, counts.get(value, 0)) for value, label in choices.QualificationKind.choices]


def _unit_rows(groups) -> list[dict]:
    """Enterprises with figures this year, and their revenue, per unit (units named once)."""
    names = dict(Unit.objects.values_list("pk", "name"))
    per_unit: dict[int, dict] = {}
    for g in groups:
        row = per_unit.setdefault(g["enterprise__unit"], {"pk": g["enterprise__unit"], "name": names.get(g["enterprise__unit"], ""), "n": 0, "revenue": None})
        row["n"] += g["n"]
        if g["revenue"] is not None:
            row["revenue"] = (row["revenue"] or 0) + g["revenue"]
    return sorted(per_unit.values(), key=lambda row: -row["n"])
