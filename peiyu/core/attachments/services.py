"""Finding an attachment's owner within the user's scope, and storing uploads."""

import hashlib

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.http import Http404

from peiyu.core.attachments.validation import validate_upload
from peiyu.core.models import Attachment


def scoped_manager(model):
    """The model's scoped queryset, or None for models that cannot carry attachments."""
    if model is None:
        return None
    qs = model._default_manager.all()
    return qs if hasattr(qs, "for_user") else None


def owner_for(user, content_type_id: int, object_id: int, write: bool = False):
    """The owning object if `user` can see it (or change it, with `write`); else 404."""
    try:
        model = ContentType.objects.get_for_id(content_type_id).model_class()
    except ContentType.DoesNotExist:
        raise Http404 from None
    qs = scoped_manager(model)
    if qs is None:
        raise Http404
    qs = qs.writable_by(user) if write else qs.for_user(user)
    owner = qs.filter(pk=object_id).first()
    if owner is None:
        raise Http404
    return owner


def attachments_of(owner):
    ct = ContentType.objects.get_for_model(owner, for_concrete_model=True)
    return Attachment.objects.filter(content_type=ct, object_id=owner.pk).select_related("uploaded_by")


def attach(owner, upload, user) -> Attachment:
    """Validate and store `upload` on `owner`. Raises ValidationError with a user-facing message."""
    validate_upload(upload)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    with transaction.atomic():
        attachment = Attachment(
            owner=owner,
            name=upload.name[:200],
            size=upload.size,
            sha256=digest.hexdigest(),
            uploaded_by=user,
        )
        attachment.file.save(upload.name, upload, save=False)
        try:  # the file is stored before the row: if the row fails, the file goes too
            attachment.save()
        except Exception:
            attachment.file.delete(save=False)
            raise
    return attachment


def remove(attachment: Attachment) -> None:
    """Delete the row (history keeps its last state) and then the stored file."""
    stored = attachment.file.name
    storage = attachment.file.storage
    attachment.delete()
    transaction.on_commit(lambda: storage.delete(stored))


def may_delete(user, attachment: Attachment, owner) -> bool:
    """Staff who may change the owner may remove its files; enterprise users only their own uploads."""
    from peiyu.core.choices import Role

    if user.role == Role.ENTERPRISE and not user.is_superuser:
        return attachment.uploaded_by_id == user.pk
    return True
