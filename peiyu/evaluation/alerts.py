"""Alert lists from the seeds, for the user's scope and a year: the "three zeros" (seed 004), sales
≥ 1亿 without an R&D institution (seed 004), R&D intensity under the seed 002 norms (tech SMEs
< 3%, hi-tech enterprises < 5%), and hi-tech certificates expiring within six months. Ratios are
compared exactly (R&D × 100 < revenue × 3), in Python Decimals, never floats."""

import datetime
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from peiyu.enterprises.choices import QualificationKind, RdInstitutionLevel
from peiyu.enterprises.models import EnterpriseYear, Qualification
from peiyu.evaluation.frames import year_end

# 规模以上: revenue of 20 million yuan (2000万元) and above, the statistics threshold for industry.
SCALE_REVENUE = 2000
LARGE_REVENUE = 10000  # 1亿元
RD_NORMS = {QualificationKind.TECH_SME: 3, QualificationKind.HITECH: 5}  # percent of revenue (seed 002)
EXPIRY_MONTHS = 6
EXPIRED_MONTHS = 3  # lapsed certificates stay on the list this long, so a missed renewal is still followed up


@dataclass
class AlertList:
    code: str
    title: str
    explanation: str
    rows: list = field(default_factory=list)
    available: bool = True

    @property
    def follow_up(self) -> str:
        return FOLLOW_UP.get(self.code, "")


# What the cadre in charge does about a row of each list.
FOLLOW_UP = {
    "zero_patents": _("Visit and plan the first patent filing"),
    "zero_applications": _("Remind the firm that hi-tech re-certification needs new IP"),
    "no_institution": _("Help the firm set up an R&D institution"),
    "low_rd_tech_sme": _("Review R&D accounting and the super-deduction"),
    "low_rd_hitech": _("Review R&D accounting and the super-deduction"),
    "expiring": _("Remind the firm to re-apply before the certificate ends"),
}


def _years(user, year: int):
    return (EnterpriseYear.objects.alive().for_user(user).filter(year=year)
            .select_related("enterprise", "enterprise__unit", "enterprise__cadre").order_by("enterprise__name"))


def _holders(kind: str, year: int) -> set[int]:
    return set(Qualification.objects.current(year_end(year)).filter(kind=kind).values_list("enterprise_id", flat=True))


def _patents(y) -> int:
    return (y.invention_patents or 0) + (y.utility_patents or 0) + (y.design_patents or 0)


def three_zeros(user, year: int) -> list[AlertList]:
    rows = list(_years(user, year))
    hitech = _holders(QualificationKind.HITECH, year)
    return [
        AlertList("zero_patents", _("Scale enterprises with no valid patent"),
                  _("Revenue of 20 million yuan or more and no valid invention, utility-model or design patent."),
                  [y for y in rows if y.revenue is not None and y.revenue >= SCALE_REVENUE and _patents(y) == 0]),
        AlertList("zero_applications", _("Hi-tech enterprises with no patent application this year"),
                  _("A hi-tech certificate in force at the end of the year and no patent application in the year."),
                  [y for y in rows if y.enterprise_id in hitech and not y.patent_applications]),
        AlertList("zero_project_applications", _("Major-project enterprises with no patent application"),
                  _("Needs the list of major-project enterprises, which the platform does not hold yet."), available=False),
    ]


def no_institution(user, year: int) -> AlertList:
    rows = [y for y in _years(user, year)
            if y.revenue is not None and y.revenue >= LARGE_REVENUE and y.rd_institution_level == RdInstitutionLevel.NONE]
    return AlertList("no_institution", _("Sales of 100 million yuan or more without an R&D institution"),
                     _("Revenue of at least 100 million yuan and no R&D institution at any level."), rows)


def low_rd(user, year: int) -> list[AlertList]:
    rows = list(_years(user, year))
    out = []
    titles = {
        # xgettext:no-python-format
        QualificationKind.TECH_SME: _("Tech SMEs with R&D under 3% of revenue"),
        # xgettext:no-python-format
        QualificationKind.HITECH: _("Hi-tech enterprises with R&D under 5% of revenue"),
    }
    for kind, norm in RD_NORMS.items():
        holders = _holders(kind, year)
        found = [y for y in rows if y.enterprise_id in holders and y.revenue and y.revenue > 0
                 and (y.rd_expense or 0) * 100 < y.revenue * norm]
        out.append(AlertList(f"low_rd_{kind}", titles[kind], _("R&D expense divided by revenue, compared exactly."), found))
    return out


def add_months(day: datetime.date, months: int) -> datetime.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)


def expiring(user, today: datetime.date) -> AlertList:
    """Hi-tech certificates ending within six months, or ended in the last three months, of firms
    that hold no newer certificate (a firm re-certified in time needs no reminder)."""
    since, until = add_months(today, -EXPIRED_MONTHS), add_months(today, EXPIRY_MONTHS)
    renewed = Qualification.objects.filter(kind=QualificationKind.HITECH, valid_until__gt=until).values("enterprise_id")
    qs = (Qualification.objects.for_user(user)
          .filter(kind=QualificationKind.HITECH, valid_until__gte=since, valid_until__lte=until, enterprise__deleted_at__isnull=True)
          .exclude(enterprise_id__in=renewed)
          .select_related("enterprise", "enterprise__unit", "enterprise__cadre").order_by("valid_until"))
    return AlertList("expiring", _("Hi-tech certificates expiring within 6 months or expired in the last 3"),
                     _("The firm must re-apply as a new applicant; one whose certificate has lapsed loses the 15% tax rate from that year."),
                     list(qs))


def days_left(row, today: datetime.date) -> int | None:
    """Days until a certificate ends (negative: ended that many days ago); None for figure rows."""
    until = getattr(row, "valid_until", None)
    return None if until is None else (until - today).days


def all_alerts(user, year: int, today: datetime.date) -> list[AlertList]:
    return [*three_zeros(user, year), no_institution(user, year), *low_rd(user, year), expiring(user, today)]


def matching(rows: list, q: str = "", unit_ids: set[int] | None = None) -> list:
    """Rows whose enterprise name or credit code contains `q`, within the chosen units."""
    q = q.strip().lower()
    out = []
    for row in rows:
        e = row.enterprise
        if q and q not in e.name.lower() and q not in e.uscc.lower():
            continue
        if unit_ids is not None and e.unit_id not in unit_ids and e.park_id not in unit_ids:
            continue
        out.append(row)
    return out
