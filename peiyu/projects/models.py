"""Projects and funds (项目与资金): programmes and their yearly calls, applications through unit check
and formal check, the expert library, draws, reviews, decisions and publicity, funded projects with
tranches and acceptance, and the library of projects at higher levels (项目库/储备库).

Money is Decimal in 万元 (four places, exact to the yuan), as in the enterprise library."""

import datetime

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from peiyu.core.choices import Role
from peiyu.core.models import ChangeLoggedModel, ScopedQuerySet
from peiyu.core.workflows import Transition, Workflow, WorkflowModel
from peiyu.enterprises.choices import HitechField
from peiyu.enterprises.models import OwnedByEnterprise, money
from peiyu.projects import choices
from peiyu.projects.choices import AppState, ProjectState

STAFF = frozenset({Role.BUREAU, Role.UNIT, Role.LEADER})


class OpenQuerySet(ScopedQuerySet):
    """Rows every signed-in user may read (programmes and calls are public to applicants); only the
    bureau staff of the owning unit (or above) change them."""

    def for_user(self, user):
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        return self

    def visible_to_role(self, user) -> bool:
        return True

    def writable_by(self, user):
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self
        if user.role != Role.BUREAU:
            return self.none()
        return super().for_user(user)


class Programme(ChangeLoggedModel):
    """A programme of the bureau (计划类别), e.g. 科技型中小企业技术创新资金 or 揭榜挂帅."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    kind = models.CharField(_("programme type"), max_length=24, choices=choices.ProgrammeKind.choices)
    funding_mode = models.CharField(_("funding mode"), max_length=24, choices=choices.FundingMode.choices)
    unit = models.ForeignKey("core.Unit", models.PROTECT, related_name="+", verbose_name=_("managing unit"))
    description = models.TextField(_("description"), blank=True)

    scope_units = ("unit",)
    scope_roles = STAFF
    objects = OpenQuerySet.as_manager()

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        ordering = ["name"]

    def __str__(self):
        return self.name


def default_sheet():
    return [dict(c) for c in choices.DEFAULT_SCORING_SHEET]


def default_form():
    return [dict(s, fields=[dict(f) for f in s["fields"]]) for s in choices.DEFAULT_FORM]


class Call(ChangeLoggedModel):
    """One year's call of a programme (申报指南/批次): dates, budget, funding rules, the application
    form and scoring sheet as data, eligibility, and how the review is run."""

    programme = models.ForeignKey(
        Programme, models.PROTECT, related_name="calls", verbose_name=_("programme")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=200)
    challenge = models.TextField(
        _("posted technical challenge"), blank=True, help_text=_("For open-challenge (揭榜挂帅) calls.")
    )
    opens_on = models.DateField(_("opens on"))
    closes_at = models.DateTimeField(_("submission deadline"))
    unit_check_due = models.DateField(_("unit check due"))
    review_on = models.DateField(_("review date"), null=True, blank=True)
    publicity_days = models.PositiveSmallIntegerField(_("publicity period (working days)"), default=5)
    budget = money(_("budget (10k yuan)"))
    funding_cap = money(_("funding cap per project (10k yuan)"))
    funding_ratio = models.DecimalField(
        _("funding ratio (percent of total investment)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Empty: no ratio applies."),
    )
    form_sections = models.JSONField(_("application form"), default=default_form, blank=True)
    required_attachments = models.JSONField(_("required attachments"), default=list, blank=True)
    eligibility = models.JSONField(_("eligibility"), default=dict, blank=True)
    scoring_sheet = models.JSONField(_("scoring sheet"), default=default_sheet)
    trim_from = models.PositiveSmallIntegerField(
        _("trim from (scores)"),
        default=5,
        help_text=_("Drop the highest and lowest score when at least this many experts scored."),
    )
    spread_limit = models.DecimalField(
        _("spread flagged above (points)"), max_digits=5, decimal_places=2, default=20
    )
    pass_score = models.DecimalField(
        _("lowest score for funding"), max_digits=5, decimal_places=2, default=60
    )
    avoid_years = models.PositiveSmallIntegerField(_("former employer avoided within (years)"), default=3)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    publicity_start = models.DateField(_("publicity starts"), null=True, blank=True)
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)

    scope_units = ("programme__unit",)
    scope_roles = STAFF
    # core.history cannot encode JSON lists and objects yet: the data fields are left out of the record.
    history_exclude = ChangeLoggedModel.history_exclude | {
        "form_sections",
        "required_attachments",
        "eligibility",
        "scoring_sheet",
    }
    objects = OpenQuerySet.as_manager()

    class Meta:
        verbose_name = _("call")
        verbose_name_plural = _("calls")
        ordering = ["-year", "programme__name", "pk"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("projects:call-detail", args=[self.pk])

    def is_open(self, now=None) -> bool:
        now = now or timezone.now()
        return self.opens_on <= timezone.localtime(now).date() and now <= self.closes_at

    @property
    def results_published(self) -> bool:
        return self.publicity_start is not None

    @property
    def publicity_end(self) -> datetime.date | None:
        from peiyu.core.workdays import add_working_days

        if self.publicity_start is None:
            return None
        # The start day counts as the first working day of the period.
        return add_working_days(self.publicity_start, max(self.publicity_days - 1, 0))

    def criteria(self) -> list[dict]:
        return list(self.scoring_sheet or [])

    def max_score(self):
        from decimal import Decimal

        return sum((Decimal(str(c["max"])) for c in self.criteria()), Decimal(0))


def _before_deadline(app, user) -> bool:
    return timezone.now() <= app.call.closes_at


class ApplicationWorkflow(Workflow):
    states = AppState
    transitions = (
        Transition(
            "submit",
            _("Submit"),
            (AppState.DRAFT, AppState.RETURNED),
            AppState.SUBMITTED,
            roles=frozenset({Role.ENTERPRISE}),
            condition=_before_deadline,
        ),
        Transition(
            "withdraw",
            _("Withdraw"),
            (AppState.DRAFT, AppState.SUBMITTED, AppState.RETURNED),
            AppState.WITHDRAWN,
            roles=frozenset({Role.ENTERPRISE}),
        ),
        Transition(
            "recommend",
            _("Recommend"),
            AppState.SUBMITTED,
            AppState.RECOMMENDED,
            roles=frozenset({Role.UNIT, Role.BUREAU}),
        ),
        Transition(
            "unit_return",
            _("Return to the enterprise"),
            AppState.SUBMITTED,
            AppState.RETURNED,
            roles=frozenset({Role.UNIT, Role.BUREAU}),
        ),
        Transition(
            "formal_pass",
            _("Pass the formal check"),
            AppState.RECOMMENDED,
            AppState.ACCEPTED,
            roles=frozenset({Role.BUREAU}),
        ),
        Transition(
            "formal_return",
            _("Return after the formal check"),
            AppState.RECOMMENDED,
            AppState.RETURNED,
            roles=frozenset({Role.BUREAU}),
        ),
        Transition(
            "formal_reject",
            _("Fail the formal check"),
            AppState.RECOMMENDED,
            AppState.REJECTED,
            roles=frozenset({Role.BUREAU}),
        ),
        Transition(
            "approve",
            _("Approve the project"),
            AppState.ACCEPTED,
            AppState.APPROVED,
            roles=frozenset({Role.BUREAU}),
        ),
        Transition(
            "decline",
            _("Not approved"),
            AppState.ACCEPTED,
            AppState.NOT_APPROVED,
            roles=frozenset({Role.BUREAU}),
        ),
    )

    # Steps that must say why (a returned or failed application gets its reason).
    needs_reason = frozenset({"unit_return", "formal_return", "formal_reject"})


class ApplicationQuerySet(ScopedQuerySet):
    def for_expert(self, user, declared: bool = True):
        """Applications assigned to this expert (and, by default, only those they declared no conflict for)."""
        reviews = Review.objects.filter(expert__user=user, excused=False)
        if declared:
            reviews = reviews.filter(declared_at__isnull=False)
        return self.filter(pk__in=reviews.values("application_id"))

    def readable_by(self, user):
        """What a page or the API may show this user: the scoped rows, or for an expert the assigned ones."""
        if user.is_authenticated and user.role == Role.EXPERT and not user.is_superuser:
            return self.for_expert(user)
        return self.for_user(user)


class Application(WorkflowModel, OwnedByEnterprise, ChangeLoggedModel):
    """An enterprise's application to a call (项目申报), from draft through unit check, formal check,
    review and decision."""

    workflow = ApplicationWorkflow
    call = models.ForeignKey(Call, models.PROTECT, related_name="applications", verbose_name=_("call"))
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        models.PROTECT,
        related_name="project_applications",
        verbose_name=_("enterprise"),
    )
    title = models.CharField(_("project title"), max_length=200)
    field = models.CharField(_("technical field"), max_length=2, choices=HitechField.choices, blank=True)
    total_investment = money(_("total investment (10k yuan)"))
    requested_amount = money(_("amount requested (10k yuan)"))
    answers = models.JSONField(_("form answers"), default=dict, blank=True)
    state = ApplicationWorkflow.field()
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    review_group = models.CharField(_("review group"), max_length=50, blank=True)
    score = models.DecimalField(_("score"), max_digits=6, decimal_places=2, null=True, blank=True)
    score_spread = models.DecimalField(
        _("score spread"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    proposed_amount = money(_("proposed amount (10k yuan)"))
    approved_amount = money(_("approved amount (10k yuan)"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )

    scope_roles = STAFF
    history_exclude = ChangeLoggedModel.history_exclude | {"answers"}
    objects = ApplicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["-pk"]
        constraints = [
            models.UniqueConstraint(fields=["call", "enterprise", "title"], name="unique_application_title")
        ]
        indexes = [models.Index(fields=["call", "state"])]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("projects:application-detail", args=[self.pk])

    def save(self, *args, **kwargs):
        if self.state == AppState.SUBMITTED and self.submitted_at is None:
            self.submitted_at = timezone.now()
        super().save(*args, **kwargs)

    @property
    def editable(self) -> bool:
        return self.state in (AppState.DRAFT, AppState.RETURNED)

    @property
    def spread_flagged(self) -> bool:
        return self.score_spread is not None and self.score_spread > self.call.spread_limit

    def return_reason(self) -> str:
        last = self.transition_trail().filter(to_state=AppState.RETURNED).last()
        return last.comment if last else ""


class Expert(ChangeLoggedModel):
    """A reviewer in the expert library (专家库)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="expert_profile",
        verbose_name=_("account"),
        limit_choices_to={"role": Role.EXPERT},
    )
    unit = models.ForeignKey("core.Unit", models.PROTECT, related_name="+", verbose_name=_("managing unit"))
    name = models.CharField(_("name"), max_length=50)
    field = models.CharField(_("field"), max_length=2, choices=choices.ExpertField.choices)
    subfield = models.CharField(_("sub-field"), max_length=100, blank=True)
    title = models.CharField(_("professional title"), max_length=50, blank=True)
    employer = models.CharField(_("employer"), max_length=200)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    available = models.BooleanField(_("available"), default=True)

    scope_units = ("unit",)
    scope_roles = frozenset({Role.BUREAU})
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("expert")
        verbose_name_plural = _("experts")
        ordering = ["name", "pk"]

    def __str__(self):
        return self.name


