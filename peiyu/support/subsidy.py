"""The R&D post-subsidy engine (研发投入后补助): a policy is compiled once into a `Plan` of integers
(yuan, parts per million, per mille) and evaluated for a whole jurisdiction as one Polars frame —
exact integer arithmetic, no per-row ORM work. The reasoning of each result is read off the same
frame's flags, so the number and its explanation cannot disagree.

    R&D basis   = the 加计扣除 figure when entered, else the enterprise year's R&D expense
    increment   = base = min(cap, ⌊rate × max(0, basis − last year's R&D)⌋)
    tiers       = base = award of the highest tier whose floor ≤ basis (含), if basis ÷ revenue
                  reaches that tier's intensity
    multiplier  = 国家小巨人 ×giant (max giant_max), else 省专精特新 ×provincial (max provincial_max);
                  amount = max(base, min(⌊base × m⌋, max))
"""

import datetime
from dataclasses import dataclass, replace
from decimal import Decimal

import polars as pl
from django.db import transaction
from django.utils.translation import gettext as _

from peiyu.core.history import acting_as
from peiyu.core.models import Unit
from peiyu.enterprises.choices import EnterpriseStatus, QualificationKind, QualificationLevel
from peiyu.enterprises.models import Enterprise, EnterpriseYear, Qualification
from peiyu.support import rules
from peiyu.support.choices import SubsidyMethod, SubsidyState
from peiyu.support.models import SubsidyPolicy, SubsidyResult

PPM = 1_000_000


def yuan(amount) -> int | None:
    """万元 (Decimal, four places) → whole yuan."""
    return None if amount is None else int(Decimal(amount) * 10000)


def ppm(ratio) -> int | None:
    return None if ratio is None else int(Decimal(ratio) * PPM)


def permille(multiplier) -> int:
    return int(Decimal(multiplier) * 1000)


def from_yuan(value) -> Decimal | None:
    return None if value is None else (Decimal(int(value)) / 10000).quantize(rules.YUAN)


@dataclass(frozen=True)
class Plan:
    method: str
    rate_ppm: int | None = None
    cap: int | None = None
    min_rd: int | None = None
    min_revenue: int | None = None
    min_intensity_ppm: int | None = None
    requires_hitech: bool = False
    requires_deduction: bool = False
    provincial_permille: int = 1500
    provincial_max: int | None = 3_000_000
    giant_permille: int = 2000
    giant_max: int | None = 4_000_000
    exempt_prefixes: tuple[str, ...] = ()
    tiers: tuple[tuple[int, int | None, int], ...] = ()  # (floor, intensity ppm, award), ascending

    @classmethod
    def of(cls, policy: SubsidyPolicy, tiers=None) -> "Plan":
        tiers = policy.tiers.all() if tiers is None else tiers
        return cls(
            method=policy.method,
            rate_ppm=ppm(policy.rate),
            cap=yuan(policy.cap),
            min_rd=yuan(policy.min_rd),
            min_revenue=yuan(policy.min_revenue),
            min_intensity_ppm=ppm(policy.min_intensity),
            requires_hitech=policy.requires_hitech,
            requires_deduction=policy.requires_deduction,
            provincial_permille=permille(policy.provincial_multiplier),
            provincial_max=yuan(policy.provincial_max),
            giant_permille=permille(policy.giant_multiplier),
            giant_max=yuan(policy.giant_max),
            exempt_prefixes=policy.exempt_prefixes(),
            tiers=tuple(sorted((yuan(t.rd_floor), ppm(t.min_intensity), yuan(t.award)) for t in tiers)),
        )


FRAME_SCHEMA = {
    "enterprise_id": pl.Int64,
    "rd": pl.Int64,
    "rd_previous": pl.Int64,
    "revenue": pl.Int64,
    "deduction_rd": pl.Int64,
    "industry_code": pl.Utf8,
    "hitech": pl.Boolean,
    "provincial": pl.Boolean,
    "giant": pl.Boolean,
}


def _gate(numerator: pl.Expr, denominator: pl.Expr, need_ppm) -> pl.Expr:
    """numerator ÷ denominator ≥ need, exactly: numerator × 10⁶ ≥ need × denominator."""
    return (denominator > 0) & (numerator * PPM >= denominator * need_ppm)


