from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from peiyu.core.choices import Role


class PartyConfig(AppConfig):
    name = "peiyu.party"
    label = "party"
    verbose_name = _("Party building")
    url_prefix = "party/"
    api_prefix = "/party/"
    menu = [
        ("party:home", _("Party-building ledger"), "flag", {Role.PARTY, Role.BUREAU, Role.LEADER}),
        ("party:entry-list", _("Two-coverages ledger"), "diagram-3", {Role.PARTY}),
        ("party:organisation-list", _("Party organisations"), "people", {Role.PARTY}),
        ("party:window-list", _("March and October updates"), "calendar-check", {Role.PARTY}),
        ("party:nomination-list", _("Lead-type organisations"), "award", {Role.PARTY}),
        ("party:activity-calendar", _("Party activities"), "calendar3", {Role.PARTY}),
    ]

    def ready(self):
        from peiyu.core.notifications import register_kind
        from peiyu.party import signals

        signals.connect()
        register_kind("party.window_opened", _("Two-coverages update window opened"), default_email=True)
        register_kind(
            "party.window_closing", _("Two-coverages update window closing soon"), default_email=True
        )
