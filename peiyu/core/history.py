"""Change history: who changed what, when, from what to what.

Saves and deletes of every ChangeLoggedModel are recorded by the signals below; the acting user
comes from `acting_as` (set per request by ActorMiddleware, and by commands and imports).
Bulk writers (imports) call `record` directly with their own snapshots.
"""

import contextlib
import contextvars
import os
import sys
import uuid
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.dispatch import receiver

from peiyu.core.choices import ChangeAction
from peiyu.core.models import ChangeLoggedModel, ObjectChange


@dataclass(frozen=True)
class Actor:
    """Who is acting: a user, or a request whose user is read when a change is recorded (API token
    authentication sets `request.user` after the middleware has run)."""

    given_user: object = None
    request: object = None
    request_id: uuid.UUID = field(default_factory=uuid.uuid4)
    batch: str = ""

    @property
    def user(self):
        return self.given_user if self.request is None else getattr(self.request, "user", None)


_actor: contextvars.ContextVar[Actor | None] = contextvars.ContextVar("peiyu_actor", default=None)


@contextlib.contextmanager
def acting_as(user=None, batch: str = "", request=None):
    """Attribute every change made inside the block to `user` — or to whoever `request` is
    authenticated as when the change happens — and to an import batch."""
    token = _actor.set(Actor(given_user=user, request=request, batch=batch))
    try:
        yield
    finally:
        _actor.reset(token)


def current_actor() -> Actor:
    return _actor.get() or Actor()


_muted: contextvars.ContextVar[bool] = contextvars.ContextVar("peiyu_history_muted", default=False)


@contextlib.contextmanager
def muted():
    """Record nothing inside the block: for restoring a backup, whose rows carry their own history
    (loading many-to-many links would otherwise look like fresh changes)."""
    token = _muted.set(True)
    try:
        yield
    finally:
        _muted.reset(token)


_encoder = DjangoJSONEncoder()


def snapshot(instance: models.Model) -> dict:
    """The object's recorded fields as JSON-safe values (Decimals as exact strings, FKs as ids)."""
    data = {}
    for f in instance._meta.concrete_fields:
        if f.name in getattr(instance, "history_exclude", ()) or f.generated or f.primary_key:
            continue
        value = f.value_from_object(instance)
        if isinstance(f, models.FileField):  # the stored name, not the file object
            value = value.name or None
        if value is not None and not f.is_relation:
            value = f.to_python(value)  # values set from forms or the API may still be text
            if isinstance(f, models.DecimalField):  # 1200.5 and 1200.5000 are one amount
                value = value.quantize(Decimal(1).scaleb(-f.decimal_places))
        data[f.attname if f.is_relation else f.name] = (
            value if value is None or isinstance(value, bool | int | str) else _encoder.default(value)
        )
    return data


SYSTEM = "system"


def program_name() -> str:
    """Who made a change no signed-in user made: the `peiyu` command that ran ("peiyu import"), or
    "system" elsewhere. Stored as the change's user name so the History tab can say which tool did it."""
    program = os.path.basename(sys.argv[0]) if sys.argv else ""
    if program in {"peiyu", "manage.py", "__main__.py"} and len(sys.argv) > 1 and not sys.argv[1].startswith("-"):
        return f"peiyu {sys.argv[1]}"
    return SYSTEM


def record(instance, action: str, before: dict | None, after: dict | None) -> ObjectChange:
    return ObjectChange.objects.create(**change_fields(instance, action, before, after))


def change_fields(instance, action: str, before: dict | None, after: dict | None) -> dict:
    """Field values of an ObjectChange for `instance`, for `record` and for bulk writers."""
    actor = current_actor()
    user = actor.user if getattr(actor.user, "is_authenticated", False) else None
    parent_name = getattr(instance, "history_parent", None)
    parent = getattr(instance, parent_name) if parent_name else None
    return dict(
        user=user,
        user_name=user.get_username() if user else program_name(),
        request_id=actor.request_id,
        batch=actor.batch,
        action=action,
        content_type=ContentType.objects.get_for_model(instance, for_concrete_model=True),
        object_id=instance.pk,
        object_repr=str(instance)[:200],
        parent_type=ContentType.objects.get_for_model(parent) if parent is not None else None,
        parent_id=parent.pk if parent is not None else None,
        before=before,
        after=after,
    )


def is_logged(instance) -> bool:
    """Domain models log through ChangeLoggedModel; User and Unit opt in with `change_logged`."""
    if _muted.get():
        return False
    return isinstance(instance, ChangeLoggedModel) or getattr(type(instance), "change_logged", False)


@receiver(pre_save)
def _remember_before(sender, instance, raw=False, **kwargs):
    if raw or not is_logged(instance) or instance._state.adding:
        return
    old = sender._base_manager.filter(pk=instance.pk).first()
    instance._history_before = snapshot(old) if old else None


@receiver(post_save)
def _record_save(sender, instance, created, raw=False, **kwargs):
    if raw or not is_logged(instance):
        return
    before = None if created else getattr(instance, "_history_before", None)
    after = snapshot(instance)
    if before == after:
        return
    action = ChangeAction.CREATE if created else ChangeAction.UPDATE
    if before and "deleted_at" in after and bool(before.get("deleted_at")) != bool(after["deleted_at"]):
        action = ChangeAction.DELETE if after["deleted_at"] else ChangeAction.RESTORE
    record(instance, action, before, after)
    instance._history_before = after


@receiver(post_delete)
def _record_delete(sender, instance, **kwargs):
    if is_logged(instance):
        record(instance, ChangeAction.DELETE, snapshot(instance), None)


@receiver(m2m_changed)
def _record_m2m(sender, instance, action, reverse, **kwargs):
    """Links such as an enterprise's accounts: recorded as a change of the list of ids. Changes made
    from the other side (user.enterprises.add) are recorded on each enterprise touched."""
    if reverse:
        for related in kwargs["model"]._base_manager.filter(pk__in=kwargs["pk_set"] or []):
            if action in {"pre_add", "pre_remove", "post_add", "post_remove"}:
                _record_m2m(sender, related, action, False, **{**kwargs, "model": type(instance), "pk_set": {instance.pk}})
        return
    if not is_logged(instance):
        return
    field = next(f for f in instance._meta.many_to_many if f.remote_field.through is sender)
    current = sorted(getattr(instance, field.name).values_list("pk", flat=True))
    if action.startswith("pre_"):
        instance._m2m_before = current
    elif action.startswith("post_") and getattr(instance, "_m2m_before", None) != current:
        record(instance, ChangeAction.UPDATE, {field.name: instance._m2m_before}, {field.name: current})
