"""Pages of the party-building ledger. Lists, details and forms are core's generic views over the
party querysets (PartyQuerySet: unit scoping, party staff write); the rest reads the coverage and
snapshot services."""

import calendar
import datetime

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Prefetch, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from peiyu.core import jobs
from peiyu.core.models import Unit
from peiyu.core.views.generic import ObjectDeleteView, ObjectDetailView, ObjectEditView, ObjectListView
from peiyu.party import choices, exporting, filtersets, forms, yearly
from peiyu.party.access import is_bureau_party, reads_party, reads_summary, writes_party
from peiyu.party.coverage import rates_by_unit
from peiyu.party.models import (
    Activity,
    Commendation,
    CoverageEntry,
    Instructor,
    Nomination,
    Organisation,
    Showcase,
    SnapshotRow,
    UnitReturn,
    UpdateWindow,
)
from peiyu.party.snapshots import compare, snapshot_rates


class PartyWriteMixin:
    def check_create(self):
        if not writes_party(self.request.user):
            raise PermissionDenied(_("Only party-building staff change the party ledger."))


def child_units(user):
    """The rows of a rates table: the units directly below the user's unit (the district's streets
    and zones), or the districts for a platform-wide user."""
    top = user.unit if user.unit_id else Unit.objects.filter(parent__isnull=True).first()
    if top is None:
        return None, []
    below = list(top.children.order_by("sort_order", "path"))
    return top, below


def rates_table(user, rates_of=rates_by_unit, **kw):
    top, below = child_units(user)
    if top is None:
        return [], None
    figures = rates_of([top, *below], **kw)
    return [(unit, figures[unit.pk]) for unit in below], (top, figures[top.pk])


class WorkbenchView(LoginRequiredMixin, TemplateView):
    """The party ledger's front page: each unit's two coverages, the window open now, and the year's
    numbers against seed 003's quotas. Bureau staff and leaders read the rates only."""

    template_name = "party/workbench.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        if not reads_summary(user):
            raise PermissionDenied(_("Your role has no access to these records."))
        ctx = super().get_context_data(**kwargs)
        rows, total = rates_table(user)
        year = timezone.localdate().year
        ctx.update(
            page_title=_("Party-building ledger"),
            rows=rows,
            total=total,
            year=year,
            full=reads_party(user),
            open_windows=UpdateWindow.objects.filter(state=choices.WindowState.OPEN),
        )
        if reads_party(user):
            ctx["numbers"] = yearly.numbers(user, year)
        return ctx


# — coverage ledger ——————————————————————————————————————————————————————————————————————


class CoverageEntryListView(ObjectListView):
    # No joins in the page query (the enterprise, unit and names come by prefetch for the 50 rows),
    # so a deep page is read straight from the (unit, id) index.
    queryset = CoverageEntry.objects.prefetch_related(
        "enterprise",
        "unit",
        Prefetch(
            "enterprise__party_organisations",
            queryset=Organisation.objects.filter(status="active").only("pk", "name").order_by(),
        ),
        Prefetch(
            "enterprise__party_instructors",
            queryset=Instructor.objects.filter(active=True).only("pk", "name").order_by(),
        ),
    )
    filterset_class = filtersets.CoverageEntryFilterSet
    template_name = "party/entry_list.html"
    sort_fields = {
        "name": "enterprise__name",
        "unit": "unit_id",
        "employees": "employees",
        "members": "party_members",
        "coverage": "coverage",
    }
    nullable_sorts = frozenset({"employees"})
    default_sort = "unit"
    extra_context = {"page_title": gettext_lazy("Two-coverages ledger")}

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["can_edit"] = writes_party(self.request.user)
        return ctx

    def get(self, request, *args, **kwargs):
        if request.GET.get("format") == "xlsx":
            query = {name: request.GET.getlist(name) for name in request.GET if name != "format"}
            job = jobs.start("party-ledger-export", request.user, {"query": query})
            return redirect("job-detail", job.pk)
        return super().get(request, *args, **kwargs)


class CoverageEntryEditView(PartyWriteMixin, ObjectEditView):
    queryset = CoverageEntry.objects.select_related("enterprise")
    form_class = forms.CoverageEntryForm

    def check_create(self):
        raise Http404  # lines come from the library

    def get_success_url(self, obj):
        return reverse("party:entry-list") + f"?q={obj.enterprise.uscc}"

    def get_cancel_url(self):
        return reverse("party:entry-list")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["page_title"] = _("Ledger line of %(name)s") % {"name": self.object.enterprise}
        return ctx


# — organisations and instructors ———————————————————————————————————————————————————————


