"""Signing in and out, password change, and personal API tokens."""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from peiyu.core.forms import ApiTokenForm, BootstrapMixin, ThrottledLoginForm
from peiyu.core.models import ApiToken


class LoginView(auth_views.LoginView):
    form_class = ThrottledLoginForm
    template_name = "registration/login.html"
    redirect_authenticated_user = True


class PasswordChangeForm(BootstrapMixin, auth_views.PasswordChangeForm):
    pass


class PasswordChangeView(auth_views.PasswordChangeView):
    form_class = PasswordChangeForm
    template_name = "registration/password_change.html"
    success_url = reverse_lazy("dashboard")
    extra_context = {"page_title": gettext_lazy("Change password")}

    def form_valid(self, form):
        messages.success(self.request, _("Your password has been changed. Your API tokens no longer work; create new ones if you need them."))
        return super().form_valid(form)


class TokenListView(LoginRequiredMixin, TemplateView):
    """A user's own API tokens; a new key is shown exactly once."""

    template_name = "core/token_list.html"
    extra_context = {"page_title": gettext_lazy("API tokens")}

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["tokens"] = self.request.user.api_tokens.order_by("-created")
        ctx["form"] = kwargs.get("form") or ApiTokenForm()
        ctx["new_key"] = self.request.session.pop("new_api_key", None)
        return ctx

    def post(self, request):
        if "revoke" in request.POST:
            get_object_or_404(ApiToken, pk=request.POST["revoke"], user=request.user).delete()
            messages.success(request, _("The token has been revoked."))
            return redirect("token-list")
        form = ApiTokenForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        _token, key = ApiToken.objects.issue(request.user, form.cleaned_data["description"], form.cleaned_data["expires"])
        request.session["new_api_key"] = key
        return redirect("token-list")
