from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CarriersConfig(AppConfig):
    name = "peiyu.carriers"
    label = "carriers"
    verbose_name = _("Innovation carriers")
