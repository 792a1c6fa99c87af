"""Policies matched to enterprises both ways (政策找企业 / 免申即享).

One batch function decides, for a frame of enterprises and a list of policies, which conditions
each enterprise fails: the policy's page runs it over the user's enterprises, the enterprise's page
over one enterprise, so the two directions cannot disagree. A condition whose figure is not known
counts as not met (and says so). Amounts are compared in whole yuan, ratios by cross-multiplying:
exact at every boundary."""

import datetime
import math
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

import polars as pl
from django.utils import timezone
from django.utils.translation import gettext as _

from peiyu.core.models import Unit
from peiyu.enterprises.choices import HitechField, IndustrySection, QualificationKind, Stage
from peiyu.enterprises.models import EnterpriseYear, Qualification
from peiyu.services.choices import ConditionKind as K

NEAR = 1  # an enterprise that fails exactly one condition (and meets another) "nearly" qualifies
YUAN = 10_000


def reference_year() -> int:
    """The year of figures policies are matched on: the latest year the library holds."""
    latest = EnterpriseYear.objects.order_by("-year").values_list("year", flat=True).first()
    return latest or timezone.localdate().year - 1


def read_frame(enterprises, year: int, on: datetime.date | None = None, rulesets=()) -> pl.DataFrame:
    """One row per enterprise of the (scoped) queryset: unit, park, section, field, the year's
    revenue and R&D in yuan, employees, stage, qualifications in force `on`, and for each rule set
    code whether the enterprise is eligible under it."""
    on = on or timezone.localdate()
    base = list(enterprises.values_list("pk", "unit_id", "park_id", "industry_section", "hitech_field"))
    ids = [row[0] for row in base]
    frame = pl.DataFrame(
        base,
        schema={
            "enterprise_id": pl.Int64,
            "unit_id": pl.Int64,
            "park_id": pl.Int64,
            "section": pl.String,
            "hitech_field": pl.String,
        },
        orient="row",
    )
    years = EnterpriseYear.objects.filter(year=year, enterprise__in=enterprises)
    figures = pl.DataFrame(
        [
            (e, _yuan(r), _yuan(rd), emp, st)
            for e, r, rd, emp, st in years.values_list(
                "enterprise_id", "revenue", "rd_expense", "employees", "stage"
            )
        ],
        schema={
            "enterprise_id": pl.Int64,
            "revenue": pl.Int64,
            "rd": pl.Int64,
            "employees": pl.Int64,
            "stage": pl.Int64,
        },
        orient="row",
    )
    frame = frame.join(figures, on="enterprise_id", how="left")
    held = (
        Qualification.objects.current(on)
        .filter(enterprise__in=enterprises)
        .values_list("enterprise_id", "kind")
    )
    by_kind: dict[str, set] = {}
    for enterprise_id, kind in held:
        by_kind.setdefault(kind, set()).add(enterprise_id)
    frame = frame.with_columns(
        **{
            f"q_{k}": pl.col("enterprise_id").is_in(list(by_kind.get(k, ())))
            for k in QualificationKind.values
        }
    )
    for code in rulesets:
        frame = frame.with_columns(
            **{f"r_{code}": pl.col("enterprise_id").is_in(list(_eligible(code, year, enterprises, ids)))}
        )
    return frame


def _yuan(amount) -> int | None:
    return None if amount is None else int(amount * YUAN)


def _eligible(code: str, year: int, enterprises, ids) -> set[int]:
    """Enterprises eligible under the rule set version in use for `code` (the batch engine)."""
    from peiyu.evaluation.services import batch_results, ruleset_record

    try:
        record = ruleset_record(code)
    except Exception:  # an unknown code: nobody meets it (the policy page says so)
        return set()
    results = batch_results(record, year, enterprises)
    return set(results.filter(pl.col("eligible").fill_null(False))["enterprise_id"].to_list())


def _decimal(text: str) -> Decimal | None:
    try:
        return Decimal(str(text).strip())
    except (InvalidOperation, ValueError):
        return None


def _subtree(codes: list[str]) -> list[int]:
    out: list[int] = []
    for unit in Unit.objects.filter(code__in=codes):
        out.extend(Unit.objects.subtree_ids(unit))
    return out


