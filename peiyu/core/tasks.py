"""The platform's own periodic tasks (found by Huey's autodiscovery of `tasks` modules)."""

import shutil

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from peiyu.core.jobs import periodic, runner
from peiyu.core.models import Job, ScheduledRun
from peiyu.core.spreadsheets import uploads

HISTORY_DAYS = 90


@periodic("sweep-stale-jobs", _("Mark jobs whose worker stopped as failed"))
def sweep_stale_jobs():
    return runner.sweep_stale()


@periodic("remove-old-job-files", _("Remove old result files of finished jobs"), minute="20", hour="3")
def remove_old_job_files():
    """Result files (exports) older than PEIYU_JOB_FILE_DAYS go; the jobs stay listed without a download."""
    cutoff = timezone.now() - timezone.timedelta(days=settings.PEIYU_JOB_FILE_DAYS)
    removed = 0
    for job in Job.objects.filter(finished__lt=cutoff).exclude(result_file=""):
        shutil.rmtree(job.result_path.parent, ignore_errors=True)
        job.result_file = ""
        job.save(update_fields=["result_file"])
        removed += 1
    return removed


@periodic("remove-old-uploads", _("Remove uploaded import files older than a day"), minute="30", hour="3")
def remove_old_uploads():
    uploads.clean_old()


@periodic("prune-job-history", _("Remove job and scheduled-run records older than 90 days"), minute="40", hour="3")
def prune_job_history():
    cutoff = timezone.now() - timezone.timedelta(days=HISTORY_DAYS)
    jobs, _kinds = Job.objects.filter(finished__lt=cutoff).delete()
    runs, _kinds = ScheduledRun.objects.filter(started__lt=cutoff).delete()
    return jobs + runs
