"""Administrators manage departments and who belongs to and leads each."""

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from peiyu.core.departments.forms import DepartmentForm
from peiyu.core.models import Department
from peiyu.core.views.admin import AdminOnly
from peiyu.core.views.generic import ObjectEditView


class DepartmentListView(AdminOnly, TemplateView):
    template_name = "core/departments/list.html"
    extra_context = {"page_title": _("Departments")}

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["departments"] = (
            Department.objects.select_related("unit").prefetch_related("leaders").annotate(n_members=Count("members", distinct=True))
        )
        return ctx


class DepartmentEditView(AdminOnly, ObjectEditView):
    queryset = Department.objects.all()
    form_class = DepartmentForm

    def get_queryset(self):
        return Department.objects.all()

    def check_create(self):
        pass

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["page_title"] = _("New department") if ctx["creating"] else _("Edit department %(name)s") % {"name": self.object}
        return ctx

    def get_success_url(self, obj):
        return reverse("department-list")

    def get_cancel_url(self):
        return reverse("department-list")
