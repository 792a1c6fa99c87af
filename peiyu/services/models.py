"""Services to enterprises (科技服务): service events and the enterprises they served, quotas,
financing obtained, the technology demand/supply board with introductions, the policy library with
its conditions as data, and written growth diagnoses. Money in 万元 (Decimal, four places)."""

import secrets

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from peiyu.core.choices import Role
from peiyu.core.models import ChangeLoggedModel, PrimaryModel, ScopedQuerySet
from peiyu.core.models.base import AliveManager
from peiyu.enterprises.choices import HitechField
from peiyu.enterprises.models import OwnedByEnterprise, money
from peiyu.services import choices


def new_token() -> str:
    return secrets.token_urlsafe(18)


class ServiceEvent(PrimaryModel):
    """A service event (科技服务活动) organised by a unit, with the enterprises it served."""

    kind = models.CharField(_("event type"), max_length=20, choices=choices.EventKind.choices)
    date = models.DateField(_("date"))
    unit = models.ForeignKey(
        "core.Unit", models.PROTECT, related_name="service_events", verbose_name=_("organiser unit")
    )
    place = models.CharField(_("place"), max_length=200, blank=True)
    topic = models.CharField(_("topic"), max_length=200)
    people = models.PositiveIntegerField(_("people attending"), default=0)
    minutes = models.TextField(_("minutes"), blank=True)
    signin_token = models.CharField(max_length=40, unique=True, default=new_token, editable=False)

    scope_units = ("unit",)
    scope_accounts = "attendances__enterprise__accounts"
    history_exclude = ChangeLoggedModel.history_exclude | {"signin_token"}

    class Meta:
        verbose_name = _("service event")
        verbose_name_plural = _("service events")
        ordering = ["-date", "-pk"]
        indexes = [models.Index(fields=["date", "unit"])]

    def __str__(self):
        return f"{self.date:%Y年%m月%d日} {self.topic}"

    def get_absolute_url(self):
        return reverse("services:event", args=[self.pk])

    def signin_open(self, today=None) -> bool:
        """Sign-in works up to the end of the event day (Beijing time), never after."""
        return (today or timezone.localdate()) <= self.date


class EventAttendance(ChangeLoggedModel):
    """An enterprise served by an event: checked in by credit code or signed in by QR code, once."""

    event = models.ForeignKey(
        ServiceEvent, models.CASCADE, related_name="attendances", verbose_name=_("service event")
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        models.PROTECT,
        related_name="service_attendances",
        verbose_name=_("enterprise"),
    )
    method = models.CharField(_("how"), max_length=16, choices=choices.CheckInMethod.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, verbose_name=_("recorded by")
    )

    scope_units = ("event__unit",)
    scope_accounts = "enterprise__accounts"
    history_parent = "event"

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("enterprise served")
        verbose_name_plural = _("enterprises served")
        ordering = ["created"]
        constraints = [
            models.UniqueConstraint(fields=["event", "enterprise"], name="one_attendance_per_event")
        ]


class Quota(ChangeLoggedModel):
    """A service quota (服务指标) as data: for a unit and a year, a target per month or per year of
    events, enterprises served or financing, optionally for one event type."""

    unit = models.ForeignKey(
        "core.Unit", models.PROTECT, related_name="service_quotas", verbose_name=_("unit")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    measure = models.CharField(_("measure"), max_length=16, choices=choices.QuotaMeasure.choices)
    period = models.CharField(_("period"), max_length=8, choices=choices.QuotaPeriod.choices)
    event_kind = models.CharField(
        _("event type"),
        max_length=20,
        choices=choices.EventKind.choices,
        blank=True,
        help_text=_("Empty: events of every type count."),
    )
    product = models.CharField(
        _("financing product"),
        max_length=100,
        blank=True,
        help_text=_("For financing quotas: only this product counts (e.g. 天府科创贷); empty: all."),
    )
    target = models.DecimalField(
        _("target"), max_digits=18, decimal_places=4, validators=[MinValueValidator(0)]
    )
    basis = models.CharField(
        _("basis"), max_length=200, blank=True, help_text=_("The document that sets the quota.")
    )
    unconfirmed = models.BooleanField(_("to be verified"), default=False)

    scope_units = ("unit",)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("service quota")
        verbose_name_plural = _("service quotas")
        ordering = ["unit", "-year", "measure", "event_kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "year", "measure", "period", "event_kind", "product"],
                name="unique_service_quota",
            )
        ]

    def __str__(self):
        kind = (
            f" · {self.get_event_kind_display()}"
            if self.event_kind
            else (f" · {self.product}" if self.product else "")
        )
        return f"{self.unit} {self.year} {self.get_measure_display()}{kind}（{self.get_period_display()}）"


