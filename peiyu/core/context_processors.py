from peiyu.core.navigation import menu_for


def shell(request):
    """What every page's frame needs: the menu and the user's unit."""
    user = getattr(request, "user", None)
    if not (user and user.is_authenticated):
        return {}
    return {"nav_items": menu_for(request), "user_unit": user.unit}
