"""Reading change history back as a table of field changes in the user's language."""

from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q

from peiyu.core.codes import mask_phone
from peiyu.core.models import ObjectChange


@dataclass
class FieldChange:
    label: str
    before: str
    after: str


# Fields shown masked to users who do not see phone numbers.
MASKED_FIELDS = frozenset({"contact_phone", "phone"})


def history_for(obj, user, limit: int = 200):
    """Changes of `obj` and of the objects whose history belongs to it (an enterprise's years),
    as `user` may see them."""
    ct = ContentType.objects.get_for_model(obj)
    changes = ObjectChange.objects.filter(
        Q(content_type=ct, object_id=obj.pk) | Q(parent_type=ct, parent_id=obj.pk)
    ).select_related("user", "content_type")[:limit]
    return [(change, describe(change, user)) for change in changes]


def describe(change: ObjectChange, user=None) -> list[FieldChange]:
    model = change.content_type.model_class()
    fields = {f.attname: f for f in model._meta.concrete_fields} | {f.name: f for f in model._meta.many_to_many} if model else {}
    rows = []
    for name in change.changed_fields:
        field = fields.get(name)
        label = str(field.verbose_name) if field else name
        before, after = (_display(field, (state or {}).get(name)) for state in (change.before, change.after))
        if name in MASKED_FIELDS and not getattr(user, "sees_phones", False):
            before, after = (value if value == "—" else mask_phone(value) for value in (before, after))
        rows.append(FieldChange(label, before, after))
    return rows


def _display(field, value) -> str:
    if value is None or value == "":
        return "—"
    if field is not None and field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if field is not None and field.many_to_many:
        return "、".join(str(o) for o in field.related_model._base_manager.filter(pk__in=value)) or "—"
    if field is not None and field.is_relation:
        target = field.related_model._base_manager.filter(pk=value).first()
        return str(target) if target else f"#{value}"
    return str(value)
