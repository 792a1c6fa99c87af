"""Administrators declare the bureau's own working days and days off."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import TemplateView

from peiyu.core.models import DeclaredDay
from peiyu.core.views.admin import AdminOnly
from peiyu.core.views.generic import ObjectEditView
from peiyu.core.workdays.calendar import statutory_working_day
from peiyu.core.workdays.forms import DeclaredDayForm


class DeclaredDayListView(AdminOnly, TemplateView):
    template_name = "core/workdays/list.html"
    extra_context = {"page_title": _("Working-day calendar")}

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        days = list(DeclaredDay.objects.all())
        for day in days:
            try:
                day.statutory = statutory_working_day(day.date)
            except ValueError:
                day.statutory = None
        ctx["days"] = days
        return ctx


class DeclaredDayEditView(AdminOnly, ObjectEditView):
    queryset = DeclaredDay.objects.all()
    form_class = DeclaredDayForm

    def get_queryset(self):
        return DeclaredDay.objects.all()

    def check_create(self):
        pass

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["page_title"] = _("Declare a day") if ctx["creating"] else _("Edit declared day %(name)s") % {"name": self.object}
        return ctx

    def get_success_url(self, obj):
        return reverse("declared-day-list")

    def get_cancel_url(self):
        return reverse("declared-day-list")


class DeclaredDayDeleteView(AdminOnly, View):
    """Withdraw a declaration: the statutory calendar applies to that day again (history keeps it)."""

    def post(self, request, pk):
        day = get_object_or_404(DeclaredDay, pk=pk)
        day.delete()
        messages.success(request, _("Deleted %(object)s.") % {"object": day})
        return redirect("declared-day-list")