def compute_frame(plan: Plan, frame: pl.DataFrame) -> pl.DataFrame:
    """Every row's flags, base award, multiplier and amount (yuan). One pass of column expressions."""
    basis = pl.coalesce(pl.col("deduction_rd"), pl.col("rd"))
    exempt = pl.lit(False)
    for prefix in plan.exempt_prefixes:
        exempt = exempt | pl.col("industry_code").fill_null("").str.starts_with(prefix)
    df = frame.with_columns(basis=basis, exempt=exempt)
    flags = {
        "no_rd": pl.col("basis").is_null(),
        "no_deduction": pl.lit(plan.requires_deduction) & pl.col("deduction_rd").is_null(),
        "below_revenue": pl.lit(plan.min_revenue is not None)
        & (pl.col("revenue").fill_null(0) < (plan.min_revenue or 0)),
        "below_rd": pl.lit(plan.min_rd is not None) & (pl.col("basis").fill_null(0) < (plan.min_rd or 0)),
        "not_hitech": pl.lit(plan.requires_hitech) & ~pl.col("hitech").fill_null(False) & ~pl.col("exempt"),
        "below_intensity": (
            pl.lit(plan.min_intensity_ppm is not None)
            & ~pl.col("exempt")
            & ~_gate(
                pl.col("basis").fill_null(0), pl.col("revenue").fill_null(0), plan.min_intensity_ppm or 0
            )
        ),
    }
    df = df.with_columns(**flags)
    if plan.method == SubsidyMethod.INCREMENT:
        increment = pl.max_horizontal(pl.col("basis") - pl.col("rd_previous"), pl.lit(0))
        base = (increment * (plan.rate_ppm or 0)) // PPM
        if plan.cap is not None:
            base = pl.min_horizontal(base, pl.lit(plan.cap))
        df = df.with_columns(
            no_previous=pl.col("rd_previous").is_null(),
            increment=increment,
            tier_floor=pl.lit(None, pl.Int64),
            tier_intensity=pl.lit(None, pl.Int64),
            tier_failed=pl.lit(False),
            raw=base.fill_null(0),
        )
    else:
        floor, need, award = pl.lit(None, pl.Int64), pl.lit(None, pl.Int64), pl.lit(0, pl.Int64)
        for tier_floor, tier_ppm, tier_award in plan.tiers:  # ascending: the highest reached wins
            reached = pl.col("basis").fill_null(-1) >= tier_floor
            floor = pl.when(reached).then(pl.lit(tier_floor)).otherwise(floor)
            need = pl.when(reached).then(pl.lit(tier_ppm, pl.Int64)).otherwise(need)
            award = pl.when(reached).then(pl.lit(tier_award)).otherwise(award)
        df = df.with_columns(
            tier_floor=floor, tier_intensity=need, no_previous=pl.lit(False), increment=pl.lit(None, pl.Int64)
        )
        tier_failed = (
            pl.col("tier_intensity").is_not_null()
            & ~pl.col("exempt")
            & ~_gate(pl.col("basis").fill_null(0), pl.col("revenue").fill_null(0), pl.col("tier_intensity"))
        )
        df = df.with_columns(tier_failed=tier_failed, raw=pl.when(tier_failed).then(0).otherwise(award))
    blocked = pl.any_horizontal(*[pl.col(name) for name in flags], pl.col("no_previous"))
    df = df.with_columns(base=pl.when(blocked).then(0).otherwise(pl.col("raw")))
    giant, provincial = pl.col("giant").fill_null(False), pl.col("provincial").fill_null(False)
    df = df.with_columns(
        multiplier=pl.when(giant)
        .then(plan.giant_permille)
        .when(provincial)
        .then(plan.provincial_permille)
        .otherwise(1000),
        title_max=pl.when(giant)
        .then(pl.lit(plan.giant_max, pl.Int64))
        .when(provincial)
        .then(pl.lit(plan.provincial_max, pl.Int64))
        .otherwise(None),
    )
    multiplied = pl.col("base") * pl.col("multiplier") // 1000
    capped = (
        pl.when(pl.col("title_max").is_null())
        .then(multiplied)
        .otherwise(pl.min_horizontal(multiplied, pl.col("title_max")))
    )
    return df.with_columns(amount=pl.max_horizontal(pl.col("base"), capped)).with_columns(
        eligible=pl.col("amount") > 0
    )


