from django import template

register = template.Library()


@register.inclusion_tag("core/notifications/bell.html", takes_context=True)
def notification_bell(context):
    """The header bell with the signed-in user's unread count (one indexed count per page)."""
    user = context["request"].user
    return {"unread": user.notifications.filter(read_at__isnull=True).count()}
