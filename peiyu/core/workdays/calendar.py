"""Working-day arithmetic over the statutory calendar and the bureau's declared days."""

import datetime as dt

import chinese_calendar
from django.utils.translation import gettext as _

from peiyu.core.models import DeclaredDay

ONE_DAY = dt.timedelta(days=1)


class CalendarOutOfRange(ValueError):
    """The statutory calendar has no data for a date (the State Council publishes each year's
    holidays in the preceding November; update the `chinesecalendar` package then)."""


def statutory_working_day(day: dt.date) -> bool:
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError as exc:
        raise CalendarOutOfRange(
            _("The holiday calendar has no data for %(date)s; update the chinesecalendar package.")
            % {"date": day.isoformat()}
        ) from exc


def declared_days(start: dt.date, end: dt.date | None = None) -> dict[dt.date, bool]:
    """The bureau's overrides from `start` (to `end`), as {date: is working day}."""
    days = DeclaredDay.objects.filter(date__gte=start)
    if end is not None:
        days = days.filter(date__lte=end)
    return dict(days.values_list("date", "is_working_day"))


def is_working_day(day: dt.date) -> bool:
    return _working(day, declared_days(day, day))


def _working(day: dt.date, overrides: dict[dt.date, bool]) -> bool:
    return overrides[day] if day in overrides else statutory_working_day(day)


def add_working_days(start: dt.date, n: int) -> dt.date:
    """The n-th working day after `start` (n ≥ 0; n = 0 is `start` itself). "5 working days
    from Friday 30 January 2026" is Friday 6 February."""
    if n < 0:
        raise ValueError("n must not be negative")
    overrides = declared_days(start)
    day = start
    while n:
        day += ONE_DAY
        if _working(day, overrides):
            n -= 1
    return day


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days after `start` up to and including `end` (negative when `end` is earlier)."""
    if end < start:
        return -working_days_between(end, start)
    overrides = declared_days(start, end)
    count = 0
    day = start + ONE_DAY
    while day <= end:
        count += _working(day, overrides)
        day += ONE_DAY
    return count
