import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportBatch(models.Model):
    """One import of one file: who, when, which file, what it did. Its id tags every ObjectChange the
    import wrote, which is what lets bureau staff review it and undo it as a whole."""

    class Status(models.TextChoices):
        COMMITTED = "committed", _("Committed")
        UNDONE = "undone", _("Undone")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(_("kind of data"), max_length=32)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("user"))
    user_name = models.CharField(_("user name"), max_length=150, blank=True)
    created = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    file_name = models.CharField(_("file name"), max_length=255)
    file_sha256 = models.CharField(_("file SHA-256"), max_length=64)
    strict = models.BooleanField(_("strict mode"), default=False)
    counts = models.JSONField(_("counts"), default=dict)
    report = models.JSONField(_("report"), default=dict, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.COMMITTED)
    undone_at = models.DateTimeField(_("undone at"), null=True, blank=True)
    undone_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("undone by"))

    class Meta:
        verbose_name = _("import batch")
        verbose_name_plural = _("import batches")
        ordering = ["-created"]

    def __str__(self):
        return f"{self.file_name} ({self.created:%Y-%m-%d %H:%M})"
