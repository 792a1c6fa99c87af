"""The enterprise library (企业库): enterprises, their yearly indicators and qualifications."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Case, Q, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from peiyu.core.codes import validate_phone, validate_uscc
from peiyu.core.models import ChangeLoggedModel, PrimaryModel, ScopedQuerySet
from peiyu.core.models.base import AliveManager
from peiyu.enterprises import choices
from peiyu.enterprises.industries import industry_name, split_code
from peiyu.enterprises.pinyin import initials
from peiyu.enterprises.validators import validate_industry_code, validate_not_future


def money(verbose_name, signed=False):
    """A money amount in 万元, exact to the yuan (four decimal places); negative only if `signed`."""
    validators = [] if signed else [MinValueValidator(0)]
    return models.DecimalField(verbose_name, max_digits=18, decimal_places=4, null=True, blank=True, validators=validators)


def count(verbose_name):
    return models.PositiveIntegerField(verbose_name, null=True, blank=True)


def floors_case(field: str, floors: list[tuple[int, int]], bottom: int):
    """A CASE expression that maps an amount to the first band whose floor it reaches."""
    whens = [When(**{f"{field}__gte": floor}, then=Value(band)) for band, floor in floors]
    return Case(*whens, When(**{f"{field}__isnull": False}, then=Value(bottom)), default=None)


class EnterpriseQuerySet(ScopedQuerySet):
    def search(self, text: str):
        """Name, credit code or pinyin initials (typing "hdkj" finds 华东科技)."""
        text = text.strip()
        if not text:
            return self
        q = Q(name__icontains=text) | Q(uscc__startswith=text.upper())
        if text.isascii() and text.isalpha():
            q |= Q(name_initials__contains=text.lower())
        return self.filter(q)

    def with_qualification(self, kind: str, on: datetime.date | None = None):
        return self.filter(pk__in=Qualification.objects.current(on).filter(kind=kind).values("enterprise_id"))


class Enterprise(PrimaryModel):
    """A technology-based enterprise in the bureau's jurisdiction, identified by its credit code."""

    uscc = models.CharField(_("unified social credit code"), max_length=18, unique=True, validators=[validate_uscc])
    name = models.CharField(_("name"), max_length=200, db_index=True)
    name_initials = models.CharField(max_length=200, editable=False, db_index=True)
    established = models.DateField(_("date established"), null=True, blank=True, validators=[validate_not_future])
    registered_capital = money(_("registered capital (10k yuan)"))
    address = models.CharField(_("address"), max_length=255, blank=True)
    unit = models.ForeignKey("core.Unit", models.PROTECT, related_name="enterprises", verbose_name=_("unit"))
    park = models.ForeignKey(
        "core.Unit", models.PROTECT, null=True, blank=True, related_name="park_enterprises", verbose_name=_("park"),
        limit_choices_to={"kind": "park"},
    )
    industry_code = models.CharField(_("industry code (GB/T 4754)"), max_length=5, blank=True, validators=[validate_industry_code])
    industry_section = models.CharField(_("industry section"), max_length=1, choices=choices.IndustrySection.choices, blank=True, editable=False)
    hitech_field = models.CharField(_("hi-tech field"), max_length=2, choices=choices.HitechField.choices, blank=True)
    emerging_industry = models.CharField(
        _("strategic emerging industry"), max_length=2, choices=choices.EmergingIndustry.choices, blank=True
    )
    contact_name = models.CharField(_("contact person"), max_length=50, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=32, blank=True, validators=[validate_phone])
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    cadre = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="looked_after", verbose_name=_("cadre in charge"),
    )
    status = models.CharField(_("status"), max_length=16, choices=choices.EnterpriseStatus.choices, default=choices.EnterpriseStatus.ACTIVE)
    accounts = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="enterprises", verbose_name=_("enterprise accounts"),
    )

    scope_units = ("unit", "park")
    scope_accounts = "accounts"
    history_exclude = ChangeLoggedModel.history_exclude | {"name_initials", "industry_section"}

    objects = AliveManager.from_queryset(EnterpriseQuerySet)()
    all_objects = EnterpriseQuerySet.as_manager()

    class Meta:
        verbose_name = _("enterprise")
        verbose_name_plural = _("enterprises")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.name_initials = initials(self.name)
        # The code is stored without its section letter ("C3823" → "3823"): the section is derived.
        self.industry_code = split_code(self.industry_code or "")[1]
        self.industry_section = choices.industry_section(self.industry_code)
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "name_initials", "industry_code", "industry_section"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("enterprise-detail", args=[self.pk])

    def current_qualifications(self, on: datetime.date | None = None):
        return self.qualifications.current(on)

    @property
    def age_years(self) -> int | None:
        """Whole years since the enterprise was established (成立年限), as of today."""
        if self.established is None:
            return None
        today = timezone.localdate()
        return today.year - self.established.year - ((today.month, today.day) < (self.established.month, self.established.day))

    @property
    def industry_name(self) -> str:
        """The GB/T 4754-2017 class (or division) name of the industry code."""
        return industry_name(self.industry_code) if self.industry_code else ""



