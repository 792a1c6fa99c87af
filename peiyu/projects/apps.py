from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from peiyu.core.choices import Role


class ProjectsConfig(AppConfig):
    name = "peiyu.projects"
    label = "projects"
    verbose_name = _("Projects and funds")
    url_prefix = "projects/"
    api_prefix = "/projects/"
    menu = [
        (
            "projects:call-list",
            _("Projects"),
            "kanban",
            {Role.BUREAU, Role.UNIT, Role.LEADER, Role.ENTERPRISE},
        ),
        ("projects:review-list", _("My reviews"), "pencil-square", {Role.EXPERT}),
    ]

    def ready(self):
        from peiyu.core.notifications.registry import register_kind

        register_kind("projects.returned", _("Project application returned"), default_email=True)
        register_kind("projects.overdue", _("Project report or acceptance overdue"), default_email=True)
        register_kind("projects.assigned", _("Review assignment"), default_email=True)
