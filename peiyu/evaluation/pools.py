"""Cultivation pools (培育库): for each step of the ladder 科技型中小企业 → 高新技术企业 → 瞪羚 →
小巨人, the enterprises one step below it — on (or holding the title of) the previous step, not
qualified for this one, but qualified once every threshold is loosened by the margin (near-miss).

Membership is computed in batch over the user's whole scope and cached under a data version (as
the dashboard is), so paging, searching and filtering reuse it. Enterprises that fail a ceiling
(assets or sales above the tier's upper limit, too large to be an SME) are kept apart: no
cultivation brings a firm back under a ceiling. The single engine explains only the rows shown —
why each is not (yet) qualified and the gap, the page's gaps searched together in batch
(batchgaps) — so a page costs a few dozen evaluations, not thousands."""

from dataclasses import dataclass, field
from fractions import Fraction

import polars as pl
from django.core.cache import cache
from django.utils.translation import get_language

from peiyu.enterprises.choices import QualificationKind
from peiyu.enterprises.dashboard import data_version
from peiyu.enterprises.models import Enterprise, Qualification
from peiyu.evaluation import batch, params, registry, rules
from peiyu.evaluation.batchgaps import evaluate_many
from peiyu.evaluation.dbframes import inputs_for, read_frame
from peiyu.evaluation.frames import year_end
from peiyu.evaluation.models import RuleSet, applicable_rulesets

LADDER = ("tech_sme", "hitech", "gazelle", "little_giant")
TITLES = {"tech_sme": QualificationKind.TECH_SME, "hitech": QualificationKind.HITECH, "gazelle": QualificationKind.GAZELLE,
          "little_giant": QualificationKind.LITTLE_GIANT}
CACHE_SECONDS = 600
COLUMNS = ["enterprise_id", "uscc", "name", "eligible", "score_min", "score_max"]
# Kinds of pool list: the enterprises cultivation can help, and those beyond a ceiling.
CULTIVABLE, OVER_CEILING = "cultivable", "over_ceiling"


def covers(data: dict, year: int) -> bool:
    """Whether a rule set's effective period (years) includes `year`."""
    period = data.get("effective", {})
    start, end = period.get("from"), period.get("to")
    return (not start or int(str(start)[:4]) <= year) and (not end or year <= int(str(end)[:4]))


def candidates(family: str, year: int) -> list[RuleSet]:
    """Rule sets in use for a ladder step in `year` (the step's families may have several, e.g. gazelles)."""
    records = [r for r in applicable_rulesets(None, year_end(year + 1).replace(month=1, day=1)) if r.data.get("qualification") == family]
    return [r for r in records if covers(r.data, year)] or records


def ladder(year: int, chosen: dict | None = None) -> list[RuleSet]:
    """One rule set per step; `chosen` maps a family to a code where there is a choice."""
    RuleSet.objects.sync_official()
    steps = []
    for family in LADDER:
        options = candidates(family, year)
        if options:
            pick = next((r for r in options if r.code == (chosen or {}).get(family)), options[0])
            steps.append(pick)
    return steps


def ceiling_gates(rs: rules.RuleSet) -> list[str]:
    """Codes of the gates that are upper limits on size (employees, sales, assets, SME size class):
    a firm above one is not a candidate for cultivation."""
    out = []
    for gate in rs.gates:
        cond = gate.condition
        if cond.kind != "leaf":
            continue
        upper = cond.op in ("<=", "<") and registry.get(cond.metric).kind in ("money", "count")
        if upper or cond.metric == "size_class":
            out.append(gate.code)
    return out


@dataclass
class Pool:
    """One ladder step's near-misses: `found` (cultivable) and `over` (beyond a ceiling), each a frame
    of COLUMNS in display order; `rows` are the explained rows of the page shown."""

    step: RuleSet
    previous: RuleSet | None
    found: pl.DataFrame
    over: pl.DataFrame
    rows: list[dict] = field(default_factory=list)
    over_rows: list[dict] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.found.height

    @property
    def over_total(self) -> int:
        return self.over.height

    def listed(self, kind: str) -> pl.DataFrame:
        return self.over if kind == OVER_CEILING else self.found


def _holders(kind: str, year: int) -> list[int]:
    """Enterprises holding a title at the end of `year`, anywhere: the frames being filtered are
    already scoped, and one query without a list of ids stays fast at 100,000 enterprises."""
    qs = Qualification.objects.current(year_end(year)).filter(kind=kind)
    return list(set(qs.values_list("enterprise_id", flat=True)))


class FrameCache:
    """Batch frames of one computation, read once per number of years."""

    def __init__(self, year: int, enterprises):
        self.year, self.enterprises, self.frames = year, enterprises, {}

    def get(self, years: int) -> pl.DataFrame:
        if years not in self.frames:
            self.frames[years] = read_frame(self.year, years, self.enterprises)
        return self.frames[years]

    def results(self, data: dict) -> pl.DataFrame:
        parsed = rules.parse(data)
        return batch.compile_ruleset(parsed)(self.get(max(parsed.years_needed, 4)), keep=["enterprise_id", "uscc", "name"])


