"""What-if (政策模拟): evaluate a jurisdiction with changed thresholds or points, without saving,
and compare with the rule set as it stands — counts per unit, and the enterprises that flip."""

import time
from dataclasses import dataclass, field

import polars as pl

from peiyu.core.models import Unit
from peiyu.enterprises.models import Enterprise
from peiyu.evaluation import batch, rules
from peiyu.evaluation.dbframes import read_frame

KEEP = ["enterprise_id", "unit_id", "uscc", "name"]


@dataclass
class Simulation:
    units: list[dict] = field(default_factory=list)
    flips: list[dict] = field(default_factory=list)
    before: int = 0
    after: int = 0
    total: int = 0
    seconds: float = 0.0


def _outcome(value) -> str:
    return {True: "yes", False: "no", None: "pending"}[value]


def simulate(user, current: dict, changed: dict, year: int) -> Simulation:
    """Eligible counts before and after per unit, and every enterprise whose outcome changes."""
    start = time.perf_counter()
    old, new = rules.parse(current), rules.parse(changed)
    frame = read_frame(year, max(old.years_needed, new.years_needed, 1), Enterprise.objects.for_user(user))
    before = batch.compile_ruleset(old)(frame, keep=KEEP)
    after = batch.compile_ruleset(new)(frame, keep=["enterprise_id"]).select("enterprise_id", new_eligible="eligible",
                                                                            new_score_min="score_min", new_score_max="score_max")
    both = before.join(after, on="enterprise_id")
    sim = Simulation(total=both.height)
    sim.before = int(both["eligible"].fill_null(False).sum())
    sim.after = int(both["new_eligible"].fill_null(False).sum())
    per_unit = both.group_by("unit_id").agg(
        enterprises=pl.len(), before=pl.col("eligible").fill_null(False).sum(), after=pl.col("new_eligible").fill_null(False).sum()
    ).sort("unit_id")
    names = Unit.objects.in_bulk(per_unit["unit_id"].to_list())
    sim.units = [dict(r, unit=names.get(r["unit_id"]), change=r["after"] - r["before"]) for r in per_unit.to_dicts()]
    flipped = both.filter(pl.col("eligible").cast(pl.String).fill_null("-") != pl.col("new_eligible").cast(pl.String).fill_null("-"))
    sim.flips = [dict(r, unit=names.get(r["unit_id"]), was=_outcome(r["eligible"]), now=_outcome(r["new_eligible"]))
                 for r in flipped.sort(["unit_id", "uscc"]).to_dicts()]
    sim.seconds = time.perf_counter() - start
    return sim