def condition_expr(cond) -> pl.Expr:
    """The condition as a column expression: True when met, False when not met or not known."""
    kind, values = cond.kind, cond.values
    number = _decimal(values[0]) if values else None
    if kind == K.QUALIFICATION:
        parts = [pl.col(f"q_{v}") for v in values if v in QualificationKind.values]
        expr = pl.any_horizontal(parts) if parts else pl.lit(False)
    elif kind in (K.REVENUE_MIN, K.REVENUE_MAX):
        if number is None:
            return pl.lit(False)
        limit = int(number * YUAN)
        expr = pl.col("revenue") >= limit if kind == K.REVENUE_MIN else pl.col("revenue") < limit
    elif kind == K.RD_RATIO_MIN:
        if number is None:
            return pl.lit(False)
        # rd / revenue × 100 ≥ p  ⇔  rd × 100 × 10⁴ ≥ (p × 10⁴) × revenue, all integers
        expr = (pl.col("revenue") > 0) & (
            pl.col("rd").cast(pl.Int128) * 1_000_000
            >= pl.col("revenue").cast(pl.Int128) * int(number * 10_000)
        )
    elif kind in (K.EMPLOYEES_MIN, K.EMPLOYEES_MAX):
        if number is None:
            return pl.lit(False)
        # Head counts are whole: compare with whole numbers (a Decimal literal makes Polars slow).
        expr = (
            (pl.col("employees") >= math.ceil(number))
            if kind == K.EMPLOYEES_MIN
            else (pl.col("employees") <= math.floor(number))
        )
    elif kind == K.STAGE:
        expr = pl.col("stage").is_in([int(v) for v in values if v.isdigit()])
    elif kind == K.INDUSTRY:
        expr = pl.col("section").is_in(values)
    elif kind == K.HITECH_FIELD:
        expr = pl.col("hitech_field").is_in(values)
    elif kind == K.UNIT:
        inside = _subtree(values)
        expr = pl.col("unit_id").is_in(inside) | pl.col("park_id").is_in(inside)
    elif kind == K.RULESET:
        parts = [pl.col(f"r_{v}") for v in values]
        expr = pl.any_horizontal(parts) if parts else pl.lit(False)
    else:
        return pl.lit(False)
    return expr.fill_null(False)


def rulesets_of(policies) -> list[str]:
    return sorted({v for p in policies for c in p.conditions.all() if c.kind == K.RULESET for v in c.values})


def match(policies, frame: pl.DataFrame) -> pl.DataFrame:
    """Long result: enterprise_id, policy_id, missed (the index of the one condition not met, or
    null when every condition is), for every enterprise that meets a policy or misses exactly one
    of its conditions while meeting another ("nearly": NEAR = 1)."""
    parts = []
    for policy in policies:
        conditions = list(policy.conditions.all())
        if not conditions:
            met = frame.select("enterprise_id", pl.lit(None, dtype=pl.Int64).alias("missed"))
        else:
            flags = frame.select(
                "enterprise_id", *[(~condition_expr(c)).alias(f"c{i}") for i, c in enumerate(conditions)]
            )
            count = pl.sum_horizontal([pl.col(f"c{i}").cast(pl.Int8) for i in range(len(conditions))])
            # "Nearly" needs another condition met: failing the only condition of a policy is not near.
            kept = flags.filter((count == 0) | ((count == NEAR) & (len(conditions) > NEAR)))
            missed = pl.lit(None, dtype=pl.Int64)
            for i in reversed(range(len(conditions))):
                missed = pl.when(pl.col(f"c{i}")).then(pl.lit(i, dtype=pl.Int64)).otherwise(missed)
            met = kept.select("enterprise_id", missed.alias("missed"))
        parts.append(met.with_columns(policy_id=pl.lit(policy.pk, dtype=pl.Int64)))
    if not parts:
        return pl.DataFrame(schema={"enterprise_id": pl.Int64, "policy_id": pl.Int64, "missed": pl.Int64})
    return pl.concat(parts).select("enterprise_id", "policy_id", "missed")


# ---- words for people ----------------------------------------------------------------------


def _money(yuan) -> str:
    return f"{Decimal(yuan) / YUAN:,.2f} 万元"


def _names(choices_cls, values) -> str:
    labels = dict(choices_cls.choices)
    return "、".join(str(labels.get(v, labels.get(int(v) if str(v).isdigit() else v, v))) for v in values)


