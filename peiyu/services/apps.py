from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ServicesConfig(AppConfig):
    name = "peiyu.services"
    label = "services"
    verbose_name = _("Services to enterprises")
