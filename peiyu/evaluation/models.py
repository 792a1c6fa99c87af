"""Rule sets stored as versioned data, and stored evaluation results that keep the version used."""

import datetime
from functools import cached_property

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from peiyu.core.models import ScopedQuerySet
from peiyu.enterprises.models import OwnedByEnterprise
from peiyu.evaluation import rules


class RuleSetQuerySet(models.QuerySet):
    def sync_official(self) -> None:
        """Load every shipped rule set file whose version is not stored yet; the first version of a
        code becomes its active one. Stored versions are never changed."""
        stored = set(self.model.objects.values_list("code", "version"))
        for code, data in rules.official_data().items():
            if (code, str(data["version"])) in stored:
                continue
            with transaction.atomic():
                active = not self.model.objects.filter(code=code, is_active=True).exists()
                self.model.objects.create(
                    code=code, version=str(data["version"]), name=data["name"], data=data, official=True, is_active=active,
                    region=data.get("region", {}).get("code", ""),
                )

    def active(self):
        return self.filter(is_active=True).order_by("code")

    def get_active(self, code: str) -> "RuleSet":
        return self.get(code=code, is_active=True)


def region_prefix(code: str) -> str:
    """The part of an administrative division code that names a region: 120000 → 12 (天津市),
    370100 → 3701 (济南市), 440112 → 440112 (黄埔区); units below keep the prefix."""
    while code.endswith("00") and len(code) > 2:
        code = code[:-2]
    return code


def platform_units():
    """The units the platform serves (those without a parent): what applies "here" for a page
    that is not about one enterprise or one user's unit."""
    from peiyu.core.models import Unit

    return list(Unit.objects.filter(parent__isnull=True))


def applicable_rulesets(unit=None, on: datetime.date | None = None) -> list["RuleSet"]:
    """The rule set versions in use that apply to a unit on a day: nationwide or for a region the
    unit lies in, and in force that year. Without a unit, the platform's own units decide (a set
    applies when it fits any of them); without a day, today.

    Figures of year Y are evaluated for applications in Y + 1: pass `datetime.date(Y + 1, 1, 1)`."""
    RuleSet.objects.sync_official()
    on = on or timezone.localdate()
    units = [unit] if unit is not None else platform_units()
    return [r for r in RuleSet.objects.active() if r.in_force(on.year) and (not units or any(r.fits(u) for u in units))]


