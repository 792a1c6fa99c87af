"""Filters of the enterprise list, shared by the page, the exports and the API."""

import datetime
from functools import cached_property

import django_filters
from django import forms
from django.core.cache import cache
from django.db.models import F, FilteredRelation, IntegerField, Max, Q, Value
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from peiyu.core.choice_fields import label_empty_choices, show_as_tree
from peiyu.core.models import ObjectChange, Unit
from peiyu.enterprises import choices
from peiyu.enterprises.models import Enterprise, EnterpriseYear

YEAR_COLUMNS = ("revenue", "hitech_revenue", "rd_expense", "employees", "tech_staff", "total_assets", "taxes", "revenue_band", "stage")


def years_with_data() -> list[int]:
    """The years that have figures, newest first. Finding the distinct years walks the whole year
    index, so the list is cached until a year is added or any change is recorded (every edit,
    import and delete writes history); each of the two versions is one index lookup."""
    versions = [model._base_manager.aggregate(m=Max("pk"))["m"] for model in (EnterpriseYear, ObjectChange)]
    key = "enterprise-years:{}:{}".format(*versions)
    return cache.get_or_set(key, lambda: list(EnterpriseYear.objects.order_by("-year").values_list("year", flat=True).distinct()), 3600)


def qualification_day(year: int | None) -> datetime.date:
    """The day a year's qualification badges and counts are read on: the year's end, or today for
    the running year (a certificate that lapses next month still counts now)."""
    today = timezone.localdate()
    return min(datetime.date(year, 12, 31), today) if year else today


def with_year(queryset, year: int | None):
    """Annotate each enterprise with its figures of `year` (one LEFT JOIN, no per-row queries)."""
    if year is None:  # no figures at all yet: the columns exist (sorting by them works) and are empty
        return queryset.annotate(**{f"y_{name}": Value(None, output_field=IntegerField()) for name in YEAR_COLUMNS})
    queryset = queryset.annotate(fy=FilteredRelation("years", condition=Q(years__year=year)))
    return queryset.annotate(**{f"y_{name}": F(f"fy__{name}") for name in YEAR_COLUMNS})


class EnterpriseFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_q")
    unit = django_filters.ModelChoiceFilter(label=_("Unit"), queryset=Unit.objects.all(), method="filter_unit")
    year = django_filters.NumberFilter(label=_("Year"), method="filter_noop")
    band = django_filters.ChoiceFilter(label=_("Revenue band"), choices=choices.RevenueBand.choices, method="filter_band")
    stage = django_filters.ChoiceFilter(label=_("Life-cycle stage"), choices=choices.Stage.choices, method="filter_stage")
    qualification = django_filters.ChoiceFilter(label=_("Qualification"), choices=choices.QualificationKind.choices, method="filter_qualification")
    industry_section = django_filters.ChoiceFilter(label=_("Industry section"), choices=choices.IndustrySection.choices)
    hitech_field = django_filters.ChoiceFilter(label=_("Hi-tech field"), choices=choices.HitechField.choices)
    emerging_industry = django_filters.ChoiceFilter(label=_("Strategic emerging industry"), choices=choices.EmergingIndustry.choices)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=choices.EnterpriseStatus.choices)
    mine = django_filters.BooleanFilter(label=_("Enterprises I look after"), method="filter_mine", widget=forms.HiddenInput)

    class Meta:
        model = Enterprise
        fields = ["q", "unit", "year", "band", "stage", "qualification", "industry_section", "hitech_field", "emerging_industry", "status", "mine"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        label_empty_choices(self)
        if user is not None:
            units = Unit.objects.all()
            if not user.is_superuser and user.unit_id:
                units = units.filter(path__startswith=user.unit.path)
            self.filters["unit"].queryset = units
        show_as_tree(self.form.fields["unit"])
        for name, field in self.form.fields.items():
            field.widget.attrs["class"] = "form-control form-control-sm" if name in {"q", "year"} else "form-select form-select-sm"

    @cached_property
    def selected_year(self) -> int | None:
        value = self.form.cleaned_data.get("year") if self.form.is_valid() else None
        if value:
            return int(value)
        return self.years[0] if self.years else None

    @cached_property
    def years(self) -> list[int]:
        return years_with_data()

    @property
    def qs(self):
        if not hasattr(self, "_qs"):
            self.queryset = with_year(self.queryset, self.selected_year)
        return super().qs

    @property
    def only_mine(self) -> bool:
        return bool(self.form.is_valid() and self.form.cleaned_data.get("mine"))

    def filter_mine(self, queryset, name, value):
        """我的包联企业: the enterprises whose cadre in charge is the user."""
        return queryset.filter(cadre=self.user) if value and self.user is not None else queryset

    def filter_noop(self, queryset, name, value):
        return queryset

    def filter_q(self, queryset, name, value):
        return queryset.search(value)

    def filter_unit(self, queryset, name, unit):
        ids = Unit.objects.subtree_ids(unit)
        return queryset.filter(Q(unit_id__in=ids) | Q(park_id__in=ids))

    def filter_band(self, queryset, name, value):
        return queryset.filter(fy__revenue_band=int(value)) if self.selected_year else queryset.none()

    def filter_stage(self, queryset, name, value):
        return queryset.filter(fy__stage=int(value)) if self.selected_year else queryset.none()

    @property
    def qualification_day(self) -> datetime.date:
        return qualification_day(self.selected_year)

    def filter_qualification(self, queryset, name, value):
        return queryset.with_qualification(value, self.qualification_day)