class Affiliation(ChangeLoggedModel):
    """A declared tie of an expert to an organisation (关联关系): conflicts are avoided against these."""

    expert = models.ForeignKey(Expert, models.CASCADE, related_name="affiliations", verbose_name=_("expert"))
    kind = models.CharField(_("relation"), max_length=16, choices=choices.AffiliationKind.choices)
    organisation = models.CharField(_("organisation"), max_length=200)
    uscc = models.CharField(_("credit code"), max_length=18, blank=True)
    ended_on = models.DateField(
        _("ended on"), null=True, blank=True, help_text=_("For a former employer: when the employment ended.")
    )

    history_parent = "expert"

    class Meta:
        verbose_name = _("affiliation")
        verbose_name_plural = _("affiliations")
        ordering = ["expert", "kind", "pk"]

    def __str__(self):
        return f"{self.get_kind_display()}：{self.organisation}"


class Draw(models.Model):
    """One random draw of experts for a review group of a call, reproducible from its seed."""

    call = models.ForeignKey(Call, models.CASCADE, related_name="draws", verbose_name=_("call"))
    group = models.CharField(_("review group"), max_length=50)
    seed = models.BigIntegerField(_("seed"))
    size = models.PositiveSmallIntegerField(_("experts drawn"))
    constraints = models.JSONField(_("constraints"), default=dict)
    excluded = models.JSONField(_("avoided experts"), default=list)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+", verbose_name=_("drawn by")
    )
    created = models.DateTimeField(_("drawn at"), auto_now_add=True)

    class Meta:
        verbose_name = _("expert draw")
        verbose_name_plural = _("expert draws")
        ordering = ["call", "group", "-pk"]

    def __str__(self):
        return f"{self.call} · {self.group}"

    def get_absolute_url(self):
        return reverse("projects:draw-detail", args=[self.pk])