class RuleSet(models.Model):
    """A rule set version (评价规则): gates, banded indicators, points, routes — as JSON data.
    Official versions come from the shipped files; bureau staff save local versions as copies."""

    code = models.CharField(_("code"), max_length=64, db_index=True)
    version = models.CharField(_("version"), max_length=32)
    name = models.CharField(_("name"), max_length=200)
    data = models.JSONField(_("rule data"))
    official = models.BooleanField(_("official"), default=False)
    is_active = models.BooleanField(_("in use"), default=False, help_text=_("The version evaluations use for this code."))
    based_on = models.ForeignKey("self", models.PROTECT, null=True, blank=True, related_name="copies", verbose_name=_("based on"))
    note = models.CharField(_("what changed"), max_length=255, blank=True)
    region = models.CharField(
        _("region"), max_length=12, blank=True, db_index=True,
        help_text=_("Administrative division code of the region the rules are for (120000 Tianjin); empty: nationwide."),
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, verbose_name=_("created by"))
    created = models.DateTimeField(_("created"), auto_now_add=True)

    objects = RuleSetQuerySet.as_manager()

    class Meta:
        verbose_name = _("rule set")
        verbose_name_plural = _("rule sets")
        ordering = ["code", "-created"]
        constraints = [models.UniqueConstraint(fields=["code", "version"], name="unique_ruleset_version")]

    def __str__(self):
        return f"{self.name} ({self.code} v{self.version})"

    @cached_property
    def parsed(self) -> rules.RuleSet:
        return rules.parse(self.data)

    @property
    def source(self) -> dict:
        return self.data.get("source", {})

    @property
    def unconfirmed(self) -> list:
        return self.data.get("unconfirmed", [])

    @property
    def region_name(self) -> str:
        """The region's name as the rules give it (stored versions from before regions: the shipped file's)."""
        if not self.region:
            return ""
        region = self.data.get("region") or rules.official_data().get(self.code, {}).get("region") or {}
        return region.get("name", self.region)

    @property
    def period(self) -> tuple[int | None, int | None]:
        """The first and last years the rules are in force (None: open)."""
        effective = self.data.get("effective", {})
        start, end = effective.get("from"), effective.get("to")
        return (int(str(start)[:4]) if start else None, int(str(end)[:4]) if end else None)

    def in_force(self, year: int) -> bool:
        start, end = self.period
        return (start is None or start <= year) and (end is None or year <= end)

    def expired(self, year: int) -> bool:
        end = self.period[1]
        return end is not None and end < year

    def fits(self, unit) -> bool:
        """Whether the rules are for this unit's region: nationwide ones fit every unit. A unit
        above the region (the city for a district's rules) does not fit."""
        return not self.region or unit.code.startswith(region_prefix(self.region))

    def status(self, units: list, year: int) -> str:
        """How the version stands here (in `units`) in `year`: in_use, history (its period ended or
        another version replaced it), other_region, not_yet (in force from a later year) or unused."""
        if units and not any(self.fits(u) for u in units):
            return "other_region"
        if self.expired(year):
            return "history"
        if not self.in_force(year):
            return "not_yet"
        if self.is_active:
            return "in_use"
        return "history" if self.official else "unused"

    def next_local_version(self) -> str:
        """The next free local version of this code: <official version>-L<n>."""
        base = self.version.split("-L")[0]
        taken = set(RuleSet.objects.filter(code=self.code).values_list("version", flat=True))
        n = 1
        while f"{base}-L{n}" in taken:
            n += 1
        return f"{base}-L{n}"

    def activate(self) -> None:
        with transaction.atomic():
            RuleSet.objects.filter(code=self.code).exclude(pk=self.pk).update(is_active=False)
            RuleSet.objects.filter(pk=self.pk).update(is_active=True)
            self.is_active = True


class EvaluationResultQuerySet(ScopedQuerySet):
    pass


class EvaluationResult(OwnedByEnterprise, models.Model):
    """An enterprise's stored result for one year under one rule set version (评价结果)."""

    enterprise = models.ForeignKey("enterprises.Enterprise", models.CASCADE, related_name="evaluations", verbose_name=_("enterprise"))
    year = models.PositiveSmallIntegerField(_("year"))
    ruleset = models.ForeignKey(RuleSet, models.PROTECT, related_name="results", verbose_name=_("rule set"))
    eligible = models.BooleanField(_("eligible"), null=True, help_text=_("Empty: depends on expert scores."))
    route = models.CharField(_("route"), max_length=16, blank=True)
    route_code = models.CharField(_("route code"), max_length=64, blank=True)
    score_min = models.SmallIntegerField(_("lowest score"), null=True, blank=True)
    score_max = models.SmallIntegerField(_("highest score"), null=True, blank=True)
    indicators = models.JSONField(_("indicators"), default=dict)
    failed = models.JSONField(_("failed conditions"), default=list)
    computed_at = models.DateTimeField(_("computed at"), auto_now=True)
    computed_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, verbose_name=_("computed by"))

    objects = EvaluationResultQuerySet.as_manager()

    class Meta:
        verbose_name = _("evaluation result")
        verbose_name_plural = _("evaluation results")
        ordering = ["enterprise", "-year", "ruleset__code"]
        constraints = [models.UniqueConstraint(fields=["enterprise", "year", "ruleset"], name="unique_evaluation_result")]
        indexes = [models.Index(fields=["year", "ruleset", "eligible"])]

    def __str__(self):
        return f"{self.enterprise} {self.year} {self.ruleset.code}"