def requirement(cond) -> str:
    """The condition as the policy states it, in words."""
    kind, values = cond.kind, cond.values
    number = _decimal(values[0]) if values else None
    if kind == K.QUALIFICATION:
        return _("Holds: %(names)s") % {"names": _names(QualificationKind, values)}
    if kind == K.REVENUE_MIN and number is not None:
        return _("Revenue of at least %(amount)s") % {"amount": _money(number * YUAN)}
    if kind == K.REVENUE_MAX and number is not None:
        return _("Revenue below %(amount)s") % {"amount": _money(number * YUAN)}
    if kind == K.RD_RATIO_MIN and number is not None:
        return _("R&D expense at least %(p)s%% of revenue") % {"p": format(number.normalize(), "f")}
    if kind == K.EMPLOYEES_MIN and number is not None:
        return _("At least %(n)s employees") % {"n": format(number.normalize(), "f")}
    if kind == K.EMPLOYEES_MAX and number is not None:
        return _("At most %(n)s employees") % {"n": format(number.normalize(), "f")}
    if kind == K.STAGE:
        return _("Stage: %(names)s") % {"names": _names(Stage, [int(v) for v in values if v.isdigit()])}
    if kind == K.INDUSTRY:
        return _("Industry: %(names)s") % {"names": _names(IndustrySection, values)}
    if kind == K.HITECH_FIELD:
        return _("Hi-tech field: %(names)s") % {"names": _names(HitechField, values)}
    if kind == K.UNIT:
        names = "、".join(Unit.objects.filter(code__in=values).values_list("name", flat=True)) or "、".join(
            values
        )
        return _("Registered in: %(names)s") % {"names": names}
    if kind == K.RULESET:
        from peiyu.evaluation.models import RuleSet

        names = "、".join(
            dict(RuleSet.objects.filter(code__in=values, is_active=True).values_list("code", "name")).get(
                v, v
            )
            for v in values
        )
        return _("Meets the rule set: %(names)s") % {"names": names}
    return _("Condition not understood: %(value)s") % {"value": cond.value}


def actual(cond, row: dict) -> str:
    """What the enterprise has, for a condition (\"not reported\" when the figure is missing)."""
    kind = cond.kind
    missing = _("not reported for the year")
    if kind in (K.REVENUE_MIN, K.REVENUE_MAX):
        return _money(row["revenue"]) if row.get("revenue") is not None else missing
    if kind == K.RD_RATIO_MIN:
        if row.get("revenue") and row.get("rd") is not None:
            return f"{Decimal(row['rd']) * 100 / Decimal(row['revenue']):.2f}%"
        return missing
    if kind in (K.EMPLOYEES_MIN, K.EMPLOYEES_MAX):
        return str(row["employees"]) if row.get("employees") is not None else missing
    if kind == K.STAGE:
        return Stage(row["stage"]).label if row.get("stage") else missing
    if kind == K.INDUSTRY:
        return IndustrySection(row["section"]).label if row.get("section") else missing
    if kind == K.HITECH_FIELD:
        return HitechField(row["hitech_field"]).label if row.get("hitech_field") else missing
    if kind == K.QUALIFICATION:
        held = [QualificationKind(k).label for k in QualificationKind.values if row.get(f"q_{k}")]
        return "、".join(str(h) for h in held) or _("none")
    return ""


@dataclass
class PolicyFit:
    """One policy for one enterprise: whether it qualifies, and each condition met or not."""

    policy: object
    qualifies: bool
    checks: list = field(default_factory=list)  # (requirement, actual, met)

    @property
    def missing(self) -> list:
        return [c for c in self.checks if not c[2]]


def policies_for_enterprise(enterprise, policies, year: int | None = None) -> list[PolicyFit]:
    """The policies an enterprise qualifies for or nearly does, with reasons, best first."""
    from peiyu.enterprises.models import Enterprise

    policies = list(policies)
    year = year or reference_year()
    frame = read_frame(Enterprise.objects.filter(pk=enterprise.pk), year, rulesets=rulesets_of(policies))
    row = frame.row(0, named=True) if frame.height else {}
    found = {r["policy_id"]: r["missed"] for r in match(policies, frame).iter_rows(named=True)}
    out = []
    for policy in policies:
        if policy.pk not in found:
            continue
        unmet = {found[policy.pk]} - {None}
        checks = [
            (requirement(c), actual(c, row), i not in unmet) for i, c in enumerate(policy.conditions.all())
        ]
        out.append(PolicyFit(policy, not unmet, checks))
    return sorted(out, key=lambda f: (not f.qualifies, f.policy.title))


def enterprises_for_policy(
    policy, enterprises, year: int | None = None
) -> tuple[list[int], dict[int, list[int]]]:
    """The enterprise ids that qualify now, and those that nearly do with the conditions they miss."""
    year = year or reference_year()
    frame = read_frame(enterprises, year, rulesets=rulesets_of([policy]))
    result = match([policy], frame)
    qualifies = result.filter(pl.col("missed").is_null())["enterprise_id"].to_list()
    near = {
        r["enterprise_id"]: [r["missed"]]
        for r in result.filter(pl.col("missed").is_not_null()).iter_rows(named=True)
    }
    return qualifies, near