class OrganisationListView(ObjectListView):
    queryset = Organisation.objects.select_related("unit").annotate(
        covered=Count("enterprises", distinct=True)
    )
    filterset_class = filtersets.OrganisationFilterSet
    template_name = "party/organisation_list.html"
    sort_fields = {"name": "name", "unit": "unit__path", "founded": "founded", "members": "formal_members"}
    nullable_sorts = frozenset({"founded"})
    default_sort = "unit"
    extra_context = {"page_title": gettext_lazy("Party organisations")}

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["can_edit"] = writes_party(self.request.user)
        return ctx


class OrganisationDetailView(ObjectDetailView):
    queryset = Organisation.objects.select_related("unit", "parent")
    template_name = "party/organisation_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        org = self.object
        ctx.update(
            page_title=org.name,
            can_edit=Organisation.objects.writable_by(self.request.user).filter(pk=org.pk).exists(),
            entries=CoverageEntry.objects.filter(enterprise__in=org.enterprises.all()).select_related(
                "enterprise", "unit"
            ),
            activities=org.activities.all()[:20],
            nominations=org.nominations.all(),
            children=org.children.all(),
            briefings=org.activities.filter(
                kind=choices.ActivityKind.BRIEFING, date__year=timezone.localdate().year
            ).count(),
        )
        return ctx


class OrganisationEditView(PartyWriteMixin, ObjectEditView):
    queryset = Organisation.objects.all()
    form_class = forms.OrganisationForm

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["page_title"] = (
            _("New party organisation")
            if self.object.pk is None
            else _("Edit %(name)s") % {"name": self.object}
        )
        return ctx

    def get_cancel_url(self):
        return self.object.get_absolute_url() if self.object.pk else reverse("party:organisation-list")


class OrganisationDeleteView(ObjectDeleteView):
    queryset = Organisation.objects.all()

    def get_success_url(self, obj):
        return reverse("party:organisation-list")


class InstructorListView(ObjectListView):
    queryset = Instructor.objects.select_related("unit").prefetch_related("enterprises")
    filterset_class = filtersets.ScopedFilterSet
    template_name = "party/instructor_list.html"
    sort_fields = {"name": "name", "unit": "unit__path"}
    default_sort = "unit"
    extra_context = {"page_title": gettext_lazy("Party-building instructors")}

    def get_filterset(self):
        return filtersets.InstructorFilterSet(
            self.request.GET or None, queryset=self.get_queryset(), user=self.request.user
        )

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["can_edit"] = writes_party(self.request.user)
        return ctx


class InstructorEditView(PartyWriteMixin, ObjectEditView):
    queryset = Instructor.objects.all()
    form_class = forms.InstructorForm

    def get_success_url(self, obj):
        return reverse("party:instructor-list")

    def get_cancel_url(self):
        return reverse("party:instructor-list")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["page_title"] = _("New instructor") if self.object.pk is None else str(self.object)
        return ctx


# — windows, returns, snapshots ——————————————————————————————————————————————————————————


class WindowListView(ObjectListView):
    queryset = UpdateWindow.objects.annotate(
        submitted=Count("returns", filter=Q(returns__state=choices.ReturnState.SUBMITTED), distinct=True),
        units=Count("returns", distinct=True),
    )
    filterset_class = filtersets.WindowFilterSet
    template_name = "party/window_list.html"
    extra_context = {"page_title": gettext_lazy("March and October updates")}

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["closed"] = UpdateWindow.objects.filter(state=choices.WindowState.CLOSED)
        return ctx


class WindowDetailView(ObjectDetailView):
    queryset = UpdateWindow.objects.all()
    template_name = "party/window_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        window, user = self.object, self.request.user
        if window.is_open:
            rows, total = rates_table(user)
        else:
            rows, total = rates_table(user, lambda units: snapshot_rates(window, units, user))
        ctx.update(
            page_title=str(window),
            rows=rows,
            total=total,
            bureau=is_bureau_party(user),
            returns=UnitReturn.objects.for_user(user).filter(window=window).select_related("unit"),
        )
        return ctx