class Financing(OwnedByEnterprise, PrimaryModel):
    """Financing an enterprise obtained with the bureau's help (融资服务): a loan, guarantee, equity
    investment or IP pledge, with product, lender, amount and term."""

    enterprise = models.ForeignKey(
        "enterprises.Enterprise", models.PROTECT, related_name="financings", verbose_name=_("enterprise")
    )
    kind = models.CharField(
        _("financing type"),
        max_length=16,
        choices=choices.FinancingKind.choices,
        default=choices.FinancingKind.LOAN,
    )
    product = models.CharField(_("product"), max_length=100, blank=True)
    lender = models.CharField(_("lender or investor"), max_length=100)
    amount = models.DecimalField(
        _("amount (10k yuan)"), max_digits=18, decimal_places=4, validators=[MinValueValidator(0)]
    )
    date = models.DateField(_("date"))
    term_months = models.PositiveSmallIntegerField(_("term (months)"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=255, blank=True)

    history_parent = "enterprise"

    class Meta:
        verbose_name = _("financing")
        verbose_name_plural = _("financing")
        ordering = ["-date", "-pk"]
        indexes = [models.Index(fields=["date"])]

    def __str__(self):
        return f"{self.enterprise} {self.product or self.get_kind_display()} {self.date:%Y-%m-%d}"


class TechPostQuerySet(ScopedQuerySet):
    def visible_to(self, user):
        """What a user may read on the board: their own scope, plus every public post."""
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        if not user.is_superuser and user.role == Role.EXPERT:
            return self.none()
        mine = self.for_user(user).values("pk")
        return self.filter(Q(pk__in=mine) | Q(public=True))


class TechPost(PrimaryModel):
    """A post on the technology board: an enterprise's demand (技术需求) or a result or capability
    offered by a research institute, provider or enterprise (成果供给)."""

    side = models.CharField(_("side"), max_length=8, choices=choices.PostSide.choices)
    title = models.CharField(_("title"), max_length=200)
    field = models.CharField(_("hi-tech field"), max_length=2, choices=HitechField.choices)
    description = models.TextField(_("description"))
    keywords = models.CharField(
        _("keywords"),
        max_length=300,
        blank=True,
        help_text=_("Separated by spaces; words of the title and description are added."),
    )
    budget = money(_("budget or price (10k yuan)"))
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    public = models.BooleanField(
        _("public"), default=True, help_text=_("Off: only the bureau and the poster see it.")
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="tech_posts",
        verbose_name=_("enterprise"),
    )
    provider = models.CharField(
        _("institute or provider"),
        max_length=200,
        blank=True,
        help_text=_("For results offered by a university, institute or service provider."),
    )
    unit = models.ForeignKey("core.Unit", models.PROTECT, related_name="tech_posts", verbose_name=_("unit"))
    contact = models.CharField(_("contact"), max_length=100, blank=True)
    tokens = models.TextField(editable=False, blank=True)

    scope_units = ("unit",)
    scope_accounts = "enterprise__accounts"
    history_exclude = ChangeLoggedModel.history_exclude | {"tokens"}

    objects = AliveManager.from_queryset(TechPostQuerySet)()
    all_objects = TechPostQuerySet.as_manager()

    class Meta:
        verbose_name = _("technology post")
        verbose_name_plural = _("technology posts")
        ordering = ["-created", "-pk"]
        indexes = [models.Index(fields=["side", "field"])]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("services:post", args=[self.pk])

    @property
    def poster(self) -> str:
        return str(self.enterprise) if self.enterprise_id else self.provider

    def save(self, *args, **kwargs):
        from peiyu.services.matching import post_tokens

        self.tokens = " ".join(post_tokens(self.title, self.description, self.keywords))
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "tokens"}
        super().save(*args, **kwargs)


class Introduction(ChangeLoggedModel):
    """The bureau introduced a demand to a supply (对接): the outcome, and a signed contract's
    amount, which counts toward registered technology contracts."""

    demand = models.ForeignKey(
        TechPost,
        models.PROTECT,
        related_name="introductions_as_demand",
        verbose_name=_("demand"),
        limit_choices_to={"side": "demand"},
    )
    supply = models.ForeignKey(
        TechPost,
        models.PROTECT,
        related_name="introductions_as_supply",
        verbose_name=_("supply"),
        limit_choices_to={"side": "supply"},
    )
    introduced_on = models.DateField(_("introduced on"), default=timezone.localdate)
    status = models.CharField(
        _("outcome"),
        max_length=16,
        choices=choices.IntroductionStatus.choices,
        default=choices.IntroductionStatus.INTRODUCED,
    )
    contract_amount = money(_("contract amount (10k yuan)"))
    contract_date = models.DateField(_("contract date"), null=True, blank=True)
    registered = models.BooleanField(_("registered as a technology contract"), default=False)
    note = models.CharField(_("note"), max_length=255, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, verbose_name=_("recorded by")
    )

    scope_units = ("demand__unit", "supply__unit")
    scope_accounts = "demand__enterprise__accounts"
    history_parent = "demand"

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("introduction")
        verbose_name_plural = _("introductions")
        ordering = ["-introduced_on", "-pk"]
        constraints = [models.UniqueConstraint(fields=["demand", "supply"], name="one_introduction_per_pair")]

    def __str__(self):
        return f"{self.demand} ↔ {self.supply}"