class OwnedByEnterprise:
    """Scoping of rows that belong to one enterprise: they follow the enterprise's unit, park and
    accounts. Mixed into the models of this and later apps."""

    scope_units = ("enterprise__unit", "enterprise__park")
    scope_accounts = "enterprise__accounts"


class EnterpriseYearQuerySet(ScopedQuerySet):
    def alive(self):
        """Years of enterprises that are not deleted. Deleted enterprises are few, so excluding
        them by id avoids joining every year to its enterprise."""
        deleted = Enterprise.all_objects.filter(deleted_at__isnull=False).values("pk")
        return self.exclude(enterprise_id__in=deleted)


class EnterpriseYear(OwnedByEnterprise, ChangeLoggedModel):
    """One enterprise's indicators for one year (年度指标). Money in 万元; band and stage are derived
    by the database from revenue, so they can never be typed in or fall out of step."""

    enterprise = models.ForeignKey(Enterprise, models.CASCADE, related_name="years", verbose_name=_("enterprise"))
    year = models.PositiveSmallIntegerField(_("year"))
    revenue = money(_("revenue"))
    hitech_revenue = money(_("hi-tech product (service) revenue"))
    total_costs = money(_("total costs and expenses"))
    rd_expense = money(_("R&D expense"))
    rd_expense_domestic = money(_("R&D expense in China"))
    employees = count(_("employees"))
    tech_staff = count(_("technical staff"))
    college_staff = count(_("staff with college degree or above"))
    total_assets = money(_("total assets"))
    net_assets = money(_("net assets"), signed=True)
    taxes = money(_("taxes paid"))
    profit = money(_("total profit"), signed=True)
    invention_patents = count(_("valid invention patents"))
    other_class1_ip = count(_("other Class I IP"))
    utility_patents = count(_("valid utility-model patents"))
    design_patents = count(_("valid design patents"))
    software_copyrights = count(_("software copyrights"))
    patent_applications = count(_("patent applications this year"))
    invention_applications = count(_("invention patent applications this year"))
    patents_granted = count(_("patents granted this year"))
    rd_institution_level = models.PositiveSmallIntegerField(
        _("R&D institution level"), choices=choices.RdInstitutionLevel.choices, default=choices.RdInstitutionLevel.NONE
    )
    standards_led = count(_("standards led"))
    revenue_band = models.GeneratedField(
        expression=floors_case("revenue", choices.REVENUE_BAND_FLOORS, choices.RevenueBand.UNDER_5M),
        output_field=models.PositiveSmallIntegerField(_("revenue band"), choices=choices.RevenueBand.choices, null=True),
        db_persist=True,
    )
    stage = models.GeneratedField(
        expression=floors_case("revenue", choices.STAGE_FLOORS, choices.Stage.STARTUP),
        output_field=models.PositiveSmallIntegerField(_("life-cycle stage"), choices=choices.Stage.choices, null=True),
        db_persist=True,
    )

    history_parent = "enterprise"

    objects = EnterpriseYearQuerySet.as_manager()

    class Meta:
        verbose_name = _("enterprise year")
        verbose_name_plural = _("enterprise years")
        ordering = ["enterprise", "-year"]
        constraints = [models.UniqueConstraint(fields=["enterprise", "year"], name="unique_enterprise_year")]
        indexes = [models.Index(fields=["year", "revenue_band"]), models.Index(fields=["year", "stage"])]

    def __str__(self):
        return f"{self.enterprise} {self.year}"

    def get_absolute_url(self):
        return self.enterprise.get_absolute_url()

    # Django gives generated fields no get_FOO_display (their choices sit on the output field).
    def get_revenue_band_display(self) -> str:
        return choices.RevenueBand(self.revenue_band).label if self.revenue_band is not None else ""

    def get_stage_display(self) -> str:
        return choices.Stage(self.stage).label if self.stage is not None else ""

    def clean(self):
        errors = {}
        for part, whole in PART_OF:
            a, b = getattr(self, part), getattr(self, whole)
            if a is not None and b is not None and a > b:
                field = self._meta.get_field
                errors[part] = _("%(part)s (%(a)s) cannot exceed %(whole)s (%(b)s)") % {
                    "part": field(part).verbose_name, "a": a, "whole": field(whole).verbose_name, "b": b,
                }
        if self.year is not None and not 1949 <= self.year <= timezone.localdate().year + 1:
            errors["year"] = _("year %(year)s is out of range") % {"year": self.year}
        if errors:
            raise ValidationError(errors)


