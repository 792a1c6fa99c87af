"""Bulletin generation as a job (a district bulletin reads the whole library and draws charts):
the page starts it, 我的任务 follows its progress, the result is the archived bulletin."""

from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from peiyu.bulletins import services
from peiyu.bulletins.models import Bulletin, BulletinTemplate
from peiyu.core import jobs
from peiyu.core.models import Unit
from peiyu.core.notifications import register_kind
from peiyu.core.periods import Period

GENERATE = "bulletin-generate"

register_kind(services.PUBLISHED_KIND, gettext_lazy("Bulletin published"), default_email=True)


def summary(job) -> str:
    return job.result.get("title", "")


def link(job):
    pk = job.result.get("bulletin")
    return (reverse("bulletins:bulletin-detail", args=[pk]), _("Open the bulletin")) if pk else None


@jobs.kind(GENERATE, gettext_lazy("Bulletin generation"), summary=summary, link=link)
def generate_bulletin(job, progress):
    if job.user is None or not job.user.is_active:
        raise jobs.JobError(_("The user who started this job no longer has an active account."))
    try:
        template = BulletinTemplate.objects.get(pk=job.params["template"])
        unit = Unit.objects.get(pk=job.params["unit"])
    except (BulletinTemplate.DoesNotExist, Unit.DoesNotExist):
        raise jobs.JobError(_("The template or the unit no longer exists.")) from None
    period = Period.parse(job.params["period"])
    try:
        bulletin = services.generate(template, unit, period, job.user, progress)
    except PermissionDenied as error:
        raise jobs.JobError(str(error)) from None
    return {"bulletin": bulletin.pk, "title": bulletin.title}


def start(template, unit, period: Period, user):
    return jobs.start(GENERATE, user, {"template": template.pk, "unit": unit.pk, "period": period.code})


__all__ = ["Bulletin", "start"]
