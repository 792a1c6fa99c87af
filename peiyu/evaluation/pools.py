"""Cultivation pools (培育库): for each step of the ladder 科技型中小企业 → 高新技术企业 → 瞪羚 →
小巨人, the enterprises one step below it — on (or holding the title of) the previous step, not
qualified for this one, but qualified once every threshold is loosened by the margin (near-miss).
Computed in batch over the user's scope, with the gap of each listed enterprise from the single engine."""

from dataclasses import dataclass, field
from fractions import Fraction

import polars as pl

from peiyu.enterprises.choices import QualificationKind
from peiyu.enterprises.models import Enterprise, Qualification
from peiyu.evaluation import batch, params, rules
from peiyu.evaluation.dbframes import input_for, read_frame
from peiyu.evaluation.frames import year_end
from peiyu.evaluation.gaps import evaluate_with_gaps
from peiyu.evaluation.models import RuleSet, applicable_rulesets

LADDER = ("tech_sme", "hitech", "gazelle", "little_giant")
TITLES = {"tech_sme": QualificationKind.TECH_SME, "hitech": QualificationKind.HITECH, "gazelle": QualificationKind.GAZELLE,
          "little_giant": QualificationKind.LITTLE_GIANT}
MAX_LISTED = 200


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


@dataclass
class Pool:
    step: RuleSet
    previous: RuleSet | None
    rows: list[dict] = field(default_factory=list)
    total: int = 0


def _holders(kind: str, year: int, ids: list[int]) -> set[int]:
    qs = Qualification.objects.current(year_end(year)).filter(kind=kind, enterprise_id__in=ids)
    return set(qs.values_list("enterprise_id", flat=True))


class FrameCache:
    """Batch frames of one request, read once per number of years."""

    def __init__(self, year: int, enterprises):
        self.year, self.enterprises, self.frames = year, enterprises, {}

    def get(self, years: int) -> pl.DataFrame:
        if years not in self.frames:
            self.frames[years] = read_frame(self.year, years, self.enterprises)
        return self.frames[years]

    def results(self, data: dict) -> pl.DataFrame:
        parsed = rules.parse(data)
        return batch.compile_ruleset(parsed)(self.get(max(parsed.years_needed, 4)), keep=["enterprise_id", "unit_id", "uscc", "name"])


def _near_misses(cache: FrameCache, step: RuleSet, previous_ok: set | None, margin: Fraction) -> pl.DataFrame:
    official = cache.results(step.data)
    relaxed = cache.results(params.relax(step.data, margin)).select("enterprise_id", relaxed="eligible")
    out = official.join(relaxed, on="enterprise_id").filter(
        (pl.col("eligible").fill_null(False).not_()) & pl.col("relaxed").fill_null(True)
    )
    if previous_ok is not None:
        out = out.filter(pl.col("enterprise_id").is_in(list(previous_ok)))
    held = _holders(TITLES[step.data["qualification"]], cache.year, out["enterprise_id"].to_list())
    return out.filter(~pl.col("enterprise_id").is_in(list(held))).sort(["score_max", "uscc"], descending=[True, False], nulls_last=True)


def _previous_ok(cache: FrameCache, previous: RuleSet) -> set[int]:
    done = cache.results(previous.data).filter(pl.col("eligible").fill_null(False))["enterprise_id"].to_list()
    ids = cache.get(4)["enterprise_id"].to_list()
    return set(done) | _holders(TITLES[previous.data["qualification"]], cache.year, ids)


def _row(step: RuleSet, row: dict, enterprise: Enterprise | None, year: int) -> dict:
    out = {"enterprise": enterprise, "uscc": row["uscc"], "name": row["name"], "eligible": row["eligible"],
           "score_min": row["score_min"], "score_max": row["score_max"],
           "failed": [g.name for g in step.parsed.gates if row.get(f"g__{g.code}") is False], "gaps": []}
    inp = input_for(enterprise, year, years=4) if enterprise else None
    if inp is not None:
        out["gaps"] = [g.message for g in evaluate_with_gaps(step.parsed, inp).gaps]
    return out


def pools(user, year: int, margin: Fraction, chosen: dict | None = None, limit: int = MAX_LISTED) -> list[Pool]:
    """The pools of the ladder for the user's scope."""
    scope = Enterprise.objects.for_user(user)
    cache = FrameCache(year, scope)
    steps = ladder(year, chosen)
    out = []
    for i, step in enumerate(steps):
        previous = steps[i - 1] if i else None
        found = _near_misses(cache, step, _previous_ok(cache, previous) if previous else None, margin)
        listed = found.head(limit).to_dicts()
        by_id = Enterprise.objects.in_bulk([r["enterprise_id"] for r in listed])
        pool = Pool(step, previous, total=found.height)
        pool.rows = [_row(step, r, by_id.get(r["enterprise_id"]), year) for r in listed]
        out.append(pool)
    return out
