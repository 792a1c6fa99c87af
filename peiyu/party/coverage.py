"""The two coverages (两个覆盖), computed: how each enterprise is covered and each unit's rates.

组织覆盖率 = (own organisation + covered by a joint one) ÷ enterprises operating;
单独组建率 = own organisation ÷ the same; 工作覆盖率 = (organisation-covered + reached only through a
party-building instructor) ÷ the same (RULES §10.4, after 中办发〔2012〕11号)."""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q, Subquery

from peiyu.core.metrics import ratio
from peiyu.core.models import Unit
from peiyu.party.choices import (
    ORGANISATION_COVERED,
    WORK_COVERED,
    Coverage,
    OrganisationKind,
    OrganisationStatus,
    Setup,
)


def classify(
    own: bool, joint: bool, instructor: bool, party_members: int, threshold: int
) -> tuple[str, bool]:
    """(coverage, should have an organisation) of one enterprise. An own organisation wins over a
    joint one, a joint one over an instructor. 应建未建: at least `threshold` formal members and no
    organisation of its own (a joint branch is for enterprises under the threshold)."""
    if own:
        coverage = Coverage.OWN
    elif joint:
        coverage = Coverage.JOINT
    elif instructor:
        coverage = Coverage.WORK
    else:
        coverage = Coverage.GAP
    return coverage, coverage != Coverage.OWN and party_members >= threshold


def own_organisations():
    from peiyu.party.models import Organisation

    return Organisation.objects.filter(status=OrganisationStatus.ACTIVE, setup=Setup.SINGLE).exclude(
        kind=OrganisationKind.JOINT_BRANCH
    )


def active_organisations():
    from peiyu.party.models import Organisation

    return Organisation.objects.filter(status=OrganisationStatus.ACTIVE)


def ensure_entries(enterprise_ids=None) -> int:
    """A ledger line for every enterprise of the library that has none yet (headcount from its
    latest year), and unit and operating status kept in step with the library. A line's unit is the
    enterprise's smallest unit (its park when it has one), so park staff see their park's lines and
    rates roll up through the unit tree. Returns lines added."""
    from peiyu.enterprises.models import Enterprise, EnterpriseYear
    from peiyu.party.models import CoverageEntry

    enterprises = Enterprise.objects.all()
    if enterprise_ids is not None:
        enterprises = enterprises.filter(pk__in=list(enterprise_ids))
    latest = EnterpriseYear.objects.filter(enterprise=OuterRef("pk"), employees__isnull=False).order_by(
        "-year"
    )
    missing = enterprises.filter(party_entry__isnull=True).annotate(
        staff=Subquery(latest.values("employees")[:1])
    )
    new = [
        CoverageEntry(
            enterprise_id=e.pk, unit_id=e.unit_id, employees=e.staff, operating=e.status == "active"
        )
        for e in missing.only("pk", "unit_id", "status")
    ]
    CoverageEntry.objects.bulk_create(new, batch_size=2000)
    entries = (
        CoverageEntry.objects.all()
        if enterprise_ids is None
        else CoverageEntry.objects.filter(enterprise_id__in=list(enterprise_ids))
    )
    staff = EnterpriseYear.objects.filter(
        enterprise=OuterRef("enterprise_id"), employees__isnull=False
    ).order_by("-year")
    entries.filter(employees__isnull=True).update(employees=Subquery(staff.values("employees")[:1]))
    unit_of = Enterprise.objects.order_by().filter(pk=OuterRef("enterprise_id"))
    entries.exclude(unit_id=Subquery(unit_of.values("unit_id")[:1])).update(
        unit_id=Subquery(unit_of.values("unit_id")[:1])
    )
    active = Exists(Enterprise.objects.filter(pk=OuterRef("enterprise_id"), status="active"))
    entries.filter(operating=True).exclude(active).update(operating=False)
    entries.filter(operating=False).filter(active).update(operating=True)
    return len(new)


