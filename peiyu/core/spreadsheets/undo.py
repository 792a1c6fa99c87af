"""Undoing an import batch: every object the batch created is removed and every object it changed
is restored to its recorded state before the batch, in one transaction, with history.

Undo refuses (and changes nothing) when anything the batch touched has changed since — edited by
hand, changed by a later import, or given new data that refers to it — because restoring then
would silently throw that later work away. Undo the later batch first, or edit by hand.
"""

from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from peiyu.core.choices import ChangeAction
from peiyu.core.history import acting_as, snapshot
from peiyu.core.models import ImportBatch, ObjectChange

from .bulk import ChangeLog, TableWriter, delete_ids

CHUNK = 500


class UndoConflict(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass
class Touched:
    """One object as the batch left it: its first recorded state and its last."""

    model: type
    object_id: int
    action: str
    before: dict | None
    after: dict | None
    parent_id: int | None
    repr: str


def undo_batch(batch: ImportBatch, user, derived: dict | None = None) -> int:
    """Undo `batch` as `user`; returns the number of objects restored or removed. `derived` maps a
    model to a function giving its derived columns from restored values (e.g. pinyin initials)."""
    if batch.status == ImportBatch.Status.UNDONE:
        raise UndoConflict(_("This import has already been undone."))
    with transaction.atomic():
        touched = collect(str(batch.id))
        check_unchanged(touched)
        log = ChangeLog()
        with acting_as(user, batch=f"undo:{batch.id}"):
            for model, action, items in groups_in_reverse(touched):
                if action == ChangeAction.CREATE:
                    remove(model, items, log)
                else:
                    restore(model, items, log, (derived or {}).get(model))
            log.write()
        batch.status = ImportBatch.Status.UNDONE
        batch.undone_at = timezone.now()
        batch.undone_by = user if getattr(user, "is_authenticated", False) else None
        batch.save(update_fields=["status", "undone_at", "undone_by"])
    return len(touched)


def collect(tag: str) -> list[Touched]:
    touched: dict[tuple, Touched] = {}
    changes = ObjectChange.objects.filter(batch=tag).order_by("pk").values_list(
        "content_type_id", "object_id", "action", "before", "after", "parent_id", "object_repr"
    )
    for type_id, object_id, action, before, after, parent_id, text in changes.iterator(chunk_size=5000):
        key = (type_id, object_id)
        if key in touched:
            touched[key].after = after
        else:
            model = ContentType.objects.get_for_id(type_id).model_class()
            touched[key] = Touched(model, object_id, action, before, after, parent_id, text)
    return list(touched.values())


def check_unchanged(touched: list[Touched]) -> None:
    conflicts = []
    removing: dict[type, set] = {}
    for item in touched:
        if item.action == ChangeAction.CREATE:
            removing.setdefault(item.model, set()).add(item.object_id)
    by_model: dict[type, list[Touched]] = {}
    for item in touched:
        by_model.setdefault(item.model, []).append(item)
    for model, items in by_model.items():
        for start in range(0, len(items), CHUNK):
            chunk = items[start : start + CHUNK]
            current = model._base_manager.in_bulk([item.object_id for item in chunk])
            for item in chunk:
                obj = current.get(item.object_id)
                if obj is None or (item.after is not None and snapshot(obj) != item.after):
                    conflicts.append(item.repr)
        created = sorted(removing.get(model, ()))
        conflicts += [str(obj) for obj in dependents(model, created, removing)]
    if conflicts:
        names = "、".join(conflicts[:5])
        raise UndoConflict(ngettext(
            "%(count)d record touched by this import has changed since (%(names)s); undo later imports or edit it by hand.",
            "%(count)d records touched by this import have changed since (%(names)s); undo later imports or edit them by hand.",
            len(conflicts),
        ) % {"count": len(conflicts), "names": names})


def dependents(model, ids: list[int], removing: dict[type, set]):
    """Objects created by the batch that other data now refers to (which undo would orphan)."""
    if not ids:
        return []
    found = set()
    relations = [(rel.related_model, rel.field.attname) for rel in model._meta.related_objects if rel.one_to_many or rel.one_to_one]
    relations += [(field.remote_field.through, field.m2m_column_name()) for field in model._meta.many_to_many]
    for related, attname in relations:
        mine = removing.get(related, set())
        for start in range(0, len(ids), CHUNK):
            rows = related._base_manager.filter(**{f"{attname}__in": ids[start : start + CHUNK]}).values_list("pk", attname)
            found.update(owner for pk, owner in rows if pk not in mine)
    return model._base_manager.filter(pk__in=sorted(found)[:5]) if found else []


def groups_in_reverse(touched: list[Touched]):
    """(model, action, items) in the reverse of the order the batch wrote them: children first."""
    groups: dict[tuple, list[Touched]] = {}
    for item in touched:
        groups.setdefault((item.model, item.action), []).append(item)
    return [(model, action, items) for (model, action), items in reversed(groups.items())]


def remove(model, items: list[Touched], log: ChangeLog) -> None:
    delete_ids(model, [item.object_id for item in items])
    template = log.template(model, ChangeAction.DELETE)
    for item in items:
        log.add(template, item.object_id, item.repr, item.parent_id, item.after, None)


def restore(model, items: list[Touched], log: ChangeLog, derived=None) -> None:
    names = list(items[0].before)
    fields = [model._meta.get_field(name) for name in names]
    extra = list(derived(items[0].before)) if derived else []
    writer = TableWriter(model, [*names, *extra, "updated"])
    now = timezone.now()
    template = log.template(model, ChangeAction.UPDATE)
    rows = []
    for item in items:
        values = [field.to_python(item.before.get(name)) for field, name in zip(fields, names, strict=True)]
        extras = list(derived(item.before).values()) if derived else []
        rows.append((*values, *extras, now, item.object_id))
        log.add(template, item.object_id, item.repr, item.parent_id, item.after, item.before)
    writer.update(rows)
