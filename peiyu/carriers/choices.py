"""Code lists of the carrier registry: kinds, levels, scopes and statuses (Chinese in the catalogue)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CarrierKind(models.TextChoices):
    INCUBATOR = "incubator", _("Incubator")
    MAKER_SPACE = "maker_space", _("Maker space")
    PRODUCTIVITY_CENTRE = "productivity_centre", _("Productivity promotion centre")
    INDUSTRIAL_BASE = "industrial_base", _("Industrial base")
    SCIENCE_PARK = "science_park", _("Science park")
    RD_CENTRE = "rd_centre", _("Enterprise R&D centre")
    ENGINEERING_CENTRE = "engineering_centre", _("Engineering technology research centre")
    KEY_LAB = "key_lab", _("Key laboratory")
    ALLIANCE = "alliance", _("Industry-university-research alliance")


# Kinds that sit in an enterprise of the library (依托企业): the enterprise must be named.
ENTERPRISE_KINDS = frozenset({CarrierKind.RD_CENTRE, CarrierKind.ENGINEERING_CENTRE, CarrierKind.KEY_LAB})


class CarrierLevel(models.TextChoices):
    """Listed from the highest down; `RANK` orders them for "this level or higher"."""

    NATIONAL = "national", _("National")
    PROVINCIAL = "provincial", _("Provincial")
    CITY = "city", _("City")
    DISTRICT = "district", _("District")


RANK = {CarrierLevel.NATIONAL: 4, CarrierLevel.PROVINCIAL: 3, CarrierLevel.CITY: 2, CarrierLevel.DISTRICT: 1}


def levels_at_or_above(level: str) -> list[str]:
    """The levels counted by "`level` or higher": city → national, provincial, city."""
    return [value for value, rank in RANK.items() if rank >= RANK[level]]


class CentreScope(models.TextChoices):
    """A productivity promotion centre serves all industries (综合) or one industry (行业)."""

    GENERAL = "general", _("General")
    INDUSTRY = "industry", _("Industry")


class CarrierStatus(models.TextChoices):
    OPERATING = "operating", _("Operating")
    BUILDING = "building", _("Under construction")
    REVOKED = "revoked", _("Revoked")