@transaction.atomic
def refresh(enterprise_ids=None) -> None:
    """Recompute coverage and the 应建未建 flag, in a few set-wise updates (no per-row work)."""
    from peiyu.party.models import CoverageEntry, Instructor, PartySettings

    ensure_entries(enterprise_ids)
    entries = CoverageEntry.objects.all()
    if enterprise_ids is not None:
        entries = entries.filter(enterprise_id__in=list(enterprise_ids))
    own = Exists(own_organisations().filter(enterprises=OuterRef("enterprise_id")))
    joint = Exists(active_organisations().filter(enterprises=OuterRef("enterprise_id")))
    instructed = Exists(Instructor.objects.filter(active=True, enterprises=OuterRef("enterprise_id")))
    entries.filter(own).exclude(coverage=Coverage.OWN).update(coverage=Coverage.OWN)
    rest = entries.exclude(own)
    rest.filter(joint).exclude(coverage=Coverage.JOINT).update(coverage=Coverage.JOINT)
    rest = rest.exclude(joint)
    rest.filter(instructed).exclude(coverage=Coverage.WORK).update(coverage=Coverage.WORK)
    rest.exclude(instructed).exclude(coverage=Coverage.GAP).update(coverage=Coverage.GAP)
    threshold = PartySettings.current().member_threshold
    should = Q(party_members__gte=threshold) & ~Q(coverage=Coverage.OWN)
    entries.filter(should, should_build=False).update(should_build=True)
    entries.filter(~should, should_build=True).update(should_build=False)


@dataclass
class Rates:
    """A unit's counts and rates (percentages, or None for a unit without operating enterprises)."""

    enterprises: int = 0
    own: int = 0
    joint: int = 0
    work: int = 0
    gap: int = 0
    should_build: int = 0
    employees: int = 0
    party_members: int = 0

    def add(self, other: "Rates") -> None:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    @property
    def organisation_covered(self) -> int:
        return self.own + self.joint

    @property
    def work_covered(self) -> int:
        return self.own + self.joint + self.work

    @property
    def organisation_rate(self) -> Decimal | None:
        return _pct(self.organisation_covered, self.enterprises)

    @property
    def single_rate(self) -> Decimal | None:
        return _pct(self.own, self.enterprises)

    @property
    def work_rate(self) -> Decimal | None:
        return _pct(self.work_covered, self.enterprises)


def _pct(n: int, d: int) -> Decimal | None:
    value = ratio(Decimal(n), Decimal(d))
    return value.quantize(Decimal("0.01")) if value is not None else None


def rows_by_unit(rows) -> dict[int, Rates]:
    """Per-unit counts from grouped rows (unit, coverage, n, should, employees, members)."""
    found: dict[int, Rates] = defaultdict(Rates)
    for row in rows:
        r = found[row["unit"]]
        r.enterprises += row["n"]
        setattr(r, row["coverage"], getattr(r, row["coverage"]) + row["n"])
        r.should_build += row["should"]
        r.employees += row["staff"] or 0
        r.party_members += row["members"] or 0
    return found


def grouped(queryset):
    """One grouped query over operating enterprises: counts per unit and coverage."""
    from django.db.models import Sum

    return (
        queryset.filter(operating=True)
        .values("unit", "coverage")
        .annotate(
            n=Count("pk"),
            should=Count("pk", filter=Q(should_build=True)),
            staff=Sum("employees"),
            members=Sum("party_members"),
        )
        .order_by()
    )


def rates_by_unit(units, queryset=None) -> dict[int, Rates]:
    """Each unit's figures over its whole subtree (a town's include its parks), keyed by unit id."""
    from peiyu.party.models import CoverageEntry

    per_unit = rows_by_unit(grouped(queryset if queryset is not None else CoverageEntry.objects.all()))
    return roll_up(units, per_unit)


def roll_up(units, per_unit: dict[int, Rates]) -> dict[int, Rates]:
    paths = dict(Unit.objects.values_list("pk", "path"))
    result = {}
    for unit in units:
        total = Rates()
        for unit_id, rates in per_unit.items():
            if paths.get(unit_id, "").startswith(unit.path):
                total.add(rates)
        result[unit.pk] = total
    return result


__all__ = [
    "ORGANISATION_COVERED",
    "WORK_COVERED",
    "Rates",
    "classify",
    "ensure_entries",
    "rates_by_unit",
    "refresh",
]
