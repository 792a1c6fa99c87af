"""Periodic tasks (定时任务): apps declare them in their `tasks.py` with `periodic`, a thin layer over
Huey's `db_periodic_task` that adds a label and a readable schedule:

    @periodic("remove-old-job-files", _("Remove old result files"), minute="20", hour="3")
    def remove_old_job_files():
        ...

Every Huey periodic task is listed, even one declared with `db_periodic_task` directly; every run is
recorded (`ScheduledRun`) through Huey's signals. With several workers each runs the scheduler, so a
task runs once per minute across all of them (a cache lock, shared through Redis).
"""

import logging
import time
from dataclasses import dataclass

from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import gettext as _
from huey import crontab
from huey.api import PeriodicTask
from huey.contrib.djhuey import HUEY, db_periodic_task
from huey.exceptions import CancelExecution
from huey.signals import SIGNAL_CANCELED, SIGNAL_COMPLETE, SIGNAL_ERROR, SIGNAL_EXECUTING

from peiyu.core.jobs import kinds
from peiyu.core.models import ScheduledRun

log = logging.getLogger("peiyu.jobs")


@dataclass(frozen=True)
class Schedule:
    name: str
    label: str
    cron: str  # minute hour day month day-of-week, Beijing time


SCHEDULES: dict[str, Schedule] = {}


def periodic(name: str, label, minute="*", hour="*", day="*", month="*", day_of_week="*"):
    def declare(function):
        SCHEDULES[name] = Schedule(name, label, f"{minute} {hour} {day} {month} {day_of_week}")
        return db_periodic_task(crontab(minute, hour, day, month, day_of_week), name=name)(function)

    return declare


def describe(cron: str) -> str:
    """A schedule in words for the admin page."""
    minute, hour, day, month, weekday = cron.split()
    if (day, month, weekday) == ("*", "*", "*"):
        if hour == "*" and minute == "*":
            return _("every minute")
        if hour == "*" and minute.startswith("*/"):
            return _("every %(n)s minutes") % {"n": minute[2:]}
        if hour.isdigit() and minute.isdigit():
            return _("daily at %(time)s") % {"time": f"{int(hour):02d}:{int(minute):02d}"}
    return _("cron %(spec)s") % {"spec": cron}


def periodic_tasks() -> dict[str, type]:
    """Every periodic task Huey knows, by name."""
    kinds.discover()
    return {task_class.__name__: task_class for task_class in HUEY._registry._periodic_tasks}


def listing() -> list[dict]:
    """Each periodic task with its label, schedule and last run, for the admin page and the CLI."""
    rows = []
    for name in sorted(periodic_tasks()):
        declared = SCHEDULES.get(name)
        rows.append({
            "name": name,
            "label": str(declared.label) if declared else name,
            "schedule": describe(declared.cron) if declared else _("declared directly with Huey"),
            "cron": declared.cron if declared else "",
            "last": ScheduledRun.objects.filter(name=name).first(),
        })
    return rows


def run_now(name: str) -> ScheduledRun:
    """Run a periodic task here and now (the CLI's `peiyu jobs run NAME`), recording the run."""
    task_class = periodic_tasks()[name]
    run = ScheduledRun.objects.create(name=name, started=timezone.now(), by_hand=True)
    try:
        outcome = task_class().execute()
    except Exception as exc:  # recorded as a failed run, like a run in the worker
        log.exception("periodic task %s failed", name)
        close(run, ScheduledRun.Outcome.FAILED, repr(exc))
        return run
    close(run, ScheduledRun.Outcome.OK, "" if outcome is None else str(outcome))
    return run


def close(run: ScheduledRun, outcome: str, message: str) -> None:
    run.outcome, run.message, run.finished = outcome, message[:2000], timezone.now()
    run.save(update_fields=["outcome", "message", "finished"])


# — Huey hooks: one run per minute across workers, and a record of every run ——————————————

RUNNING: dict[str, int] = {}  # Huey task id → ScheduledRun id while it runs


@HUEY.pre_execute()
def run_once_per_minute(task):
    if isinstance(task, PeriodicTask):
        minute = int(time.time() // 60)
        if not cache.add(f"peiyu:periodic:{task.name}:{minute}", task.id, 3600):
            raise CancelExecution()


@HUEY.signal(SIGNAL_EXECUTING, SIGNAL_COMPLETE, SIGNAL_ERROR, SIGNAL_CANCELED)
def record_run(signal, task, exc=None):
    if not isinstance(task, PeriodicTask):
        return
    if signal == SIGNAL_EXECUTING:
        RUNNING[task.id] = ScheduledRun.objects.create(name=task.name, started=timezone.now()).pk
        return
    run = ScheduledRun.objects.filter(pk=RUNNING.pop(task.id, None)).first()
    if signal == SIGNAL_CANCELED:  # another worker ran it this minute (the signal comes before the hook)
        if run is not None:
            run.delete()
        return
    if run is not None:
        failed = signal == SIGNAL_ERROR
        close(run, ScheduledRun.Outcome.FAILED if failed else ScheduledRun.Outcome.OK, repr(exc) if failed else "")
        log.info("periodic task finished", extra={"task": task.name, "outcome": run.outcome})
