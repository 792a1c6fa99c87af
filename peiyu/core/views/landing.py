"""The home page ("/"): every role lands on the page of its own work. The project URLconf says which
page that is for each role (the pages live in the apps that own their data)."""

from django.contrib.auth.views import redirect_to_login
from django.views import View


class RoleLandingView(View):
    """Serves the landing view configured for the user's role (administrators: the default)."""

    by_role: dict = {}
    default = None

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        view = self.default if user.is_superuser else self.by_role.get(user.role, self.default)
        return view(request, *args, **kwargs)
