"""Scheduled reminders of the projects app: overdue mid-term reports and acceptances (daily)."""

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from peiyu.core import jobs
from peiyu.core.choices import Role
from peiyu.core.models import User
from peiyu.core.notifications import notify
from peiyu.projects.models import OPEN_PROJECT_STATES, Project


def overdue_projects(today=None) -> list[tuple[Project, list[str]]]:
    today = today or timezone.localdate()
    rows = Project.objects.filter(state__in=OPEN_PROJECT_STATES).select_related(
        "enterprise", "call__programme__unit"
    )
    return [(p, late) for p in rows if (late := p.overdue(today))]


def remind_overdue(today=None) -> int:
    """Tell the enterprise's accounts and the bureau staff that run the call what is overdue."""
    sent = 0
    for project, late in overdue_projects(today):
        what = "、".join(_("mid-term report") if x == "midterm" else _("acceptance") for x in late)
        unit = project.call.programme.unit
        staff = User.objects.filter(role=Role.BUREAU, is_active=True, unit=unit)
        notify(
            "projects.overdue",
            [*project.enterprise.accounts.all(), *staff],
            title=_("Overdue: %(what)s of “%(title)s”") % {"what": what, "title": project.title},
            body=_("Due dates: mid-term %(mid)s, acceptance %(acc)s.")
            % {
                "mid": project.midterm_due.strftime("%Y年%m月%d日") if project.midterm_due else "—",
                "acc": project.acceptance_due.strftime("%Y年%m月%d日") if project.acceptance_due else "—",
            },
            source=project,
            reason=_("You undertake or manage this project"),
        )
        sent += 1
    return sent


@jobs.periodic(
    "projects-overdue-reminders",
    gettext_lazy("Overdue project reports and acceptances"),
    minute="30",
    hour="8",
)
def overdue_reminders():
    return remind_overdue()
