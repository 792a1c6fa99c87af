from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from peiyu.core.choices import Role


class PartyConfig(AppConfig):
    name = "peiyu.party"
    label = "party"
    verbose_name = _("Party building")
    url_prefix = "party/"
    api_prefix = "/party/"
    # One entry: the workbench's tabs lead to the ledger, organisations, updates and the rest.
    menu = [("party:home", _("Party-building ledger"), "diagram-3", {Role.PARTY, Role.BUREAU, Role.LEADER})]

    def ready(self):
        from peiyu.core.notifications import register_kind
        from peiyu.party import signals

        signals.connect()
        register_kind("party.window_opened", _("Two-coverages update window opened"), default_email=True)
        register_kind(
            "party.window_closing", _("Two-coverages update window closing soon"), default_email=True
        )