class PolicyQuerySet(ScopedQuerySet):
    def for_user(self, user):
        """Policies are public documents: staff read them all; enterprise users the published ones."""
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser or user.role in {Role.BUREAU, Role.UNIT, Role.LEADER, Role.PARTY}:
            return self
        if user.role == Role.ENTERPRISE:
            return self.filter(status=choices.PolicyStatus.PUBLISHED)
        return self.none()

    def writable_by(self, user):
        """Only bureau staff (and administrators) keep the policy library."""
        if user.is_authenticated and (user.is_superuser or user.role == Role.BUREAU):
            return self
        return self.none()

    def published(self):
        return self.filter(status=choices.PolicyStatus.PUBLISHED)


class Policy(PrimaryModel):
    """A policy in the library (政策库) with its conditions as data, matched to enterprises both
    ways (政策找企业 / 免申即享)."""

    title = models.CharField(_("title"), max_length=200)
    issuer = models.CharField(_("issuer"), max_length=200)
    doc_number = models.CharField(_("document number"), max_length=100, blank=True)
    level = models.CharField(_("level"), max_length=16, choices=choices.PolicyLevel.choices)
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    effective_from = models.DateField(_("in force from"), null=True, blank=True)
    effective_to = models.DateField(_("in force until"), null=True, blank=True)
    text = models.TextField(_("full text"), blank=True)
    benefit_kind = models.CharField(_("benefit type"), max_length=16, choices=choices.BenefitKind.choices)
    benefit = models.CharField(_("benefit"), max_length=300)
    benefit_amount = money(_("benefit amount (10k yuan)"))
    status = models.CharField(
        _("status"), max_length=16, choices=choices.PolicyStatus.choices, default=choices.PolicyStatus.DRAFT
    )
    unconfirmed = models.BooleanField(
        _("to be verified"),
        default=False,
        help_text=_("Conditions or amounts not yet checked against the official text."),
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True, editable=False)

    objects = AliveManager.from_queryset(PolicyQuerySet)()
    all_objects = PolicyQuerySet.as_manager()

    class Meta:
        verbose_name = _("policy")
        verbose_name_plural = _("policies")
        ordering = ["-issued_on", "title"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("services:policy", args=[self.pk])


class PolicyCondition(models.Model):
    """One condition of a policy (all must hold). `value` holds a number, or codes separated by
    commas of which any one will do (qualification kinds, stages, sections, fields, unit codes,
    rule set codes)."""

    policy = models.ForeignKey(Policy, models.CASCADE, related_name="conditions", verbose_name=_("policy"))
    kind = models.CharField(_("condition"), max_length=16, choices=choices.ConditionKind.choices)
    value = models.CharField(_("value"), max_length=200)

    class Meta:
        verbose_name = _("policy condition")
        verbose_name_plural = _("policy conditions")
        ordering = ["policy", "pk"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.value}"

    @property
    def values(self) -> list[str]:
        return [v.strip() for v in self.value.replace("，", ",").split(",") if v.strip()]


class Diagnosis(OwnedByEnterprise, ChangeLoggedModel):
    """A written growth diagnosis (成长诊断) of an enterprise by the bureau's staff."""

    enterprise = models.ForeignKey(
        "enterprises.Enterprise", models.CASCADE, related_name="diagnoses", verbose_name=_("enterprise")
    )
    year = models.PositiveSmallIntegerField(_("figures of year"))
    written_on = models.DateField(_("date"), default=timezone.localdate)
    author = models.CharField(_("written by"), max_length=50)
    summary = models.TextField(_("overall assessment"), blank=True)
    strengths = models.TextField(_("strengths"), blank=True)
    problems = models.TextField(_("problems and risks"), blank=True)
    suggestions = models.TextField(_("suggestions and next steps"), blank=True)

    history_parent = "enterprise"

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("growth diagnosis")
        verbose_name_plural = _("growth diagnoses")
        ordering = ["enterprise", "-written_on", "-pk"]

    def __str__(self):
        return f"{self.enterprise} {self.written_on:%Y-%m-%d}"