def reasons_for(plan: Plan, row: dict) -> list[str]:
    """The reasoning of one computed row, in words."""
    w = lambda v: rules.wan(from_yuan(v))  # noqa: E731
    out = []
    if row["no_rd"]:
        return [_("No R&D figure for the year.")]
    source = _("the super-deduction filing") if row["deduction_rd"] is not None else _("the enterprise year")
    out.append(_("R&D %(rd)s (from %(source)s)") % {"rd": w(row["basis"]), "source": source})
    if row["exempt"]:
        out.append(_("industry exempt from the hi-tech and intensity conditions"))
    checks = [
        ("no_deduction", _("no super-deduction filing entered")),
        (
            "below_revenue",
            _("revenue %(v)s is below the floor %(f)s")
            % {"v": w(row["revenue"] or 0), "f": w(plan.min_revenue or 0)},
        ),
        ("below_rd", _("R&D is below the floor %(f)s") % {"f": w(plan.min_rd or 0)}),
        ("not_hitech", _("not a hi-tech enterprise")),
        (
            "below_intensity",
            _("R&D ÷ revenue is below %(p)s") % {"p": rules.pct(Decimal(plan.min_intensity_ppm or 0) / PPM)},
        ),
        ("no_previous", _("no R&D figure for the year before")),
    ]
    out += [text for key, text in checks if row.get(key)]
    if plan.method == SubsidyMethod.INCREMENT and not row["no_previous"]:
        out.append(
            _("increment %(inc)s × %(rate)s, at most %(cap)s → %(base)s")
            % {
                "inc": w(row["increment"]),
                "rate": rules.pct(Decimal(plan.rate_ppm or 0) / PPM),
                "cap": w(plan.cap) if plan.cap is not None else "—",
                "base": w(row["raw"]),
            }
        )
    elif plan.method == SubsidyMethod.TIERS:
        if row["tier_floor"] is None:
            out.append(_("below the lowest tier"))
        else:
            above = [f for f, _i, _a in plan.tiers if f > row["tier_floor"]]
            if above:
                out.append(
                    _("tier from %(floor)s (inclusive) to below %(next)s")
                    % {"floor": w(row["tier_floor"]), "next": w(above[0])}
                )
            else:
                out.append(_("tier from %(floor)s (inclusive) up") % {"floor": w(row["tier_floor"])})
            if row["tier_failed"]:
                out.append(
                    _("R&D ÷ revenue does not reach the tier's %(p)s")
                    % {"p": rules.pct(Decimal(row["tier_intensity"]) / PPM)}
                )
    if row["base"] and row["multiplier"] != 1000:
        title = _("national little giant") if row["giant"] else _("provincial specialised SME")
        out.append(
            _("%(title)s × %(m)s, at most %(max)s")
            % {
                "title": title,
                "m": rules.pct(Decimal(row["multiplier"]) / 1000),
                "max": w(row["title_max"]) if row["title_max"] is not None else "—",
            }
        )
    out.append(
        _("post-subsidy %(amount)s") % {"amount": w(row["amount"])} if row["amount"] else _("no post-subsidy")
    )
    return out


# — reading the jurisdiction ————————————————————————————————————————————————————————


