"""The rules of a ledger item that every surface shares (forms, import, API, demo): reading a
deadline as the bureau writes it, matching names to accounts and departments, and recording reports."""

import calendar
import datetime as dt
import re
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from peiyu.core.models import Department, Unit, User
from peiyu.ledger.choices import Cadence, ReportStatus
from peiyu.ledger.models import Item, Measure, Report

LONG_TERM_WORDS = ("长期", "长期坚持", "持续推进", "常态化")
NAME_SEPARATORS = re.compile(r"[、，,；;/\s]+")


@dataclass(frozen=True)
class Deadline:
    date: dt.date | None
    long_term: bool
    text: str


def month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


_FULL = re.compile(r"^(\d{4})\s*[.\-/年]\s*(\d{1,2})\s*[.\-/月]\s*(\d{1,2})\s*日?$")
_MONTH = re.compile(r"^(\d{4})\s*[.\-/年]\s*(\d{1,2})\s*月?\s*(底|末|前|份)?(底前|末前)?$")
_YEAR = re.compile(r"^(\d{4})\s*年?\s*(底|末|年底|年末)?(前)?$")


def parse_deadline(value) -> Deadline:
    """ "2023.12" and "2023年12月底" are the month's last day, "2023年底" the year's, "2023.12.15" that
    day, "长期" a long-term item. Raises ValueError with a Chinese message for anything else."""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return Deadline(value, False, f"{value.year}.{value.month}.{value.day}")
    text = str(value or "").strip().translate(str.maketrans("０１２３４５６７８９．", "0123456789."))
    if not text:
        raise ValueError(_("The deadline is empty: write a date such as 2023.12 or “长期”."))
    if text in LONG_TERM_WORDS:
        return Deadline(None, True, text)
    try:
        if m := _FULL.match(text):
            return Deadline(dt.date(int(m[1]), int(m[2]), int(m[3])), False, text)
        if m := _MONTH.match(text):
            return Deadline(month_end(int(m[1]), int(m[2])), False, text)
        if m := _YEAR.match(text):
            return Deadline(dt.date(int(m[1]), 12, 31), False, text)
    except ValueError:
        pass
    raise ValueError(
        _(
            "“%(value)s” is not a deadline: write a date such as 2023.12, 2023年12月底 or 2023.12.31, or “长期”."
        )
        % {"value": text}
    )


def split_names(text: str) -> list[str]:
    return [n for n in NAME_SEPARATORS.split(str(text or "").strip()) if n]


@dataclass
class Owners:
    """Names as written and what they matched: users and departments (None where nothing did)."""

    leaders: list[tuple[str, User | None]] = field(default_factory=list)
    departments: list[tuple[str, Department | None]] = field(default_factory=list)
    persons: list[tuple[str, User | None]] = field(default_factory=list)

    @property
    def unmatched(self) -> list[str]:
        return [
            name
            for pairs in (self.leaders, self.departments, self.persons)
            for name, obj in pairs
            if obj is None
        ]

    def warnings(self) -> list[str]:
        return [
            _("“%(name)s” matches no account or department of the unit: kept as written, link it later.")
            % {"name": n}
            for n in self.unmatched
        ]


def unit_chain(unit: Unit) -> list[Unit]:
    """The unit and the units above it: a street's ledger may name district leaders."""
    return [unit, *unit.ancestors()]


def match_owners(unit: Unit, leaders: str, departments: str, persons: str) -> Owners:
    """Match each name to an active user (full name or login) or a department of the unit, the
    units above it (district leaders) or below it (a town's official named in a district ledger); a
    name that matches none, or more than one, stays unmatched."""
    chain = unit_chain(unit)
    around = Q(unit__in=chain) | Q(unit__path__startswith=unit.path)  # above, the unit, and below
    people = User.objects.filter(around, is_active=True)
    depts = Department.objects.filter(around)

    def user(name):
        found = list(people.filter(Q(full_name=name) | Q(username=name))[:2])
        return found[0] if len(found) == 1 else None

    def department(name):
        found = list(depts.filter(name=name)[:2])
        return found[0] if len(found) == 1 else None

    return Owners(
        leaders=[(n, user(n)) for n in split_names(leaders)],
        departments=[(n, department(n)) for n in split_names(departments)],
        persons=[(n, user(n)) for n in split_names(persons)],
    )


