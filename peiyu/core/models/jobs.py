"""Background jobs (任务) and the runs of periodic tasks (定时任务), both kept in the database so
they survive a restart of the web or worker processes."""

from pathlib import Path

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class JobQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A user's own jobs; administrators see everyone's."""
        return self if user.is_superuser else self.filter(user=user)


class Job(models.Model):
    """One piece of work run by a worker: an export, an import check or commit, an evaluation.
    Progress while it runs lives in the cache (see core.jobs.runner); the outcome is stored here."""

    class State(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Finished")
        FAILED = "failed", _("Failed")

    kind = models.CharField(_("kind"), max_length=50)
    key = models.CharField(_("lookup key"), max_length=100, blank=True, db_index=True,
                           help_text=_("Lets the page that started a job find it again (e.g. an upload)."))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("started by"), null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="jobs")
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    language = models.CharField(_("language"), max_length=10, blank=True,
                                help_text=_("The page language of whoever started it; results and messages use it."))
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.QUEUED, db_index=True)
    phase = models.CharField(_("phase"), max_length=30, blank=True)
    done = models.PositiveIntegerField(_("done"), default=0)
    total = models.PositiveIntegerField(_("total"), default=0)
    result = models.JSONField(_("result"), default=dict, blank=True)
    result_file = models.CharField(_("result file"), max_length=300, blank=True)
    result_name = models.CharField(_("result file name"), max_length=200, blank=True)
    error = models.TextField(_("error"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    worker = models.CharField(_("worker"), max_length=120, blank=True)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    started = models.DateTimeField(_("started"), null=True, blank=True)
    finished = models.DateTimeField(_("finished"), null=True, blank=True)

    objects = JobQuerySet.as_manager()

    class Meta:
        verbose_name = _("job")
        verbose_name_plural = _("jobs")
        ordering = ["-created", "-pk"]
        indexes = [models.Index(fields=["user", "-created"], name="core_job_user_created")]

    def __str__(self):
        return f"{self.kind} #{self.pk}"

    @property
    def is_active(self) -> bool:
        return self.state in (self.State.QUEUED, self.State.RUNNING)

    @property
    def result_path(self) -> Path | None:
        return Path(settings.MEDIA_ROOT) / self.result_file if self.result_file else None

    def output_path(self, suffix: str) -> Path:
        """Where this job writes its result file (under MEDIA_ROOT, shared storage on several hosts)."""
        folder = Path(settings.MEDIA_ROOT) / "jobs" / str(self.pk)
        folder.mkdir(parents=True, exist_ok=True)
        return folder / f"result{suffix}"


class ScheduledRun(models.Model):
    """One run of a periodic task: when, how it ended, and what it said."""

    class Outcome(models.TextChoices):
        RUNNING = "running", _("Running")
        OK = "ok", _("Succeeded")
        FAILED = "failed", _("Failed")

    name = models.CharField(_("task"), max_length=100, db_index=True)
    started = models.DateTimeField(_("started"))
    finished = models.DateTimeField(_("finished"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices, default=Outcome.RUNNING)
    message = models.TextField(_("message"), blank=True)
    by_hand = models.BooleanField(_("run by hand"), default=False)

    class Meta:
        verbose_name = _("scheduled task run")
        verbose_name_plural = _("scheduled task runs")
        ordering = ["-started", "-pk"]

    def __str__(self):
        return f"{self.name} {self.started:%Y-%m-%d %H:%M}"
