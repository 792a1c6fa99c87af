"""Deadlines in working days: where an item stands, the cadence periods of long-term items, and the
reminders the scheduled job sends (due soon, overdue, escalated to the responsible leader, a missed
periodic report, an unanswered supervision notice). Working days follow the State Council's holidays
and make-up days and the bureau's own declared days (core/workdays)."""

import datetime as dt
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Prefetch
from django.utils.translation import gettext as _

from peiyu.core.models import ResponsibilityEntry, User
from peiyu.core.notifications import notify
from peiyu.core.workdays import Period, PeriodKind
from peiyu.core.workdays.calendar import CalendarOutOfRange, declared_days
from peiyu.core.workdays.calendar import statutory_working_day as is_working_day_statutory
from peiyu.ledger.choices import Cadence, ItemState, NoticeState, ReminderKind, ReportStatus, Situation
from peiyu.ledger.models import Item, Reminder, Report, SupervisionNotice, today

CADENCE_KIND = {
    Cadence.MONTH: PeriodKind.MONTH,
    Cadence.QUARTER: PeriodKind.QUARTER,
    Cadence.HALF_YEAR: PeriodKind.HALF_YEAR,
}


class WorkdayMemo:
    """working_days_between for many dates at once: the working days of the span asked about are
    counted once (statutory calendar and the bureau's declared days, as core.workdays counts
    them) into running totals, so each question is a subtraction. A run over thousands of items
    then costs one query for the declared days."""

    def __init__(self):
        self._start: dt.date | None = None
        self._totals: list[int] = []
        self._overrides: dict | None = None

    def _cover(self, first: dt.date, last: dt.date) -> None:
        if (
            self._start is not None
            and self._start <= first
            and last <= self._start + dt.timedelta(days=len(self._totals) - 1)
        ):
            return
        if self._overrides is None:
            self._overrides = declared_days(dt.date(1900, 1, 1))
        if self._start is not None:
            first = min(first, self._start)
            last = max(last, self._start + dt.timedelta(days=len(self._totals) - 1))
        totals, running, day = [], 0, first
        while day <= last:
            if day != first:
                running += working(day, self._overrides)
            totals.append(running)
            day += ONE_DAY
        self._start, self._totals = first, totals

    def between(self, start: dt.date, end: dt.date) -> int:
        """Working days after `start` up to and including `end` (negative when `end` is earlier)."""
        self._cover(min(start, end), max(start, end))
        return self._totals[(end - self._start).days] - self._totals[(start - self._start).days]

    def at_most(self, start: dt.date, end: dt.date, limit: int) -> bool:
        """Whether there are at most `limit` working days after `start` up to `end`, without
        counting far-off dates (a long holiday and its weekends leave no more than 14 days off in
        any stretch of ⌈limit × 7 / 5⌉ + 14 days)."""
        if (end - start).days > limit * 7 // 5 + 15:
            return False
        return self.between(start, end) <= limit


ONE_DAY = dt.timedelta(days=1)


def working(day: dt.date, overrides: dict) -> bool:
    """Whether `day` is a working day; beyond the published calendar (next year's holidays come
    out each November), Monday to Friday until it is published."""
    if day in overrides:
        return overrides[day]
    try:
        return is_working_day_statutory(day)
    except CalendarOutOfRange:
        return day.weekday() < 5


def situation(item: Item, on: dt.date | None = None, memo: WorkdayMemo | None = None) -> str:
    """Where the item stands on `on`: done, completion requested, long-term, overdue, due soon (within
    the ledger's `remind_before_days` working days) or on track."""
    on = on or today()
    if item.state == ItemState.DONE:
        return Situation.DONE
    if item.state == ItemState.REQUESTED:
        return Situation.REQUESTED
    if item.long_term:
        return Situation.LONG_TERM
    if item.deadline is None:
        return Situation.ON_TRACK
    if item.deadline < on:
        return Situation.OVERDUE
    if (memo or WorkdayMemo()).at_most(on, item.deadline, item.ledger.remind_before_days):
        return Situation.DUE_SOON
    return Situation.ON_TRACK


# — long-term items ———————————————————————————————————————————————————————————————————


