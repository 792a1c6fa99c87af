"""Targets and assessment (目标责任与考核): the indicator catalogue, plans, floor/stretch targets split
to units and cadres, reported values with their review, frozen snapshots, assessment schemes and
peer benchmarks. The arithmetic lives in `progress`, `decomposition`, `scoring` and `forecast`."""

import re
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from peiyu.core.choices import Role
from peiyu.core.models import ChangeLoggedModel
from peiyu.core.models.base import ScopedQuerySet
from peiyu.core.models.departments import HasResponsibility
from peiyu.core.periods import Period
from peiyu.core.workflows import Transition, Workflow, WorkflowModel


def amount(verbose_name, **kwargs):
    return models.DecimalField(verbose_name, max_digits=20, decimal_places=4, **kwargs)


class MeasureUnit(models.TextChoices):
    FIRMS = "家", "家"
    YI = "亿元", "亿元"
    WAN = "万元", "万元"
    PERCENT = "%", "%"
    PIECES = "件", "件"
    ITEMS = "项", "项"
    TIMES = "次", "次"
    PERSONS = "人", "人"
    COUNT = "个", "个"


class Direction(models.TextChoices):
    HIGHER = "higher", _("Higher is better")
    LOWER = "lower", _("Lower is better")


class Source(models.TextChoices):
    COMPUTED = "computed", _("Computed from platform data")
    REPORTED = "reported", _("Reported by units")


class Indicator(ChangeLoggedModel):
    """One indicator of the catalogue (指标库): how its actual value is obtained — a registered metric
    with parameters (computed) or values units report per period (reported)."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    unit = models.CharField(_("unit of measure"), max_length=8, choices=MeasureUnit.choices)
    direction = models.CharField(
        _("direction"), max_length=8, choices=Direction.choices, default=Direction.HIGHER
    )
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    metric_code = models.CharField(_("metric"), max_length=60, blank=True)
    metric_params = models.CharField(
        _("metric parameters"),
        max_length=200,
        blank=True,
        help_text=_("name=value pairs separated by commas, e.g. qualification=tech_sme"),
    )
    is_ratio = models.BooleanField(_("ratio (split by weighted value, not by sum)"), default=False)
    unconfirmed = models.BooleanField(_("definition to be confirmed"), default=False)
    note = models.CharField(_("note"), max_length=200, blank=True)

    change_logged = True

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicator catalogue")
        ordering = ["code"]

    def __str__(self):
        return f"{self.name}（{self.unit}）"

    @property
    def params(self) -> dict:
        """The metric parameters as a dict: "qualification=tech_sme, band=5" → {"qualification": "tech_sme", "band": "5"}."""
        pairs = [
            part.split("=", 1) for part in re.split(r"[,，;；]", self.metric_params or "") if "=" in part
        ]
        return {k.strip(): v.strip() for k, v in pairs}

    @property
    def scale(self) -> Decimal:
        """Factor from the metric's unit to the indicator's (a sum kept in 万元 shown in 亿元)."""
        if self.source != Source.COMPUTED or not self.metric_code:
            return Decimal(1)
        from peiyu.core import metrics

        try:
            metric_unit = metrics.get(self.metric_code).unit
        except ValueError:
            return Decimal(1)
        factors = {
            ("万元", "亿元"): Decimal("0.0001"),
            ("元", "万元"): Decimal("0.0001"),
            ("亿元", "万元"): Decimal(10000),
        }
        return factors.get((metric_unit, self.unit), Decimal(1))


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ACTIVE = "active", _("In force")
    CLOSED = "closed", _("Closed")


class PlanQuerySet(ScopedQuerySet):
    def for_user(self, user):
        """A plan is seen by users of its unit's subtree and by users of units below it (a town sees
        the district's plan, but only its own targets in it)."""
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser or (user.role in VIEW_ROLES and user.unit_id is None):
            return self
        if user.role not in VIEW_ROLES:
            return self.none()
        from peiyu.core.models import Unit

        ancestors = [int(p) for p in user.unit.path.strip("/").split("/")]
        inside = Unit.objects.subtree_ids(user.unit)
        return self.filter(unit_id__in=[*ancestors, *inside])

    def writable_by(self, user):
        return bureau_only(self, user)


