"""Administrators manage users, roles and the unit tree in the platform itself."""

from django.contrib import messages
from django.contrib.auth.mixins import UserPassesTestMixin
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import TemplateView

from peiyu.core import throttling
from peiyu.core.forms import AdminPasswordResetForm, UnitForm, UserForm
from peiyu.core.models import Unit, User
from peiyu.core.views.generic import ObjectEditView


class AdminOnly(UserPassesTestMixin):
    def test_func(self):
        return self.request.user.is_superuser

    def get_object(self):
        return get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])


class UserListView(AdminOnly, TemplateView):
    template_name = "core/user_list.html"
    extra_context = {"page_title": _("Users and roles")}

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        users = User.objects.select_related("unit").prefetch_related("enterprises").order_by("role", "username")
        if role := self.request.GET.get("role"):
            users = users.filter(role=role)
        if q := self.request.GET.get("q", "").strip():
            # Login name, person, phone, e-mail, unit or the enterprise an account belongs to.
            users = users.filter(
                Q(username__icontains=q) | Q(full_name__icontains=q) | Q(phone__contains=q) | Q(email__icontains=q)
                | Q(unit__name__icontains=q) | Q(enterprises__name__icontains=q)
            ).distinct()
        page = Paginator(users, 50).get_page(self.request.GET.get("page"))
        ctx.update(
            users=page, page_obj=page, query=self.request.GET.urlencode(), roles=User._meta.get_field("role").choices, role=self.request.GET.get("role", ""), q=q,
            locked=throttling.locked_usernames([u.username for u in page]),
        )
        return ctx


class UserEditView(AdminOnly, ObjectEditView):
    queryset = User.objects.all()
    form_class = UserForm

    def get_queryset(self):
        return User.objects.all()

    def check_create(self):
        pass

    template_name = "core/user_edit.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["page_title"] = _("New user") if ctx["creating"] else _("Edit user %(name)s") % {"name": self.object}
        if not ctx["creating"]:
            ctx["enterprises"] = self.object.enterprises.filter(deleted_at__isnull=True)
            ctx["locked"] = throttling.is_locked(self.object.username)
        return ctx

    def get_success_url(self, obj):
        return reverse("user-list")

    def get_cancel_url(self):
        return reverse("user-list")


class UserUnlockView(AdminOnly, View):
    """End every sign-in lock-out of an account (after a user calls the bureau, say)."""

    def post(self, request, pk):
        user = get_object_or_404(User, pk=pk)
        throttling.unlock(user.username)
        messages.success(request, gettext("Sign-in for %(name)s is unlocked.") % {"name": user})
        return redirect(request.POST.get("next") or reverse("user-edit", args=[user.pk]))


class UserPasswordResetView(AdminOnly, TemplateView):
    """An administrator sets a new password for someone who forgot theirs. Their API tokens are
    revoked with the old password, and any lock-out ends."""

    template_name = "core/user_password.html"

    def dispatch(self, request, *args, **kwargs):
        self.user = get_object_or_404(User, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.setdefault("form", AdminPasswordResetForm(self.user))
        ctx.update(page_title=gettext("Reset the password of %(name)s") % {"name": self.user}, account=self.user)
        return ctx

    def post(self, request, pk):
        form = AdminPasswordResetForm(self.user, request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        form.save()
        throttling.unlock(self.user.username)
        messages.success(request, gettext("The password of %(name)s has been reset; tell them the new one in person.") % {"name": self.user})
        return redirect("user-edit", pk=self.user.pk)


class UnitListView(AdminOnly, TemplateView):
    template_name = "core/unit_list.html"
    extra_context = {"page_title": _("Units")}

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["units"] = Unit.objects.annotate(n_users=Count("users")).order_by("path")
        return ctx


class UnitEditView(AdminOnly, ObjectEditView):
    queryset = Unit.objects.all()
    form_class = UnitForm

    def get_queryset(self):
        return Unit.objects.all()

    def check_create(self):
        pass

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["page_title"] = _("New unit") if ctx["creating"] else _("Edit unit %(name)s") % {"name": self.object}
        return ctx

    def get_success_url(self, obj):
        return reverse("unit-list")

    def get_cancel_url(self):
        return reverse("unit-list")