@dataclass(frozen=True)
class CadencePeriod:
    period: Period
    reports: int
    current: bool

    @property
    def on_time(self) -> bool | None:
        """True when a standing report fell inside the period, False once it ended without one,
        None while it runs and has none yet."""
        if self.reports:
            return True
        return None if self.current else False


def cadence_periods(item: Item, on: dt.date | None = None) -> list[CadencePeriod]:
    """Each reporting period of a long-term item from the one it was created in to the current one,
    newest first, with the number of standing reports made inside it. A long-term item is never
    done: it is judged period by period."""
    if not item.long_term or not item.cadence:
        return []
    on = on or today()
    kind = CADENCE_KIND[Cadence(item.cadence)]
    start = item.created.date() if item.created else on
    days = list(
        item.reports.filter(
            status=ReportStatus.SUBMITTED, reported_on__gte=Period.containing(start, kind).start
        ).values_list("reported_on", flat=True)
    )
    periods, period = [], Period.containing(start, kind)
    current = Period.containing(on, kind)
    while period <= current:
        periods.append(CadencePeriod(period, sum(1 for d in days if d in period), period == current))
        period = period.next()
    return periods[::-1]


def period_key(period: Period) -> str:
    """A period as a reminder's key: the same in every language ("2026-quarter-3")."""
    return f"{period.year}-{period.kind}-{period.index}"


# — reminders ——————————————————————————————————————————————————————————————————————


@dataclass
class Planned:
    item: Item
    kind: str
    key: str
    working_days: int
    recipients: list[User]


@dataclass
class RunSummary:
    planned: list[Planned] = field(default_factory=list)
    sent: int = 0
    skipped: int = 0  # already sent before

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for p in self.planned:
            out[p.kind] = out.get(p.kind, 0) + 1
        return out


def _people(item: Item, kind: str) -> list[User]:
    return [
        e.user
        for r in item.responsibilities.all()
        for e in r.entries.all()
        if e.kind == kind and e.user_id and e.user.is_active
    ]


def owners_of(item: Item) -> list[User]:
    """Whom a reminder goes to: the responsible persons; failing those, the lead department's members."""
    persons = _people(item, ResponsibilityEntry.Kind.PERSON)
    if persons:
        return persons
    return list(item.lead_department.members.filter(is_active=True)) if item.lead_department_id else []


def leaders_of(item: Item) -> list[User]:
    """Whom an escalation goes to: the responsible leaders; failing those, the leaders in charge of
    the lead department (分管领导)."""
    leaders = _people(item, ResponsibilityEntry.Kind.LEADER)
    if leaders:
        return leaders
    return list(item.lead_department.leaders.filter(is_active=True)) if item.lead_department_id else []


def _items():
    entries = ResponsibilityEntry.objects.select_related("user")
    return (
        Item.objects.filter(ledger__deleted_at__isnull=True)
        .exclude(state=ItemState.DONE)
        .select_related("ledger", "lead_department")
        .prefetch_related(Prefetch("responsibilities__entries", queryset=entries))
    )


def plan_reminders(on: dt.date | None = None) -> list[Planned]:
    """Every reminder due on `on` (not yet checked against those already sent)."""
    on = on or today()
    memo = WorkdayMemo()
    planned: list[Planned] = []
    long_term: list[Item] = []
    for item in _items().iterator(chunk_size=2000):
        if item.long_term:
            long_term.append(item)
            continue
        if item.state != ItemState.OPEN or item.deadline is None:
            continue
        key = item.deadline.isoformat()
        if item.deadline >= on:
            if memo.at_most(on, item.deadline, item.ledger.remind_before_days):
                left = memo.between(on, item.deadline)
                planned.append(Planned(item, ReminderKind.DUE_SOON, key, left, owners_of(item)))
            continue
        late = memo.between(item.deadline, on)
        planned.append(Planned(item, ReminderKind.OVERDUE, key, late, owners_of(item)))
        if late >= item.ledger.escalate_after_days:
            planned.append(Planned(item, ReminderKind.ESCALATED, key, late, leaders_of(item)))
    planned += _plan_long_term(long_term, on, memo)
    planned += _plan_notices(on, memo)
    return planned


