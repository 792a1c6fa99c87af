"""The party-building ledger (党建“两个覆盖”台账): organisations in technology enterprises, instructors,
each enterprise's coverage, the March/October windows with their frozen snapshots and 五个清 returns,
lead-type organisations, demonstration points and typical cases, activities and commendations."""

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from peiyu.core.choices import Role
from peiyu.core.models.base import ChangeLoggedModel, PrimaryModel
from peiyu.core.workflows import Transition, Workflow, WorkflowModel
from peiyu.party import choices
from peiyu.party.access import AlivePartyManager, PartyQuerySet, is_bureau_party


def count(label, **kw):
    return models.PositiveIntegerField(label, default=0, **kw)


class PartySettings(ChangeLoggedModel):
    """The figures of the local rules, kept as data (one row). The set-up threshold follows the
    common rule (3 formal members → a branch); the yearly numbers are seed 003's (Guangyuan 2024)."""

    member_threshold = models.PositiveSmallIntegerField(
        _("members that call for an own organisation"),
        default=3,
        validators=[MinValueValidator(1)],
        help_text=_(
            "An enterprise with at least this many formal party members and no organisation of its own is flagged “should have one”."
        ),
    )
    window_working_days = models.PositiveSmallIntegerField(
        _("working days to update after a window opens"), default=15
    )
    commended_per_year = models.PositiveSmallIntegerField(
        _("lead-type organisations commended a year"), default=3
    )
    recommended_per_year = models.PositiveSmallIntegerField(
        _("lead-type organisations recommended upward a year"), default=2
    )
    demonstration_points = models.PositiveSmallIntegerField(_("demonstration points in total"), default=2)
    cases_per_year = models.PositiveSmallIntegerField(_("typical cases a year"), default=2)
    commendations_per_year = models.PositiveSmallIntegerField(
        _("party workers and members commended a year"), default=20
    )
    briefings_per_year = models.PositiveSmallIntegerField(
        _("policy briefings a year per organisation"), default=2
    )

    objects = PartyQuerySet.as_manager()
    scope_units = None

    class Meta:
        verbose_name = _("party-building settings")
        verbose_name_plural = _("party-building settings")

    def __str__(self):
        return str(_("party-building settings"))

    @classmethod
    def current(cls) -> "PartySettings":
        """The saved settings, or the defaults unsaved: reading them must not write (or log) a row."""
        return cls.objects.filter(pk=1).first() or cls(pk=1)


class Organisation(PrimaryModel):
    """A party organisation (党组织) in technology enterprises. A joint or industry-chain one covers
    several enterprises; one set up alone covers its own enterprise."""

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(
        _("type"),
        max_length=20,
        choices=choices.OrganisationKind.choices,
        default=choices.OrganisationKind.BRANCH,
    )
    setup = models.CharField(
        _("how it is set up"), max_length=12, choices=choices.Setup.choices, default=choices.Setup.SINGLE
    )
    unit = models.ForeignKey(
        "core.Unit", models.PROTECT, related_name="party_organisations", verbose_name=_("unit")
    )
    enterprises = models.ManyToManyField(
        "enterprises.Enterprise",
        related_name="party_organisations",
        blank=True,
        verbose_name=_("enterprises covered"),
    )
    parent = models.ForeignKey(
        "self",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent organisation"),
    )
    secretary = models.CharField(_("secretary"), max_length=50, blank=True)
    secretary_phone = models.CharField(_("secretary's phone"), max_length=32, blank=True)
    formal_members = count(_("formal members"))
    probationary_members = count(_("probationary members"))
    mobile_members_placed = count(
        _("mobile members placed"), help_text=_("Mobile party members brought into this organisation.")
    )
    founded = models.DateField(_("date founded"), null=True, blank=True)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=choices.OrganisationStatus.choices,
        default=choices.OrganisationStatus.ACTIVE,
    )

    objects = AlivePartyManager()
    scope_units = ("unit",)

    class Meta:
        verbose_name = _("party organisation")
        verbose_name_plural = _("party organisations")
        ordering = ["unit__path", "name"]
        permissions = [("view_ledger", _("Can read the party-building ledger"))]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("party:organisation-detail", args=[self.pk])

    @property
    def members(self) -> int:
        return self.formal_members + self.probationary_members

    @property
    def covers_as_own(self) -> bool:
        """Set up alone: its enterprise has an organisation of its own (单独组建)."""
        return self.setup == choices.Setup.SINGLE and self.kind != choices.OrganisationKind.JOINT_BRANCH


