"""Filters of the support lists, shared by the pages, the exports and the API."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from peiyu.core.choice_fields import label_empty_choices
from peiyu.core.models import Unit
from peiyu.support import choices
from peiyu.support.models import (
    Commissioner,
    Redemption,
    ServiceLog,
    SubsidyPolicy,
    SubsidyResult,
    Voucher,
    VoucherPolicy,
)


class ScopedFilterSet(django_filters.FilterSet):
    unit = django_filters.ModelChoiceFilter(
        label=_("Unit"), queryset=Unit.objects.all(), method="filter_unit"
    )
    unit_lookup = "enterprise__unit__path__startswith"

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        label_empty_choices(self)
        if user is not None and not user.is_superuser and user.unit_id:
            self.filters["unit"].queryset = Unit.objects.filter(path__startswith=user.unit.path)
        for field in self.form.fields.values():
            is_select = hasattr(field.widget, "choices")
            field.widget.attrs.setdefault(
                "class", "form-select form-select-sm" if is_select else "form-control form-control-sm"
            )

    def filter_unit(self, queryset, name, value):
        return queryset.filter(**{self.unit_lookup: value.path}) if value else queryset


def _search(fields):
    def method(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        q = Q()
        for field in fields:
            q |= Q(**{f"{field}__icontains": value})
        return queryset.filter(q)

    return method


class VoucherFilterSet(ScopedFilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_q")
    policy = django_filters.ModelChoiceFilter(label=_("Policy"), queryset=VoucherPolicy.objects.all())
    state = django_filters.ChoiceFilter(label=_("State"), choices=choices.VoucherState.choices)
    category = django_filters.ChoiceFilter(
        label=_("Service category"), choices=choices.ServiceCategory.choices
    )

    class Meta:
        model = Voucher
        fields = ["q", "policy", "state", "category", "unit"]

    filter_q = _search(["number", "enterprise__name", "enterprise__uscc"])


class RedemptionFilterSet(ScopedFilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_q")
    policy = django_filters.ModelChoiceFilter(
        label=_("Policy"), queryset=VoucherPolicy.objects.all(), field_name="voucher__policy"
    )
    month = django_filters.CharFilter(label=_("Month"), method="filter_month")
    unit_lookup = "voucher__enterprise__unit__path__startswith"

    class Meta:
        model = Redemption
        fields = ["q", "policy", "unit"]

    filter_q = _search(["voucher__number", "voucher__enterprise__name", "voucher__contract__provider__name"])

    def filter_month(self, queryset, name, value):
        try:
            year, month = (int(p) for p in value.split("-"))
        except ValueError:
            return queryset
        return queryset.filter(redeemed_on__year=year, redeemed_on__month=month)


class SubsidyResultFilterSet(ScopedFilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_q")
    policy = django_filters.ModelChoiceFilter(label=_("Policy"), queryset=SubsidyPolicy.objects.all())
    state = django_filters.ChoiceFilter(label=_("State"), choices=choices.SubsidyState.choices)
    eligible = django_filters.BooleanFilter(
        label=_("Eligible"), widget=django_filters.widgets.BooleanWidget()
    )

    class Meta:
        model = SubsidyResult
        fields = ["q", "policy", "state", "eligible", "unit"]

    filter_q = _search(["enterprise__name", "enterprise__uscc"])


class CommissionerFilterSet(ScopedFilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_q")
    level = django_filters.ChoiceFilter(label=_("Level"), choices=choices.CommissionerLevel.choices)
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=choices.CommissionerKind.choices)
    unit_lookup = "unit__path__startswith"

    class Meta:
        model = Commissioner
        fields = ["q", "level", "kind", "unit"]

    filter_q = _search(["name", "sending_unit", "specialty"])


class ServiceLogFilterSet(ScopedFilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_q")
    kind = django_filters.ChoiceFilter(label=_("Service kind"), choices=choices.ServiceKind.choices)
    year = django_filters.NumberFilter(label=_("Year"), field_name="date__year")
    unit_lookup = "assignment__commissioner__unit__path__startswith"

    class Meta:
        model = ServiceLog
        fields = ["q", "kind", "year", "unit"]

    filter_q = _search(["assignment__commissioner__name", "assignment__target_name", "content"])
