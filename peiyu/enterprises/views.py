"""Pages of the enterprise library. Views declare; scoping and editing live in core's generic views."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from peiyu.core.choices import Role
from peiyu.core.views.generic import ObjectDeleteView, ObjectDetailView, ObjectEditView, ObjectListView
from peiyu.core.views.history import history_for
from peiyu.enterprises import choices
from peiyu.enterprises.dashboard import cached_dashboard_data, continuous_years
from peiyu.enterprises.filtersets import EnterpriseFilterSet
from peiyu.enterprises.forms import EnterpriseForm, EnterpriseYearForm, QualificationForm
from peiyu.enterprises.models import Enterprise, EnterpriseYear, Qualification


def current_qualifications(on=None):
    return Prefetch("qualifications", queryset=Qualification.objects.current(on), to_attr="current_quals")


class DashboardView(LoginRequiredMixin, TemplateView):
    template_name = "enterprises/dashboard.html"

    def get(self, request, *args, **kwargs):
        user = request.user
        if user.role == Role.ENTERPRISE and not user.is_superuser:
            own = Enterprise.objects.for_user(user).first()
            if own:
                return redirect(own)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        requested = year_param(self.request)
        data = cached_dashboard_data(self.request.user, requested)
        ctx.update(data, page_title=_("Dashboard"), requested_year=requested, **dashboard_links(data))
        return ctx


def year_param(request) -> int | None:
    """The ?year= of a request when it is a plausible year, else None (the latest year)."""
    value = request.GET.get("year", "")
    return int(value) if value.isdigit() and 1949 <= int(value) <= 2100 else None


def dashboard_links(data) -> dict:
    """Each figure of the dashboard with the link that opens the enterprise list filtered to it."""
    base = reverse("enterprise-list") + (f"?year={data['year']}" if data["year"] else "?")

    def rows(counts, param, values):
        return [(label, n, f"{base}&{param}={value}") for (label, n), value in zip(counts, values, strict=True)]

    return {
        "list_url": base,
        "stage_rows": rows(data["stage_counts"], "stage", choices.Stage.values),
        "band_rows": rows(data["band_counts"], "band", choices.RevenueBand.values),
        "qualification_rows": rows(data["qualification_counts"], "qualification", choices.QualificationKind.values),
        "unit_links": {row["name"]: f"{base}&unit={row['pk']}" for row in data["unit_rows"]},
    }


class EnterpriseListView(ObjectListView):
    queryset = Enterprise.objects.select_related("unit", "park")
    filterset_class = EnterpriseFilterSet
    template_name = "enterprises/enterprise_list.html"
    sort_fields = {
        "name": "name", "uscc": "uscc", "unit": "unit__name", "established": "established",
        "revenue": "y_revenue", "rd": "y_rd_expense", "employees": "y_employees", "tech_staff": "y_tech_staff",
    }
    nullable_sorts = frozenset({"established", "y_revenue", "y_rd_expense", "y_employees", "y_tech_staff"})
    default_sort = "name"
    extra_context = {"page_title": gettext_lazy("Enterprise library")}

    def get_filterset(self):
        filterset = super().get_filterset()
        # Badges show the qualifications in force in the chosen year, like the counts.
        filterset.queryset = filterset.queryset.prefetch_related(current_qualifications(filterset.qualification_day))
        return filterset

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        year, years = ctx["filterset"].selected_year, ctx["filterset"].years
        ctx.update(
            year=year, years=years, year_without_data=year is not None and year not in years,
            mine=ctx["filterset"].only_mine, can_look_after=self.request.user.role in (Role.BUREAU, Role.UNIT),
            can_create=not self.request.user.is_read_only and self.request.user.role != Role.ENTERPRISE,
        )
        return ctx


class EnterpriseDetailView(ObjectDetailView):
    queryset = Enterprise.objects.select_related("unit", "park", "cadre")
    template_name = "enterprises/enterprise_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        obj, user = ctx["object"], self.request.user
        years = list(obj.years.order_by("-year"))
        qualifications = list(obj.qualifications.all())
        writable = Enterprise.objects.writable_by(user).filter(pk=obj.pk).exists()
        ctx.update(
            page_title=obj.name,
            years=years,
            qualifications=qualifications,
            history=history_for(obj, user),
            can_edit=writable,
            can_manage=writable and user.role != Role.ENTERPRISE,
            trend=trend_series(years),
            evaluation_url=_optional_url("evaluation:enterprise", obj.pk),
        )
        return ctx


def trend_series(years):
    """Revenue and R&D by year on a continuous axis: years without figures are gaps."""
    def text(amount):
        return str(amount) if amount is not None else None

    axis, (revenue, rd) = continuous_years({y.year: (text(y.revenue), text(y.rd_expense)) for y in years}, 2)
    return {
        "years": axis,
        "revenue": revenue,
        "rd": rd,
        "labels": {"revenue": _("Revenue (10k yuan)"), "rd": _("R&D expense (10k yuan)")},
    }


def _optional_url(name, *args):
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


class EnterpriseEditView(ObjectEditView):
    queryset = Enterprise.objects.all()
    form_class = EnterpriseForm

    def check_create(self):
        user = self.request.user
        if user.is_read_only or (user.role == Role.ENTERPRISE and not user.is_superuser):
            raise PermissionDenied(_("Your role may not create enterprises."))

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["page_title"] = _("New enterprise") if ctx["creating"] else _("Edit %(name)s") % {"name": self.object}
        return ctx

    def get_cancel_url(self):
        return self.object.get_absolute_url() if self.object.pk else reverse("enterprise-list")


class EnterpriseDeleteView(ObjectDeleteView):
    queryset = Enterprise.objects.all()

    def get_queryset(self):
        user = self.request.user
        if user.role not in (Role.BUREAU, Role.UNIT) and not user.is_superuser:
            return Enterprise.objects.none()
        return super().get_queryset()

    def get_success_url(self, obj):
        return reverse("enterprise-list")


class BureauOnlyMixin:
    def dispatch(self, request, *args, **kwargs):
        user = request.user
        if user.is_authenticated and not (user.is_superuser or user.role == Role.BUREAU):
            raise PermissionDenied(_("Only bureau staff may restore deleted enterprises."))
        return super().dispatch(request, *args, **kwargs)


class DeletedEnterpriseListView(BureauOnlyMixin, LoginRequiredMixin, TemplateView):
    template_name = "enterprises/deleted_list.html"
    extra_context = {"page_title": gettext_lazy("Deleted enterprises")}

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["object_list"] = (
            Enterprise.all_objects.for_user(self.request.user).filter(deleted_at__isnull=False).select_related("unit").order_by("-deleted_at")
        )
        return ctx

    def post(self, request):
        obj = get_object_or_404(Enterprise.all_objects.writable_by(request.user).filter(deleted_at__isnull=False), pk=request.POST.get("restore"))
        obj.restore()
        messages.success(request, _("Restored %(name)s.") % {"name": obj})
        return redirect(obj)


class ChildEditView(ObjectEditView):
    """Edit a year or a qualification of an enterprise the user may change."""

    def get_enterprise(self):
        enterprises = Enterprise.objects.writable_by(self.request.user)
        return get_object_or_404(enterprises, pk=self.kwargs["enterprise_pk"])

    def check_create(self):
        if self.request.user.is_read_only:
            raise PermissionDenied(_("Your role may not change enterprise data."))

    def new_instance(self):
        return self.queryset.model(enterprise=self.get_enterprise())

    def get_cancel_url(self):
        return self.object.enterprise.get_absolute_url()

    def get_success_url(self, obj):
        return obj.enterprise.get_absolute_url()


class EnterpriseYearEditView(ChildEditView):
    queryset = EnterpriseYear.objects.alive().select_related("enterprise")
    form_class = EnterpriseYearForm

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        name = self.object.enterprise
        ctx["page_title"] = _("New year of %(name)s") % {"name": name} if ctx["creating"] else _("%(name)s, %(year)s") % {"name": name, "year": self.object.year}
        return ctx


class QualificationEditView(ChildEditView):
    queryset = Qualification.objects.filter(enterprise__deleted_at__isnull=True).select_related("enterprise")
    form_class = QualificationForm

    def check_create(self):
        super().check_create()
        if self.request.user.role == Role.ENTERPRISE:
            raise PermissionDenied(_("Qualifications are recorded by the bureau or the unit."))

    def get_queryset(self):
        qs = super().get_queryset()
        return qs.none() if self.request.user.role == Role.ENTERPRISE else qs

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["page_title"] = _("Qualification of %(name)s") % {"name": self.object.enterprise}
        return ctx


class ChildDeleteView(ObjectDeleteView):
    def get_success_url(self, obj):
        return obj.enterprise.get_absolute_url()


class EnterpriseYearDeleteView(ChildDeleteView):
    queryset = EnterpriseYear.objects.alive()

    def get_queryset(self):
        # Enterprise users correct their figures; removing a year is the bureau's or the unit's call.
        return EnterpriseYear.objects.none() if self.request.user.role == Role.ENTERPRISE else super().get_queryset()


class QualificationDeleteView(ChildDeleteView):
    queryset = Qualification.objects.filter(enterprise__deleted_at__isnull=True)

    def get_queryset(self):
        return Qualification.objects.none() if self.request.user.role == Role.ENTERPRISE else super().get_queryset()

