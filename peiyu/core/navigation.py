"""The main menu: each entry names its URL, icon and the roles that see it (None: everyone)."""

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from peiyu.core.choices import Role

STAFF = {Role.BUREAU, Role.UNIT, Role.LEADER, Role.PARTY}

MENU = [
    ("dashboard", _("Dashboard"), "speedometer2", STAFF),
    ("enterprise-list", _("Enterprises"), "buildings", STAFF | {Role.ENTERPRISE}),
    ("evaluation:index", _("Evaluation"), "clipboard-check", STAFF | {Role.ENTERPRISE}),
    ("import-list", _("Import"), "file-earmark-arrow-up", {Role.BUREAU, Role.UNIT}),
]


def menu_for(request) -> list[dict]:
    user = request.user
    items = []
    for name, label, icon, roles in MENU:
        if not (user.is_superuser or user.role in roles):
            continue
        try:
            url = reverse(name)
        except NoReverseMatch:  # an app that does not publish this page
            continue
        active = request.path.startswith(url) if url != "/" else request.path == "/"
        items.append({"url": url, "label": label, "icon": icon, "active": active})
    return items