# Figures that are part of another and so can never exceed it.
PART_OF = [
    ("tech_staff", "employees"),
    ("college_staff", "employees"),
    ("hitech_revenue", "revenue"),
    ("rd_expense_domestic", "rd_expense"),
    ("rd_expense", "total_costs"),
    ("invention_applications", "patent_applications"),
    ("net_assets", "total_assets"),
]


class QualificationQuerySet(ScopedQuerySet):
    def current(self, on: datetime.date | None = None):
        """Qualifications in force on a day (today by default): granted and not yet expired."""
        on = on or timezone.localdate()
        return self.filter(Q(granted_on__lte=on) | Q(granted_on__isnull=True)).filter(
            Q(valid_until__gte=on) | Q(valid_until__isnull=True)
        )


class Qualification(OwnedByEnterprise, ChangeLoggedModel):
    """A qualification an enterprise holds (资质): kind, level, certificate or registration number and
    validity. Whether it is current is derived from the dates, never stored."""

    enterprise = models.ForeignKey(Enterprise, models.CASCADE, related_name="qualifications", verbose_name=_("enterprise"))
    kind = models.CharField(_("qualification"), max_length=24, choices=choices.QualificationKind.choices)
    level = models.CharField(_("level"), max_length=16, choices=choices.QualificationLevel.choices, blank=True)
    number = models.CharField(_("certificate or registration number"), max_length=64, blank=True)
    granted_on = models.DateField(_("date granted"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=255, blank=True)

    history_parent = "enterprise"

    objects = QualificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("qualification")
        verbose_name_plural = _("qualifications")
        ordering = ["enterprise", "kind", "-granted_on"]
        indexes = [models.Index(fields=["kind", "valid_until"])]

    def __str__(self):
        return f"{self.enterprise} {self.get_kind_display()}"

    def get_absolute_url(self):
        return self.enterprise.get_absolute_url()

    def save(self, *args, **kwargs):
        if self.valid_until is None and self.granted_on:
            self.valid_until = default_valid_until(self.kind, self.granted_on)
        super().save(*args, **kwargs)

    def is_current(self, on: datetime.date | None = None) -> bool:
        on = on or timezone.localdate()
        return (self.granted_on is None or self.granted_on <= on) and (self.valid_until is None or on <= self.valid_until)


def default_valid_until(kind: str, granted_on: datetime.date) -> datetime.date | None:
    """Validity when none is written: a hi-tech certificate and a 小巨人 title run three years from
    issue (国科发火〔2016〕32号); a tech-SME registration number is valid for its year (国科火字〔2019〕87号).
    Other kinds have no published default and need an explicit date."""
    if kind in {choices.QualificationKind.HITECH, choices.QualificationKind.SPECIALIZED_GIANT}:
        try:
            return granted_on.replace(year=granted_on.year + 3) - datetime.timedelta(days=1)
        except ValueError:  # 29 February
            return granted_on.replace(year=granted_on.year + 3, day=28)
    if kind == choices.QualificationKind.TECH_SME:
        return granted_on.replace(month=12, day=31)
    return None
