"""Filters of the carrier list, shared by the page, the export and the API."""

import django_filters
from django.utils.translation import gettext_lazy as _

from peiyu.carriers.choices import CarrierKind, CarrierLevel, CarrierStatus
from peiyu.carriers.models import Carrier
from peiyu.core.choice_fields import label_empty_choices, show_as_tree
from peiyu.core.models import Unit


class CarrierFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_q")
    kind = django_filters.ChoiceFilter(label=_("Type"), choices=CarrierKind.choices)
    level = django_filters.ChoiceFilter(label=_("Level"), choices=CarrierLevel.choices)
    unit = django_filters.ModelChoiceFilter(
        label=_("Unit"), queryset=Unit.objects.all(), method="filter_unit"
    )
    year = django_filters.NumberFilter(
        label=_("Year recognised"),
        field_name="recognised_on",
        lookup_expr="year",
        min_value=1949,
        max_value=2100,
    )
    status = django_filters.ChoiceFilter(label=_("Status"), choices=CarrierStatus.choices)

    class Meta:
        model = Carrier
        fields = ["q", "kind", "level", "unit", "year", "status"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        label_empty_choices(self)
        if user is not None and not user.is_superuser and user.unit_id:
            self.filters["unit"].queryset = Unit.objects.filter(path__startswith=user.unit.path)
        show_as_tree(self.form.fields["unit"])
        for name, field in self.form.fields.items():
            field.widget.attrs["class"] = (
                "form-control form-control-sm" if name in {"q", "year"} else "form-select form-select-sm"
            )

    def filter_q(self, queryset, name, value):
        return queryset.search(value)

    def filter_unit(self, queryset, name, unit):
        return queryset.filter(unit_id__in=Unit.objects.subtree_ids(unit))
