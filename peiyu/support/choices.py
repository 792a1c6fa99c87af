"""Enumerations of the support programmes: voucher service categories and states, post-subsidy
methods and states, and the commissioners' levels, ranks, service kinds and outcomes."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ServiceCategory(models.TextChoices):
    """Service types of 川科政〔2025〕6号 (the share caps are policy data, see VoucherShare)."""

    SHARED_LAB = "shared_lab", _("Shared laboratory / large instruments")
    PILOT = "pilot", _("Proof of concept / pilot scale-up")
    TESTING = "testing", _("Inspection and testing")
    COMPUTING = "computing", _("High-performance computing")
    MANAGER_TRAINING = "manager_training", _("Technology manager training")
    OTHER = "other", _("Other S&T services")


class VoucherState(models.TextChoices):
    ISSUED = "issued", _("Issued")
    USED = "used", _("Used")
    REDEEMED = "redeemed", _("Redeemed")
    EXPIRED = "expired", _("Expired")
    REFUSED = "refused", _("Refused")


ACTIVE_VOUCHER_STATES = (VoucherState.ISSUED, VoucherState.USED)


class SubsidyMethod(models.TextChoices):
    INCREMENT = "increment", _("Rate on the R&D increment, with a cap")
    TIERS = "tiers", _("Tiers on last year's R&D, with an intensity gate")


class SubsidyState(models.TextChoices):
    COMPUTED = "computed", _("Computed")
    CONFIRMED = "confirmed", _("Confirmed with the tax bureau")
    APPROVED = "approved", _("Approved")
    PAID = "paid", _("Paid")
    CLAWED_BACK = "clawed_back", _("Clawed back")


class CommissionerLevel(models.TextChoices):
    PROVINCE = "province", _("Provincial")
    CITY = "city", _("City")
    COUNTY = "county", _("County")


class TitleRank(models.TextChoices):
    FULL_SENIOR = "full_senior", _("Full senior")
    SENIOR = "senior", _("Associate senior")
    INTERMEDIATE = "intermediate", _("Intermediate")
    OTHER = "other", _("Other")


class CommissionerKind(models.TextChoices):
    HITECH = "hitech", _("Hi-tech enterprise commissioner")
    AGRICULTURE = "agriculture", _("Agricultural commissioner")


class TargetKind(models.TextChoices):
    ENTERPRISE = "enterprise", pgettext_lazy("served entity", "Enterprise")
    VILLAGE = "village", _("Village")
    COOPERATIVE = "cooperative", _("Cooperative")


class ServiceKind(models.TextChoices):
    TRAINING = "training", _("Training")
    GUIDANCE = "guidance", _("On-site guidance")
    DEMONSTRATION = "demonstration", _("Demonstration")
    COMMERCIALISATION = "commercialisation", _("Commercialisation of results")


class OutcomeKind(models.TextChoices):
    TECH_SME = "tech_sme", _("Enterprise cultivated into a tech SME")
    HITECH = "hitech", _("Enterprise cultivated into a hi-tech enterprise")
    IP = "ip", _("Intellectual property")
    PROJECT = "project", _("Project completed")
    BASE = "base", _("Demonstration base")
    VARIETY = "variety", _("New-variety trial")
    ENTITY = "entity", _("Market entity helped")
    NEWS = "news", _("News or video item")


class FundKind(models.TextChoices):
    WORKING = "working", _("Working funds")
    LUMP_SUM = "lump_sum", _("Lump-sum part")
    STATION = "station", _("Station funds")
