"""The ledger's scheduled job: reminders for items due soon, overdue (escalating to the responsible
leader), long-term items that missed a periodic report, and unanswered supervision notices."""

from django.utils.translation import gettext_lazy as _

from peiyu.core.jobs import periodic


@periodic("ledger-reminders", _("Ledger reminders"), minute="0", hour="8")
def ledger_reminders():
    from peiyu.ledger.deadlines import run_reminders

    summary = run_reminders()
    return {"sent": summary.sent, "already_sent": summary.skipped}
