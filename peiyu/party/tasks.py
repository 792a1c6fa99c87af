"""The March and October update windows open by themselves (seed 003 §8: 每年3月、10月动态更新);
the ledger's computed columns are refreshed each night (enterprises imported in bulk send no signal)."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from peiyu.core import jobs
from peiyu.core.jobs import periodic
from peiyu.party import coverage, snapshots


@periodic(
    "party-open-window",
    _("Open the March or October two-coverages update"),
    minute="0",
    hour="8",
    day="1",
    month="3,10",
)
def open_update_window():
    window = snapshots.open_window(timezone.localdate())
    return str(window) if window else ""


@periodic("party-refresh-ledger", _("Recompute the two-coverages ledger"), minute="50", hour="2")
def refresh_ledger():
    coverage.refresh()


@jobs.kind(
    "party-ledger-export",
    _("Two-coverages ledger export"),
    summary=lambda job: _("%(rows)s enterprises") % {"rows": job.result.get("rows", 0)},
)
def export_ledger(job, progress):
    """The ledger list's filter as the organisation department's .xlsx, scoped to whoever started it."""
    from django.conf import settings
    from django.http import QueryDict

    from peiyu.party import exporting
    from peiyu.party.filtersets import CoverageEntryFilterSet
    from peiyu.party.models import CoverageEntry

    user = job.user
    if user is None or not user.is_active:
        raise jobs.JobError(_("The user who started this job no longer has an active account."))
    query = QueryDict(mutable=True)
    for name, values in job.params.get("query", {}).items():
        query.setlist(name, values)
    entries = CoverageEntryFilterSet(
        query or None, queryset=CoverageEntry.objects.for_user(user), user=user
    ).qs
    path = job.output_path(".xlsx")
    rows = exporting.write_ledger(path, entries, user, progress)
    job.result_file = str(path.relative_to(settings.MEDIA_ROOT))
    job.result_name = f"两个覆盖台账_{timezone.localdate():%Y%m%d}.xlsx"
    return {"rows": rows}


@periodic(
    "party-window-reminder", _("Remind units of a two-coverages update due soon"), minute="30", hour="8"
)
def remind_due_windows():
    """Three working days before an open window is due, party staff of units that have not
    submitted are reminded (party.window_closing)."""
    return snapshots.remind(timezone.localdate())
