from django.conf import settings


def shell(request):
    """What every page's frame needs: the platform name and the user's unit label."""
    user = getattr(request, "user", None)
    return {
        "platform_name": getattr(settings, "PLATFORM_NAME", ""),
        "user_unit": getattr(user, "unit", None) if user and user.is_authenticated else None,
    }
