from django.db import models
from django.utils.translation import gettext_lazy as _


class LedgerKind(models.TextChoices):
    RECTIFICATION = "rectification", _("Rectification ledger")
    KEY_WORK = "key_work", _("Key work ledger")
    PRACTICAL = "practical", _("Practical matters for the people ledger")
    OTHER = "other", _("Other ledger")


class LedgerStatus(models.TextChoices):
    ACTIVE = "active", _("In progress")
    ARCHIVED = "archived", _("Archived")


class Cadence(models.TextChoices):
    """How often a long-term item reports (长期事项的报告周期)."""

    MONTH = "month", _("Monthly")
    QUARTER = "quarter", _("Quarterly")
    HALF_YEAR = "half", _("Half-yearly")


class ItemState(models.TextChoices):
    OPEN = "open", _("In progress")
    REQUESTED = "requested", _("Completion requested")
    DONE = "done", _("Closed (accepted)")


class ReportStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned")


class ReminderKind(models.TextChoices):
    DUE_SOON = "due_soon", _("Due soon")
    OVERDUE = "overdue", _("Overdue")
    ESCALATED = "escalated", _("Escalated to the responsible leader")
    PERIOD_MISSED = "period_missed", _("Periodic report missed")
    NOTICE_DUE = "notice_due", _("Supervision notice reply overdue")


class NoticeState(models.TextChoices):
    OPEN = "open", _("Awaiting reply")
    REPLIED = "replied", _("Replied")


class Situation(models.TextChoices):
    """Where an item stands today, for filters and the board (derived, never stored)."""

    ON_TRACK = "on_track", _("On track")
    DUE_SOON = "due_soon", _("Due soon")
    OVERDUE = "overdue", _("Overdue")
    REQUESTED = "requested", _("Completion requested")
    DONE = "done", _("Closed (accepted)")
    LONG_TERM = "long_term", _("Long-term")
