from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from peiyu.core.choices import Role

STAFF = {Role.BUREAU, Role.UNIT, Role.LEADER}


class LedgerConfig(AppConfig):
    name = "peiyu.ledger"
    label = "ledger"
    verbose_name = _("Work ledger")
    url_prefix = "ledger/"
    api_prefix = "/ledger/"
    menu = [("ledger:index", _("Work ledger"), "journal-check", STAFF)]

    def ready(self):
        from peiyu.core.notifications import register_kind

        register_kind("ledger.due_soon", _("Ledger item due soon"), default_email=True)
        register_kind("ledger.overdue", _("Ledger item overdue"), default_email=True)
        register_kind("ledger.escalated", _("Overdue ledger item escalated to you"), default_email=True)
        register_kind("ledger.period_missed", _("Periodic ledger report missed"), default_email=True)
        register_kind("ledger.notice_due", _("Supervision notice unanswered"), default_email=True)
        register_kind("ledger.notice", _("Supervision notice issued"), default_email=True)
        register_kind("ledger.report_returned", _("Progress report returned"))
