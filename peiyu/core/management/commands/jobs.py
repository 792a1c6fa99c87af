"""peiyu jobs: the periodic tasks and the job queue from the command line.

    peiyu jobs list              every periodic task with its schedule and last run
    peiyu jobs run NAME          run a periodic task now, here (recorded as run by hand)
    peiyu jobs status            jobs queued and running, and the last worker heartbeat
"""

import time

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from peiyu.core.jobs import runner, schedule
from peiyu.core.models import Job, ScheduledRun


class Command(BaseCommand):
    help = "List and run periodic tasks; show the job queue."

    def add_arguments(self, parser):
        commands = parser.add_subparsers(dest="action", required=True)
        commands.add_parser("list", help="periodic tasks with schedule and last run")
        run = commands.add_parser("run", help="run a periodic task now")
        run.add_argument("name")
        commands.add_parser("status", help="queued and running jobs, last worker heartbeat")

    def handle(self, *args, action, **options):
        getattr(self, f"do_{action}")(**options)

    def do_list(self, **options):
        for task in schedule.listing():
            last = task["last"]
            when = f"{last.started:%Y-%m-%d %H:%M} {last.get_outcome_display()}" if last else _("never run")
            self.stdout.write(f"{task['name']:<24} {task['schedule']:<16} {when}  {task['label']}")

    def do_run(self, name, **options):
        if name not in schedule.periodic_tasks():
            raise CommandError(_("no periodic task %(name)s; `peiyu jobs list` shows them") % {"name": name})
        run = schedule.run_now(name)
        self.stdout.write(_("%(name)s: %(outcome)s %(message)s") % {
            "name": name, "outcome": run.get_outcome_display(), "message": run.message})
        if run.outcome == ScheduledRun.Outcome.FAILED:
            raise CommandError(run.message)

    def do_status(self, **options):
        from huey.contrib.djhuey import HUEY

        counts = {state: Job.objects.filter(state=state).count() for state in (Job.State.QUEUED, Job.State.RUNNING)}
        seen = runner.worker_seen()
        heartbeat = _("%(seconds)d s ago (%(worker)s)") % {"seconds": time.time() - seen["time"], "worker": seen["worker"]} if seen else _("none")
        self.stdout.write(_("jobs queued: %(queued)d, running: %(running)d; messages in the queue: %(pending)d; last worker heartbeat: %(heartbeat)s") % {
            "queued": counts[Job.State.QUEUED], "running": counts[Job.State.RUNNING], "pending": HUEY.pending_count(), "heartbeat": heartbeat})
