"""Showing rule data and results: band conditions as the rules write them, point ranges, outcomes."""

from django import template
from django.utils.translation import gettext as _

from peiyu.evaluation import display, registry
from peiyu.evaluation.rules import common, localized, number

register = template.Library()


@register.simple_tag
def condition_text(when: dict | None, default_metric: str = "") -> str:
    """A band condition in words: "科技人员占职工总数的比例 不低于 30%"."""
    if not when:
        return _("otherwise")
    for kind, joiner in (("all", _(" and ")), ("any", _(" or "))):
        if kind in when:
            return joiner.join(condition_text(c, default_metric) for c in when[kind])
    name = when.get("metric", default_metric)
    metric = registry.get(name)
    label, unit = display.label(name)
    value = when.get("value")
    shown = display.human_threshold(metric, value if isinstance(value, bool | list) else number(value)) if value is not None else ""
    return f"{label} {common()['ops'].get(when.get('op', '>='), '')} {shown}{unit}"


@register.filter
def points_text(points) -> str:
    if points is None:
        return "—"
    if isinstance(points, list | tuple):
        return str(points[0]) if points[0] == points[1] else f"{points[0]}–{points[1]}"
    return str(points)


@register.filter
def score_text(result) -> str:
    if result.score_min is None:
        return "—"
    return str(result.score_min) if result.score_min == result.score_max else f"{result.score_min}–{result.score_max}"


@register.filter
def range_text(indicator) -> str:
    if indicator.points_min is None:
        return "—"
    if indicator.points_min == indicator.points_max:
        return str(indicator.points_min)
    return f"{indicator.points_min}–{indicator.points_max}"


@register.inclusion_tag("evaluation/_outcome.html")
def outcome(eligible):
    return {"eligible": eligible}


@register.filter
def param_value(values, param) -> str:
    """The value a parameter field shows: what was posted, else the rule set's own."""
    return values.get(param.key, param.value) if values else param.value


@register.simple_tag
def ref_name(data: dict, ref: str) -> str:
    """What an UNCONFIRMED reference ("gates.registered_years", "options.growth_short_history",
    "indicators") points at, by its Chinese name; the code stays in the page's tooltip for experts."""
    section, _dot, code = ref.partition(".")
    if not code:
        return common()["refs"].get(section, ref)
    if section == "options":
        return common()["options"].get(code, ref)
    for item in data.get(section, ()):
        if item.get("code") == code:
            return item.get("name", ref)
        for sub in [*item.get("alternatives", ()), *item.get("components", ())]:
            if sub.get("code") == code:
                return sub.get("name", ref)
    return common()["refs"].get(section, ref)


@register.simple_tag
def group_name(code: str) -> str:
    return common()["groups"].get(code, code)


@register.filter(name="localized")
def localized_filter(text: str) -> str:
    """A rule set's Chinese wording in the interface language (see rules.localized)."""
    return localized(text)
