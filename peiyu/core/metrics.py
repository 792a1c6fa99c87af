"""The metric registry (指标口径库): every figure the platform can compute from its own data, declared
once by the app that owns the data and used by targets, assessments, bulletins and dashboards without
importing that app.

An app declares its metrics in a `metrics` module (found at start-up, like `tasks`):

    from peiyu.core.metrics import Param, metric

    @metric("enterprises.count", _("Technology-based SMEs"), unit="家", kind="stock",
            params=[Param("qualification", _("Qualification"), choices=QUALIFICATION_CHOICES, required=False)])
    def enterprise_count(units, period, qualification=None):
        ...one grouped query...
        return {unit.pk: Decimal(n) for unit, n in ...}

`compute(units, period, **params)` returns each unit's value over that unit's whole subtree
(a town's figure includes its parks), keyed by unit id; a unit may be missing or map to None when the
figure is not known. Stock metrics are read as of `period.end`; flow metrics add up within the period.
"""

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext as _

from peiyu.core.periods import Period

UNITS_OF_MEASURE = ("家", "个", "亿元", "万元", "元", "%", "件", "项", "次", "人", "人次", "平方米", "天")
KINDS = ("stock", "flow", "ratio")


@dataclass(frozen=True)
class Param:
    """One parameter of a metric: `kind` is str, int, decimal, date or choice (then `choices` holds
    (value, Chinese label) pairs)."""

    name: str
    label: str
    kind: str = "str"
    choices: tuple = ()
    required: bool = True
    default: object = None

    def clean(self, value):
        if value in (None, ""):
            if self.required and self.default is None:
                raise ValueError(_("Parameter “%(name)s” is required.") % {"name": self.label})
            return self.default
        try:
            if self.kind == "int":
                return int(value)
            if self.kind == "decimal":
                return Decimal(str(value))
            if self.kind == "date":
                return value if isinstance(value, date) else date.fromisoformat(str(value))
        except (ValueError, InvalidOperation):
            raise ValueError(
                _("Parameter “%(name)s”: “%(value)s” is not a valid value.")
                % {"name": self.label, "value": value}
            ) from None
        if self.kind == "choice":
            allowed = [str(v) for v, _label in self.choices]
            if str(value) not in allowed:
                raise ValueError(
                    _("Parameter “%(name)s”: “%(value)s” is not one of %(allowed)s.")
                    % {"name": self.label, "value": value, "allowed": "、".join(allowed)}
                )
        return value


@dataclass(frozen=True)
class Metric:
    code: str
    label: str
    unit: str
    kind: str
    compute: Callable
    params: tuple[Param, ...] = ()
    description: str = ""
    app: str = field(default="", compare=False)

    def clean_params(self, params: dict) -> dict:
        """Check and convert parameters; unknown names are refused (a typo must not read as "all")."""
        known = {p.name: p for p in self.params}
        unknown = sorted(set(params) - set(known))
        if unknown:
            raise ValueError(
                _("Metric “%(metric)s” has no parameter %(names)s.")
                % {"metric": self.label, "names": "、".join(unknown)}
            )
        return {name: p.clean(params.get(name)) for name, p in known.items()}

    def values(self, units: Sequence, period: Period, **params) -> dict[int, Decimal | None]:
        """Each unit's value (its whole subtree), keyed by unit id."""
        units = list(units)
        if not units:
            return {}
        found = self.compute(units, period, **self.clean_params(params))
        return {u.pk: found.get(u.pk) for u in units}

    def value(self, unit, period: Period, **params) -> Decimal | None:
        return self.values([unit], period, **params)[unit.pk]


REGISTRY: dict[str, Metric] = {}


def metric(code: str, label, *, unit: str, kind: str, params: Iterable[Param] = (), description=""):
    """Register the decorated `compute(units, period, **params)` under `code` ("app.name")."""
    if unit not in UNITS_OF_MEASURE:
        raise ValueError(f"metric {code}: unit {unit!r} is not one of {UNITS_OF_MEASURE}")
    if kind not in KINDS:
        raise ValueError(f"metric {code}: kind {kind!r} is not one of {KINDS}")

    def register(compute: Callable) -> Callable:
        if code in REGISTRY and REGISTRY[code].compute is not compute:
            raise ValueError(f"metric {code} is registered twice")
        REGISTRY[code] = Metric(
            code, label, unit, kind, compute, tuple(params), description, app=code.partition(".")[0]
        )
        return compute

    return register


def discover() -> None:
    autodiscover_modules("metrics")


def get(code: str) -> Metric:
    if code not in REGISTRY:
        discover()
    try:
        return REGISTRY[code]
    except KeyError:
        raise ValueError(_("There is no metric “%(code)s”.") % {"code": code}) from None


def all_metrics() -> list[Metric]:
    discover()
    return sorted(REGISTRY.values(), key=lambda m: m.code)


def ratio(numerator: Decimal | None, denominator: Decimal | None, scale: int = 100) -> Decimal | None:
    """numerator ÷ denominator × scale (a percentage by default); None when either is unknown or the
    denominator is zero, so an empty unit shows "—" rather than 0 %."""
    if numerator is None or not denominator:
        return None
    return Decimal(numerator) * scale / Decimal(denominator)
