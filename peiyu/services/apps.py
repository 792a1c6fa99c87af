from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from peiyu.core.choices import Role

STAFF = {Role.BUREAU, Role.UNIT, Role.LEADER, Role.PARTY}


class ServicesConfig(AppConfig):
    name = "peiyu.services"
    label = "services"
    verbose_name = _("Services to enterprises")
    url_prefix = "services/"
    api_prefix = "/services/"
    menu = [
        ("services:quotas", _("Service events and quotas"), "people", STAFF),
        ("services:policies", _("Policies"), "journal-text", STAFF),
        ("services:board", _("Technology board"), "lightbulb", STAFF | {Role.ENTERPRISE}),
        ("services:my-policies", _("Policies for me"), "journal-check", {Role.ENTERPRISE}),
    ]

    def ready(self):
        from peiyu.core.notifications.registry import register_kind

        register_kind("services.policy", _("A published policy fits your enterprise"))
