"""Departments (科室) and responsibilities (责任领导 / 牵头部门 / 配合部门 / 责任人).

Any model attaches a responsibility either by inheriting `core.models.HasResponsibility` or, for a
model it cannot change, with `assign_responsibility(obj, …)` and `responsibility_of(obj)`.
"""

from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from peiyu.core.models import Responsibility, ResponsibilityEntry


def responsibility_of(obj) -> Responsibility | None:
    ct = ContentType.objects.get_for_model(obj, for_concrete_model=True)
    return (
        Responsibility.objects.filter(content_type=ct, object_id=obj.pk)
        .prefetch_related("entries__user", "entries__department")
        .first()
    )


@transaction.atomic
def assign_responsibility(obj, leaders=(), departments=(), persons=()) -> Responsibility:
    """Replace who answers for `obj` with the given leaders, departments and persons, in order."""
    ct = ContentType.objects.get_for_model(obj, for_concrete_model=True)
    responsibility, _ = Responsibility.objects.get_or_create(content_type=ct, object_id=obj.pk)
    responsibility.entries.all().delete()
    Kind = ResponsibilityEntry.Kind
    entries = [
        *(ResponsibilityEntry(kind=Kind.LEADER, position=i, user=u) for i, u in enumerate(leaders)),
        *(ResponsibilityEntry(kind=Kind.DEPARTMENT, position=i, department=d) for i, d in enumerate(departments)),
        *(ResponsibilityEntry(kind=Kind.PERSON, position=i, user=u) for i, u in enumerate(persons)),
    ]
    for entry in entries:
        entry.responsibility = responsibility
    ResponsibilityEntry.objects.bulk_create(entries)
    return responsibility_of(obj)
