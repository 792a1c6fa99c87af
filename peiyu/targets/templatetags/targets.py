"""Figures of targets as the bureau writes them: counts whole with separators, money and ratios
with two decimals, percentages with a % sign; "—" when unknown."""

from decimal import ROUND_HALF_UP, Decimal

from django import template
from django.utils.translation import gettext as _

register = template.Library()

WHOLE = frozenset({"家", "件", "项", "次", "人", "个"})
LIGHTS = {"green": "success", "yellow": "warning", "red": "danger", "grey": "secondary"}


def fmt(value, unit: str = "") -> str:
    if value is None or value == "":
        return "—"
    value = Decimal(value)
    places = Decimal(1) if unit in WHOLE else Decimal("0.01")
    return f"{value.quantize(places, ROUND_HALF_UP):,}"


@register.filter
def measure(value, unit=""):
    """1850 家 → "1,850"; 19.5 亿元 → "19.50"."""
    return fmt(value, unit)


@register.filter
def with_unit(value, unit=""):
    text = fmt(value, unit)
    return text if text == "—" else f"{text}{unit}" if unit == "%" else f"{text} {unit}"


@register.filter
def pct(value):
    return "—" if value is None else f"{Decimal(value).quantize(Decimal('0.1'), ROUND_HALF_UP)}%"


@register.filter
def signed(value):
    if value is None:
        return "—"
    value = Decimal(value).quantize(Decimal("0.1"), ROUND_HALF_UP)
    return f"+{value}" if value > 0 else f"{value}"


@register.filter
def light_class(light):
    return LIGHTS.get(light, "secondary")


@register.filter
def light_label(light):
    return {
        "green": _("On schedule"),
        "yellow": _("Slightly behind"),
        "red": _("Behind schedule"),
        "grey": _("No value yet"),
    }.get(light, "")


@register.filter
def probability(value):
    return "—" if value is None else f"{round(value * 100)}%"


@register.filter
def plain(value):
    """A stored amount as typed: 1.5900 → "1.59"; empty for None."""
    if value is None or value == "":
        return ""
    return f"{Decimal(value).normalize():f}"
