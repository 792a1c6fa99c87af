"""Periodic task of targets: freeze every target's progress at each month end (quarters end on a
month end too, so the quarter's snapshot is taken with it)."""

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from peiyu.core.jobs import periodic
from peiyu.core.periods import Period


def finished_periods(today: dt.date) -> list[Period]:
    """The month that ended yesterday and, at a quarter's end, the quarter."""
    day = today - dt.timedelta(days=1)
    month = Period.month(day.year, day.month)
    if day != month.end:
        return []
    found = [month]
    if day.month % 3 == 0:
        found.append(Period.quarter(day.year, day.month // 3))
    return found


@periodic("targets-snapshots", _("Freeze target progress at month and quarter ends"), minute="10", hour="1")
def take_month_end_snapshots():
    from peiyu.targets.services import take_snapshots

    done = []
    for period in finished_periods(timezone.localdate()):
        taken, kept = take_snapshots(period)
        done.append(f"{period.code}: {taken}")
    return "; ".join(done) or "—"
