import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.files.storage import storages
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def attachment_storage():
    """The "attachments" storage of settings.STORAGES: a private directory under PEIYU_VAR_DIR, or
    an S3-compatible bucket when configured. Never served as public media."""
    return storages["attachments"]


def attachment_path(instance, filename: str) -> str:
    """Stored under a random name (the Chinese original is kept in `name`), so no user-supplied
    text reaches the file system or the bucket."""
    suffix = PurePosixPath(filename).suffix.lower()
    return f"{timezone.now():%Y/%m}/{uuid.uuid4().hex}{suffix}"


class Attachment(models.Model):
    """A file attached to any object (an enterprise, later a project or a ledger item), downloadable
    only by users who can see that object."""

    content_type = models.ForeignKey(ContentType, models.PROTECT, related_name="+")
    object_id = models.BigIntegerField()
    owner = GenericForeignKey("content_type", "object_id")
    file = models.FileField(_("file"), upload_to=attachment_path, storage=attachment_storage, max_length=200)
    name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+", verbose_name=_("uploaded by"))
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    change_logged = True

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["-uploaded_at", "-pk"]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self):
        return self.name
