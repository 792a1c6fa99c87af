"""Reading change history back as a table of field changes in the user's language."""

from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q

from peiyu.core.models import ObjectChange


@dataclass
class FieldChange:
    label: str
    before: str
    after: str


def history_for(obj, limit: int = 200):
    """Changes of `obj` and of the objects whose history belongs to it (an enterprise's years)."""
    ct = ContentType.objects.get_for_model(obj)
    changes = ObjectChange.objects.filter(
        Q(content_type=ct, object_id=obj.pk) | Q(parent_type=ct, parent_id=obj.pk)
    ).select_related("user", "content_type")[:limit]
    return [(change, describe(change)) for change in changes]


def describe(change: ObjectChange) -> list[FieldChange]:
    model = change.content_type.model_class()
    fields = {f.attname: f for f in model._meta.concrete_fields} if model else {}
    rows = []
    for name in change.changed_fields:
        field = fields.get(name)
        label = str(field.verbose_name) if field else name
        rows.append(FieldChange(label, _display(field, (change.before or {}).get(name)), _display(field, (change.after or {}).get(name))))
    return rows


def _display(field, value) -> str:
    if value is None or value == "":
        return "—"
    if field is not None and field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if field is not None and field.is_relation:
        target = field.related_model._base_manager.filter(pk=value).first()
        return str(target) if target else f"#{value}"
    return str(value)
