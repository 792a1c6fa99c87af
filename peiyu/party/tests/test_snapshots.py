import datetime

import pytest
from django.core.exceptions import ValidationError

from peiyu.core.workflows import TransitionNotAllowed
from peiyu.party import snapshots, tasks
from peiyu.party.choices import Coverage, OrganisationKind, Setup, WindowState
from peiyu.party.models import (
    CoverageEntry,
    FiveClearEntry,
    FiveClearItem,
    Instructor,
    Organisation,
    SnapshotRow,
    UpdateWindow,
)


@pytest.fixture
def items(db):
    return [
        FiveClearItem.objects.create(name=n, order=i)
        for i, n in enumerate(["企业经营情况", "职工队伍情况", "党员情况"])
    ]


def test_job_opens_march_and_october_once(units, party_users, items, monkeypatch):
    from django.utils import timezone

    for day, opened in [
        (datetime.date(2026, 2, 28), False),
        (datetime.date(2026, 3, 1), True),
        (datetime.date(2026, 3, 1), False),
        (datetime.date(2026, 10, 1), True),
    ]:
        monkeypatch.setattr(timezone, "localdate", lambda day=day: day)
        assert bool(tasks.open_update_window.call_local()) is opened
    windows = list(UpdateWindow.objects.order_by("season"))
    assert [(w.year, w.season, w.state) for w in windows] == [(2026, 3, "open"), (2026, 10, "open")]
    # Due after 15 working days: 1 March 2026 is a Sunday, so the 15th working day is 20 March.
    assert windows[0].due_on == datetime.date(2026, 3, 20)
    # Each street of the district gets a return with the five-clears items.
    assert sorted(r.unit.name for r in windows[0].returns.all()) == ["丰年村街道", "张贵庄街道"]
    assert FiveClearEntry.objects.filter(unit_return__window=windows[0]).count() == 6


def test_schedule_is_declared_for_march_and_october():
    from peiyu.core.jobs.schedule import SCHEDULES

    assert SCHEDULES["party-open-window"].cron == "0 8 1 3,10 *"


def close(window, user):
    window.apply_transition("close", user)
    window.refresh_from_db()


def test_close_freezes_and_compares(units, firms, party_users, items):
    march = snapshots.open_window(datetime.date(2025, 3, 3))
    org = Organisation.objects.create(name="华东科技党支部", unit=units["town_a"])
    org.enterprises.add(firms["a1"])
    close(march, party_users["bureau"])
    assert march.state == WindowState.CLOSED and march.closed_at
    assert SnapshotRow.objects.filter(window=march).count() == 5
    frozen = SnapshotRow.objects.get(window=march, enterprise=firms["a1"])
    assert (frozen.coverage, frozen.organisations, frozen.employees) == (Coverage.OWN, "华东科技党支部", 120)
    # Later changes to the ledger never reach the frozen rows.
    joint = Organisation.objects.create(
        name="丰年联合党支部", unit=units["town_b"], kind=OrganisationKind.JOINT_BRANCH, setup=Setup.JOINT
    )
    joint.enterprises.set([firms["b1"], firms["b2"]])
    Instructor.objects.create(name="李红", unit=units["town_a"]).enterprises.add(firms["a2"])
    org.status = "dissolved"
    org.save()
    assert SnapshotRow.objects.get(window=march, enterprise=firms["a1"]).coverage == Coverage.OWN
    with pytest.raises(ValidationError):
        frozen.save()
    with pytest.raises(ValidationError):
        frozen.delete()
    with pytest.raises(ValidationError):
        march.save()
    entry = FiveClearEntry.objects.filter(unit_return__window=march).first()
    entry.content = "改动"
    with pytest.raises(ValidationError):
        entry.save()
    with pytest.raises(TransitionNotAllowed):
        march.apply_transition("close", party_users["bureau"])

    october = snapshots.open_window(datetime.date(2025, 10, 8))
    close(october, party_users["bureau"])
    result = snapshots.compare(march, october, party_users["bureau"])
    assert sorted(now.enterprise_name for _then, now in result.gaps_cleared) == [
        "丰年电子有限公司",
        "新立材料有限公司",
        "津东软件有限公司",
    ]
    assert [now.enterprise_name for _then, now in result.gaps_new] == ["华东科技有限公司"]
    assert [name for _pk, name, _unit in result.new_organisations] == ["丰年联合党支部"]
    assert sorted(now.enterprise_name for _then, now in result.newly_covered) == [
        "丰年电子有限公司",
        "新立材料有限公司",
    ]
    # A town's party staff compare only their own town.
    town_b = snapshots.compare(march, october, party_users["town_b"])
    assert sorted(now.enterprise_name for _then, now in town_b.gaps_cleared) == [
        "丰年电子有限公司",
        "新立材料有限公司",
    ]
    assert town_b.gaps_new == []


def test_only_bureau_party_staff_close(units, firms, party_users, users, items):
    window = snapshots.open_window(datetime.date(2025, 3, 3))
    for user in (party_users["town_a"], users["bureau"], users["leader"]):
        with pytest.raises(TransitionNotAllowed):
            window.apply_transition("close", user)
    town_return = window.returns.get(unit=units["town_a"])
    town_return.apply_transition("submit", party_users["town_a"])
    close(window, party_users["bureau"])
    other = window.returns.get(unit=units["town_b"])
    with pytest.raises(TransitionNotAllowed):  # nothing is submitted after the window closed
        other.apply_transition("submit", party_users["town_b"])
    assert CoverageEntry.objects.count() == 5


def test_reminder_three_working_days_before_due(
    units, party_users, items, django_capture_on_commit_callbacks
):
    window = snapshots.open_window(datetime.date(2026, 3, 1))  # due 20 March 2026 (a Friday)
    window.returns.get(unit=units["town_b"]).apply_transition("submit", party_users["town_b"])
    assert snapshots.remind(datetime.date(2026, 3, 16)) == 0  # four working days before
    with django_capture_on_commit_callbacks(execute=True):
        assert snapshots.remind(datetime.date(2026, 3, 17)) == 1  # three: only town A has not submitted
    from peiyu.core.models import Notification

    got = Notification.objects.filter(kind="party.window_closing")
    assert {n.recipient.username for n in got} == {"party_a"}