def apply_owners(item: Item, owners: Owners) -> None:
    """Write the names as written, the lead department and the responsibility (matched ones, in
    order) to a saved item."""
    item.leaders_text = "、".join(n for n, _o in owners.leaders)
    item.departments_text = "、".join(n for n, _o in owners.departments)
    item.persons_text = "、".join(n for n, _o in owners.persons)
    first = owners.departments[0] if owners.departments else ("", None)
    item.lead_department_name, item.lead_department = first
    item.unmatched = "、".join(owners.unmatched)[:300]


def save_responsibility(item: Item, owners: Owners) -> None:
    item.set_responsibility(
        leaders=[u for _n, u in owners.leaders if u],
        departments=[d for _n, d in owners.departments if d],
        persons=[u for _n, u in owners.persons if u],
    )


def set_measures(item: Item, texts: list[str]) -> None:
    """Replace the item's measures by `texts`, keeping a measure (and its reports) whose position
    and text are unchanged."""
    texts = [t.strip() for t in texts if t.strip()]
    existing = {m.position: m for m in item.measures.all()}
    for position, text in enumerate(texts, start=1):
        measure = existing.pop(position, None)
        if measure is None:
            Measure.objects.create(item=item, position=position, text=text)
        elif measure.text != text:
            measure.text = text
            measure.save()
    for measure in existing.values():
        measure.delete()


def split_measures(text: str) -> list[str]:
    return [line.strip() for line in str(text or "").splitlines() if line.strip()]


def default_cadence() -> str:
    return Cadence.QUARTER


def lead_members(item: Item):
    return item.lead_department.members.all() if item.lead_department_id else User.objects.none()


@transaction.atomic
def submit_report(
    item: Item, author: User, text: str, percent=None, milestone="", measure=None, on=None
) -> Report:
    """Record a progress report. A report by a member of the lead department (or on an item whose
    lead department has no account yet) is the item's own and moves its progress."""
    department = (
        item.lead_department
        if item.lead_department_id and item.lead_department.members.filter(pk=author.pk).exists()
        else None
    )
    is_lead = department is not None or item.lead_department_id is None
    if department is None:
        department = author.departments.order_by("sort_order").first()
    report = Report.objects.create(
        item=item,
        measure=measure,
        author=author,
        department=department,
        text=text,
        percent=percent,
        milestone=milestone,
        is_lead=is_lead,
        **({"reported_on": on} if on else {}),
    )
    if measure is not None and percent is not None:
        measure.progress = percent
        measure.save(update_fields=["progress", "updated"])
    refresh_progress(item)
    return report


def refresh_progress(item: Item) -> None:
    """The item's progress is its lead department's latest standing report's; the last report date
    counts every standing report (long-term items are judged on it)."""
    standing = item.reports.filter(status=ReportStatus.SUBMITTED)
    lead = (
        standing.filter(is_lead=True, measure__isnull=True, percent__isnull=False)
        .order_by("-reported_on", "-pk")
        .first()
    )
    measures = list(item.measures.values_list("progress", flat=True))
    if lead is not None:
        item.progress = lead.percent
    elif measures:
        item.progress = round(sum(measures) / len(measures))
    latest = standing.order_by("-reported_on").values_list("reported_on", flat=True).first()
    item.last_report_on = latest
    Item.all_objects.filter(pk=item.pk).update(progress=item.progress, last_report_on=latest)


@transaction.atomic
def return_report(report: Report, reason: str) -> Report:
    if not reason.strip():
        raise ValueError(_("Say why the report is returned."))
    report.status = ReportStatus.RETURNED
    report.return_reason = reason.strip()
    report.save()
    refresh_progress(report.item)
    return report
