"""Filters of the party lists (page, export and API alike)."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from peiyu.core.models import Unit
from peiyu.party import choices
from peiyu.party.models import Activity, CoverageEntry, Nomination, Organisation

YES_NO = (("1", _("Yes")), ("0", _("No")))


def small_widgets(form):
    """Bootstrap's small controls on every filter field."""
    for field in form.fields.values():
        css = "form-select form-select-sm" if hasattr(field, "choices") else "form-control form-control-sm"
        field.widget.attrs.setdefault("class", css)
    return form


class ScopedFilterSet(django_filters.FilterSet):
    unit = django_filters.ModelChoiceFilter(
        label=_("Unit"), queryset=Unit.objects.all(), method="filter_unit", empty_label=_("All units")
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if "unit" in self.filters and user is not None and not user.is_superuser and user.unit_id:
            self.filters["unit"].queryset = Unit.objects.filter(path__startswith=user.unit.path)

    @property
    def form(self):
        if not hasattr(self, "_form"):
            self._form = small_widgets(super().form)
        return self._form

    def filter_unit(self, qs, name, unit):
        return qs.filter(unit__path__startswith=unit.path) if unit else qs


class CoverageEntryFilterSet(ScopedFilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_q")
    coverage = django_filters.ChoiceFilter(label=_("Coverage"), choices=choices.Coverage.choices)
    should_build = django_filters.ChoiceFilter(
        label=_("Should have an organisation"), choices=YES_NO, method="filter_should", empty_label=_("All")
    )

    class Meta:
        model = CoverageEntry
        fields = ["q", "unit", "coverage", "should_build"]

    def filter_q(self, qs, name, value):
        value = value.strip()
        return (
            qs.filter(Q(enterprise__name__contains=value) | Q(enterprise__uscc=value.upper()))
            if value
            else qs
        )

    def filter_should(self, qs, name, value):
        return qs.filter(should_build=value == "1") if value in ("1", "0") else qs


class OrganisationFilterSet(ScopedFilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_q")
    kind = django_filters.ChoiceFilter(label=_("Type"), choices=choices.OrganisationKind.choices)
    setup = django_filters.ChoiceFilter(label=_("How it is set up"), choices=choices.Setup.choices)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=choices.OrganisationStatus.choices)

    class Meta:
        model = Organisation
        fields = ["q", "unit", "kind", "setup", "status"]

    def filter_q(self, qs, name, value):
        value = value.strip()
        return (
            qs.filter(
                Q(name__contains=value) | Q(secretary__contains=value) | Q(enterprises__name__contains=value)
            ).distinct()
            if value
            else qs
        )


class NominationFilterSet(ScopedFilterSet):
    year = django_filters.NumberFilter(label=_("Year"))
    state = django_filters.ChoiceFilter(label=_("State"), choices=choices.NominationState.choices)

    class Meta:
        model = Nomination
        fields = ["year", "unit", "state"]


class ActivityFilterSet(ScopedFilterSet):
    kind = django_filters.ChoiceFilter(label=_("Type"), choices=choices.ActivityKind.choices)
    organisation = django_filters.ModelChoiceFilter(
        label=_("Party organisation"), queryset=Organisation.objects.all()
    )
    year = django_filters.NumberFilter(label=_("Year"), field_name="date__year")
    date = django_filters.DateFilter(
        label=_("Date"), widget=django_filters.widgets.forms.DateInput(attrs={"type": "date"})
    )

    class Meta:
        model = Activity
        fields = ["unit", "kind", "organisation", "year", "date"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.filters["organisation"].queryset = Organisation.objects.for_user(user)


class InstructorFilterSet(ScopedFilterSet):
    q = django_filters.CharFilter(label=_("Search"), field_name="name", lookup_expr="contains")
    active = django_filters.BooleanFilter(label=_("Serving"))

    class Meta:
        from peiyu.party.models import Instructor

        model = Instructor
        fields = ["q", "unit", "active"]


class WindowFilterSet(ScopedFilterSet):
    year = django_filters.NumberFilter(label=_("Year"))

    unit = None

    class Meta:
        from peiyu.party.models import UpdateWindow

        model = UpdateWindow
        fields = ["year"]


class ShowcaseFilterSet(ScopedFilterSet):
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=choices.ShowcaseKind.choices)
    year = django_filters.NumberFilter(label=_("Year"))

    class Meta:
        from peiyu.party.models import Showcase

        model = Showcase
        fields = ["kind", "year", "unit"]


class CommendationFilterSet(ScopedFilterSet):
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=choices.CommendationKind.choices)
    year = django_filters.NumberFilter(label=_("Year"))

    class Meta:
        from peiyu.party.models import Commendation

        model = Commendation
        fields = ["kind", "year", "unit"]