class UnitReturnDetailView(ObjectDetailView):
    queryset = UnitReturn.objects.select_related("window", "unit")
    template_name = "party/return_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ret = self.object
        editable = (
            ret.window.is_open
            and ret.state == choices.ReturnState.DRAFT
            and UnitReturn.objects.writable_by(self.request.user).filter(pk=ret.pk).exists()
        )
        ctx.setdefault("form", forms.five_clears_form(ret))
        ctx.update(
            page_title=str(ret),
            editable=editable,
            rates=rates_by_unit([ret.unit])[ret.unit.pk]
            if ret.window.is_open
            else snapshot_rates(ret.window, [ret.unit])[ret.unit.pk],
        )
        return ctx

    def post(self, request, *args, **kwargs):
        ret = get_object_or_404(UnitReturn.objects.writable_by(request.user), pk=kwargs["pk"])
        if not (ret.window.is_open and ret.state == choices.ReturnState.DRAFT):
            raise PermissionDenied(_("A closed snapshot never changes."))
        form = forms.five_clears_form(ret, request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        with transaction.atomic():
            for entry in form.entries:
                entry.content = form.cleaned_data[f"item_{entry.pk}"]
                entry.save()
        messages.success(request, _("Saved the five clears of %(unit)s.") % {"unit": ret.unit})
        return redirect(ret)


def _window(request, key):
    value = request.GET.get(key, "")
    if not value.isdigit():
        return None
    return (
        UpdateWindow.objects.for_user(request.user)
        .filter(pk=int(value), state=choices.WindowState.CLOSED)
        .first()
    )


class CompareView(LoginRequiredMixin, TemplateView):
    template_name = "party/compare.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not reads_party(request.user):
            raise PermissionDenied(_("Your role has no access to these records."))
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        self.closed = list(
            UpdateWindow.objects.filter(state=choices.WindowState.CLOSED).order_by("-closed_at")
        )
        earlier, later = _window(request, "a"), _window(request, "b")
        if earlier is None and len(self.closed) >= 2:
            earlier, later = self.closed[1], self.closed[0]
        self.result = compare(earlier, later, request.user) if earlier and later else None
        if self.result and request.GET.get("format") == "xlsx":
            return exporting.comparison_response(self.result, request.user)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        result, user = self.result, self.request.user
        ctx.update(page_title=_("Snapshot comparison"), closed=self.closed, result=result)
        if result:
            before, _t = rates_table(user, lambda units: snapshot_rates(result.earlier, units, user))
            after, _t = rates_table(user, lambda units: snapshot_rates(result.later, units, user))
            ctx["unit_rows"] = [(unit, a, b) for (unit, a), (_u, b) in zip(before, after, strict=True)]
        return ctx


class SnapshotExportView(LoginRequiredMixin, TemplateView):
    def get(self, request, pk):
        window = get_object_or_404(
            UpdateWindow.objects.for_user(request.user), pk=pk, state=choices.WindowState.CLOSED
        )
        return exporting.snapshot_response(
            window, SnapshotRow.objects.for_user(request.user).filter(window=window), request.user
        )


# — lead-type organisations, showcases ——————————————————————————————————————————————————


class NominationListView(ObjectListView):
    queryset = Nomination.objects.select_related("organisation", "unit").prefetch_related("criteria")
    filterset_class = filtersets.NominationFilterSet
    template_name = "party/nomination_list.html"
    extra_context = {"page_title": gettext_lazy("Lead-type party organisations")}

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        year = (
            int(self.request.GET.get("year") or timezone.localdate().year)
            if (self.request.GET.get("year") or "").isdigit() or not self.request.GET.get("year")
            else timezone.localdate().year
        )
        ctx.update(
            numbers=yearly.numbers(self.request.user, year),
            year=year,
            can_edit=writes_party(self.request.user),
        )
        return ctx


class NominationDetailView(ObjectDetailView):
    queryset = Nomination.objects.select_related("organisation", "unit")
    template_name = "party/nomination_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        from peiyu.party.models import LeadCriterion

        met = set(self.object.criteria.values_list("pk", flat=True))
        ctx.update(
            page_title=str(self.object),
            checklist=[
                (c, c.pk in met) for c in LeadCriterion.objects.filter(Q(active=True) | Q(pk__in=met))
            ],
            can_edit=self.object.state == choices.NominationState.DRAFT and writes_party(self.request.user),
        )
        return ctx


class NominationEditView(PartyWriteMixin, ObjectEditView):
    queryset = Nomination.objects.all()
    form_class = forms.NominationForm

    def new_instance(self):
        return Nomination(year=timezone.localdate().year)

    def get_object(self):
        obj = super().get_object()
        if obj.state != choices.NominationState.DRAFT:
            raise PermissionDenied(_("A nomination is changed only while it is a draft."))
        return obj

    def get_cancel_url(self):
        return self.object.get_absolute_url() if self.object.pk else reverse("party:nomination-list")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["page_title"] = _("Nominate a lead-type organisation")
        return ctx


class ShowcaseListView(ObjectListView):
    queryset = Showcase.objects.select_related("organisation", "unit")
    filterset_class = filtersets.ShowcaseFilterSet
    template_name = "party/showcase_list.html"
    extra_context = {"page_title": gettext_lazy("Demonstration points and typical cases")}

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(
            numbers=yearly.numbers(self.request.user, timezone.localdate().year),
            can_edit=writes_party(self.request.user),
        )
        return ctx


class ShowcaseDetailView(ObjectDetailView):
    queryset = Showcase.objects.select_related("organisation", "unit")
    template_name = "party/showcase_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(page_title=str(self.object), can_edit=writes_party(self.request.user))
        return ctx


class ShowcaseEditView(PartyWriteMixin, ObjectEditView):
    queryset = Showcase.objects.all()
    form_class = forms.ShowcaseForm

    def new_instance(self):
        return Showcase(year=timezone.localdate().year)

    def get_cancel_url(self):
        return self.object.get_absolute_url() if self.object.pk else reverse("party:showcase-list")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["page_title"] = _("Demonstration point or typical case")
        return ctx


# — activities and commendations ———————————————————————————————————————————————————————


class ActivityCalendarView(ObjectListView):
    """A month of activities as a calendar (filters as on the list)."""

    queryset = Activity.objects.select_related("organisation", "unit")
    filterset_class = filtersets.ActivityFilterSet
    template_name = "party/activity_calendar.html"
    paginate_by = 10000
    extra_context = {"page_title": gettext_lazy("Party activities")}

    def month(self):
        value = self.request.GET.get("month", "")
        try:
            year, month = (int(part) for part in value.split("-"))
            return datetime.date(year, month, 1)
        except ValueError:
            return timezone.localdate().replace(day=1)

    def get_filterset(self):
        filterset = super().get_filterset()
        first = self.month()
        last = first.replace(day=calendar.monthrange(first.year, first.month)[1])
        filterset._month_qs = filterset.qs.filter(date__range=(first, last))
        return filterset

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        first = self.month()
        by_day = {}
        for activity in ctx["filterset"]._month_qs.order_by("date", "pk"):
            by_day.setdefault(activity.date, []).append(activity)
        weeks = [
            [(day, by_day.get(day, [])[:4], max(len(by_day.get(day, [])) - 4, 0)) for day in week]
            for week in calendar.Calendar().monthdatescalendar(first.year, first.month)
        ]
        prev_month = (first - datetime.timedelta(days=1)).replace(day=1)
        next_month = (first + datetime.timedelta(days=32)).replace(day=1)
        query = self.request.GET.copy()
        query.pop("month", None)
        ctx.update(
            weeks=weeks,
            first=first,
            prev_month=prev_month,
            next_month=next_month,
            base_query=query.urlencode(),
            count=sum(len(v) for v in by_day.values()),
            can_edit=writes_party(self.request.user),
        )
        return ctx


class ActivityListView(ObjectListView):
    queryset = Activity.objects.select_related("organisation", "unit")
    filterset_class = filtersets.ActivityFilterSet
    template_name = "party/activity_list.html"
    sort_fields = {"date": "date"}
    default_sort = "-date"
    extra_context = {"page_title": gettext_lazy("Party activities")}

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["can_edit"] = writes_party(self.request.user)
        return ctx


class ActivityEditView(PartyWriteMixin, ObjectEditView):
    queryset = Activity.objects.all()
    form_class = forms.ActivityForm

    def new_instance(self):
        org = (
            Organisation.objects.for_user(self.request.user)
            .filter(pk=self.request.GET.get("organisation") or 0)
            .first()
        )
        return Activity(organisation=org, date=timezone.localdate())

    def get_success_url(self, obj):
        return reverse("party:activity-calendar") + f"?month={obj.date:%Y-%m}"

    def get_cancel_url(self):
        return reverse("party:activity-calendar")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["page_title"] = _("Record an activity") if self.object.pk is None else str(self.object)
        return ctx


class CommendationListView(ObjectListView):
    queryset = Commendation.objects.select_related("organisation", "unit")
    filterset_class = filtersets.CommendationFilterSet
    template_name = "party/commendation_list.html"
    extra_context = {"page_title": gettext_lazy("Commended party workers and members")}

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(
            numbers=yearly.numbers(self.request.user, timezone.localdate().year),
            can_edit=writes_party(self.request.user),
        )
        return ctx


class CommendationEditView(PartyWriteMixin, ObjectEditView):
    queryset = Commendation.objects.all()
    form_class = forms.CommendationForm

    def new_instance(self):
        return Commendation(year=timezone.localdate().year)

    def get_success_url(self, obj):
        return reverse("party:commendation-list")

    def get_cancel_url(self):
        return reverse("party:commendation-list")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["page_title"] = _("Commendation")
        return ctx


class YearReportView(LoginRequiredMixin, TemplateView):
    def get(self, request, year):
        if not reads_party(request.user):
            raise PermissionDenied(_("Your role has no access to these records."))
        data = exporting.year_report(request.user, year)
        response = HttpResponse(
            data, content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        )
        response["Content-Disposition"] = exporting.disposition(
            _("Party building %(year)s summary") % {"year": year} + ".docx"
        )
        return response
