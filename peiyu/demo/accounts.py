"""The demo accounts: one or more per role, all with the same published password, and the table
of them that `peiyu demo` prints."""

import unicodedata
from dataclasses import dataclass

from django.contrib.auth.hashers import check_password, make_password
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from peiyu.core.choices import Role
from peiyu.core.models import User

PASSWORD = "Peiyu@2026"


@dataclass(frozen=True)
class Account:
    username: str
    full_name: str
    role: str
    unit: str | None  # unit name; None for the whole platform
    title: str  # the role as the bureau says it; gettext_noop'd, translated when printed
    superuser: bool = False


ACCOUNTS = (
    Account("admin", "系统管理员", Role.BUREAU, None, gettext_noop("Administrator"), superuser=True),
    Account("bureau", "王建国", Role.BUREAU, "东丽区", gettext_noop("Bureau division staff")),
    Account("zhangguizhuang", "李娜", Role.UNIT, "张贵庄街道", gettext_noop("Street official")),
    Account("junliangcheng", "赵海波", Role.UNIT, "军粮城街道", gettext_noop("Street official")),
    Account("kaifaqu", "孙宏伟", Role.UNIT, "东丽经济技术开发区", gettext_noop("Zone official")),
    Account("leader", "刘志强", Role.LEADER, "东丽区", gettext_noop("Leader (read-only)")),
    Account("enterprise", "陈晓东", Role.ENTERPRISE, None, gettext_noop("Enterprise user")),
    Account("expert", "周立新", Role.EXPERT, None, gettext_noop("Reviewing expert")),
    Account("party", "吴秀英", Role.PARTY, "东丽区", gettext_noop("Party-building officer")),
)
CADRES = tuple(
    Account(
        f"cadre{i}", name, Role.BUREAU, "东丽区", gettext_noop("Bureau staff, cadre in charge of enterprises")
    )
    for i, name in enumerate(("郑凯", "冯磊", "许静", "韩涛", "曹颖"), start=1)
)


def create_accounts(units: dict) -> dict[str, User]:
    """All demo users by username. The password is hashed once and shared: hashing is slow on
    purpose, and these accounts publish their password anyway."""
    encoded = make_password(PASSWORD)
    users = [
        User(
            username=a.username,
            full_name=a.full_name,
            role=a.role,
            unit=units.get(a.unit),
            password=encoded,
            is_superuser=a.superuser,
            is_staff=a.superuser,
        )
        for a in ACCOUNTS + CADRES
    ]
    return {user.username: user for user in User.objects.bulk_create(users)}


def accounts_table() -> str:
    """The demo accounts that exist, one line each, columns aligned for Chinese text."""
    specs = {a.username: a for a in ACCOUNTS + CADRES}
    users = User.objects.filter(username__in=specs).select_related("unit").prefetch_related("enterprises")
    users = sorted(users, key=lambda u: list(specs).index(u.username))
    matches: dict[str, bool] = {}
    rows = [(_("Account"), _("Password"), _("Role"), _("Full name"), _("Unit or enterprise"))]
    for user in users:
        if user.password not in matches:
            matches[user.password] = check_password(PASSWORD, user.password)
        rows.append(
            (
                user.username,
                PASSWORD if matches[user.password] else _("(changed)"),
                _(specs[user.username].title),
                user.full_name,
                _where(user),
            )
        )
    return _render(rows)


def _where(user: User) -> str:
    if user.role == Role.ENTERPRISE:
        return "、".join(e.name for e in user.enterprises.all()) or "—"
    return user.unit.name if user.unit else _("Whole platform")


def _render(rows: list[tuple]) -> str:
    widths = [max(_width(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(_pad(cell, w) for cell, w in zip(row, widths, strict=True)).rstrip() for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def _width(text: str) -> int:
    """Terminal columns: CJK characters take two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in str(text))


def _pad(text: str, width: int) -> str:
    return str(text) + " " * (width - _width(text))
