from django import template

from peiyu.core.attachments.views import panel_context

register = template.Library()


@register.inclusion_tag("core/attachments/panel.html", takes_context=True)
def attachment_panel(context, owner):
    """The attachments of `owner` with upload and delete controls as the user's rights allow."""
    return panel_context(context["request"].user, owner)
