from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from peiyu.core.choices import Role

# Roles that may change enterprise data (enterprise users only their own enterprise).
EDITING_ROLES = {Role.BUREAU, Role.UNIT, Role.ENTERPRISE}
# Roles that work with enterprise data (the library, evaluation, exports, the API); experts do not.
DATA_ROLES = {Role.BUREAU, Role.UNIT, Role.LEADER, Role.PARTY, Role.ENTERPRISE}
# Roles that see contact phone numbers unmasked.
PHONE_ROLES = {Role.BUREAU, Role.UNIT, Role.ENTERPRISE}


class User(AbstractUser):
    """A person who signs in: bureau staff, unit staff, a leader, an enterprise user, an expert or
    party-building staff. Their `unit` bounds what they see; administrators are superusers."""

    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.BUREAU)
    unit = models.ForeignKey(
        "core.Unit", models.PROTECT, null=True, blank=True, related_name="users", verbose_name=_("unit"),
        help_text=_("The user sees this unit and the units below it; empty means the whole platform."),
    )
    full_name = models.CharField(_("full name"), max_length=50, blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)

    # Role, unit and rights changes are audited; secrets and sign-in stamps are not history.
    change_logged = True
    history_exclude = frozenset({"password", "last_login", "date_joined"})

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["username"]

    def __str__(self):
        return self.full_name or self.username

    @property
    def is_read_only(self) -> bool:
        return not self.is_superuser and self.role not in EDITING_ROLES

    @property
    def uses_enterprise_data(self) -> bool:
        return self.is_superuser or self.role in DATA_ROLES

    @property
    def sees_phones(self) -> bool:
        return self.is_superuser or self.role in PHONE_ROLES
