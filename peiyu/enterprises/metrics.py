"""The enterprise library's figures in the metric registry (core/metrics.py): counts of enterprises
by qualification, band, stage, industry and park; sums of the year indicators; and the ratios the
bureau reports (R&D intensity, hi-tech share, shares in parks and strategic emerging industries).

Each figure is one grouped query by (unit, park), folded into every asked unit's subtree in Python:
units are few, enterprises many. An enterprise counts where it is registered and, when it sits in
a park, for the park too (as scoping does)."""

from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext_lazy as _

from peiyu.core.metrics import Param, metric, ratio
from peiyu.core.models import Unit
from peiyu.enterprises import choices
from peiyu.enterprises.models import Enterprise, EnterpriseYear, Qualification

YES = (("yes", _("Yes")),)
FILTERS = (
    Param(
        "qualification",
        _("Qualification held"),
        kind="choice",
        choices=tuple(choices.QualificationKind.choices),
        required=False,
    ),
    Param(
        "band",
        _("Revenue band"),
        kind="choice",
        choices=tuple((str(v), label) for v, label in choices.RevenueBand.choices),
        required=False,
    ),
    Param(
        "stage",
        _("Life-cycle stage"),
        kind="choice",
        choices=tuple((str(v), label) for v, label in choices.Stage.choices),
        required=False,
    ),
    Param("emerging", _("In a strategic emerging industry"), kind="choice", choices=YES, required=False),
    Param("in_park", _("In a park"), kind="choice", choices=YES, required=False),
    Param("year", _("Year of the figures (default: the period's year)"), kind="int", required=False),
)


def fold(units, rows) -> dict[int, Decimal]:
    """rows: (unit_id, park_id, value) → each asked unit's total over its subtree; an enterprise in a
    park inside the unit is counted once."""
    paths = dict(Unit.objects.values_list("pk", "path"))
    totals = {}
    for unit in units:
        prefix = paths.get(unit.pk, "\0")
        totals[unit.pk] = sum(
            (
                Decimal(value or 0)
                for unit_id, park_id, value in rows
                if paths.get(unit_id, "").startswith(prefix)
                or (park_id and paths.get(park_id, "").startswith(prefix))
            ),
            Decimal(0),
        )
    return totals


def enterprises_in(period, qualification=None, band=None, stage=None, emerging=None, in_park=None, year=None):
    """Live enterprises established by the period's end, narrowed by the filters; band and stage
    are read from the figures of `year` (the period's year by default)."""
    found = Enterprise.objects.filter(Q(established__lte=period.end) | Q(established__isnull=True))
    if qualification:
        held = Qualification.objects.filter(kind=qualification).current(period.end)
        found = found.filter(pk__in=held.values("enterprise_id"))
    if band or stage:
        years = EnterpriseYear.objects.filter(year=year or period.end.year)
        years = years.filter(revenue_band=int(band)) if band else years
        years = years.filter(stage=int(stage)) if stage else years
        found = found.filter(pk__in=years.values("enterprise_id"))
    if emerging:
        found = found.exclude(emerging_industry="")
    if in_park:
        found = found.filter(park__isnull=False)
    return found


def count_rows(queryset):
    return list(queryset.values_list("unit_id", "park_id").annotate(n=Count("pk")).order_by())


@metric("enterprises.count", _("Enterprises in the library"), unit="家", kind="stock", params=FILTERS)
def enterprise_count(units, period, **filters):
    return fold(units, count_rows(enterprises_in(period, **filters)))


