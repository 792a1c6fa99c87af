from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from peiyu.core.choices import Role

STAFF = {Role.BUREAU, Role.UNIT, Role.LEADER, Role.PARTY}


class SupportConfig(AppConfig):
    name = "peiyu.support"
    label = "support"
    verbose_name = _("Support programmes")
    url_prefix = "support/"
    api_prefix = "/support/"
    menu = [
        ("support:index", _("Support programmes"), "ticket-perforated", STAFF | {Role.ENTERPRISE}),
        # Commissioners sign in with the account linked to their record (usually an expert account).
        ("support:my-assignments", _("My commissioner services"), "person-workspace", {Role.EXPERT}),
    ]
