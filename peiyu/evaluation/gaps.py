"""The gap: the smallest concrete change that would qualify an enterprise. Candidate plans are
built from levers (fix every failed gate, then either meet one route or lift up to three indicators
by a band), ordered by number of changes and relative size, and each is checked by applying it
and deciding again (engine.decide: eligibility alone, without building a result) — a gap is only
reported if the changed input qualifies."""

import dataclasses
import datetime
import itertools

from peiyu.evaluation import engine, levers
from peiyu.evaluation.inputs import EvaluationInput
from peiyu.evaluation.levers import NO_CHANGE, Change, merge
from peiyu.evaluation.results import Message, Result
from peiyu.evaluation.rules import Condition, Indicator, RuleSet, common

MAX_LIFTS = 3
MAX_ALTERNATIVES = 3


def apply(inp: EvaluationInput, change: Change) -> EvaluationInput:
    """The input with a change applied (amounts added to the latest year, inputs or the date)."""
    latest = inp.fig(0)
    figures, extras, as_of = {}, dict(inp.extras), inp.as_of
    for key, amount in change.deltas.items():
        scope, _, name = key.partition(".")
        if key == "days":
            as_of = as_of + datetime.timedelta(days=int(amount))
        elif scope == "x":
            extras[name] = (extras[name] or 0) + amount
        else:
            figures[name] = (figures.get(name, getattr(latest, name)) or 0) + amount
    years = {**inp.years, inp.year: dataclasses.replace(latest, **figures)}
    return inp.replace(years=years, extras=extras, as_of=as_of)


def solve(cond: Condition, ctx: engine.Context) -> list[Change]:
    """Ways to meet a condition, cheapest first ([NO_CHANGE] if met, [] if no lever can)."""
    met = ctx.test(cond)
    if met is True:
        return [NO_CHANGE]
    if cond.kind == "any":
        options = [c for child in cond.children for c in solve(child, ctx)]
    elif cond.kind == "all":
        parts = [solve(child, ctx) for child in cond.children]
        options = [merge(combo) for combo in itertools.product(*parts)] if all(parts) else []
    else:
        options = _leaf(cond, ctx)
    return sorted(options, key=lambda c: c.cost)[:MAX_ALTERNATIVES]


def _leaf(cond: Condition, ctx: engine.Context) -> list[Change]:
    solver = levers.LEVERS.get(cond.metric)
    threshold = ctx.threshold(cond)
    if solver is None or threshold is None or isinstance(threshold, bool | tuple):
        return []
    found = solver(ctx, cond.op, threshold)
    return [found] if found else []


def lifts(ind: Indicator, ctx: engine.Context) -> list[Change]:
    """Changes that lift an indicator into each better band (of each alternative or component)."""
    if ind.override and ctx.inp.extra(ind.override) is not None:
        return []
    subs = ind.alternatives + ind.components
    if subs:
        return [c for sub in subs for c in lifts(sub, ctx)]
    out = []
    for band in ind.bands:
        if band.when is None or ctx.test(band.when) is True:
            break
        options = solve(band.when, ctx)
        if options:
            out.append(options[0])
    return out


def _candidates(rs: RuleSet, ctx: engine.Context) -> list[Change] | None:
    """Plans to try, cheapest first; None when a failed gate has no lever."""
    base = []
    for gate in rs.gates:
        if ctx.test(gate.condition) is False:
            options = solve(gate.condition, ctx)
            if not options:
                return None
            base.append(options[0])
    extras = [[]]
    for route in rs.routes:
        if ctx.test(route.condition) is not True:
            extras += [[c] for c in solve(route.condition, ctx)[:1]]
    if rs.pass_rule:
        per_indicator = [lifts(ind, ctx) for ind in rs.indicators]
        per_indicator = [opts for opts in per_indicator if opts]
        for size in range(1, MAX_LIFTS + 1):
            for group in itertools.combinations(per_indicator, size):
                extras += [list(combo) for combo in itertools.product(*group)]
    plans = {}
    for extra in extras:
        plan = merge(base + extra)
        plans.setdefault(tuple(sorted(plan.deltas.items())), plan)
    return sorted(plans.values(), key=lambda p: (len(p.gaps), p.cost))


def find_plans(rs: RuleSet, inp: EvaluationInput, want=(True,)) -> list[Change]:
    """Plans whose application makes `eligible` one of `want`, fewest changes first."""
    ctx = engine.Context(rs, inp)
    candidates = _candidates(rs, ctx) or []
    found = []
    for plan in candidates:
        if found and len(plan.gaps) > len(found[0].gaps):
            break
        levers_used = {g.code for g in plan.gaps}
        if plan.empty or any(levers_used >= {g.code for g in f.gaps} for f in found):
            continue
        if engine.decide(rs, apply(inp, plan)) in want:
            found.append(plan)
            if len(found) > MAX_ALTERNATIVES:
                break
    return found


def next_band(ind: Indicator, res, ctx: engine.Context) -> dict | None:
    """The band just above the one reached, with the change that lifts it there."""
    if ind.alternatives:
        ind = next(a for a in ind.alternatives if a.code == res.alternative)
    if not ind.bands or (ind.override and ctx.inp.extra(ind.override) is not None):
        return None
    names = [b.band for b in ind.bands]
    index = names.index(res.band) if res.band in names else 0
    if index == 0:
        return None
    band = ind.bands[index - 1]
    options = solve(band.when, ctx)
    if not options or options[0].empty:
        return None
    return {"band": band.band, "points": list(band.points) if band.points else None,
            "gaps": [g.to_json() for g in options[0].gaps]}


def evaluate_with_gaps(rs: RuleSet, inp: EvaluationInput, *, find=None) -> Result:
    """Evaluate, then add the gap (the best plan), alternative plans and each indicator's next band.
    `find` replaces find_plans (batchgaps passes plans searched for a whole frame at once)."""
    find = find or find_plans
    result = engine.evaluate(rs, inp)
    ctx = engine.Context(rs, inp)
    for ind in rs.indicators:
        res = result.indicator(ind.code)
        res.next_band = next_band(ind, res, ctx)
    if result.eligible is True:
        return result
    plans = find(rs, inp)
    result.gap_target = "eligible"
    if not plans and result.eligible is False:
        plans = find(rs, inp, want=(True, None))
        result.gap_target = "possible" if plans else ""
    if plans:
        result.gaps = list(plans[0].gaps)
        result.alternatives = [list(p.gaps) for p in plans[1:]]
    elif result.eligible is None and rs.pass_rule:
        result.gap_target = ""
        result.notes.append(_expert_note(rs, result))
    return result


def _expert_note(rs: RuleSet, result: Result) -> Message:
    spec = common()["levers"]["expert_scores"]
    op = common()["ops"][">" if rs.pass_rule.exclusive else ">="]
    return Message("expert_scores", spec["template"].format(score_min=result.score_min, op=op, min=rs.pass_rule.min_score))
