"""The home page ("/"): every role lands on the page of its own work. The project URLconf says which
page that is for each role (the pages live in the apps that own their data); the expert's, which
needs no enterprise data, lives here."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.auth.views import redirect_to_login
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import TemplateView


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


class ExpertHomeView(LoginRequiredMixin, TemplateView):
    """An expert's workbench: the review assignments (filled by the projects module) and their profile,
    which is what the bureau uses to draw and contact reviewers."""

    template_name = "core/home_expert.html"
    extra_context = {"page_title": _("Review workbench")}
