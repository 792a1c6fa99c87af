"""Code lists of the enterprise library: statuses, classifications, bands and qualification kinds."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class EnterpriseStatus(models.TextChoices):
    ACTIVE = "active", _("Operating")
    MOVED_OUT = "moved_out", _("Moved out")
    DEREGISTERED = "deregistered", _("Deregistered")


class HitechField(models.TextChoices):
    """The eight fields of 《国家重点支持的高新技术领域》 (2016)."""

    ELECTRONIC_INFORMATION = "1", _("Electronic information")
    BIO_MEDICINE = "2", _("Biology and new medicine")
    AEROSPACE = "3", _("Aerospace")
    NEW_MATERIALS = "4", _("New materials")
    HIGH_TECH_SERVICES = "5", _("High-tech services")
    NEW_ENERGY = "6", _("New energy and energy saving")
    RESOURCES_ENVIRONMENT = "7", _("Resources and environment")
    ADVANCED_MANUFACTURING = "8", _("Advanced manufacturing and automation")


class EmergingIndustry(models.TextChoices):
    """Top-level categories of 战略性新兴产业分类(2018), 国家统计局令第23号."""

    NEXT_GEN_IT = "1", _("Next-generation information technology")
    HIGH_END_EQUIPMENT = "2", _("High-end equipment manufacturing")
    NEW_MATERIALS = "3", _("New materials")
    BIOTECH = "4", _("Biotechnology")
    NEW_ENERGY_VEHICLES = "5", _("New-energy vehicles")
    NEW_ENERGY = "6", _("New energy")
    ENERGY_SAVING = "7", _("Energy saving and environmental protection")
    DIGITAL_CREATIVE = "8", _("Digital creativity")
    RELATED_SERVICES = "9", _("Related services")


class IndustrySection(models.TextChoices):
    """门类 of GB/T 4754-2017 (国民经济行业分类)."""

    A = "A", _("Agriculture, forestry, animal husbandry and fishery")
    B = "B", _("Mining")
    C = "C", _("Manufacturing")
    D = "D", _("Electricity, heat, gas and water supply")
    E = "E", _("Construction")
    F = "F", _("Wholesale and retail trade")
    G = "G", _("Transport, storage and post")
    H = "H", _("Accommodation and catering")
    I = "I", _("Information transmission, software and IT services")  # noqa: E741
    J = "J", _("Finance")
    K = "K", _("Real estate")
    L = "L", _("Leasing and business services")
    M = "M", _("Scientific research and technical services")
    N = "N", _("Water, environment and public facilities management")
    O = "O", _("Resident, repair and other services")  # noqa: E741
    P = "P", _("Education")
    Q = "Q", _("Health and social work")
    R = "R", _("Culture, sports and entertainment")
    S = "S", _("Public administration, social security and social organisations")
    T = "T", _("International organisations")


# First division (大类, two digits) of each section; a division belongs to the last section whose
# first division it reaches. The D–T ranges follow the 97-division structure (see rules §7.1).
SECTION_FIRST_DIVISION = [
    ("A", 1), ("B", 6), ("C", 13), ("D", 44), ("E", 47), ("F", 51), ("G", 53), ("H", 61), ("I", 63),
    ("J", 66), ("K", 70), ("L", 71), ("M", 73), ("N", 76), ("O", 80), ("P", 83), ("Q", 84), ("R", 86),
    ("S", 91), ("T", 97),
]


def industry_section(code: str) -> str:
    """The GB/T 4754 section letter of an industry code such as "3841", "C3841" or "38"."""
    digits = code.strip().upper().lstrip("ABCDEFGHIJKLMNOPQRST")
    if len(digits) < 2 or not digits[:2].isdigit():
        return ""
    division = int(digits[:2])
    if not 1 <= division <= 97:
        return ""
    return [letter for letter, first in SECTION_FIRST_DIVISION if division >= first][-1]


class RevenueBand(models.IntegerChoices):
    """Seed 001's revenue bands (销售收入), lower bounds inclusive."""

    UNDER_5M = 1, _("Under 5 million yuan")
    FROM_5M_TO_100M = 2, _("5 million to 100 million yuan")
    FROM_100M_TO_300M = 3, _("100 to 300 million yuan")
    FROM_300M_TO_1B = 4, _("300 million to 1 billion yuan")
    FROM_1B = 5, _("1 billion yuan and above")


# Lower bounds in 万元, band by band (bands 2–5).
REVENUE_BAND_FLOORS = [(5, 100000), (4, 30000), (3, 10000), (2, 500)]


class Stage(models.IntegerChoices):
    """Life-cycle stage (seed 001): 初创期 under 5 million, 成长期 up to 100 million, 壮大期 above."""

    STARTUP = 1, _("Start-up")
    GROWTH = 2, _("Growth")
    EXPANSION = 3, _("Expansion")


STAGE_FLOORS = [(3, 10000), (2, 500)]


class RdInstitutionLevel(models.IntegerChoices):
    NONE = 0, _("None")
    DISTRICT = 1, _("District level")
    CITY = 2, _("City level")
    PROVINCIAL = 3, _("Provincial level")
    NATIONAL = 4, _("National level")


class QualificationKind(models.TextChoices):
    TECH_SME = "tech_sme", _("Technology-based SME")
    HITECH = "hitech", _("High and new technology enterprise")
    GAZELLE = "gazelle", _("Gazelle enterprise")
    LITTLE_GIANT = "little_giant", _("Technology little giant")
    SPECIALIZED_SME = "specialized_sme", _("Specialised and innovative SME")
    SPECIALIZED_GIANT = "specialized_giant", _("Specialised and innovative little giant")
    INNOVATIVE_SME = "innovative_sme", _("Innovative SME")


class QualificationLevel(models.TextChoices):
    NATIONAL = "national", _("National")
    PROVINCIAL = "provincial", _("Provincial")
    CITY = "city", _("City")
    DISTRICT = "district", _("District")
