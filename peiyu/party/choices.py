"""Enumerations of the party-building ledger, in the organisation department's own words."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganisationKind(models.TextChoices):
    COMMITTEE = "committee", _("Party committee")
    GENERAL_BRANCH = "general_branch", _("General party branch")
    BRANCH = "branch", _("Party branch")
    JOINT_BRANCH = "joint_branch", _("Joint party branch")
    FUNCTIONAL = "functional", _("Functional party organisation")


class Setup(models.TextChoices):
    SINGLE = "single", _("Set up alone")
    JOINT = "joint", _("Set up jointly")
    INDUSTRY = "industry", _("Set up by industry chain")


class OrganisationStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    DISSOLVED = "dissolved", _("Dissolved")


class Coverage(models.TextChoices):
    """How an enterprise is covered (两个覆盖), best first."""

    OWN = "own", _("Own party organisation")
    JOINT = "joint", _("Covered by a joint organisation")
    WORK = "work", _("Party work only (instructor)")
    GAP = "gap", _("Not covered")


ORGANISATION_COVERED = (Coverage.OWN, Coverage.JOINT)
WORK_COVERED = (Coverage.OWN, Coverage.JOINT, Coverage.WORK)


class Season(models.IntegerChoices):
    MARCH = 3, _("March update")
    OCTOBER = 10, _("October update")


class WindowState(models.TextChoices):
    OPEN = "open", _("Open for updates")
    CLOSED = "closed", _("Closed and frozen")


class ReturnState(models.TextChoices):
    DRAFT = "draft", _("Being updated")
    SUBMITTED = "submitted", _("Submitted")


class NominationState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    NOMINATED = "nominated", _("Nominated by the unit")
    APPROVED = "approved", _("Passed review")
    COMMENDED = "commended", _("Commended by the city")
    RECOMMENDED = "recommended", _("Recommended to the province")
    REJECTED = "rejected", _("Not accepted")


class ShowcaseKind(models.TextChoices):
    DEMONSTRATION = "demonstration", _("Demonstration point")
    CASE = "case", _("Typical case")


class ActivityKind(models.TextChoices):
    MEMBERS_MEETING = "members_meeting", _("Branch members' meeting")
    COMMITTEE_MEETING = "committee_meeting", _("Branch committee meeting")
    GROUP_MEETING = "group_meeting", _("Party group meeting")
    LECTURE = "lecture", _("Party lecture")
    THEME_DAY = "theme_day", _("Theme party day")
    BRIEFING = "briefing", _("Policy briefing")
    SECRETARY_TRAINING = "secretary_training", _("Training of secretaries")
    INSTRUCTOR_TRAINING = "instructor_training", _("Training of instructors")


# 三会一课: the three meetings and the lecture.
THREE_MEETINGS_ONE_LECTURE = (
    ActivityKind.MEMBERS_MEETING,
    ActivityKind.COMMITTEE_MEETING,
    ActivityKind.GROUP_MEETING,
    ActivityKind.LECTURE,
)
TRAININGS = (ActivityKind.SECRETARY_TRAINING, ActivityKind.INSTRUCTOR_TRAINING)


class CommendationKind(models.TextChoices):
    WORKER = "worker", _("Outstanding party worker")
    MEMBER = "member", _("Outstanding party member")