VIEW_ROLES = frozenset({Role.BUREAU, Role.UNIT, Role.LEADER})


def bureau_only(queryset, user):
    """Plans, targets and schemes are set by the bureau: other roles read them at most."""
    if not user.is_authenticated or not (user.is_superuser or user.role == Role.BUREAU):
        return queryset.none()
    return ScopedQuerySet.for_user(queryset, user) if not user.is_superuser else queryset


class Plan(ChangeLoggedModel):
    """A plan (规划/年度计划) issued by a unit for a year or a span of years; it holds targets. Its
    source document is attached through core attachments."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    issuer = models.CharField(_("issuer"), max_length=100)
    unit = models.ForeignKey("core.Unit", models.PROTECT, related_name="+", verbose_name=_("unit"))
    period_code = models.CharField(
        _("period"), max_length=20, help_text=_("A year (2025) or a span of years (2011..2015).")
    )
    status = models.CharField(_("status"), max_length=8, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    document = models.CharField(_("source document"), max_length=200, blank=True)

    scope_units = ("unit",)
    scope_roles = VIEW_ROLES
    change_logged = True
    objects = PlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("plan")
        verbose_name_plural = _("plans")
        ordering = ["-period_code", "code"]

    def __str__(self):
        return self.name

    @property
    def period(self) -> Period:
        return Period.parse(self.period_code)

    def get_absolute_url(self):
        return reverse("targets:plan-detail", args=[self.pk])


class TargetQuerySet(ScopedQuerySet):
    def writable_by(self, user):
        return bureau_only(self, user)


class Target(HasResponsibility, ChangeLoggedModel):
    """Indicator × unit × period: baseline, floor (确保) and stretch (力争). A child target (`parent`)
    is the parent's share for a unit below it (层层分解)."""

    plan = models.ForeignKey(Plan, models.CASCADE, related_name="targets", verbose_name=_("plan"))
    indicator = models.ForeignKey(
        Indicator, models.PROTECT, related_name="targets", verbose_name=_("indicator")
    )
    unit = models.ForeignKey("core.Unit", models.PROTECT, related_name="+", verbose_name=_("unit"))
    parent = models.ForeignKey(
        "self",
        models.CASCADE,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent target"),
    )
    period_code = models.CharField(
        _("period"), max_length=20, help_text=_("Blank: the plan's period."), blank=True
    )
    baseline = amount(_("baseline"), null=True, blank=True)
    floor = amount(_("floor (assured)"))
    stretch = amount(_("stretch (striven for)"), null=True, blank=True)
    weight = amount(
        _("weight"),
        null=True,
        blank=True,
        help_text=_(
            "For a ratio split to units: the unit's denominator (e.g. its GDP), used to weigh the children."
        ),
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    scope_units = ("unit",)
    scope_roles = VIEW_ROLES
    change_logged = True
    history_parent = "plan"
    objects = TargetQuerySet.as_manager()

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        ordering = ["plan", "indicator__code", "unit__path"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "indicator", "unit", "period_code"], name="target_unique_per_unit"
            ),
        ]

    def __str__(self):
        return f"{self.unit} · {self.indicator.name} · {self.period.label}"

    @property
    def period(self) -> Period:
        return Period.parse(self.period_code or self.plan.period_code)

    def get_absolute_url(self):
        return reverse("targets:target-detail", args=[self.pk])


class TargetComment(models.Model):
    """A remark on a target by someone who sees it (a town official on their own target)."""

    target = models.ForeignKey(Target, models.CASCADE, related_name="comments")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    text = models.TextField(_("comment"), max_length=2000)
    created = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-created"]

    def __str__(self):
        return self.text[:40]