def load_frame(policy: SubsidyPolicy, entered: dict[int, Decimal] | None = None) -> pl.DataFrame:
    """One row per enterprise in the policy's unit: the year's and last year's figures and titles."""
    unit_ids = Unit.objects.subtree_ids(policy.unit)
    # Enterprises in business in the unit (moved-out and deregistered ones are not paid).
    enterprises = Enterprise.objects.filter(unit__in=unit_ids, status=EnterpriseStatus.ACTIVE)
    ids, codes = [], []
    for pk, code in enterprises.values_list("pk", "industry_code"):
        ids.append(pk)
        codes.append(code)
    years = EnterpriseYear.objects.filter(enterprise__in=enterprises, year__in=[policy.year, policy.year - 1])
    current, previous = {}, {}
    for pk, year, rd, revenue in years.values_list("enterprise_id", "year", "rd_expense", "revenue"):
        (current if year == policy.year else previous)[pk] = (rd, revenue)
    day = datetime.date(policy.year, 12, 31)
    quals = Qualification.objects.current(day).filter(enterprise__in=enterprises)
    hitech = set(quals.filter(kind=QualificationKind.HITECH).values_list("enterprise_id", flat=True))
    giant = set(
        quals.filter(kind=QualificationKind.SPECIALIZED_GIANT).values_list("enterprise_id", flat=True)
    )
    provincial = set(
        quals.filter(kind=QualificationKind.SPECIALIZED_SME, level=QualificationLevel.PROVINCIAL).values_list(
            "enterprise_id", flat=True
        )
    )
    entered = entered or {}
    return pl.DataFrame(
        {
            "enterprise_id": ids,
            "rd": [yuan(current.get(pk, (None, None))[0]) for pk in ids],
            "rd_previous": [yuan(previous.get(pk, (None, None))[0]) for pk in ids],
            "revenue": [yuan(current.get(pk, (None, None))[1]) for pk in ids],
            "deduction_rd": [yuan(entered.get(pk)) for pk in ids],
            "industry_code": codes,
            "hitech": [pk in hitech for pk in ids],
            "provincial": [pk in provincial for pk in ids],
            "giant": [pk in giant for pk in ids],
        },
        schema=FRAME_SCHEMA,
    )


def compute_policy(policy: SubsidyPolicy, user=None) -> dict:
    """Compute every enterprise of the policy's unit and store the results. Results already
    confirmed, approved, paid or clawed back are kept as they are; computed ones are replaced
    (keeping a 加计扣除 figure someone entered)."""
    with transaction.atomic(), acting_as(user):
        existing = {r.enterprise_id: r for r in SubsidyResult.objects.filter(policy=policy)}
        entered = {pk: r.deduction_rd for pk, r in existing.items() if r.deduction_rd is not None}
        plan = Plan.of(policy)
        df = compute_frame(plan, load_frame(policy, entered))
        kept = {pk for pk, r in existing.items() if r.state != SubsidyState.COMPUTED}
        SubsidyResult.objects.filter(policy=policy, state=SubsidyState.COMPUTED).delete()
        rows = [
            SubsidyResult(
                policy=policy,
                enterprise_id=row["enterprise_id"],
                rd=from_yuan(row["rd"]),
                rd_previous=from_yuan(row["rd_previous"]),
                revenue=from_yuan(row["revenue"]),
                deduction_rd=from_yuan(row["deduction_rd"]),
                base_award=from_yuan(row["base"]),
                multiplier=Decimal(row["multiplier"]) / 1000,
                amount=from_yuan(row["amount"]),
                eligible=row["eligible"],
                reasons=reasons_for(plan, row),
            )
            for row in df.iter_rows(named=True)
            if row["enterprise_id"] not in kept
        ]
        SubsidyResult.objects.bulk_create(rows, batch_size=2000)
        return {
            "enterprises": df.height,
            "eligible": int(df["eligible"].sum()),
            "total": from_yuan(int(df["amount"].sum())),
        }


def what_if(policy: SubsidyPolicy, rate=None, cap=None, tier_factor=None) -> dict:
    """What the policy would cost this year with another rate or cap, or every tier's award scaled."""
    plan = Plan.of(policy)
    frame = load_frame(
        policy, {r.enterprise_id: r.deduction_rd for r in policy.results.exclude(deduction_rd=None)}
    )
    changed = plan
    if rate is not None:
        changed = replace(changed, rate_ppm=ppm(rate))
    if cap is not None:
        changed = replace(changed, cap=yuan(cap))
    if tier_factor is not None:
        changed = replace(
            changed, tiers=tuple((f, i, int(Decimal(a) * Decimal(tier_factor))) for f, i, a in plan.tiers)
        )
    now, then = compute_frame(plan, frame), compute_frame(changed, frame)
    return {
        "current": {"eligible": int(now["eligible"].sum()), "total": from_yuan(int(now["amount"].sum()))},
        "changed": {"eligible": int(then["eligible"].sum()), "total": from_yuan(int(then["amount"].sum()))},
    }