def _plan_long_term(items: list[Item], on: dt.date, memo: WorkdayMemo) -> list[Planned]:
    """The current period ending soon without a report (due soon), and the previous period ended
    without one (missed)."""
    planned = []
    by_kind: dict[str, list[Item]] = {}
    for item in items:
        if item.cadence:
            by_kind.setdefault(item.cadence, []).append(item)
    for cadence, group in by_kind.items():
        current = Period.containing(on, CADENCE_KIND[Cadence(cadence)])
        previous = current.previous()
        reported = set(
            Report.objects.filter(
                item__in=[i.pk for i in group],
                status=ReportStatus.SUBMITTED,
                reported_on__gte=previous.start,
                reported_on__lte=previous.end,
            ).values_list("item_id", flat=True)
        )
        for item in group:
            created = item.created.date() if item.created else on
            if created <= previous.end and item.pk not in reported:
                late = memo.between(previous.end, on)
                planned.append(
                    Planned(
                        item,
                        ReminderKind.PERIOD_MISSED,
                        period_key(previous),
                        late,
                        owners_of(item) + leaders_of(item),
                    )
                )
            if not (item.last_report_on and item.last_report_on >= current.start):
                if memo.at_most(on, current.end, item.ledger.remind_before_days):
                    left = memo.between(on, current.end)
                    planned.append(
                        Planned(item, ReminderKind.DUE_SOON, period_key(current), left, owners_of(item))
                    )
    return planned


def _plan_notices(on: dt.date, memo: WorkdayMemo) -> list[Planned]:
    planned = []
    notices = SupervisionNotice.objects.filter(state=NoticeState.OPEN, due_date__lt=on).select_related(
        "item__ledger", "item__lead_department"
    )
    for notice in notices.prefetch_related("item__responsibilities__entries__user"):
        item = notice.item
        planned.append(
            Planned(
                item,
                ReminderKind.NOTICE_DUE,
                f"notice-{notice.pk}",
                memo.between(notice.due_date, on),
                owners_of(item) + leaders_of(item),
            )
        )
    return planned


MESSAGES = {
    ReminderKind.DUE_SOON: ("ledger.due_soon", _("Ledger item due in %(days)s working days: %(item)s")),
    ReminderKind.OVERDUE: ("ledger.overdue", _("Ledger item overdue by %(days)s working days: %(item)s")),
    ReminderKind.ESCALATED: (
        "ledger.escalated",
        _("Escalated: ledger item overdue by %(days)s working days: %(item)s"),
    ),
    ReminderKind.PERIOD_MISSED: ("ledger.period_missed", _("No progress report for %(key)s: %(item)s")),
    ReminderKind.NOTICE_DUE: (
        "ledger.notice_due",
        _("Supervision notice unanswered for %(days)s working days: %(item)s"),
    ),
}


def run_reminders(on: dt.date | None = None, dry_run: bool = False) -> RunSummary:
    """Plan, leave out what was already sent, record and notify. A dry run only plans."""
    on = on or today()
    summary = RunSummary()
    planned = plan_reminders(on)
    sent_before = set(
        Reminder.objects.filter(item__in={p.item.pk for p in planned}).values_list("item_id", "kind", "key")
    )
    for p in planned:
        if (p.item.pk, p.kind, p.key) in sent_before:
            summary.skipped += 1
        else:
            summary.planned.append(p)
    if dry_run:
        return summary
    with transaction.atomic():
        for p in summary.planned:
            _send(p, on)
            summary.sent += 1
    return summary


def _send(p: Planned, on: dt.date) -> Reminder:
    names = "、".join(str(u) for u in p.recipients) or _("nobody (no account is linked yet)")
    reminder = Reminder.objects.create(
        item=p.item,
        kind=p.kind,
        key=p.key,
        sent_on=on,
        working_days=p.working_days,
        recipient_names=names[:300],
    )
    if p.recipients:
        reminder.recipients.set(p.recipients)
        code, template = MESSAGES[ReminderKind(p.kind)]
        title = template % {"days": p.working_days, "item": p.item, "key": p.key}
        reason = _("You are named as responsible for this item in %(ledger)s.") % {"ledger": p.item.ledger}
        notify(code, p.recipients, title=title, body=p.item.problem[:500], source=p.item, reason=reason)
    return reminder
