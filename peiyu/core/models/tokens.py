import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    def issue(self, user, description: str = "") -> tuple["ApiToken", str]:
        """Create a token and return it with its plain key, which is shown once and never stored."""
        key = secrets.token_urlsafe(32)
        return self.create(user=user, key_digest=digest(key), prefix=key[:6], description=description), key

    def authenticate(self, key: str):
        token = self.select_related("user").filter(key_digest=digest(key), user__is_active=True).first()
        return token.user if token else None


class ApiToken(models.Model):
    """A bearer token for the JSON API; only a digest of the key is stored."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="api_tokens", verbose_name=_("user"))
    key_digest = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField(_("key prefix"), max_length=8, editable=False)
    description = models.CharField(_("description"), max_length=100, blank=True)
    created = models.DateTimeField(_("created"), auto_now_add=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self):
        return f"{self.prefix}…"