@metric(
    "enterprises.new",
    _("New enterprises in the period"),
    unit="家",
    kind="flow",
    params=(
        Param(
            "qualification",
            _("Qualification granted"),
            kind="choice",
            choices=tuple(choices.QualificationKind.choices),
            required=False,
        ),
    ),
    description=_(
        "With a qualification: enterprises first granted it within the period; without: enterprises established within it."
    ),
)
def new_enterprises(units, period, qualification=None):
    if qualification:
        earlier = Qualification.objects.filter(kind=qualification, granted_on__lt=period.start).values(
            "enterprise_id"
        )
        granted = Qualification.objects.filter(
            kind=qualification, granted_on__range=(period.start, period.end)
        )
        found = Enterprise.objects.filter(pk__in=granted.values("enterprise_id")).exclude(pk__in=earlier)
    else:
        found = Enterprise.objects.filter(established__range=(period.start, period.end))
    return fold(units, count_rows(found))


# Year indicators that add up across enterprises, with the unit they are kept in.
SUMMABLE = {
    "revenue": "万元",
    "hitech_revenue": "万元",
    "total_costs": "万元",
    "rd_expense": "万元",
    "total_assets": "万元",
    "net_assets": "万元",
    "taxes": "万元",
    "profit": "万元",
    "employees": "人",
    "tech_staff": "人",
    "college_staff": "人",
    "invention_patents": "件",
    "utility_patents": "件",
    "design_patents": "件",
    "software_copyrights": "件",
    "patent_applications": "件",
    "invention_applications": "件",
    "patents_granted": "件",
    "standards_led": "项",
}


def year_sum(units, period, field, year=None, **filters):
    found = enterprises_in(period, year=year, **filters)
    rows = (
        EnterpriseYear.objects.filter(year=year or period.end.year, enterprise__in=found)
        .values_list("enterprise__unit_id", "enterprise__park_id")
        .annotate(total=Sum(field))
        .order_by()
    )
    return fold(units, list(rows))


def _register_sum(field: str, unit: str) -> None:
    label = EnterpriseYear._meta.get_field(field).verbose_name

    def compute(units, period, **params):
        return year_sum(units, period, field, **params)

    metric(f"enterprises.{field}", label, unit=unit, kind="flow", params=FILTERS)(compute)


for _field, _unit in SUMMABLE.items():
    _register_sum(_field, _unit)


def _share(numerators: dict, denominators: dict) -> dict:
    return {pk: ratio(numerators.get(pk), denominators.get(pk)) for pk in denominators}


@metric(
    "enterprises.rd_intensity", _("R&D expense as a share of revenue"), unit="%", kind="ratio", params=FILTERS
)
def rd_intensity(units, period, **filters):
    return _share(
        year_sum(units, period, "rd_expense", **filters), year_sum(units, period, "revenue", **filters)
    )


@metric(
    "enterprises.hitech_share",
    _("Hi-tech revenue as a share of revenue"),
    unit="%",
    kind="ratio",
    params=FILTERS,
)
def hitech_share(units, period, **filters):
    return _share(
        year_sum(units, period, "hitech_revenue", **filters), year_sum(units, period, "revenue", **filters)
    )


@metric(
    "enterprises.tech_staff_share",
    _("Technical staff as a share of employees"),
    unit="%",
    kind="ratio",
    params=FILTERS,
)
def tech_staff_share(units, period, **filters):
    return _share(
        year_sum(units, period, "tech_staff", **filters), year_sum(units, period, "employees", **filters)
    )


@metric(
    "enterprises.share_in_parks",
    _("Share of enterprises in parks"),
    unit="%",
    kind="ratio",
    params=FILTERS[:4],
)
def share_in_parks(units, period, **filters):
    everyone = fold(units, count_rows(enterprises_in(period, **filters)))
    in_parks = fold(units, count_rows(enterprises_in(period, in_park="yes", **filters)))
    return _share(in_parks, everyone)


@metric(
    "enterprises.share_emerging",
    _("Share of enterprises in strategic emerging industries"),
    unit="%",
    kind="ratio",
    params=tuple(p for p in FILTERS if p.name != "emerging"),
)
def share_emerging(units, period, **filters):
    everyone = fold(units, count_rows(enterprises_in(period, **filters)))
    emerging = fold(units, count_rows(enterprises_in(period, emerging="yes", **filters)))
    return _share(emerging, everyone)
