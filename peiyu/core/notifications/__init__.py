"""Notifications: apps declare kinds, code anywhere calls `notify(...)`, and a background task
delivers — to the in-app inbox and by e-mail, per the recipient's preferences, and only to
recipients who can see the object the notification is about.

    register_kind("enterprises.qualification_expiring", _("Qualification expiring"), default_email=True)

    notify("enterprises.qualification_expiring", users, title=…, body=…, source=qualification,
           reason=_("You are the cadre in charge of this enterprise."))
"""

from peiyu.core.notifications.delivery import notify
from peiyu.core.notifications.registry import NotificationKind, kinds, register_kind

__all__ = ["NotificationKind", "kinds", "notify", "register_kind"]
