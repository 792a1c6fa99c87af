"""The notification kinds apps declare (in their AppConfig.ready or a module it imports)."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class NotificationKind:
    code: str
    label: str
    default_email: bool = False
    description: str = ""


_kinds: dict[str, NotificationKind] = {}


def register_kind(code: str, label, default_email: bool = False, description="") -> NotificationKind:
    """Declare a kind once; declaring the same code again replaces it (module reloads in tests)."""
    kind = NotificationKind(code, label, default_email, description)
    _kinds[code] = kind
    return kind


def get_kind(code: str) -> NotificationKind:
    try:
        return _kinds[code]
    except KeyError:
        raise LookupError(f"Notification kind {code!r} is not registered; call register_kind first.") from None


def kinds() -> list[NotificationKind]:
    return sorted(_kinds.values(), key=lambda k: k.code)


def kind_label(code: str) -> str:
    kind = _kinds.get(code)
    return kind.label if kind else _("Other")
