from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from peiyu.core.choices import ChangeAction


class ObjectChange(models.Model):
    """One recorded change to one object: who, when, what it was before and after.

    `parent` points at the object whose history tab should also show this change (an enterprise
    for its years and qualifications). `batch` groups the changes of one import so it can be undone.
    """

    time = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("user"))
    user_name = models.CharField(_("user name"), max_length=150, blank=True)
    request_id = models.UUIDField(null=True, blank=True, editable=False)
    batch = models.CharField(_("batch"), max_length=64, blank=True, db_index=True)
    action = models.CharField(_("action"), max_length=16, choices=ChangeAction.choices)
    content_type = models.ForeignKey(ContentType, models.PROTECT, related_name="+")
    object_id = models.BigIntegerField()
    object_repr = models.CharField(_("object"), max_length=200)
    parent_type = models.ForeignKey(ContentType, models.PROTECT, null=True, blank=True, related_name="+")
    parent_id = models.BigIntegerField(null=True, blank=True)
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)

    class Meta:
        verbose_name = _("change record")
        verbose_name_plural = _("change records")
        ordering = ["-time", "-pk"]
        indexes = [
            models.Index(fields=["content_type", "object_id"]),
            models.Index(fields=["parent_type", "parent_id"]),
        ]

    def __str__(self):
        return f"{self.get_action_display()} {self.object_repr}"

    @property
    def changed_fields(self) -> list[str]:
        before, after = self.before or {}, self.after or {}
        return [name for name in {**before, **after} if before.get(name) != after.get(name)]
