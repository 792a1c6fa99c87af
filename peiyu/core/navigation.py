"""The main menu: each entry names its URL, icon and the roles that see it. "/" is each role's own
landing page (see peiyu.urls), so its entry is named for the work it opens. Administrators see the
bureau's menu. Domain apps add their entries on their AppConfig (core/app_declarations.py)."""

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from peiyu.core.app_declarations import menu_entries
from peiyu.core.choices import Role

STAFF = {Role.BUREAU, Role.UNIT, Role.LEADER, Role.PARTY}

MENU = [
    ("dashboard", _("Dashboard"), "speedometer2", {Role.BUREAU, Role.UNIT, Role.LEADER}),
    ("dashboard", _("Party-building workbench"), "flag", {Role.PARTY}),
    ("dashboard", _("My enterprise"), "building", {Role.ENTERPRISE}),
    ("enterprise-list", _("Enterprises"), "buildings", STAFF),
    ("evaluation:index", _("Evaluation"), "clipboard-check", STAFF | {Role.ENTERPRISE}),
    ("import-list", _("Import"), "file-earmark-arrow-up", {Role.BUREAU, Role.UNIT}),
]


def menu_for(request) -> list[dict]:
    role = Role.BUREAU if request.user.is_superuser else request.user.role
    items = []
    for name, label, icon, roles in [*MENU, *menu_entries()]:
        if role not in roles:
            continue
        try:
            url = reverse(name)
        except NoReverseMatch:  # an app that does not publish this page
            continue
        active = request.path.startswith(url) if url != "/" else request.path == "/"
        items.append({"url": url, "label": label, "icon": icon, "active": active})
    return items
