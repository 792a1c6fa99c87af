"""Form and filter choices the way people read them: units as an indented tree in the bureau's
order, and "全部" rather than dashes for "no filter"."""

import django_filters
from django.forms.models import ModelChoiceIterator
from django.utils.translation import gettext_lazy as _

ALL = _("All")
INDENT = "\u3000"  # an ideographic space: one level of the unit tree


def tree_order(units) -> list:
    """Units depth first, siblings by sort order and code; each gets `tree_level`, its depth below
    the highest unit given (units whose parent is not among them start the tree)."""
    units = list(units)
    ids = {u.pk for u in units}
    children: dict[int | None, list] = {}
    for unit in units:
        children.setdefault(unit.parent_id if unit.parent_id in ids else None, []).append(unit)
    ordered = []

    def visit(parent_id, level):
        for unit in sorted(children.get(parent_id, []), key=lambda u: (u.sort_order, u.code)):
            unit.tree_level = level
            ordered.append(unit)
            visit(unit.pk, level + 1)

    visit(None, 0)
    return ordered


class UnitTreeIterator(ModelChoiceIterator):
    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for unit in tree_order(self.queryset):
            yield (self.choice(unit)[0], INDENT * unit.tree_level + unit.name)

    def __len__(self):
        return self.queryset.count() + (1 if self.field.empty_label is not None else 0)


def show_as_tree(field, empty_label=None) -> None:
    """Make a unit ModelChoiceField list its units as an indented tree."""
    field.iterator = UnitTreeIterator
    if empty_label is not None:
        field.empty_label = empty_label
    field.widget.choices = field.choices


def label_empty_choices(filterset, label=ALL) -> None:
    """Show `label` instead of "---------" as the empty choice of every select of a filter set.
    Call before the filter set's form is first used: the label is passed to the form fields."""
    for filter_ in filterset.filters.values():
        if isinstance(filter_, django_filters.ChoiceFilter | django_filters.ModelChoiceFilter):
            filter_.extra["empty_label"] = label


NONE = _("(none)")
CHOOSE = _("Choose…")


def label_form_empty_choices(form) -> None:
    """In an edit form the empty choice means "choose one" (required) or "none" (optional)."""
    for field in form.fields.values():
        label = CHOOSE if field.required else NONE
        if getattr(field, "empty_label", None) is not None:
            field.empty_label = label
            field.widget.choices = field.choices
        elif getattr(field, "choices", None) is not None and not hasattr(field, "queryset"):
            field.choices = [("", label) if value == "" else (value, text) for value, text in field.choices]
