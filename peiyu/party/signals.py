"""Keep the ledger's computed columns in step when organisations, instructors or enterprises change."""

from django.db.models.signals import m2m_changed, post_save
from django.dispatch import receiver

from peiyu.party.coverage import refresh


def _refresh(ids):
    ids = [pk for pk in ids if pk]
    if ids:
        refresh(ids)


@receiver(post_save, sender="party.Organisation")
@receiver(post_save, sender="party.Instructor")
def covering_saved(sender, instance, **kwargs):
    _refresh(list(instance.enterprises.values_list("pk", flat=True)))


def covered_changed(sender, instance, action, pk_set, **kwargs):
    if action in ("pre_clear",):
        instance._party_before = list(instance.enterprises.values_list("pk", flat=True))
    if action in ("post_add", "post_remove"):
        _refresh(list(pk_set or []))
    if action == "post_clear":
        _refresh(getattr(instance, "_party_before", []))


@receiver(post_save, sender="enterprises.Enterprise")
def enterprise_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        _refresh([instance.pk])


@receiver(post_save, sender="party.PartySettings")
def settings_saved(sender, **kwargs):
    refresh()


def connect():
    from peiyu.party.models import Instructor, Organisation

    m2m_changed.connect(
        covered_changed, sender=Organisation.enterprises.through, dispatch_uid="party-org-enterprises"
    )
    m2m_changed.connect(
        covered_changed, sender=Instructor.enterprises.through, dispatch_uid="party-instructor-enterprises"
    )