def _near_misses(cache_: FrameCache, step: RuleSet, previous_ok: list | None, margin: Fraction) -> tuple[pl.DataFrame, pl.DataFrame]:
    official = cache_.results(step.data)
    relaxed = cache_.results(params.relax(step.data, margin)).select("enterprise_id", relaxed="eligible")
    out = official.join(relaxed, on="enterprise_id").filter(
        (pl.col("eligible").fill_null(False).not_()) & pl.col("relaxed").fill_null(True)
    )
    if previous_ok is not None:
        out = out.filter(pl.col("enterprise_id").is_in(previous_ok))
    out = out.filter(~pl.col("enterprise_id").is_in(_holders(TITLES[step.data["qualification"]], cache_.year)))
    out = out.sort(["score_max", "uscc"], descending=[True, False], nulls_last=True)
    ceilings = [pl.col(f"g__{code}").not_().fill_null(False) for code in ceiling_gates(step.parsed)]
    over = pl.any_horizontal(ceilings) if ceilings else pl.lit(False)
    return out.filter(~over).select(COLUMNS), out.filter(over).select(COLUMNS)


def _previous_ok(cache_: FrameCache, previous: RuleSet) -> list[int]:
    done = cache_.results(previous.data).filter(pl.col("eligible").fill_null(False))["enterprise_id"].to_list()
    return list(set(done) | set(_holders(TITLES[previous.data["qualification"]], cache_.year)))


def _compute(user, year: int, margin: Fraction, steps: list[RuleSet]) -> list[tuple[pl.DataFrame, pl.DataFrame]]:
    frames = FrameCache(year, Enterprise.objects.for_user(user))
    out = []
    for i, step in enumerate(steps):
        previous_ok = _previous_ok(frames, steps[i - 1]) if i else None
        out.append(_near_misses(frames, step, previous_ok, margin))
    return out


def _cache_key(user, year: int, margin: Fraction, steps: list[RuleSet]) -> str:
    """Scope, question and data version: any write to enterprises, years, qualifications or the
    history gives a new key (see enterprises.dashboard.data_version); rule set versions never
    change once stored, so their ids name them."""
    scope = (user.role, user.unit_id, user.pk if user.role == "enterprise" else "", user.is_superuser)
    parts = ("pools", *scope, year, margin, *(s.pk for s in steps), *data_version())
    return ":".join(map(str, parts))


def pools(user, year: int, margin: Fraction, chosen: dict | None = None) -> list[Pool]:
    """The pools of the ladder for the user's scope (membership only; see explain)."""
    steps = ladder(year, chosen)
    key = _cache_key(user, year, margin, steps)
    computed = cache.get(key)
    if computed is None:
        computed = _compute(user, year, margin, steps)
        cache.set(key, computed, CACHE_SECONDS)
    return [Pool(step, steps[i - 1] if i else None, found, over) for i, (step, (found, over)) in enumerate(zip(steps, computed, strict=True))]


def narrow(frame: pl.DataFrame, ids: set[int] | None) -> pl.DataFrame:
    """The rows of enterprises in `ids` (None: all), for search and unit filters."""
    return frame if ids is None else frame.filter(pl.col("enterprise_id").is_in(list(ids)))


def explain(step: RuleSet, frame: pl.DataFrame, year: int) -> list[dict]:
    """The rows of `frame` with their enterprise, why they are not (yet) qualified and the gap, from
    the single engine (the reference; the page explains only the rows it shows). Explanations are
    cached under the data version, so a page seen once is not explained again."""
    listed = frame.to_dicts()
    by_id = Enterprise.objects.select_related("unit").in_bulk([r["enterprise_id"] for r in listed])
    version = ":".join(map(str, ("pool-row", step.pk, year, get_language(), *data_version())))
    keys = {r["enterprise_id"]: f"{version}:{r['enterprise_id']}" for r in listed}
    known = cache.get_many(list(keys.values()))
    missing = [by_id[i] for i, key in keys.items() if key not in known and i in by_id]
    if missing:
        inputs = inputs_for(missing, year, years=max(step.parsed.years_needed, 4))
        found = [e for e in missing if inputs.get(e.pk) is not None]
        results = evaluate_many(step.parsed, [inputs[e.pk] for e in found])  # gaps searched in batch
        fresh = {keys[e.pk]: {"reasons": [], "gaps": [], "alternatives": []} for e in missing}
        fresh.update({keys[e.pk]: _explanation(result) for e, result in zip(found, results, strict=True)})
        cache.set_many(fresh, CACHE_SECONDS)
        known.update(fresh)
    empty = {"reasons": [], "gaps": [], "alternatives": []}
    return [{**row, "enterprise": by_id.get(row["enterprise_id"]), **known.get(keys[row["enterprise_id"]], empty)} for row in listed]


def _explanation(result) -> dict:
    return {
        "reasons": [m.message for m in (*result.failed, *result.pending, *result.notes)],
        "gaps": [g.message for g in result.gaps],
        "alternatives": ["、".join(g.message for g in plan) for plan in result.alternatives],
    }