class Instructor(PrimaryModel):
    """A party-building instructor (党建指导员) sent to enterprises without an organisation: those
    enterprises are covered by party work (工作覆盖)."""

    name = models.CharField(_("name"), max_length=50)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    employer = models.CharField(_("employer and post"), max_length=200, blank=True)
    unit = models.ForeignKey(
        "core.Unit", models.PROTECT, related_name="party_instructors", verbose_name=_("unit")
    )
    enterprises = models.ManyToManyField(
        "enterprises.Enterprise",
        related_name="party_instructors",
        blank=True,
        verbose_name=_("enterprises assigned"),
    )
    appointed = models.DateField(_("date appointed"), null=True, blank=True)
    active = models.BooleanField(_("serving"), default=True)

    objects = AlivePartyManager()
    scope_units = ("unit",)

    class Meta:
        verbose_name = _("party-building instructor")
        verbose_name_plural = _("party-building instructors")
        ordering = ["unit__path", "name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("party:instructor-edit", args=[self.pk])


class CoverageEntry(ChangeLoggedModel):
    """One enterprise's line of the two-coverages ledger. Staff keep the headcount and party members;
    the coverage and the “should have one” flag are computed from the organisations and instructors
    (coverage.refresh), never typed."""

    enterprise = models.OneToOneField(
        "enterprises.Enterprise", models.CASCADE, related_name="party_entry", verbose_name=_("enterprise")
    )
    unit = models.ForeignKey(
        "core.Unit", models.PROTECT, related_name="+", verbose_name=_("unit"), editable=False
    )
    employees = models.PositiveIntegerField(_("employees"), null=True, blank=True)
    party_members = count(_("party members employed"))
    mobile_members = count(_("mobile members not yet placed"))
    operating = models.BooleanField(_("operating"), default=True, editable=False)
    coverage = models.CharField(
        _("coverage"),
        max_length=8,
        choices=choices.Coverage.choices,
        default=choices.Coverage.GAP,
        editable=False,
    )
    should_build = models.BooleanField(_("should have an organisation"), default=False, editable=False)

    objects = PartyQuerySet.as_manager()
    # The enterprise's smallest unit (its park when it has one; parks sit below their street or zone).
    scope_units = ("unit",)
    history_exclude = frozenset({"created", "updated", "coverage", "should_build", "operating", "unit"})

    class Meta:
        verbose_name = _("coverage ledger entry")
        verbose_name_plural = _("coverage ledger")
        # (unit, id): the ledger's default order, read from the index page by page.
        indexes = [
            models.Index(fields=["unit", "id"]),
            models.Index(fields=["unit", "coverage"]),
            models.Index(fields=["coverage", "should_build"]),
        ]

    def __str__(self):
        return str(self.enterprise)

    def get_absolute_url(self):
        return reverse("party:entry-edit", args=[self.pk])

    def clean(self):
        if self.employees is not None and self.party_members > self.employees:
            raise ValidationError(
                {
                    "party_members": _("Party members (%(m)s) cannot exceed the headcount (%(e)s).")
                    % {"m": self.party_members, "e": self.employees}
                }
            )


class WindowWorkflow(Workflow):
    states = choices.WindowState
    transitions = (
        Transition(
            "close",
            _("Close and freeze"),
            choices.WindowState.OPEN,
            choices.WindowState.CLOSED,
            roles=frozenset({Role.PARTY}),
            condition=lambda obj, user: is_bureau_party(user),
        ),
    )


class UpdateWindow(WorkflowModel, ChangeLoggedModel):
    """A March or October update (每年3月、10月动态更新, seed 003 §8): opened by the scheduled job,
    updated and submitted by the units, closed by the bureau — closing freezes the snapshot."""

    workflow = WindowWorkflow
    year = models.PositiveSmallIntegerField(_("year"))
    season = models.PositiveSmallIntegerField(_("update"), choices=choices.Season.choices)
    opened_on = models.DateField(_("opened on"))
    due_on = models.DateField(_("due on"))
    state = WindowWorkflow.field()
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True, editable=False)

    objects = PartyQuerySet.as_manager()
    scope_units = None

    class Meta:
        verbose_name = _("update window")
        verbose_name_plural = _("update windows")
        ordering = ["-year", "-season"]
        constraints = [models.UniqueConstraint(fields=["year", "season"], name="party_window_once_a_season")]

    def __str__(self):
        return _("%(year)s %(season)s") % {"year": self.year, "season": self.get_season_display()}

    def get_absolute_url(self):
        return reverse("party:window-detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.state == choices.WindowState.OPEN

    def save(self, *args, **kwargs):
        if self.state == choices.WindowState.CLOSED and self.pk:
            was = UpdateWindow.objects.filter(pk=self.pk).values_list("state", flat=True).first()
            if was == choices.WindowState.OPEN:
                from peiyu.party.snapshots import freeze

                super().save(*args, **kwargs)
                freeze(self)
                return
            if was == choices.WindowState.CLOSED:
                raise ValidationError(_("A closed snapshot never changes."))
        super().save(*args, **kwargs)


class ReturnWorkflow(Workflow):
    states = choices.ReturnState
    transitions = (
        Transition(
            "submit",
            _("Submit"),
            choices.ReturnState.DRAFT,
            choices.ReturnState.SUBMITTED,
            roles=frozenset({Role.PARTY}),
            condition=lambda obj, user: obj.window.is_open,
        ),
        Transition(
            "reopen",
            _("Send back"),
            choices.ReturnState.SUBMITTED,
            choices.ReturnState.DRAFT,
            roles=frozenset({Role.PARTY}),
            condition=lambda obj, user: obj.window.is_open and is_bureau_party(user),
        ),
    )


class UnitReturn(WorkflowModel, ChangeLoggedModel):
    """A unit's return in a window: its ledger checked and its 五个清 filled, then submitted."""

    workflow = ReturnWorkflow
    window = models.ForeignKey(
        UpdateWindow, models.CASCADE, related_name="returns", verbose_name=_("update window")
    )
    unit = models.ForeignKey("core.Unit", models.PROTECT, related_name="+", verbose_name=_("unit"))
    state = ReturnWorkflow.field()

    objects = PartyQuerySet.as_manager()
    scope_units = ("unit",)

    class Meta:
        verbose_name = _("unit return")
        verbose_name_plural = _("unit returns")
        ordering = ["unit__path"]
        constraints = [models.UniqueConstraint(fields=["window", "unit"], name="party_return_once_per_unit")]

    def __str__(self):
        return f"{self.unit} · {self.window}"

    def get_absolute_url(self):
        return reverse("party:return-detail", args=[self.pk])


class FiveClearItem(ChangeLoggedModel):
    """One of the “five clears” (五个清) a unit must know clearly. The exact items are not confirmed
    (口径待核实): they are data the bureau edits."""

    name = models.CharField(_("item"), max_length=100)
    guidance = models.CharField(_("what to write"), max_length=255, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    active = models.BooleanField(_("in use"), default=True)

    objects = PartyQuerySet.as_manager()
    scope_units = None

    class Meta:
        verbose_name = _("five-clears item")
        verbose_name_plural = _("five-clears items")
        ordering = ["order", "pk"]

    def __str__(self):
        return self.name


class FiveClearEntry(ChangeLoggedModel):
    unit_return = models.ForeignKey(
        UnitReturn, models.CASCADE, related_name="entries", verbose_name=_("unit return")
    )
    item = models.ForeignKey(FiveClearItem, models.PROTECT, related_name="+", verbose_name=_("item"))
    content = models.TextField(_("content"), blank=True)

    objects = PartyQuerySet.as_manager()
    scope_units = ("unit_return__unit",)
    history_parent = "unit_return"

    class Meta:
        verbose_name = _("five-clears entry")
        verbose_name_plural = _("five-clears entries")
        ordering = ["item__order", "item_id"]
        constraints = [models.UniqueConstraint(fields=["unit_return", "item"], name="party_five_clear_once")]

    def __str__(self):
        return f"{self.item}: {self.content[:20]}"

    def save(self, *args, **kwargs):
        if not self.unit_return.window.is_open:
            raise ValidationError(_("A closed snapshot never changes."))
        super().save(*args, **kwargs)


class SnapshotRow(models.Model):
    """One enterprise's line as it stood when a window closed. Written once, never changed."""

    window = models.ForeignKey(
        UpdateWindow, models.PROTECT, related_name="rows", verbose_name=_("update window")
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", models.SET_NULL, null=True, related_name="+", verbose_name=_("enterprise")
    )
    enterprise_name = models.CharField(_("enterprise"), max_length=200)
    uscc = models.CharField(_("unified social credit code"), max_length=18)
    unit = models.ForeignKey("core.Unit", models.PROTECT, related_name="+", verbose_name=_("unit"))
    unit_name = models.CharField(_("unit"), max_length=100)
    employees = models.PositiveIntegerField(_("employees"), null=True)
    party_members = models.PositiveIntegerField(_("party members employed"))
    mobile_members = models.PositiveIntegerField(_("mobile members not yet placed"))
    operating = models.BooleanField(_("operating"))
    coverage = models.CharField(_("coverage"), max_length=8, choices=choices.Coverage.choices)
    should_build = models.BooleanField(_("should have an organisation"))
    organisation_ids = models.JSONField(default=list)
    organisations = models.CharField(_("party organisations"), max_length=500, blank=True)

    objects = PartyQuerySet.as_manager()
    scope_units = ("unit",)

    class Meta:
        verbose_name = _("snapshot row")
        verbose_name_plural = _("snapshot rows")
        indexes = [models.Index(fields=["window", "unit"])]

    def __str__(self):
        return f"{self.window} · {self.enterprise_name}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValidationError(_("A closed snapshot never changes."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("A closed snapshot never changes."))


class LeadCriterion(ChangeLoggedModel):
    """A criterion of the lead-type organisation standard (引领型党组织创建标准), as a checklist item."""

    text = models.CharField(_("criterion"), max_length=255)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    active = models.BooleanField(_("in use"), default=True)

    objects = PartyQuerySet.as_manager()
    scope_units = None

    class Meta:
        verbose_name = _("lead-type criterion")
        verbose_name_plural = _("lead-type criteria")
        ordering = ["order", "pk"]

    def __str__(self):
        return self.text


def _bureau(obj, user):
    return is_bureau_party(user)


class NominationWorkflow(Workflow):
    S = choices.NominationState
    states = S
    transitions = (
        Transition("nominate", _("Nominate"), S.DRAFT, S.NOMINATED, roles=frozenset({Role.PARTY})),
        Transition(
            "approve",
            _("Pass review"),
            S.NOMINATED,
            S.APPROVED,
            roles=frozenset({Role.PARTY}),
            condition=_bureau,
        ),
        Transition(
            "reject",
            _("Do not accept"),
            (S.NOMINATED, S.APPROVED),
            S.REJECTED,
            roles=frozenset({Role.PARTY}),
            condition=_bureau,
        ),
        Transition(
            "commend",
            _("Commend at city level"),
            S.APPROVED,
            S.COMMENDED,
            roles=frozenset({Role.PARTY}),
            condition=_bureau,
        ),
        Transition(
            "recommend",
            _("Recommend to the province"),
            S.COMMENDED,
            S.RECOMMENDED,
            roles=frozenset({Role.PARTY}),
            condition=_bureau,
        ),
    )


class Nomination(WorkflowModel, ChangeLoggedModel):
    """A unit nominates an organisation as lead-type (引领型党组织); the bureau reviews, the city
    commends (3 a year) and recommends upward (2 a year, chosen from those commended)."""

    workflow = NominationWorkflow
    organisation = models.ForeignKey(
        Organisation, models.PROTECT, related_name="nominations", verbose_name=_("party organisation")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    unit = models.ForeignKey(
        "core.Unit", models.PROTECT, related_name="+", verbose_name=_("unit"), editable=False
    )
    criteria = models.ManyToManyField(
        LeadCriterion, blank=True, related_name="+", verbose_name=_("criteria met")
    )
    reasons = models.TextField(_("deeds and reasons"), blank=True)
    state = NominationWorkflow.field()

    objects = PartyQuerySet.as_manager()
    scope_units = ("unit",)

    class Meta:
        verbose_name = _("lead-type nomination")
        verbose_name_plural = _("lead-type nominations")
        ordering = ["-year", "unit__path", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "year"], name="party_nomination_once_a_year")
        ]

    def __str__(self):
        return f"{self.year} · {self.organisation}"

    def get_absolute_url(self):
        return reverse("party:nomination-detail", args=[self.pk])

    def save(self, *args, **kwargs):
        self.unit_id = self.organisation.unit_id
        super().save(*args, **kwargs)


class Showcase(PrimaryModel):
    """A demonstration point (党建示范点) or a typical case (典型案例), with its material attached."""

    kind = models.CharField(_("kind"), max_length=16, choices=choices.ShowcaseKind.choices)
    title = models.CharField(_("title"), max_length=200)
    year = models.PositiveSmallIntegerField(_("year"))
    organisation = models.ForeignKey(
        Organisation,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="showcases",
        verbose_name=_("party organisation"),
    )
    unit = models.ForeignKey("core.Unit", models.PROTECT, related_name="+", verbose_name=_("unit"))
    summary = models.TextField(_("summary"), blank=True)

    objects = AlivePartyManager()
    scope_units = ("unit",)

    class Meta:
        verbose_name = _("demonstration point or typical case")
        verbose_name_plural = _("demonstration points and typical cases")
        ordering = ["-year", "kind", "title"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("party:showcase-detail", args=[self.pk])


class Activity(ChangeLoggedModel):
    """三会一课, a theme party day, a policy briefing or a training, recorded by the organisation
    (or, for a training the unit runs, by the unit alone)."""

    organisation = models.ForeignKey(
        Organisation,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="activities",
        verbose_name=_("party organisation"),
    )
    unit = models.ForeignKey("core.Unit", models.PROTECT, related_name="+", verbose_name=_("unit"))
    date = models.DateField(_("date"))
    kind = models.CharField(_("type"), max_length=24, choices=choices.ActivityKind.choices)
    topic = models.CharField(_("topic"), max_length=200)
    attendance = models.PositiveIntegerField(_("attendance"), default=0)
    minutes = models.TextField(_("minutes"), blank=True)

    objects = PartyQuerySet.as_manager()
    scope_units = ("unit",)

    class Meta:
        verbose_name = _("party activity")
        verbose_name_plural = _("party activities")
        ordering = ["-date", "pk"]
        indexes = [models.Index(fields=["date", "kind"])]

    def __str__(self):
        return f"{self.date:%Y年%-m月%-d日} {self.topic}"

    def get_absolute_url(self):
        return reverse("party:activity-edit", args=[self.pk])

    def save(self, *args, **kwargs):
        if self.organisation_id:
            self.unit_id = self.organisation.unit_id
        super().save(*args, **kwargs)


class Commendation(ChangeLoggedModel):
    """A party worker or member commended (每年推荐表扬优秀党务工作者、优秀共产党员20名)."""

    year = models.PositiveSmallIntegerField(_("year"))
    kind = models.CharField(_("kind"), max_length=8, choices=choices.CommendationKind.choices)
    person = models.CharField(_("name"), max_length=50)
    organisation = models.ForeignKey(
        Organisation,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="commendations",
        verbose_name=_("party organisation"),
    )
    unit = models.ForeignKey("core.Unit", models.PROTECT, related_name="+", verbose_name=_("unit"))
    deeds = models.CharField(_("deeds"), max_length=255, blank=True)

    objects = PartyQuerySet.as_manager()
    scope_units = ("unit",)

    class Meta:
        verbose_name = _("commendation")
        verbose_name_plural = _("commendations")
        ordering = ["-year", "kind", "person"]

    def __str__(self):
        return self.person

    def get_absolute_url(self):
        return reverse("party:commendation-list")


__all__ = [
    "Activity",
    "Commendation",
    "CoverageEntry",
    "FiveClearEntry",
    "FiveClearItem",
    "Instructor",
    "LeadCriterion",
    "Nomination",
    "Organisation",
    "PartySettings",
    "Showcase",
    "SnapshotRow",
    "UnitReturn",
    "UpdateWindow",
]