class ReportState(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    ACCEPTED = "accepted", _("Accepted")
    RETURNED = "returned", _("Returned")


class ReportWorkflow(Workflow):
    states = ReportState
    transitions = (
        Transition(
            "accept", _("Accept"), ReportState.SUBMITTED, ReportState.ACCEPTED, roles=frozenset({Role.BUREAU})
        ),
        Transition(
            "return", _("Return"), ReportState.SUBMITTED, ReportState.RETURNED, roles=frozenset({Role.BUREAU})
        ),
        Transition(
            "resubmit",
            _("Resubmit"),
            ReportState.RETURNED,
            ReportState.SUBMITTED,
            roles=frozenset({Role.BUREAU, Role.UNIT}),
        ),
    )


class ReportedValue(WorkflowModel, ChangeLoggedModel):
    """A value a unit reports for an indicator and a period (year-to-date for a month or quarter),
    with its attachment and review: submitted → accepted or returned with a reason."""

    indicator = models.ForeignKey(
        Indicator, models.PROTECT, related_name="reports", verbose_name=_("indicator")
    )
    unit = models.ForeignKey("core.Unit", models.PROTECT, related_name="+", verbose_name=_("unit"))
    period_code = models.CharField(_("period"), max_length=20)
    period_end = models.DateField(_("period end"), editable=False)
    value = amount(_("value"))
    measure = models.CharField(_("unit of measure"), max_length=8, choices=MeasureUnit.choices)
    note = models.CharField(_("note"), max_length=200, blank=True)
    return_reason = models.CharField(_("reason for return"), max_length=200, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("submitted by"),
    )

    workflow = ReportWorkflow
    state = ReportWorkflow.field()
    scope_units = ("unit",)
    scope_roles = VIEW_ROLES
    change_logged = True
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("reported value")
        verbose_name_plural = _("reported values")
        ordering = ["-period_end", "indicator__code", "unit__path"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "unit", "period_code"], name="reported_value_once_per_period"
            ),
        ]
        indexes = [models.Index(fields=["indicator", "unit", "period_end"])]

    def __str__(self):
        return f"{self.unit} · {self.indicator.name} · {Period.parse(self.period_code).label}"

    def save(self, *args, **kwargs):
        self.period_end = Period.parse(self.period_code).end
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("targets:report-detail", args=[self.pk])


class Snapshot(ChangeLoggedModel):
    """A target's progress frozen at a month or quarter end, so a past report never changes."""

    target = models.ForeignKey(Target, models.CASCADE, related_name="snapshots", verbose_name=_("target"))
    period_code = models.CharField(_("period"), max_length=20)
    as_of = models.DateField(_("as of"))
    actual = amount(_("actual value"), null=True)
    completion = amount(_("completion of floor (%)"), null=True)
    stretch_completion = amount(_("completion of stretch (%)"), null=True)
    elapsed = amount(_("elapsed share (working days, %)"), null=True)
    gap = amount(_("ahead of schedule (points)"), null=True)
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("taken by"),
    )
    taken_at = models.DateTimeField(_("taken at"), auto_now=True)

    scope_units = ("target__unit",)
    scope_roles = VIEW_ROLES
    change_logged = True
    history_parent = "target"
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("snapshot")
        verbose_name_plural = _("snapshots")
        ordering = ["target", "as_of"]
        constraints = [
            models.UniqueConstraint(fields=["target", "period_code"], name="snapshot_once_per_period")
        ]


