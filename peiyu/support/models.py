"""Support programmes (扶持政策): innovation vouchers (科技创新券), the R&D post-subsidy
(研发投入后补助) and science & technology commissioners (科技特派员).

Money is in 万元 with four decimals, so exact to the yuan. Every policy number is data on a policy
row (RULES.md §8, §9); the numbers RULES.md marks UNCONFIRMED carry `unconfirmed` and the pages say
口径待核实."""

import datetime
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from peiyu.core.choices import Role
from peiyu.core.models import ChangeLoggedModel, PrimaryModel, ScopedQuerySet
from peiyu.core.models.base import DEFAULT_SCOPE_ROLES, AliveManager
from peiyu.core.workflows import Transition, Workflow, WorkflowModel
from peiyu.enterprises.choices import QualificationKind
from peiyu.enterprises.models import OwnedByEnterprise
from peiyu.support import choices


def money(verbose_name, **kwargs):
    """An amount in 万元, exact to the yuan; never negative."""
    kwargs.setdefault("validators", [MinValueValidator(0)])
    return models.DecimalField(verbose_name, max_digits=18, decimal_places=4, **kwargs)


def share(verbose_name, **kwargs):
    """A ratio between 0 and 1 (0.3 is 30 %)."""
    return models.DecimalField(
        verbose_name,
        max_digits=7,
        decimal_places=6,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
        **kwargs,
    )


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later (31 January + 1 month is 28/29 February)."""
    return day + relativedelta(months=months)


class PublishedQuerySet(ScopedQuerySet):
    """Policies and registries every data role reads (a town official and an enterprise read the
    district's voucher policy); only bureau staff of the owning unit (or above) change them."""

    def for_user(self, user):
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser or user.role in DEFAULT_SCOPE_ROLES or user.role == Role.ENTERPRISE:
            return self
        return self.none()

    def visible_to_role(self, user) -> bool:
        return user.is_superuser or user.role in DEFAULT_SCOPE_ROLES or user.role == Role.ENTERPRISE

    def writable_by(self, user):
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self
        if user.role != Role.BUREAU:
            return self.none()
        if user.unit_id is None:
            return self
        from peiyu.core.models import Unit

        return self.filter(unit__in=Unit.objects.subtree_ids(user.unit))


def bureau_only(obj, user) -> bool:
    return user.is_superuser or user.role == Role.BUREAU


# — innovation vouchers ————————————————————————————————————————————————————————————————


class VoucherPolicy(ChangeLoggedModel):
    """One year's voucher scheme (科技创新券管理办法) as data: budget, caps, validity, split, exclusions."""

    unit = models.ForeignKey(
        "core.Unit", models.PROTECT, related_name="voucher_policies", verbose_name=_("unit")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    name = models.CharField(_("name"), max_length=200)
    document = models.CharField(_("document number"), max_length=100, blank=True)
    total_budget = money(_("total budget (10k yuan)"))
    enterprise_annual_cap = money(_("annual cap per enterprise (10k yuan)"), default=Decimal("20"))
    validity_months = models.PositiveSmallIntegerField(_("validity (months from application)"), default=3)
    provincial_share = share(_("provincial share of each subsidy"), default=Decimal("0"))
    eligible_qualifications = models.CharField(
        _("eligible qualifications"),
        max_length=200,
        blank=True,
        help_text=_("Empty: every enterprise in the library may apply."),
    )
    exclusions = models.TextField(_("exclusions"), blank=True)
    is_open = models.BooleanField(_("open for applications"), default=True)
    unconfirmed = models.BooleanField(_("numbers to be verified"), default=False)

    scope_units = ("unit",)
    objects = PublishedQuerySet.as_manager()

    class Meta:
        verbose_name = _("voucher policy")
        verbose_name_plural = _("voucher policies")
        ordering = ["-year", "name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("support:voucherpolicy-detail", args=[self.pk])

    def share_for(self, category: str):
        return self.shares.filter(category=category).first()

    @property
    def eligible_kinds(self) -> list[str]:
        return [k for k in self.eligible_qualifications.split(",") if k in QualificationKind.values]

    def eligible_kinds_display(self) -> list[str]:
        return [str(QualificationKind(k).label) for k in self.eligible_kinds]


class VoucherShare(ChangeLoggedModel):
    """The largest share of the service fee a voucher pays for one service category, and a per-person
    cap where one applies (技术经理人培训: 30 %, at most 1000 元 per person)."""

    policy = models.ForeignKey(VoucherPolicy, models.CASCADE, related_name="shares", verbose_name=_("policy"))
    category = models.CharField(_("service category"), max_length=24, choices=choices.ServiceCategory.choices)
    share_cap = share(_("maximum share of the fee"))
    per_person_cap = money(_("cap per person (10k yuan)"), null=True, blank=True)

    history_parent = "policy"
    scope_units = ("policy__unit",)
    objects = PublishedQuerySet.as_manager()

    class Meta:
        verbose_name = _("service category share")
        verbose_name_plural = _("service category shares")
        ordering = ["policy", "category"]
        constraints = [models.UniqueConstraint(fields=["policy", "category"], name="unique_voucher_share")]

    def __str__(self):
        return f"{self.get_category_display()} {self.share_cap:.0%}"


class ServiceProvider(PrimaryModel):
    """A registered service provider (服务机构) and the credit codes it is affiliated with."""

    unit = models.ForeignKey(
        "core.Unit", models.PROTECT, related_name="voucher_providers", verbose_name=_("registering unit")
    )
    name = models.CharField(_("name"), max_length=200)
    uscc = models.CharField(_("unified social credit code"), max_length=18, unique=True)
    legal_representative = models.CharField(_("legal representative"), max_length=50, blank=True)
    affiliated_usccs = models.TextField(
        _("affiliated enterprises' credit codes"),
        blank=True,
        help_text=_("One per line: enterprises with an affiliation or equity tie to this provider."),
    )
    contact = models.CharField(_("contact"), max_length=100, blank=True)
    is_active = models.BooleanField(_("registered"), default=True)

    scope_units = ("unit",)
    objects = AliveManager.from_queryset(PublishedQuerySet)()
    all_objects = PublishedQuerySet.as_manager()

    class Meta:
        verbose_name = _("service provider")
        verbose_name_plural = _("service providers")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("support:provider-detail", args=[self.pk])

    def affiliated_codes(self) -> set[str]:
        return {line.strip().upper() for line in self.affiliated_usccs.splitlines() if line.strip()}


class ProviderService(ChangeLoggedModel):
    """A service a provider offers, in one category."""

    provider = models.ForeignKey(
        ServiceProvider, models.CASCADE, related_name="services", verbose_name=_("provider")
    )
    category = models.CharField(_("service category"), max_length=24, choices=choices.ServiceCategory.choices)
    name = models.CharField(_("service"), max_length=200)

    history_parent = "provider"
    scope_units = ("provider__unit",)
    objects = PublishedQuerySet.as_manager()

    class Meta:
        verbose_name = _("provider service")
        verbose_name_plural = _("provider services")
        ordering = ["provider", "category", "name"]

    def __str__(self):
        return f"{self.provider} · {self.name}"


class VoucherWorkflow(Workflow):
    states = choices.VoucherState
    transitions = ()  # issue, use, redeem and expire go through peiyu.support.vouchers (they compute)


class Voucher(OwnedByEnterprise, WorkflowModel, ChangeLoggedModel):
    """One electronic voucher (创新券) of an enterprise: face value, category, issue and expiry, state."""

    workflow = VoucherWorkflow
    policy = models.ForeignKey(
        VoucherPolicy, models.PROTECT, related_name="vouchers", verbose_name=_("policy")
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", models.PROTECT, related_name="vouchers", verbose_name=_("enterprise")
    )
    number = models.CharField(_("voucher number"), max_length=32, unique=True)
    category = models.CharField(_("service category"), max_length=24, choices=choices.ServiceCategory.choices)
    face_value = money(_("face value (10k yuan)"))
    purpose = models.CharField(_("purpose"), max_length=255, blank=True)
    legal_representative = models.CharField(_("legal representative"), max_length=50, blank=True)
    applied_on = models.DateField(_("applied on"))
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    expires_on = models.DateField(_("valid until"), null=True, blank=True)
    state = VoucherWorkflow.field(db_index=True)
    note = models.CharField(_("note"), max_length=255, blank=True)
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("applicant"),
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("innovation voucher")
        verbose_name_plural = _("innovation vouchers")
        ordering = ["-applied_on", "-pk"]
        indexes = [models.Index(fields=["state", "expires_on"]), models.Index(fields=["policy", "state"])]

    def __str__(self):
        return self.number

    def get_absolute_url(self):
        return reverse("support:voucher-detail", args=[self.pk])

    def is_valid_on(self, day: datetime.date) -> bool:
        return (
            self.state == choices.VoucherState.ISSUED
            and self.expires_on is not None
            and day <= self.expires_on
        )


class ServiceContract(ChangeLoggedModel):
    """The service contract a voucher is used on (provider, fee, invoice date)."""

    voucher = models.OneToOneField(
        Voucher, models.CASCADE, related_name="contract", verbose_name=_("voucher")
    )
    provider = models.ForeignKey(
        ServiceProvider, models.PROTECT, related_name="contracts", verbose_name=_("provider")
    )
    service = models.ForeignKey(
        ProviderService, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("service")
    )
    contract_number = models.CharField(_("contract number"), max_length=64, blank=True)
    fee = money(_("service fee (10k yuan)"), validators=[MinValueValidator(Decimal("0.0001"))])
    invoice_number = models.CharField(_("invoice number"), max_length=64, blank=True)
    invoice_date = models.DateField(_("invoice date"))
    persons = models.PositiveIntegerField(_("persons trained"), null=True, blank=True)

    history_parent = "voucher"
    scope_units = ("voucher__enterprise__unit", "voucher__enterprise__park")
    scope_accounts = "voucher__enterprise__accounts"
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("service contract")
        verbose_name_plural = _("service contracts")

    def __str__(self):
        return f"{self.voucher} · {self.provider}"


class Redemption(ChangeLoggedModel):
    """A redeemed voucher (兑付): the subsidy min(share cap × fee, remaining annual cap, face value),
    its provincial and local parts, and the reasoning."""

    voucher = models.OneToOneField(
        Voucher, models.PROTECT, related_name="redemption", verbose_name=_("voucher")
    )
    redeemed_on = models.DateField(_("redeemed on"))
    fee = money(_("service fee (10k yuan)"))
    share_cap = share(_("share cap"))
    by_share = money(_("share cap × fee (10k yuan)"))
    remaining_cap = money(_("remaining annual cap (10k yuan)"))
    amount = money(_("subsidy (10k yuan)"))
    provincial_amount = money(_("provincial part (10k yuan)"))
    local_amount = money(_("local part (10k yuan)"))
    reasons = models.JSONField(_("reasoning"), default=list)
    publicised_on = models.DateField(_("publicised on"), null=True, blank=True)

    history_parent = "voucher"
    history_exclude = ChangeLoggedModel.history_exclude | {"reasons"}
    scope_units = ("voucher__enterprise__unit", "voucher__enterprise__park")
    scope_accounts = "voucher__enterprise__accounts"
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("redemption")
        verbose_name_plural = _("redemptions")
        ordering = ["-redeemed_on", "-pk"]

    def __str__(self):
        return f"{self.voucher} {self.amount}"


# — R&D post-subsidy ———————————————————————————————————————————————————————————————————


class SubsidyPolicy(ChangeLoggedModel):
    """A year's R&D post-subsidy rule as data (RULES.md §8.2): a rate on the increment with a cap, or
    tiers on last year's R&D with an intensity gate; title multipliers with their maxima; industries
    exempt from the hi-tech and intensity conditions."""

    unit = models.ForeignKey(
        "core.Unit", models.PROTECT, related_name="subsidy_policies", verbose_name=_("unit")
    )
    year = models.PositiveSmallIntegerField(
        _("data year"), help_text=_("The year whose R&D figures are rewarded.")
    )
    name = models.CharField(_("name"), max_length=200)
    document = models.CharField(_("document number"), max_length=100, blank=True)
    method = models.CharField(_("method"), max_length=16, choices=choices.SubsidyMethod.choices)
    rate = share(_("rate on the increment"), null=True, blank=True)
    cap = money(_("cap per enterprise (10k yuan)"), null=True, blank=True)
    min_rd = money(_("R&D floor (10k yuan)"), null=True, blank=True)
    min_revenue = money(_("revenue floor (10k yuan)"), null=True, blank=True)
    min_intensity = share(_("minimum R&D intensity"), null=True, blank=True)
    requires_hitech = models.BooleanField(_("hi-tech enterprises only"), default=False)
    requires_deduction = models.BooleanField(_("super-deduction filing required"), default=False)
    provincial_multiplier = models.DecimalField(
        _("provincial specialised SME multiplier"), max_digits=5, decimal_places=3, default=Decimal("1.5")
    )
    provincial_max = money(
        _("provincial specialised SME maximum (10k yuan)"), null=True, blank=True, default=Decimal("300")
    )
    giant_multiplier = models.DecimalField(
        _("national little giant multiplier"), max_digits=5, decimal_places=3, default=Decimal("2")
    )
    giant_max = money(
        _("national little giant maximum (10k yuan)"), null=True, blank=True, default=Decimal("400")
    )
    exempt_industries = models.CharField(
        _("exempt industry codes"),
        max_length=255,
        blank=True,
        help_text=_(
            "GB/T 4754 code prefixes separated by commas (e.g. 27 for pharmaceuticals): exempt from the hi-tech and intensity conditions."
        ),
    )
    unconfirmed = models.BooleanField(_("numbers to be verified"), default=False)

    scope_units = ("unit",)
    objects = PublishedQuerySet.as_manager()

    class Meta:
        verbose_name = _("R&D post-subsidy policy")
        verbose_name_plural = _("R&D post-subsidy policies")
        ordering = ["-year", "name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("support:subsidypolicy-detail", args=[self.pk])

    def exempt_prefixes(self) -> tuple[str, ...]:
        return tuple(p.strip() for p in self.exempt_industries.split(",") if p.strip())


class SubsidyTier(ChangeLoggedModel):
    """A tier: last year's R&D from `rd_floor` (含) up to the next tier's floor, the intensity it also
    requires, and the award."""

    policy = models.ForeignKey(SubsidyPolicy, models.CASCADE, related_name="tiers", verbose_name=_("policy"))
    rd_floor = money(_("R&D from (10k yuan, inclusive)"))
    min_intensity = share(_("R&D ÷ revenue at least"), null=True, blank=True)
    award = money(_("award (10k yuan)"))

    history_parent = "policy"
    scope_units = ("policy__unit",)
    objects = PublishedQuerySet.as_manager()

    class Meta:
        verbose_name = _("post-subsidy tier")
        verbose_name_plural = _("post-subsidy tiers")
        ordering = ["policy", "rd_floor"]


class SubsidyWorkflow(Workflow):
    states = choices.SubsidyState
    transitions = (
        Transition(
            "confirm",
            _("Record tax bureau confirmation"),
            choices.SubsidyState.COMPUTED,
            choices.SubsidyState.CONFIRMED,
            roles={Role.BUREAU},
        ),
        Transition(
            "approve",
            _("Approve"),
            choices.SubsidyState.CONFIRMED,
            choices.SubsidyState.APPROVED,
            roles={Role.BUREAU},
        ),
        Transition(
            "pay",
            _("Record payment"),
            choices.SubsidyState.APPROVED,
            choices.SubsidyState.PAID,
            roles={Role.BUREAU},
        ),
        Transition(
            "claw_back",
            _("Claw back"),
            choices.SubsidyState.PAID,
            choices.SubsidyState.CLAWED_BACK,
            roles={Role.BUREAU},
        ),
    )


class SubsidyResult(OwnedByEnterprise, WorkflowModel, ChangeLoggedModel):
    """One enterprise's computed post-subsidy under a policy, with its reasoning, the tax bureau's
    confirmation, payment and any claw-back."""

    workflow = SubsidyWorkflow
    policy = models.ForeignKey(
        SubsidyPolicy, models.CASCADE, related_name="results", verbose_name=_("policy")
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", models.CASCADE, related_name="rd_subsidies", verbose_name=_("enterprise")
    )
    rd = money(_("R&D of the year (10k yuan)"), null=True, blank=True)
    rd_previous = money(_("R&D of the year before (10k yuan)"), null=True, blank=True)
    revenue = money(_("revenue (10k yuan)"), null=True, blank=True)
    deduction_rd = money(_("R&D in the super-deduction filing (10k yuan)"), null=True, blank=True)
    base_award = money(_("base award (10k yuan)"), default=Decimal(0))
    multiplier = models.DecimalField(_("multiplier"), max_digits=5, decimal_places=3, default=Decimal(1))
    amount = money(_("post-subsidy (10k yuan)"), default=Decimal(0))
    eligible = models.BooleanField(_("eligible"), default=False)
    reasons = models.JSONField(_("reasoning"), default=list)
    state = SubsidyWorkflow.field(db_index=True)
    tax_confirmation = models.CharField(_("tax bureau confirmation"), max_length=200, blank=True)
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    clawback_amount = money(_("clawed back (10k yuan)"), null=True, blank=True)
    clawback_reason = models.CharField(_("claw-back reason"), max_length=255, blank=True)

    history_parent = "enterprise"
    history_exclude = ChangeLoggedModel.history_exclude | {"reasons"}
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("R&D post-subsidy")
        verbose_name_plural = _("R&D post-subsidies")
        ordering = ["-amount", "enterprise__name"]
        constraints = [models.UniqueConstraint(fields=["policy", "enterprise"], name="unique_subsidy_result")]

    def __str__(self):
        return f"{self.enterprise} · {self.policy}"

    def get_absolute_url(self):
        return reverse("support:subsidy-detail", args=[self.pk])


# — science & technology commissioners ————————————————————————————————————————————————


class CommissionerScheme(ChangeLoggedModel):
    """A locality's commissioner rules as data (RULES.md §9): team composition, term, service time,
    working funds and the assessment grades (thresholds UNCONFIRMED: configure per locality)."""

    unit = models.ForeignKey(
        "core.Unit", models.PROTECT, related_name="commissioner_schemes", verbose_name=_("unit")
    )
    name = models.CharField(_("name"), max_length=200)
    term_years = models.PositiveSmallIntegerField(_("term (years)"), default=3)
    min_team_size = models.PositiveSmallIntegerField(_("minimum team members"), default=10)
    leader_rank = models.CharField(
        _("team leader's rank"),
        max_length=16,
        choices=choices.TitleRank.choices,
        default=choices.TitleRank.FULL_SENIOR,
    )
    min_local_share = share(_("city and county members at least"), default=Decimal("0.5"))
    min_county_share = share(_("county members at least"), default=Decimal("0.2"))
    max_outside_share = share(_("members from outside the province at most"), default=Decimal("0.2"))
    min_service_days = models.DecimalField(
        _("service days a year at least"), max_digits=5, decimal_places=1, default=Decimal("60")
    )
    working_fund = money(_("working funds per person per year (10k yuan)"), default=Decimal("1"))
    excellent_points = models.DecimalField(
        _("points for 优秀"), max_digits=6, decimal_places=1, default=Decimal("60")
    )
    pass_points = models.DecimalField(
        _("points for 合格"), max_digits=6, decimal_places=1, default=Decimal("30")
    )
    unconfirmed = models.BooleanField(_("numbers to be verified"), default=True)

    scope_units = ("unit",)
    objects = PublishedQuerySet.as_manager()

    class Meta:
        verbose_name = _("commissioner scheme")
        verbose_name_plural = _("commissioner schemes")
        ordering = ["name"]

    def __str__(self):
        return self.name


class AssessmentItem(ChangeLoggedModel):
    """One line of the annual assessment checklist (宜昌夷陵区 2024 style): points for an outcome kind
    (each or once), or for training person-times reaching a threshold."""

    scheme = models.ForeignKey(
        CommissionerScheme, models.CASCADE, related_name="items", verbose_name=_("scheme")
    )
    label = models.CharField(_("item"), max_length=100)
    outcome_kind = models.CharField(
        _("outcome counted"), max_length=16, choices=choices.OutcomeKind.choices, blank=True
    )
    min_trained = models.PositiveIntegerField(_("training person-times at least"), null=True, blank=True)
    points = models.DecimalField(_("points"), max_digits=5, decimal_places=1)
    per_item = models.BooleanField(_("points for each"), default=True)

    history_parent = "scheme"
    scope_units = ("scheme__unit",)
    objects = PublishedQuerySet.as_manager()

    class Meta:
        verbose_name = _("assessment item")
        verbose_name_plural = _("assessment items")
        ordering = ["scheme", "pk"]

    def __str__(self):
        return self.label


class CommissionerTeam(ChangeLoggedModel):
    """A commissioner team (科技特派团): leader, members (Commissioner.team), term."""

    scheme = models.ForeignKey(
        CommissionerScheme, models.PROTECT, related_name="teams", verbose_name=_("scheme")
    )
    unit = models.ForeignKey(
        "core.Unit", models.PROTECT, related_name="commissioner_teams", verbose_name=_("unit")
    )
    name = models.CharField(_("name"), max_length=200)
    leader = models.ForeignKey(
        "Commissioner",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("team leader"),
    )
    starts_on = models.DateField(_("term starts"))
    ends_on = models.DateField(_("term ends"), null=True, blank=True)

    scope_units = ("unit",)
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("commissioner team")
        verbose_name_plural = _("commissioner teams")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("support:team-detail", args=[self.pk])

    def save(self, *args, **kwargs):
        if self.ends_on is None and self.starts_on:
            self.ends_on = add_months(self.starts_on, 12 * self.scheme.term_years) - datetime.timedelta(
                days=1
            )
        super().save(*args, **kwargs)


class Commissioner(PrimaryModel):
    """A science & technology commissioner (科技特派员). `account` links the person's sign-in: a
    linked user logs services for their own assignments only, whatever their role."""

    unit = models.ForeignKey(
        "core.Unit", models.PROTECT, related_name="commissioners", verbose_name=_("unit")
    )
    name = models.CharField(_("name"), max_length=50)
    kind = models.CharField(
        _("kind"),
        max_length=16,
        choices=choices.CommissionerKind.choices,
        default=choices.CommissionerKind.HITECH,
    )
    sending_unit = models.CharField(_("sending unit"), max_length=200)
    title = models.CharField(_("professional title"), max_length=50, blank=True)
    rank = models.CharField(
        _("title rank"),
        max_length=16,
        choices=choices.TitleRank.choices,
        default=choices.TitleRank.INTERMEDIATE,
    )
    specialty = models.CharField(_("specialty"), max_length=100, blank=True)
    level = models.CharField(_("level"), max_length=16, choices=choices.CommissionerLevel.choices)
    outside_province = models.BooleanField(_("from outside the province"), default=False)
    team = models.ForeignKey(
        CommissionerTeam,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="members",
        verbose_name=_("team"),
    )
    account = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="commissioner",
        verbose_name=_("sign-in account"),
    )
    phone = models.CharField(_("phone"), max_length=32, blank=True)

    scope_units = ("unit",)

    class Meta:
        verbose_name = _("commissioner")
        verbose_name_plural = _("commissioners")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("support:commissioner-detail", args=[self.pk])


class Assignment(ChangeLoggedModel):
    """A commissioner's assignment to an enterprise, village or cooperative, with its term."""

    commissioner = models.ForeignKey(
        Commissioner, models.CASCADE, related_name="assignments", verbose_name=_("commissioner")
    )
    target_kind = models.CharField(_("served entity kind"), max_length=16, choices=choices.TargetKind.choices)
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="commissioner_assignments",
        verbose_name=_("enterprise"),
    )
    target_name = models.CharField(_("served entity"), max_length=200)
    target_uscc = models.CharField(_("credit code"), max_length=18, blank=True)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)

    history_parent = "commissioner"
    scope_units = ("commissioner__unit",)
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ["commissioner", "-starts_on"]
        indexes = [models.Index(fields=["enterprise", "starts_on", "ends_on"])]

    def __str__(self):
        return f"{self.commissioner} → {self.target_name}"

    def save(self, *args, **kwargs):
        if self.enterprise_id and not self.target_name:
            self.target_name = self.enterprise.name
            self.target_uscc = self.enterprise.uscc
        if self.ends_on is None and self.starts_on:
            years = 3
            team = self.commissioner.team
            if team is not None:
                years = team.scheme.term_years
            self.ends_on = add_months(self.starts_on, 12 * years) - datetime.timedelta(days=1)
        super().save(*args, **kwargs)

    def covers(self, day: datetime.date) -> bool:
        return self.starts_on <= day and (self.ends_on is None or day <= self.ends_on)


class ServiceLogQuerySet(ScopedQuerySet):
    """Logs of the user's units, plus a signed-in commissioner's own logs (whatever the role), which
    the commissioner may also change (add evidence, correct)."""

    def _own(self, user):
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        return self.filter(
            assignment__commissioner__account=user, assignment__commissioner__deleted_at__isnull=True
        )

    def for_user(self, user):
        return super().for_user(user) | self._own(user)

    def writable_by(self, user):
        return super().writable_by(user) | self._own(user)

    def visible_to_role(self, user) -> bool:
        return super().visible_to_role(user) or Commissioner.objects.filter(account=user).exists()


class ServiceLog(ChangeLoggedModel):
    """One service (服务记录): date, duration in days, kind, person-times trained, evidence."""

    assignment = models.ForeignKey(
        Assignment, models.CASCADE, related_name="logs", verbose_name=_("assignment")
    )
    date = models.DateField(_("date"))
    days = models.DecimalField(
        _("duration (days)"),
        max_digits=4,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0.5")), MaxValueValidator(31)],
    )
    kind = models.CharField(_("service kind"), max_length=20, choices=choices.ServiceKind.choices)
    trained = models.PositiveIntegerField(_("person-times trained"), default=0)
    content = models.TextField(_("what was done"))
    evidence = models.CharField(
        _("evidence"),
        max_length=255,
        blank=True,
        help_text=_("Photos, sign-in sheets and minutes can be attached on the log's page."),
    )
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("logged by"),
    )

    history_parent = "assignment"
    scope_units = ("assignment__commissioner__unit",)
    objects = ServiceLogQuerySet.as_manager()

    class Meta:
        verbose_name = _("service log")
        verbose_name_plural = _("service logs")
        ordering = ["-date", "-pk"]

    def __str__(self):
        return f"{self.assignment} {self.date}"

    def get_absolute_url(self):
        return reverse("support:servicelog-detail", args=[self.pk])


