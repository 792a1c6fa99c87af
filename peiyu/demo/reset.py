"""Wiping the domain data for `peiyu demo --reset`: units, users, enterprises with their years and
qualifications, change history, import batches, sessions, attachments (with their files),
responsibilities and workflow trails, plus whatever other apps keep on them (their own on_delete
rules decide how)."""

import contextlib

from django.contrib.sessions.models import Session
from django.db import transaction
from django.db.models import ProtectedError, RestrictedError
from django.db.models.signals import post_delete

from peiyu.core import history
from peiyu.core.models import (
    Attachment,
    ImportBatch,
    ObjectChange,
    Responsibility,
    StateTransition,
    Unit,
    User,
)
from peiyu.enterprises.models import Enterprise


@contextlib.contextmanager
def history_muted():
    """Deleting everything, history included, needs no history of the deletion; without the
    signal Django can also delete in bulk instead of row by row."""
    post_delete.disconnect(history._record_delete)
    try:
        yield
    finally:
        post_delete.connect(history._record_delete)


@transaction.atomic
def wipe() -> None:
    with history_muted():
        # Generic relations have no cascade: what hangs on the wiped objects goes first, or it
        # would reappear on new objects that get the same ids. Stored files go once this commits.
        stored = [a.file for a in Attachment.objects.all()]
        transaction.on_commit(lambda: [file.storage.delete(file.name) for file in stored])
        for queryset in (
            Attachment.objects.all(),
            Responsibility.objects.all(),
            StateTransition.objects.all(),
            ObjectChange.objects.all(),
            ImportBatch.objects.all(),
            Enterprise.all_objects.all(),
            Session.objects.all(),
        ):
            delete_with_dependants(queryset)
        delete_with_dependants(User.objects.all())
        for depth in sorted(set(Unit.objects.values_list("depth", flat=True)), reverse=True):
            delete_with_dependants(Unit.objects.filter(depth=depth))


def delete_with_dependants(queryset, rounds: int = 5) -> None:
    """Delete, first clearing what other apps protect from deletion (a target set for a unit,
    say): all of it is domain data being wiped too."""
    for _ in range(rounds):
        try:
            queryset.delete()
            return
        except (ProtectedError, RestrictedError) as error:
            blockers = (
                error.protected_objects if isinstance(error, ProtectedError) else error.restricted_objects
            )
            for model in {obj._meta.model for obj in blockers}:
                delete_with_dependants(
                    model._base_manager.filter(pk__in=[o.pk for o in blockers if isinstance(o, model)]),
                    rounds - 1,
                )
    queryset.delete()
