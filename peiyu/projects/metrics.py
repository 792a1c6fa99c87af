"""Figures of the projects app for the targets registry: projects approved or undertaken (项) and their
funding (万元), by level, over each unit's subtree. Seed 000's "承担国家、天津市级科技计划项目20项"
is `projects.count` with level national and city."""

from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext_lazy as _

from peiyu.core.metrics import Param, metric
from peiyu.core.models import Unit
from peiyu.projects.choices import UNDERTAKEN, ProjectLevel, ReserveStatus
from peiyu.projects.models import Project, ReserveProject

STATUS_CHOICES = (
    ("undertaken", "承担（已立项或已完成）"),
    *[(v, str(label)) for v, label in ReserveStatus.choices],
)
LEVEL_PARAM = Param(
    "level",
    _("Level"),
    kind="choice",
    choices=tuple((v, str(label)) for v, label in ProjectLevel.choices),
    required=False,
)
STATUS_PARAM = Param(
    "status", _("Status"), kind="choice", choices=STATUS_CHOICES, required=False, default="undertaken"
)


def _in_subtree(prefix: str, ids) -> Q:
    return Q(**{f"{prefix}enterprise__unit_id__in": ids}) | Q(**{f"{prefix}enterprise__park_id__in": ids})


def _reserve(period, level, status):
    rows = ReserveProject.objects.all()
    if level:
        rows = rows.filter(level=level)
    if status in ("undertaken", ReserveStatus.APPROVED, ReserveStatus.COMPLETED):
        statuses = UNDERTAKEN if status == "undertaken" else (status,)
        return rows.filter(status__in=statuses, approved_on__gte=period.start, approved_on__lte=period.end)
    return rows.filter(status=status, year__gte=period.start.year, year__lte=period.end.year)


def _own(period, level, status):
    """The bureau's own programmes count as district-level projects, approved when they were approved."""
    if level not in (None, "", ProjectLevel.DISTRICT) or status not in ("undertaken", ReserveStatus.APPROVED):
        return Project.objects.none()
    return Project.objects.filter(approved_on__gte=period.start, approved_on__lte=period.end)


def _per_unit(units, compute) -> dict:
    return {u.pk: compute(Unit.objects.subtree_ids(u)) for u in units}


@metric(
    "projects.count",
    _("S&T projects approved or undertaken"),
    unit="项",
    kind="flow",
    params=[LEVEL_PARAM, STATUS_PARAM],
    description=_(
        "Projects in the project library (national, provincial, city) and the district's own funded projects, by level and status, approved in the period."
    ),
)
def project_count(units, period, level=None, status="undertaken"):
    def count(ids):
        n = _reserve(period, level, status).filter(_in_subtree("", ids)).aggregate(n=Count("pk"))["n"]
        n += _own(period, level, status).filter(_in_subtree("", ids)).aggregate(n=Count("pk"))["n"]
        return Decimal(n)

    return _per_unit(units, count)


@metric(
    "projects.funding",
    _("S&T project funding"),
    unit="万元",
    kind="flow",
    params=[LEVEL_PARAM, STATUS_PARAM],
    description=_("Money approved to those projects in the period, in 10k yuan."),
)
def project_funding(units, period, level=None, status="undertaken"):
    def total(ids):
        s = _reserve(period, level, status).filter(_in_subtree("", ids)).aggregate(s=Sum("amount_approved"))[
            "s"
        ] or Decimal(0)
        s += _own(period, level, status).filter(_in_subtree("", ids)).aggregate(s=Sum("approved_amount"))[
            "s"
        ] or Decimal(0)
        return s

    return _per_unit(units, total)
