"""Administrators manage departments and who belongs to and leads each."""

from django.contrib import messages
from django.db.models import Count, ProtectedError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views import View
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


class DepartmentDeleteView(AdminOnly, View):
    """Delete a department no responsibility names (history keeps it); otherwise say why not."""

    def post(self, request, pk):
        department = get_object_or_404(Department, pk=pk)
        try:
            department.delete()
        except ProtectedError as error:
            messages.error(request, gettext("%(name)s is still named in %(count)d responsibilities; reassign them first.")
                           % {"name": department, "count": len(error.protected_objects)})
            return redirect("department-edit", pk=pk)
        messages.success(request, gettext("Deleted %(object)s.") % {"object": department})
        return redirect("department-list")
