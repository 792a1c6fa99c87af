from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from peiyu.core.choices import Role


class CarriersConfig(AppConfig):
    name = "peiyu.carriers"
    label = "carriers"
    verbose_name = _("Innovation carriers")
    url_prefix = "carriers/"
    api_prefix = "/carriers/"
    menu = [
        (
            "carriers:carrier-list",
            _("Innovation carriers"),
            "diagram-3",
            {Role.BUREAU, Role.UNIT, Role.LEADER, Role.PARTY, Role.ENTERPRISE},
        ),
    ]
