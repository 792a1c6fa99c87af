from django import template

from peiyu.core.workflow_views import panel_context

register = template.Library()


@register.inclusion_tag("core/workflows/panel.html", takes_context=True)
def workflow_panel(context, obj):
    """The object's state, the steps the user may take now, and the recorded trail."""
    ctx = panel_context(context["request"].user, obj)
    ctx["request"] = context["request"]
    return ctx
