from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "peiyu.core"
    label = "core"
    verbose_name = _("Platform")

    def ready(self):
        from peiyu.core import history, text  # noqa: F401  (connect the change-logging and text-cleaning signals)
        from peiyu.core.jobs import kinds
        from peiyu.core.notifications import tasks  # noqa: F401  (registers the delivery tasks with the queue)

        kinds.discover()  # every app's job kinds and periodic tasks, in web processes and workers alike
        from peiyu.core import metrics

        metrics.discover()  # every app's metrics (see core/metrics.py)
