from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    """One message in a user's inbox, with why it was sent: its kind, the object it is about and a
    reason in words ("你是该企业的包联干部")."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="notifications", verbose_name=_("recipient"))
    kind = models.CharField(_("kind"), max_length=64)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("message"), blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    reason = models.CharField(_("why you received this"), max_length=300)
    content_type = models.ForeignKey(ContentType, models.CASCADE, null=True, blank=True, related_name="+")
    object_id = models.BigIntegerField(null=True, blank=True)
    source = GenericForeignKey("content_type", "object_id")
    created = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created", "-pk"]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self):
        return self.title

    @property
    def kind_label(self) -> str:
        from peiyu.core.notifications.registry import kind_label

        return kind_label(self.kind)


class EmailMode(models.TextChoices):
    IMMEDIATE = "immediate", _("Each one as it comes")
    DIGEST = "digest", _("One daily digest")
    OFF = "off", _("No e-mail")


class NotificationSettings(models.Model):
    """A user's choice of how notifications reach them by e-mail."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, models.CASCADE, related_name="notification_settings")
    email_mode = models.CharField(_("e-mail"), max_length=16, choices=EmailMode.choices, default=EmailMode.IMMEDIATE)

    class Meta:
        verbose_name = _("notification settings")
        verbose_name_plural = _("notification settings")

    def __str__(self):
        return str(self.user)


class NotificationPreference(models.Model):
    """A user's choice for one kind, where it differs from the kind's defaults."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="notification_preferences")
    kind = models.CharField(_("kind"), max_length=64)
    enabled = models.BooleanField(_("receive"), default=True)
    email = models.BooleanField(_("by e-mail"), default=False)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="notification_preference_unique")]

    def __str__(self):
        return f"{self.user} · {self.kind}"