class CadreTarget(ChangeLoggedModel):
    """A target per cadre (seed 000: every division-level cadre helps develop one new tech SME in two
    years); enterprises are credited to the cadre who looks after them (包联干部)."""

    plan = models.ForeignKey(Plan, models.CASCADE, related_name="cadre_targets", verbose_name=_("plan"))
    cadre = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("cadre")
    )
    period_code = models.CharField(_("period"), max_length=20)
    floor = models.PositiveIntegerField(_("new tech SMEs to develop"), default=1)

    scope_units = ("plan__unit",)
    scope_roles = frozenset({Role.BUREAU, Role.LEADER})
    change_logged = True
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("cadre target")
        verbose_name_plural = _("cadre targets")
        ordering = ["plan", "cadre__username"]
        constraints = [models.UniqueConstraint(fields=["plan", "cadre"], name="cadre_target_once_per_plan")]

    @property
    def period(self) -> Period:
        return Period.parse(self.period_code)


class SchemeQuerySet(PlanQuerySet):
    pass


class Scheme(ChangeLoggedModel):
    """An assessment scheme (年度考核方案) for a year: indicators with weights and scoring rules."""

    plan = models.ForeignKey(Plan, models.CASCADE, related_name="schemes", verbose_name=_("plan"))
    name = models.CharField(_("name"), max_length=200)
    year = models.PositiveSmallIntegerField(_("year"))
    unit = models.ForeignKey("core.Unit", models.PROTECT, related_name="+", verbose_name=_("unit"))

    scope_units = ("unit",)
    scope_roles = VIEW_ROLES
    change_logged = True
    objects = SchemeQuerySet.as_manager()

    class Meta:
        verbose_name = _("assessment scheme")
        verbose_name_plural = _("assessment schemes")
        ordering = ["-year", "name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("targets:scheme-detail", args=[self.pk])


class SchemeItem(ChangeLoggedModel):
    """One indicator of a scheme and its rule: full points at the floor, proportional below it, zero
    under `minimum` (% of the floor), a bonus up to `bonus_cap` for reaching the stretch, or a veto
    (一票否决) that zeroes the unit's total when the floor is missed."""

    scheme = models.ForeignKey(Scheme, models.CASCADE, related_name="items", verbose_name=_("scheme"))
    indicator = models.ForeignKey(Indicator, models.PROTECT, related_name="+", verbose_name=_("indicator"))
    weight = amount(_("points"))
    bonus_cap = amount(_("bonus cap"), default=0)
    minimum = amount(_("zero below this share of the floor (%)"), default=0)
    veto = models.BooleanField(_("veto item"), default=False)

    history_parent = "scheme"
    change_logged = True

    class Meta:
        verbose_name = _("scheme indicator")
        verbose_name_plural = _("scheme indicators")
        ordering = ["scheme", "pk"]


class Adjustment(ChangeLoggedModel):
    """Extra points or a deduction for a unit in a scheme, always with a reason."""

    scheme = models.ForeignKey(Scheme, models.CASCADE, related_name="adjustments", verbose_name=_("scheme"))
    unit = models.ForeignKey("core.Unit", models.PROTECT, related_name="+", verbose_name=_("unit"))
    points = amount(_("points (negative: deduction)"))
    reason = models.CharField(_("reason"), max_length=200)

    history_parent = "scheme"
    change_logged = True

    class Meta:
        verbose_name = _("extra points or deduction")
        verbose_name_plural = _("extra points and deductions")


class Benchmark(ChangeLoggedModel):
    """A peer region's value of an indicator (对标), with its source and year."""

    indicator = models.ForeignKey(
        Indicator, models.PROTECT, related_name="benchmarks", verbose_name=_("indicator")
    )
    region = models.CharField(_("region"), max_length=50)
    year = models.PositiveSmallIntegerField(_("year"))
    value = amount(_("value"))
    source = models.CharField(_("source"), max_length=200)
    is_own = models.BooleanField(_("our own figure"), default=False)

    change_logged = True

    class Meta:
        verbose_name = _("peer benchmark")
        verbose_name_plural = _("peer benchmarks")
        ordering = ["indicator", "-year", "region"]
