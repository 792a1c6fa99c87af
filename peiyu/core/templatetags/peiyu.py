"""Formatting the bureau's way: money in 万元 or 亿元 with thousands separators, exact to the shown
precision (Decimal rounding half-up, never floats)."""

from decimal import ROUND_HALF_UP, Decimal

from django import template
from django.http import QueryDict
from django.utils.html import format_html
from django.utils.translation import gettext as _

from peiyu.core.codes import mask_phone

register = template.Library()


def _fmt(value: Decimal, places: int) -> str:
    quantum = Decimal(1).scaleb(-places)
    return f"{value.quantize(quantum, rounding=ROUND_HALF_UP):,}"


@register.filter
def wan(value, places=2):
    """An amount in 万元, e.g. 12345.6 → "12,345.60"; empty stays a dash."""
    if value is None or value == "":
        return "—"
    return _fmt(Decimal(value), int(places))


@register.filter
def yi(value, places=2):
    """An amount in 万元 shown in 亿元: 3627100 → "362.71"."""
    if value is None or value == "":
        return "—"
    return _fmt(Decimal(value) / 10000, int(places))


@register.filter
def intcomma0(value):
    return "—" if value is None or value == "" else f"{int(value):,}"


@register.filter
def percent(value, places=1):
    return "—" if value is None or value == "" else f"{_fmt(Decimal(value) * 100, int(places))}%"


@register.filter
def phone_for(phone, user):
    """The phone number as this user may see it: whole, or masked in the middle."""
    if not phone:
        return "—"
    return phone if getattr(user, "sees_phones", False) else mask_phone(phone)


@register.simple_tag
def sort_url(query: str, key: str, current: str) -> str:
    """The query string that sorts by `key`, flipping the direction when already sorted by it."""
    params = QueryDict(query, mutable=True)
    params["sort"] = f"-{key}" if current == key else key
    return "?" + params.urlencode()


@register.simple_tag
def page_url(query: str, number: int) -> str:
    params = QueryDict(query, mutable=True)
    params["page"] = number
    return "?" + params.urlencode()


@register.filter
def yes_no(value):
    return _("Yes") if value else _("No")


@register.simple_tag
def sort_header(query: str, key: str, current: str, label: str) -> str:
    """A column heading that sorts by `key`: a link with an icon showing whether, and which way, the
    list is sorted by it."""
    if current == key:
        icon, state = "bi-sort-up", _("sorted ascending")
    elif current == f"-{key}":
        icon, state = "bi-sort-down", _("sorted descending")
    else:
        icon, state = "bi-arrow-down-up text-muted opacity-50", _("click to sort")
    return format_html(
        '<a class="sort-link text-nowrap" href="{}" title="{}">{} <i class="bi {}" aria-hidden="true"></i></a>',
        sort_url(query, key, current), state, label, icon,
    )


@register.filter
def query_pairs(query: str) -> list[tuple[str, str]]:
    """The parameters of a query string, for hidden inputs of a form that keeps them."""
    return [(key, value) for key, values in QueryDict(query).lists() for value in values]


@register.simple_tag
def page_range(page_obj):
    """Page numbers around the current page, with an ellipsis for the gaps (1 … 4 5 6 … 20)."""
    return list(page_obj.paginator.get_elided_page_range(page_obj.number, on_each_side=2, on_ends=1))
