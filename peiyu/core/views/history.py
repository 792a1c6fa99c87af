"""Reading change history back as a table of field changes in the user's language."""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext as _

from peiyu.core.codes import mask_phone
from peiyu.core.history import SYSTEM
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
    rows = []
    for change in changes:
        change.actor = actor_label(change)
        rows.append((change, describe(change, user)))
    return rows


def actor_label(change: ObjectChange) -> str:
    """Who made a change as people say it: the person's name, or 系统 with the command that ran."""
    if change.user is not None:
        return str(change.user)
    name = change.user_name
    if not name or name == SYSTEM:
        return _("System")
    if name.startswith("peiyu "):
        return _("System (%(command)s)") % {"command": name}
    return name  # a user since deleted: the login name is all that is left


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
    if isinstance(field, models.DecimalField):
        return money(value)
    return str(value)


def money(value) -> str:
    """An amount in 万元 with two decimals ("2,158.27 万元"); more only when the stored amount has
    them, so a change in the third or fourth place never looks like no change."""
    amount = Decimal(str(value))
    shown = amount.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    if shown != amount:
        shown = amount.normalize()
    return f"{shown:,} {_('10k yuan')}"
