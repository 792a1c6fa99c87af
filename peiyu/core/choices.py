"""Enumerations shared by every app: unit kinds and user roles."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class UnitKind(models.TextChoices):
    CITY = "city", pgettext_lazy("unit kind", "City")
    DISTRICT = "district", _("District / county")
    STREET = "street", _("Street")
    TOWN = "town", _("Town / township")
    ZONE = "zone", _("Functional zone")
    PARK = "park", _("Park")


class Role(models.TextChoices):
    BUREAU = "bureau", _("Bureau staff")
    UNIT = "unit", _("Unit staff")
    LEADER = "leader", _("Leader")
    ENTERPRISE = "enterprise", _("Enterprise user")
    EXPERT = "expert", _("Expert")
    PARTY = "party", _("Party-building staff")


class ChangeAction(models.TextChoices):
    CREATE = "create", _("Created")
    UPDATE = "update", _("Changed")
    DELETE = "delete", _("Deleted")
    RESTORE = "restore", _("Restored")
