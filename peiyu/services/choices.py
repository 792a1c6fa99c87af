"""Code lists of the services app: event types, financing kinds, quota measures, post sides,
introduction outcomes and the kinds of policy condition."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class EventKind(models.TextChoices):
    SERVICE = "service", _("Technology service session")
    BRIEFING = "briefing", _("Policy briefing")
    POPULAR_SCIENCE = "popular_science", _("Popular-science event")
    TRAINING = "training", _("Training")
    MATCHMAKING = "matchmaking", _("Matchmaking meeting")
    DIAGNOSIS = "diagnosis", _("Diagnosis")


class CheckInMethod(models.TextChoices):
    CREDIT_CODE = "credit_code", _("By credit code")
    QR = "qr", _("QR sign-in")


class FinancingKind(models.TextChoices):
    LOAN = "loan", _("Loan")
    GUARANTEE = "guarantee", _("Guarantee")
    EQUITY = "equity", _("Equity investment")
    IP_PLEDGE = "ip_pledge", _("IP pledge financing")


class QuotaMeasure(models.TextChoices):
    EVENTS = "events", _("Service events")
    ENTERPRISES = "enterprises", _("Enterprises served")
    FINANCING = "financing", _("Financing obtained (10k yuan)")


class QuotaPeriod(models.TextChoices):
    MONTH = "month", _("Each month")
    YEAR = "year", _("Each year")


class PostSide(models.TextChoices):
    DEMAND = "demand", _("Technology demand")
    SUPPLY = "supply", _("Result or capability")


class IntroductionStatus(models.TextChoices):
    INTRODUCED = "introduced", _("Introduced")
    NEGOTIATING = "negotiating", _("Negotiating")
    SIGNED = "signed", _("Contract signed")
    FAILED = "failed", _("Did not proceed")


class PolicyLevel(models.TextChoices):
    NATIONAL = "national", _("National")
    PROVINCIAL = "provincial", _("Provincial / municipal")
    DISTRICT = "district", _("District")


class PolicyStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    EXPIRED = "expired", _("Expired")


class BenefitKind(models.TextChoices):
    TAX = "tax", _("Tax relief")
    SUBSIDY = "subsidy", _("Subsidy or award")
    FINANCE = "finance", _("Financing support")
    SERVICE = "service", _("Services")
    OTHER = "other", _("Other")


class ConditionKind(models.TextChoices):
    QUALIFICATION = "qualification", _("Holds a qualification")
    REVENUE_MIN = "revenue_min", _("Revenue at least (10k yuan)")
    REVENUE_MAX = "revenue_max", _("Revenue below (10k yuan)")
    STAGE = "stage", _("Life-cycle stage")
    INDUSTRY = "industry", _("Industry section")
    HITECH_FIELD = "hitech_field", _("Hi-tech field")
    UNIT = "unit", _("Unit")
    RD_RATIO_MIN = "rd_ratio_min", _("R&D expense / revenue at least (%)")
    EMPLOYEES_MIN = "employees_min", _("Employees at least")
    EMPLOYEES_MAX = "employees_max", _("Employees at most")
    RULESET = "ruleset", _("Meets a rule set")
