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
    """The entries the user's role sees. An app that shows a role more than one entry becomes one
    dropdown named after the app, so the bar stays one line however many apps join."""
    role = Role.BUREAU if request.user.is_superuser else request.user.role
    items = [item for entry in MENU if (item := _item(request, role, *entry))]
    by_app: dict = {}
    for config, entry in menu_entries():
        if item := _item(request, role, *entry):
            by_app.setdefault(config, []).append(item)
    for config, entries in by_app.items():
        if len(entries) == 1:
            items.extend(entries)
        else:
            items.append(
                {
                    "label": config.verbose_name,
                    "icon": entries[0]["icon"],
                    "children": entries,
                    "active": any(e["active"] for e in entries),
                }
            )
    return items


def _item(request, role, name, label, icon, roles) -> dict | None:
    if role not in roles:
        return None
    try:
        url = reverse(name)
    except NoReverseMatch:  # an app that does not publish this page
        return None
    active = request.path.startswith(url) if url != "/" else request.path == "/"
    return {"url": url, "label": label, "icon": icon, "active": active}
