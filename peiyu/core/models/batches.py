import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from peiyu.core.choices import Role


class ImportBatchQuerySet(models.QuerySet):
    """Batches a user may see: every enterprise a batch touched (before and after it) must be within
    the user's units, as `ScopedQuerySet.for_user` defines them for the enterprises themselves; a
    batch that touched nothing is seen by its author and by users above the unit it was made for."""

    def for_user(self, user):
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self
        if user.role not in {Role.BUREAU, Role.UNIT}:
            return self.none()
        if user.unit_id is None:
            return self
        from peiyu.core.models.units import Unit

        inside = Unit.objects.subtree_ids(user.unit)
        outside_pairs = ImportBatchScope.objects.exclude(models.Q(unit__in=inside) | models.Q(park__in=inside))
        touched_nothing = ~models.Q(pk__in=ImportBatchScope.objects.values("batch"))
        own_or_below = models.Q(user=user) | models.Q(unit__in=inside)
        return self.exclude(pk__in=outside_pairs.values("batch")).filter(~touched_nothing | own_or_below)


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
    unit = models.ForeignKey("core.Unit", models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("unit"),
                             help_text=_("The unit the import was made for: the importing user's unit or the unit chosen."))
    created = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    file_name = models.CharField(_("file name"), max_length=255)
    file_sha256 = models.CharField(_("file SHA-256"), max_length=64)
    strict = models.BooleanField(_("strict mode"), default=False)
    counts = models.JSONField(_("counts"), default=dict)
    report = models.JSONField(_("report"), default=dict, blank=True)
    rejected = models.JSONField(_("rejected rows"), default=list, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.COMMITTED)
    undone_at = models.DateTimeField(_("undone at"), null=True, blank=True)
    undone_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("undone by"))

    objects = ImportBatchQuerySet.as_manager()

    class Meta:
        verbose_name = _("import batch")
        verbose_name_plural = _("import batches")
        ordering = ["-created"]

    def __str__(self):
        return f"{self.file_name} ({self.created:%Y-%m-%d %H:%M})"


class ImportBatchScope(models.Model):
    """One (unit, park) pair of the enterprises an import batch touched, before or after it; what
    decides who may see and undo the batch."""

    batch = models.ForeignKey(ImportBatch, models.CASCADE, related_name="scope")
    unit = models.ForeignKey("core.Unit", models.CASCADE, null=True, related_name="+")
    park = models.ForeignKey("core.Unit", models.CASCADE, null=True, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["batch", "unit", "park"], name="import_batch_scope_unique")]

    def __str__(self):
        return f"{self.batch_id}: {self.unit_id}/{self.park_id}"
