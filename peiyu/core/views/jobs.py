"""我的任务: a user's jobs with live progress (HTMX polling), result downloads for the owner only,
and explicit retry; and the administrator's list of periodic tasks."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, UserPassesTestMixin
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from peiyu.core.jobs import kinds, runner, schedule
from peiyu.core.models import Job, ScheduledRun


def job_context(job: Job) -> dict:
    """What the row and detail templates show of a job."""
    found = kinds.get(job.kind)
    progress = runner.live_progress(job)
    percent = round(100 * progress["done"] / progress["total"]) if progress.get("total") else None
    return {
        "job": job,
        "label": found.label if found else job.kind,
        "progress": progress,
        "percent": percent,
        "summary": found.summary(job) if found and found.summary and job.state == Job.State.DONE else "",
        "link": found.link(job) if found and found.link else None,
        "downloadable": job.state == Job.State.DONE and job.result_path is not None and job.result_path.exists(),
    }


def own_job(request, pk: int) -> Job:
    """A job of the signed-in user (any job for an administrator); others' jobs are 404."""
    job = get_object_or_404(Job.objects.visible_to(request.user).select_related("user"), pk=pk)
    if job.state == Job.State.RUNNING and runner.sweep_stale(Job.objects.filter(pk=job.pk)):
        job.refresh_from_db()
    return job


class JobListView(LoginRequiredMixin, TemplateView):
    template_name = "core/job_list.html"
    extra_context = {"page_title": gettext_lazy("My jobs")}

    def get_context_data(self, **kwargs):
        runner.sweep_stale(Job.objects.visible_to(self.request.user))  # a lost worker shows at once, not after the sweep
        page = Paginator(Job.objects.visible_to(self.request.user).select_related("user"), 30).get_page(self.request.GET.get("page"))
        return super().get_context_data(page_obj=page, rows=[job_context(job) for job in page], query="", **kwargs)


class JobDetailView(LoginRequiredMixin, View):
    """One job; pages that start a job send the user here. The HTMX poll gets just the card."""

    def get(self, request, pk):
        job = own_job(request, pk)
        if request.headers.get("HX-Request"):
            return render(request, "core/_job_card.html", job_context(job))
        context = job_context(job) | {"page_title": _("Job %(number)s: %(kind)s") % {"number": job.pk, "kind": kinds.label(job.kind)}}
        return render(request, "core/job_detail.html", context)


class JobRowView(LoginRequiredMixin, View):
    """A row of 我的任务, polled while its job is queued or running."""

    def get(self, request, pk):
        return render(request, "core/_job_row.html", job_context(own_job(request, pk)))


class JobDownloadView(LoginRequiredMixin, View):
    def get(self, request, pk):
        job = own_job(request, pk)
        path = job.result_path
        if job.state != Job.State.DONE or path is None or not path.exists():
            raise Http404
        return FileResponse(path.open("rb"), as_attachment=True, filename=job.result_name or path.name)


class JobRetryView(LoginRequiredMixin, View):
    def post(self, request, pk):
        job = own_job(request, pk)
        if runner.retry(job):
            messages.success(request, _("The job was queued again."))
        else:
            messages.error(request, _("Only a failed job can be retried."))
        return redirect("job-detail", pk=job.pk)


class ScheduleView(LoginRequiredMixin, UserPassesTestMixin, TemplateView):
    """Administrators: every periodic task with its schedule and last run, and the latest runs."""

    template_name = "core/schedule.html"
    extra_context = {"page_title": gettext_lazy("Scheduled tasks")}

    def test_func(self):
        return self.request.user.is_superuser

    def get_context_data(self, **kwargs):
        return super().get_context_data(tasks=schedule.listing(), runs=ScheduledRun.objects.all()[:50], **kwargs)