class DrawMember(models.Model):
    """An expert drawn (or drawn as a replacement) in a draw; a decline keeps its reason."""

    draw = models.ForeignKey(Draw, models.CASCADE, related_name="members", verbose_name=_("draw"))
    expert = models.ForeignKey(Expert, models.PROTECT, related_name="draws", verbose_name=_("expert"))
    position = models.PositiveSmallIntegerField(_("order"))
    replaces = models.ForeignKey(
        "self", models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("replaces")
    )
    declined = models.BooleanField(_("declined"), default=False)
    decline_reason = models.CharField(_("reason for declining"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("drawn expert")
        verbose_name_plural = _("drawn experts")
        ordering = ["draw", "position"]
        constraints = [models.UniqueConstraint(fields=["draw", "expert"], name="unique_draw_member")]

    def __str__(self):
        return f"{self.draw} · {self.expert}"


class Review(models.Model):
    """One expert's review of one application: conflict declaration first, then scores per criterion."""

    application = models.ForeignKey(
        Application, models.CASCADE, related_name="reviews", verbose_name=_("application")
    )
    expert = models.ForeignKey(Expert, models.PROTECT, related_name="reviews", verbose_name=_("expert"))
    member = models.ForeignKey(DrawMember, models.CASCADE, null=True, blank=True, related_name="reviews")
    declared_at = models.DateTimeField(_("no-conflict declared at"), null=True, blank=True)
    excused = models.BooleanField(_("excused (conflict declared)"), default=False)
    conflict_note = models.CharField(_("conflict declared"), max_length=200, blank=True)
    scores = models.JSONField(_("scores"), default=dict, blank=True)
    total = models.DecimalField(_("total score"), max_digits=6, decimal_places=2, null=True, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        ordering = ["application", "expert__name"]
        constraints = [models.UniqueConstraint(fields=["application", "expert"], name="unique_review")]

    def __str__(self):
        return f"{self.application} · {self.expert}"


class Objection(ChangeLoggedModel):
    """An objection received during publicity (公示异议) and how it was handled."""

    call = models.ForeignKey(Call, models.CASCADE, related_name="objections", verbose_name=_("call"))
    application = models.ForeignKey(
        Application,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="objections",
        verbose_name=_("application"),
    )
    received_on = models.DateField(_("received on"), default=timezone.localdate)
    raised_by = models.CharField(_("raised by"), max_length=100)
    text = models.TextField(_("objection"))
    handling = models.TextField(_("handling"), blank=True)

    class Meta:
        verbose_name = _("objection")
        verbose_name_plural = _("objections")
        ordering = ["call", "received_on", "pk"]


class ProjectWorkflow(Workflow):
    states = ProjectState
    transitions = (
        Transition(
            "start",
            _("Task book signed"),
            ProjectState.TASK_BOOK,
            ProjectState.RUNNING,
            roles=frozenset({Role.BUREAU}),
        ),
        Transition(
            "midterm",
            _("Mid-term check done"),
            ProjectState.RUNNING,
            ProjectState.MIDTERM_DONE,
            roles=frozenset({Role.BUREAU}),
        ),
        Transition(
            "accept",
            _("Accepted"),
            (ProjectState.RUNNING, ProjectState.MIDTERM_DONE),
            ProjectState.ACCEPTED,
            roles=frozenset({Role.BUREAU}),
        ),
        Transition(
            "fail",
            _("Failed acceptance"),
            (ProjectState.RUNNING, ProjectState.MIDTERM_DONE),
            ProjectState.FAILED,
            roles=frozenset({Role.BUREAU}),
        ),
        Transition(
            "close",
            _("Close"),
            (ProjectState.ACCEPTED, ProjectState.FAILED),
            ProjectState.CLOSED,
            roles=frozenset({Role.BUREAU}),
        ),
    )


class Project(WorkflowModel, OwnedByEnterprise, ChangeLoggedModel):
    """An approved project (立项项目) with its task book, tranches, mid-term check and acceptance."""

    workflow = ProjectWorkflow
    application = models.OneToOneField(
        Application, models.PROTECT, related_name="project", verbose_name=_("application")
    )
    call = models.ForeignKey(Call, models.PROTECT, related_name="projects", verbose_name=_("call"))
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", models.PROTECT, related_name="funded_projects", verbose_name=_("enterprise")
    )
    title = models.CharField(_("project title"), max_length=200)
    approved_amount = money(_("approved amount (10k yuan)"))
    approved_on = models.DateField(_("approved on"))
    contract_number = models.CharField(_("task book number"), max_length=50, blank=True)
    targets = models.TextField(_("targets"), blank=True)
    budget_lines = models.JSONField(_("budget"), default=list, blank=True)
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    midterm_due = models.DateField(_("mid-term report due"), null=True, blank=True)
    midterm_done_on = models.DateField(_("mid-term checked on"), null=True, blank=True)
    midterm_conclusion = models.TextField(_("mid-term conclusion"), blank=True)
    acceptance_due = models.DateField(_("acceptance due"), null=True, blank=True)
    accepted_on = models.DateField(_("acceptance on"), null=True, blank=True)
    acceptance_conclusion = models.TextField(_("expert conclusion"), blank=True)
    state = ProjectWorkflow.field()

    history_exclude = ChangeLoggedModel.history_exclude | {"budget_lines"}
    scope_roles = STAFF
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("funded project")
        verbose_name_plural = _("funded projects")
        ordering = ["-approved_on", "pk"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("projects:project-detail", args=[self.pk])

    @property
    def paid(self):
        from decimal import Decimal

        return sum((t.amount for t in self.tranches.all() if t.paid_on), Decimal(0))

    @property
    def planned(self):
        from decimal import Decimal

        return sum((t.amount for t in self.tranches.all()), Decimal(0))

    @property
    def unpaid(self):
        return (self.approved_amount or 0) - self.paid

    def overdue(self, today=None) -> list[str]:
        """What is overdue today: the mid-term report, the acceptance."""
        today = today or timezone.localdate()
        late = []
        if (
            self.midterm_due
            and self.midterm_done_on is None
            and self.midterm_due < today
            and self.state == ProjectState.RUNNING
        ):
            late.append("midterm")
        if (
            self.acceptance_due
            and self.accepted_on is None
            and self.acceptance_due < today
            and self.state in OPEN_PROJECT_STATES
        ):
            late.append("acceptance")
        return late


OPEN_PROJECT_STATES = (ProjectState.TASK_BOOK, ProjectState.RUNNING, ProjectState.MIDTERM_DONE)


class Tranche(ChangeLoggedModel):
    """A payment of a project's funds (拨付) with its date and condition."""

    project = models.ForeignKey(Project, models.CASCADE, related_name="tranches", verbose_name=_("project"))
    number = models.PositiveSmallIntegerField(_("tranche"))
    amount = money(_("amount (10k yuan)"))
    planned_on = models.DateField(_("planned on"))
    condition = models.CharField(_("condition"), max_length=200, blank=True)
    paid_on = models.DateField(_("paid on"), null=True, blank=True)

    history_parent = "project"
    scope_units = ("project__enterprise__unit", "project__enterprise__park")
    scope_accounts = "project__enterprise__accounts"
    scope_roles = STAFF
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("tranche")
        verbose_name_plural = _("tranches")
        ordering = ["project", "number"]
        constraints = [models.UniqueConstraint(fields=["project", "number"], name="unique_tranche_number")]


class ReserveProject(OwnedByEnterprise, ChangeLoggedModel):
    """A project in the library and reserve (项目库/储备库): what enterprises plan or apply for at the
    national, provincial, city or district level, classified by field and batch."""

    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        models.PROTECT,
        related_name="reserve_projects",
        verbose_name=_("enterprise"),
    )
    title = models.CharField(_("project title"), max_length=200)
    level = models.CharField(_("level"), max_length=16, choices=choices.ProjectLevel.choices)
    plan_name = models.CharField(_("programme at that level"), max_length=200)
    field = models.CharField(_("technical field"), max_length=2, choices=HitechField.choices, blank=True)
    batch = models.CharField(_("batch"), max_length=50, help_text=_("e.g. 2025年第一批"))
    year = models.PositiveSmallIntegerField(_("year"))
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=choices.ReserveStatus.choices,
        default=choices.ReserveStatus.PLANNED,
    )
    amount_requested = money(_("amount requested (10k yuan)"))
    amount_approved = money(_("amount approved (10k yuan)"))
    approved_on = models.DateField(_("approved on"), null=True, blank=True)

    scope_roles = STAFF
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("reserve project")
        verbose_name_plural = _("reserve projects")
        ordering = ["-year", "level", "pk"]
        indexes = [models.Index(fields=["level", "status", "approved_on"])]

    def __str__(self):
        return self.title