class Outcome(ChangeLoggedModel):
    """An outcome a commissioner reports: an enterprise cultivated into 科小/高企, IP, a project …"""

    commissioner = models.ForeignKey(
        Commissioner, models.CASCADE, related_name="outcomes", verbose_name=_("commissioner")
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("enterprise"),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    kind = models.CharField(_("outcome"), max_length=16, choices=choices.OutcomeKind.choices)
    count = models.PositiveIntegerField(_("number"), default=1)
    note = models.CharField(_("note"), max_length=255, blank=True)

    history_parent = "commissioner"
    scope_units = ("commissioner__unit",)
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("outcome")
        verbose_name_plural = _("outcomes")
        ordering = ["-year", "kind"]


class Fund(ChangeLoggedModel):
    """Working funds paid to a commissioner, or station funds (工作站经费)."""

    unit = models.ForeignKey(
        "core.Unit", models.PROTECT, related_name="commissioner_funds", verbose_name=_("unit")
    )
    commissioner = models.ForeignKey(
        Commissioner,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="funds",
        verbose_name=_("commissioner"),
    )
    station = models.CharField(_("station"), max_length=200, blank=True)
    year = models.PositiveSmallIntegerField(_("year"))
    kind = models.CharField(_("kind"), max_length=16, choices=choices.FundKind.choices)
    amount = money(_("amount (10k yuan)"))

    scope_units = ("unit",)
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("commissioner fund")
        verbose_name_plural = _("commissioner funds")
        ordering = ["-year", "pk"]
