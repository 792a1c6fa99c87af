from .attachments import Attachment
from .base import ChangeLoggedModel, PrimaryModel, ScopedQuerySet
from .batches import ImportBatch, ImportBatchScope
from .departments import Department, HasResponsibility, Responsibility, ResponsibilityEntry
from .history import ObjectChange
from .jobs import Job, ScheduledRun
from .notifications import EmailMode, Notification, NotificationPreference, NotificationSettings
from .tokens import ApiToken
from .units import Unit
from .users import User
from .workdays import DeclaredDay
from .workflows import StateTransition

__all__ = [
    "ApiToken",
    "Attachment",
    "ChangeLoggedModel",
    "DeclaredDay",
    "Department",
    "EmailMode",
    "HasResponsibility",
    "ImportBatch",
    "ImportBatchScope",
    "Job",
    "Notification",
    "NotificationPreference",
    "NotificationSettings",
    "ObjectChange",
    "PrimaryModel",
    "Responsibility",
    "ResponsibilityEntry",
    "ScheduledRun",
    "ScopedQuerySet",
    "StateTransition",
    "Unit",
    "User",
]
