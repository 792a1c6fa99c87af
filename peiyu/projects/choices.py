from django.db import models
from django.utils.translation import gettext_lazy as _


class ProgrammeKind(models.TextChoices):
    INNOVATION_FUND = "innovation_fund", _("Innovation fund for technology-based SMEs")
    ANGEL = "angel", _("Angel fund")
    LITTLE_GIANT = "little_giant", _("Little giant cultivation")
    OPEN_CHALLENGE = "open_challenge", _("Open challenge (揭榜挂帅)")
    COOPERATION = "cooperation", _("Industry–university–research cooperation")
    OTHER = "other", _("Other")


class FundingMode(models.TextChoices):
    GRANT = "grant", _("Grant")
    INTEREST = "interest", _("Loan-interest subsidy")
    EQUITY = "equity", _("Equity investment")
    AWARD = "award", _("Award")


class AppState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Awaiting unit check")
    RETURNED = "returned", _("Returned for amendment")
    RECOMMENDED = "recommended", _("Awaiting formal check")
    ACCEPTED = "accepted", _("In expert review")
    REJECTED = "rejected", _("Failed the formal check")
    APPROVED = "approved", _("Approved")
    NOT_APPROVED = "not_approved", _("Not approved")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class ProjectState(models.TextChoices):
    TASK_BOOK = "task_book", _("Task book pending")
    RUNNING = "running", _("Under way")
    MIDTERM_DONE = "midterm_done", _("Mid-term checked")
    ACCEPTED = "accepted", _("Accepted")
    FAILED = "failed", _("Failed acceptance")
    CLOSED = "closed", _("Closed")


class ExpertField(models.TextChoices):
    ELECTRONIC_INFORMATION = "1", _("Electronic information")
    BIO_MEDICINE = "2", _("Biology and new medicine")
    AEROSPACE = "3", _("Aerospace")
    NEW_MATERIALS = "4", _("New materials")
    HIGH_TECH_SERVICES = "5", _("High-tech services")
    NEW_ENERGY = "6", _("New energy and energy saving")
    RESOURCES_ENVIRONMENT = "7", _("Resources and environment")
    ADVANCED_MANUFACTURING = "8", _("Advanced manufacturing and automation")
    FINANCE = "F", _("Finance and accounting")
    MANAGEMENT = "M", _("Management")


class AffiliationKind(models.TextChoices):
    EMPLOYER = "employer", _("Employer")
    SHAREHOLDING = "shareholding", _("Shareholding")
    FAMILY = "family", _("Family member works there")
    FORMER_EMPLOYER = "former", _("Former employer")


class ProjectLevel(models.TextChoices):
    NATIONAL = "national", _("National")
    PROVINCIAL = "provincial", _("Provincial")
    CITY = "city", _("City")
    DISTRICT = "district", _("District")


class ReserveStatus(models.TextChoices):
    PLANNED = "planned", _("Planned (reserve)")
    APPLIED = "applied", _("Applied")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Not approved")
    COMPLETED = "completed", _("Completed")


# Statuses that count as "承担" (undertaken): approved and still running, or completed.
UNDERTAKEN = (ReserveStatus.APPROVED, ReserveStatus.COMPLETED)

DEFAULT_SCORING_SHEET = (
    {"code": "innovation", "label": "技术创新性", "max": 30},
    {"code": "market", "label": "市场前景与经济效益", "max": 25},
    {"code": "team", "label": "团队与实施基础", "max": 20},
    {"code": "plan", "label": "实施方案与进度", "max": 15},
    {"code": "budget", "label": "经费预算合理性", "max": 10},
)

DEFAULT_FORM = (
    {
        "title": "项目概况",
        "fields": (
            {"name": "summary", "label": "项目简介", "kind": "text", "required": True},
            {"name": "innovation", "label": "主要创新点", "kind": "text", "required": True},
        ),
    },
    {
        "title": "实施计划",
        "fields": (
            {"name": "plan", "label": "实施计划与进度", "kind": "text", "required": True},
            {"name": "team_size", "label": "项目组人数", "kind": "int", "required": True},
            {"name": "self_funding", "label": "企业自筹资金（万元）", "kind": "money", "required": False},
        ),
    },
)
