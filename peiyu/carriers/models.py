"""The carrier registry (创新载体): incubators, maker spaces, productivity promotion centres, bases,
parks, R&D centres, engineering centres, key labs and alliances, each owned by a unit."""

import datetime

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from peiyu.carriers.choices import ENTERPRISE_KINDS, CarrierKind, CarrierLevel, CarrierStatus, CentreScope
from peiyu.core.choices import Role
from peiyu.core.models import PrimaryModel, ScopedQuerySet
from peiyu.core.models.base import AliveManager


class CarrierQuerySet(ScopedQuerySet):
    def for_user(self, user):
        """As every registry; an enterprise user sees the carriers their enterprise is linked to (the
        one it hosts, or one it is incubated in), never the others."""
        if (
            user is not None
            and user.is_authenticated
            and user.is_active
            and not user.is_superuser
            and user.role == Role.ENTERPRISE
        ):
            return self.filter(Q(enterprise__accounts=user) | Q(incubated__accounts=user)).distinct()
        return super().for_user(user)

    def search(self, text: str):
        """Name or operator (运营主体)."""
        text = (text or "").strip()
        return self.filter(Q(name__icontains=text) | Q(operator__icontains=text)) if text else self

    def in_force(self, day: datetime.date):
        """Recognised on or before `day` and not revoked by then: what a stock figure counts."""
        return self.filter(recognised_on__lte=day).filter(Q(revoked_on__isnull=True) | Q(revoked_on__gt=day))


class Carrier(PrimaryModel):
    """An innovation carrier (创新载体) recognised or being built in a unit."""

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("type"), max_length=24, choices=CarrierKind.choices)
    level = models.CharField(_("level"), max_length=16, choices=CarrierLevel.choices)
    centre_scope = models.CharField(
        _("centre scope"),
        max_length=16,
        choices=CentreScope.choices,
        blank=True,
        help_text=_("Productivity promotion centres only: general, or serving one industry."),
    )
    industry = models.CharField(_("industry served"), max_length=100, blank=True)
    operator = models.CharField(_("operator"), max_length=200, blank=True)
    unit = models.ForeignKey("core.Unit", models.PROTECT, related_name="carriers", verbose_name=_("unit"))
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="hosted_carriers",
        verbose_name=_("host enterprise"),
    )
    address = models.CharField(_("address"), max_length=255, blank=True)
    recognised_on = models.DateField(_("date recognised"), null=True, blank=True)
    recognised_by = models.CharField(_("recognised by"), max_length=100, blank=True)
    document_number = models.CharField(_("document number"), max_length=100, blank=True)
    area = models.DecimalField(
        _("area (m²)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    incubated = models.ManyToManyField(
        "enterprises.Enterprise", blank=True, related_name="carriers", verbose_name=_("enterprises incubated")
    )
    incubated_other = models.PositiveIntegerField(
        _("other enterprises incubated"),
        default=0,
        help_text=_("Enterprises incubated that are not in the enterprise library."),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=CarrierStatus.choices, default=CarrierStatus.OPERATING
    )
    revoked_on = models.DateField(_("date revoked"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)

    scope_units = ("unit",)
    scope_accounts = "enterprise__accounts"

    objects = AliveManager.from_queryset(CarrierQuerySet)()
    all_objects = CarrierQuerySet.as_manager()

    class Meta:
        verbose_name = _("innovation carrier")
        verbose_name_plural = _("innovation carriers")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["name"], condition=Q(deleted_at__isnull=True), name="carrier_name_unique_alive"
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("carriers:carrier-detail", args=[self.pk])

    @property
    def kind_label(self) -> str:
        """The type as people say it: 生产力促进中心（行业：新材料）."""
        label = str(self.get_kind_display())
        if self.kind == CarrierKind.PRODUCTIVITY_CENTRE and self.centre_scope:
            scope = str(self.get_centre_scope_display())
            return f"{label}（{scope}：{self.industry}）" if self.industry else f"{label}（{scope}）"
        return label

    @property
    def incubated_total(self) -> int:
        return self.incubated.count() + self.incubated_other

    def clean(self):
        errors = carrier_errors(self.__dict__, self.enterprise_id)
        if self.name and Carrier.objects.filter(name=self.name).exclude(pk=self.pk).exists():
            errors.setdefault("name", []).append(
                _("Another carrier is already named “%(name)s”.") % {"name": self.name}
            )
        if errors:
            raise ValidationError(errors)


def carrier_errors(values: dict, enterprise_id=None) -> dict[str, list[str]]:
    """The cross-field rules, the same for the form, the API and imports: {field: [messages]}."""
    errors: dict[str, list] = {}

    def add(field, message):
        errors.setdefault(field, []).append(message)

    kind, scope, industry = values.get("kind"), values.get("centre_scope") or "", values.get("industry") or ""
    if kind == CarrierKind.PRODUCTIVITY_CENTRE:
        if not scope:
            add(
                "centre_scope",
                _("A productivity promotion centre is general (综合) or serves one industry (行业)."),
            )
        elif scope == CentreScope.INDUSTRY and not industry:
            add("industry", _("Name the industry an industry productivity promotion centre serves."))
    elif scope:
        add("centre_scope", _("Only productivity promotion centres are general or by industry."))
    if kind in ENTERPRISE_KINDS and not enterprise_id:
        add(
            "enterprise",
            _("An R&D centre, engineering centre or key laboratory names the enterprise it belongs to."),
        )
    recognised, revoked, status = values.get("recognised_on"), values.get("revoked_on"), values.get("status")
    today = datetime.date.today()
    if recognised and recognised > today:
        add("recognised_on", _("The date recognised cannot be in the future."))
    if status == CarrierStatus.REVOKED and not revoked:
        add("revoked_on", _("A revoked carrier needs the date it was revoked."))
    if revoked and status != CarrierStatus.REVOKED:
        add("revoked_on", _("Only a revoked carrier has a date revoked."))
    if revoked and recognised and revoked < recognised:
        add("revoked_on", _("The date revoked cannot be before the date recognised."))
    if status == CarrierStatus.OPERATING and not recognised:
        add(
            "recognised_on",
            _(
                "An operating carrier needs the date it was recognised; one not yet recognised is under construction."
            ),
        )
    return errors
