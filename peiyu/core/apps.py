from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "peiyu.core"
    label = "core"
    verbose_name = _("Platform")

    def ready(self):
        from peiyu.core import history  # noqa: F401  (connects the change-logging signals)
        from peiyu.core.jobs import kinds

        kinds.discover()  # every app's job kinds and periodic tasks, in web processes and workers alike
