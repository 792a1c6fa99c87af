"""Filters of ledger items, shared by the ledger table, the item list, "my items", the board and the API."""

import datetime as dt

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from peiyu.core.models import Department, User
from peiyu.ledger.choices import ItemState
from peiyu.ledger.models import Item, Ledger, today

SITUATIONS = (
    ("open", _("Open")),
    ("overdue", _("Overdue")),
    ("due_week", _("Due this week")),
    ("requested", _("Completion requested")),
    ("done", _("Closed (accepted)")),
    ("long_term", _("Long-term")),
)


def week_end(day: dt.date) -> dt.date:
    return day + dt.timedelta(days=6 - day.weekday())


def filter_situation(qs, value, on=None):
    on = on or today()
    if value == "open":
        return qs.exclude(state=ItemState.DONE)
    if value == "overdue":
        return qs.overdue(on)
    if value == "due_week":
        return qs.due_between(on, week_end(on))
    if value == "requested":
        return qs.filter(state=ItemState.REQUESTED)
    if value == "done":
        return qs.filter(state=ItemState.DONE)
    if value == "long_term":
        return qs.filter(long_term=True)
    return qs


def departments_for(user):
    departments = Department.objects.select_related("unit")
    if not user.is_superuser and user.unit_id:
        departments = departments.filter(
            Q(unit__path__startswith=user.unit.path) | Q(unit__in=user.unit.ancestors())
        )
    return departments


def people_for(user):
    people = User.objects.filter(is_active=True, role__in=["bureau", "unit", "leader"])
    if not user.is_superuser and user.unit_id:
        people = people.filter(Q(unit__path__startswith=user.unit.path) | Q(unit__in=user.unit.ancestors()))
    return people.order_by("full_name", "username")


class ItemFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_q")
    ledger = django_filters.ModelChoiceFilter(label=_("Ledger"), queryset=Ledger.objects.all())
    department = django_filters.ModelChoiceFilter(
        label=_("Department"), queryset=Department.objects.all(), method="filter_department"
    )
    person = django_filters.ModelChoiceFilter(
        label=_("Person"), queryset=User.objects.all(), method="filter_person"
    )
    situation = django_filters.ChoiceFilter(
        label=_("Status"), choices=SITUATIONS, method="filter_situation", empty_label=_("All")
    )

    class Meta:
        model = Item
        fields = ["q", "ledger", "department", "person", "situation"]

    def __init__(self, data=None, queryset=None, *, user=None, **kwargs):
        super().__init__(data, queryset=queryset, **kwargs)
        self.user = user
        if user is not None:
            self.filters["ledger"].queryset = Ledger.objects.for_user(user)
            self.filters["department"].queryset = departments_for(user)
            self.filters["person"].queryset = people_for(user)
        for name in ("ledger", "department", "person"):
            self.form.fields[name].empty_label = _("All")
        for field in self.form.fields.values():
            field.widget.attrs.setdefault(
                "class",
                "form-select form-select-sm" if hasattr(field, "choices") else "form-control form-control-sm",
            )

    def filter_q(self, qs, name, value):
        value = value.strip()
        if not value:
            return qs
        return qs.filter(
            Q(problem__icontains=value)
            | Q(manifestations__icontains=value)
            | Q(measures__text__icontains=value)
            | Q(persons_text__icontains=value)
            | Q(leaders_text__icontains=value)
        ).distinct()

    def filter_department(self, qs, name, value):
        """Items the department leads or assists in (by name, so an item imported before the
        department was linked is found too)."""
        return qs.filter(departments_text__contains=value.name) if value else qs

    def filter_person(self, qs, name, value):
        return qs.filter(pk__in=Item.objects.named_ids(value)) if value else qs

    def filter_situation(self, qs, name, value):
        return filter_situation(qs, value)
