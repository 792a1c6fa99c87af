import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    def issue(self, user, description: str = "", expires=None) -> tuple["ApiToken", str]:
        """Create a token and return it with its plain key, which is shown once and never stored."""
        key = secrets.token_urlsafe(32)
        token = self.create(user=user, key_digest=digest(key), prefix=key[:6], description=description, expires=expires)
        return token, key

    def valid(self):
        return self.filter(models.Q(expires__isnull=True) | models.Q(expires__gte=timezone.localdate()))

    def authenticate(self, key: str):
        token = self.valid().select_related("user").filter(key_digest=digest(key), user__is_active=True).first()
        return token.user if token else None


class ApiToken(models.Model):
    """A bearer token for the JSON API; only a digest of the key is stored."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="api_tokens", verbose_name=_("user"))
    key_digest = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField(_("key prefix"), max_length=8, editable=False)
    description = models.CharField(_("description"), max_length=100, blank=True)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    expires = models.DateField(
        _("valid until"), null=True, blank=True, help_text=_("The last day the token works; empty means until it is revoked."),
    )

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self):
        return f"{self.prefix}…"

    @property
    def is_expired(self) -> bool:
        return self.expires is not None and self.expires < timezone.localdate()


@receiver(post_save, sender=settings.AUTH_USER_MODEL)
def _revoke_tokens_on_password_change(sender, instance, created, raw=False, **kwargs):
    """A new password ends every token of the account: whoever knew the old password may have made
    one. Django leaves `_password` set only for real changes (not for hash upgrades at sign-in)."""
    if not raw and not created and getattr(instance, "_password", None) is not None:
        instance.api_tokens.all().delete()
