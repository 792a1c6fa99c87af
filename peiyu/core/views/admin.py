"""Administrators manage users, roles and the unit tree in the platform itself."""

from django.contrib.auth.mixins import UserPassesTestMixin
from django.db.models import Count
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from peiyu.core.forms import UnitForm, UserForm
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
        users = User.objects.select_related("unit").order_by("role", "username")
        if role := self.request.GET.get("role"):
            users = users.filter(role=role)
        ctx.update(users=users, roles=User._meta.get_field("role").choices, role=self.request.GET.get("role", ""))
        return ctx


class UserEditView(AdminOnly, ObjectEditView):
    queryset = User.objects.all()
    form_class = UserForm

    def get_queryset(self):
        return User.objects.all()

    def check_create(self):
        pass

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["page_title"] = _("New user") if ctx["creating"] else _("Edit user %(name)s") % {"name": self.object}
        return ctx

    def get_success_url(self, obj):
        return reverse("user-list")

    def get_cancel_url(self):
        return reverse("user-list")


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
