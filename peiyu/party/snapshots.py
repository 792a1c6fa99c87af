"""March and October: the scheduled job opens a window, units update and submit, the bureau closes
it and the ledger as it stands is frozen (SnapshotRow); two snapshots compare enterprise by enterprise."""

from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from peiyu.core.models import Unit
from peiyu.core.workdays import add_working_days
from peiyu.party.choices import ORGANISATION_COVERED, Coverage, Season
from peiyu.party.coverage import refresh


def return_units():
    """The units that submit a return: those directly below a district (streets, towns, zones),
    falling back to the district itself when it has none."""
    from peiyu.core.choices import UnitKind

    below = list(Unit.objects.filter(parent__kind=UnitKind.DISTRICT).exclude(kind=UnitKind.PARK))
    return below or list(Unit.objects.filter(kind=UnitKind.DISTRICT))


@transaction.atomic
def open_window(on, season: int | None = None):
    """Open the window of `on`'s month (March or October) once; returns it, or None when `on` is not
    in an update month or the window exists already (the job may run more than once)."""
    from peiyu.party.models import FiveClearEntry, FiveClearItem, PartySettings, UnitReturn, UpdateWindow

    season = season or on.month
    if season not in Season.values:
        return None
    window, created = UpdateWindow.objects.get_or_create(
        year=on.year,
        season=season,
        defaults={
            "opened_on": on,
            "due_on": add_working_days(on, PartySettings.current().window_working_days),
        },
    )
    if not created:
        return None
    items = list(FiveClearItem.objects.filter(active=True))
    for unit in return_units():
        unit_return = UnitReturn.objects.create(window=window, unit=unit)
        FiveClearEntry.objects.bulk_create(
            [FiveClearEntry(unit_return=unit_return, item=item) for item in items]
        )
    notify_opened(window)
    return window


def notify_opened(window) -> None:
    from django.utils.translation import gettext as _

    from peiyu.core.choices import Role
    from peiyu.core.models import User
    from peiyu.core.notifications import notify

    recipients = User.objects.filter(role=Role.PARTY, is_active=True)
    notify(
        "party.window_opened",
        recipients,
        title=_("The %(window)s of the two-coverages ledger is open") % {"window": window},
        body=_("Update your units' ledger and the five clears, then submit by %(due)s.")
        % {"due": f"{window.due_on:%Y年%-m月%-d日}"},
        source=window,
        reason=_("You keep the party-building ledger of your unit."),
    )


def freeze(window) -> int:
    """Write the frozen rows of a window that is being closed (called inside the close transition)."""
    from peiyu.party.models import CoverageEntry, Organisation, SnapshotRow, UpdateWindow

    refresh()
    orgs = {}
    for org_id, name, enterprise_id in Organisation.objects.filter(status="active").values_list(
        "pk", "name", "enterprises"
    ):
        if enterprise_id:
            orgs.setdefault(enterprise_id, []).append((org_id, name))
    rows = []
    entries = CoverageEntry.objects.select_related("enterprise", "unit").order_by("pk")
    for entry in entries.iterator(chunk_size=2000):
        found = sorted(orgs.get(entry.enterprise_id, []))
        rows.append(
            SnapshotRow(
                window=window,
                enterprise_id=entry.enterprise_id,
                enterprise_name=entry.enterprise.name,
                uscc=entry.enterprise.uscc,
                unit=entry.unit,
                unit_name=entry.unit.name,
                employees=entry.employees,
                party_members=entry.party_members,
                mobile_members=entry.mobile_members,
                operating=entry.operating,
                coverage=entry.coverage,
                should_build=entry.should_build,
                organisation_ids=[pk for pk, _name in found],
                organisations="、".join(name for _pk, name in found)[:500],
            )
        )
    SnapshotRow.objects.bulk_create(rows, batch_size=2000)
    UpdateWindow.objects.filter(pk=window.pk).update(closed_at=timezone.now())
    return len(rows)


@dataclass
class Comparison:
    """What changed between two snapshots, within what the user may see."""

    earlier: object
    later: object
    newly_covered: list = field(default_factory=list)  # gaps or work-only then, organisation now
    gaps_cleared: list = field(default_factory=list)  # gap then, covered (any way) now
    gaps_new: list = field(default_factory=list)  # covered (or not listed) then, gap now
    new_organisations: list = field(default_factory=list)  # (id, name) in the later, not the earlier
    new_enterprises: int = 0


def compare(earlier, later, user) -> Comparison:
    from peiyu.party.models import SnapshotRow

    def rows(window):
        return {
            r.enterprise_id or -r.pk: r
            for r in SnapshotRow.objects.for_user(user).filter(window=window, operating=True)
        }

    before, after = rows(earlier), rows(later)
    result = Comparison(earlier, later)
    before_orgs = {pk for r in before.values() for pk in r.organisation_ids}
    seen = set()
    for key, now in sorted(after.items(), key=lambda kv: (kv[1].unit_name, kv[1].enterprise_name)):
        then = before.get(key)
        if then is None:
            result.new_enterprises += 1
        if now.coverage in ORGANISATION_COVERED and (
            then is None or then.coverage not in ORGANISATION_COVERED
        ):
            result.newly_covered.append((then, now))
        if now.coverage == Coverage.GAP and (then is None or then.coverage != Coverage.GAP):
            result.gaps_new.append((then, now))
        if then is not None and then.coverage == Coverage.GAP and now.coverage != Coverage.GAP:
            result.gaps_cleared.append((then, now))
        for pk, name in zip(now.organisation_ids, now.organisations.split("、"), strict=False):
            if pk not in before_orgs and pk not in seen:
                seen.add(pk)
                result.new_organisations.append((pk, name, now.unit_name))
    return result


def snapshot_rates(window, units, user=None):
    """Each unit's rates as frozen in `window` (same shape as coverage.rates_by_unit)."""
    from peiyu.party.coverage import grouped, roll_up, rows_by_unit
    from peiyu.party.models import SnapshotRow

    rows = SnapshotRow.objects.filter(window=window)
    if user is not None:
        rows = rows.for_user(user)
    return roll_up(units, rows_by_unit(grouped(rows)))


REMIND_WORKING_DAYS = 3


def remind(today) -> int:
    """Notify party staff of the units whose return is still open when a window is due in three
    working days. Returns how many returns were reminded."""
    from django.utils.translation import gettext as _

    from peiyu.core.choices import Role
    from peiyu.core.models import User
    from peiyu.core.notifications import notify
    from peiyu.core.workdays import working_days_between
    from peiyu.party.choices import ReturnState, WindowState
    from peiyu.party.models import UnitReturn

    reminded = 0
    late = UnitReturn.objects.filter(window__state=WindowState.OPEN, state=ReturnState.DRAFT).select_related(
        "window", "unit"
    )
    for unit_return in late:
        window = unit_return.window
        if window.due_on < today or working_days_between(today, window.due_on) != REMIND_WORKING_DAYS:
            continue
        staff = User.objects.filter(
            role=Role.PARTY, is_active=True, unit__path__startswith=unit_return.unit.path
        )
        notify(
            "party.window_closing",
            staff,
            title=_("%(unit)s: the %(window)s is due on %(due)s")
            % {"unit": unit_return.unit, "window": window, "due": f"{window.due_on:%Y年%-m月%-d日}"},
            body=_("The ledger and the five clears of your unit are not submitted yet."),
            source=unit_return,
            reason=_("You keep the party-building ledger of your unit."),
        )
        reminded += 1
    return reminded
