"""Periodic tasks: they fire at their times (a frozen clock, Beijing time), each run is recorded with
its outcome, a task runs once per minute however many workers schedule it, the admin page lists
every Huey periodic task, and `peiyu jobs list / run NAME` work."""

import datetime
import io
import zoneinfo

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone, translation
from huey import crontab
from huey.contrib.djhuey import HUEY, db_periodic_task

from peiyu.core.jobs import schedule
from peiyu.core.models import Job, ScheduledRun

BEIJING = zoneinfo.ZoneInfo("Asia/Shanghai")


@pytest.fixture(autouse=True)
def english(settings, tmp_path, client):
    settings.MEDIA_ROOT = tmp_path
    client.cookies["django_language"] = "en"
    with translation.override("en"):
        yield


def due_at(*moment) -> set[str]:
    """Names of the periodic tasks Huey's scheduler enqueues at this Beijing time."""
    with time_machine.travel(datetime.datetime(*moment, tzinfo=BEIJING), tick=False):
        return {task.name for task in HUEY.read_periodic(HUEY._get_timestamp())}


def test_tasks_fire_at_their_times():
    schedule.periodic_tasks()  # discovers every app's tasks
    assert due_at(2026, 3, 2, 3, 20) >= {"sweep-stale-jobs", "remove-old-job-files"}
    assert "remove-old-uploads" not in due_at(2026, 3, 2, 3, 20)
    assert due_at(2026, 3, 2, 3, 30) >= {"sweep-stale-jobs", "remove-old-uploads"}
    assert due_at(2026, 3, 2, 3, 21) & {"remove-old-job-files", "remove-old-uploads", "prune-job-history"} == set()
    assert "sweep-stale-jobs" in due_at(2026, 10, 1, 14, 7)


def test_a_run_is_recorded_and_does_what_it_says(users, settings):
    settings.PEIYU_JOB_FILE_DAYS = 7
    with time_machine.travel(datetime.datetime(2026, 3, 1, 10, 0, tzinfo=BEIJING), tick=False):
        old = Job.objects.create(kind="enterprise-export", user=users["bureau"], state="done", finished=timezone.now())
        path = old.output_path(".xlsx")
        path.write_bytes(b"PK")
        old.result_file = str(path.relative_to(settings.MEDIA_ROOT))
        old.save()
    with time_machine.travel(datetime.datetime(2026, 3, 9, 3, 20, tzinfo=BEIJING), tick=False):
        [task] = [t for t in HUEY.read_periodic(HUEY._get_timestamp()) if t.name == "remove-old-job-files"]
        HUEY.enqueue(task)  # immediate mode: runs now, through the consumer's hooks and signals
        HUEY.enqueue(type(task)())  # a second worker's scheduler in the same minute: skipped
    old.refresh_from_db()
    assert old.result_file == "" and not path.exists()
    [run] = ScheduledRun.objects.filter(name="remove-old-job-files")
    assert (run.outcome, run.by_hand, run.started) == ("ok", False, datetime.datetime(2026, 3, 9, 3, 20, tzinfo=BEIJING))


def test_a_failing_task_is_recorded_as_failed(db):
    calls = []

    @db_periodic_task(crontab(minute="0", hour="9"), name="test-failing")
    def failing():
        calls.append(1)
        raise ValueError("no mail server")

    try:
        assert due_at(2026, 5, 4, 9, 0) >= {"test-failing"} and "test-failing" not in due_at(2026, 5, 4, 9, 1)
        with time_machine.travel(datetime.datetime(2026, 5, 4, 9, 0, tzinfo=BEIJING), tick=False):
            HUEY.enqueue(failing.s())
        [run] = ScheduledRun.objects.filter(name="test-failing")
        assert run.outcome == "failed" and "no mail server" in run.message and calls == [1]
        listed = {task["name"]: task for task in schedule.listing()}
        assert listed["test-failing"]["schedule"] == "declared directly with Huey" and listed["test-failing"]["last"] == run
    finally:
        failing.unregister()


def test_admin_page_lists_tasks_with_schedule_and_last_run(client_for, users):
    call_command("jobs", "run", "sweep-stale-jobs", stdout=io.StringIO())
    page = client_for(users["admin"]).get(reverse("schedule")).content.decode()
    for text in ("sweep-stale-jobs", "every minute", "remove-old-job-files", "daily at 03:20", "Succeeded", "by hand",
                 "Mark jobs whose worker stopped as failed"):
        assert text in page, text
    assert client_for(users["bureau"]).get(reverse("schedule")).status_code == 403


def test_cli_lists_and_runs_tasks_by_name(users):
    out = io.StringIO()
    call_command("jobs", "list", stdout=out)
    lines = {line.split()[0]: line for line in out.getvalue().splitlines()}
    assert "daily at 03:30" in lines["remove-old-uploads"] and "never run" in lines["remove-old-uploads"]
    out = io.StringIO()
    call_command("jobs", "run", "prune-job-history", stdout=out)
    assert out.getvalue().startswith("prune-job-history: Succeeded 0")
    assert ScheduledRun.objects.get(name="prune-job-history").by_hand
    with pytest.raises(CommandError, match="no periodic task nothing"):
        call_command("jobs", "run", "nothing")
    out = io.StringIO()
    call_command("jobs", "status", stdout=out)
    assert "jobs queued: 0, running: 0" in out.getvalue() and "last worker heartbeat: none" in out.getvalue()


def test_describe_schedules():
    assert [schedule.describe(c) for c in ("* * * * *", "*/5 * * * *", "5 7 * * *", "0 9 1 3,10 *")] == [
        "every minute", "every 5 minutes", "daily at 07:05", "cron 0 9 1 3,10 *"]
