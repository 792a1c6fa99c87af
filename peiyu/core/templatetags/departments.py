from django import template

from peiyu.core.departments import responsibility_of

register = template.Library()


@register.inclusion_tag("core/departments/responsibility.html")
def responsibility(obj):
    """Who answers for `obj`: leaders, lead and co-operating departments, persons."""
    return {"responsibility": responsibility_of(obj)}
