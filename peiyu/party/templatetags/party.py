from django import template

register = template.Library()


@register.filter
def pct(value):
    """A rate already in percent (66.67) as "66.67%"; unknown as a dash."""
    return "—" if value is None else f"{value}%"


@register.filter
def cn_date(value):
    """A date as the bureau writes it: 2025年3月3日."""
    return "—" if not value else f"{value.year}年{value.month}月{value.day}日"
