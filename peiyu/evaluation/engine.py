"""The single engine: one enterprise-year through one rule set, with three-valued logic — a
condition is met (True), failed (False) or undecided (None) because an expert input is missing.
Scores are ranges when experts choose points inside a band; the result says whether the
enterprise passes regardless, fails regardless, or depends on the expert scores."""

import operator
from decimal import Decimal
from fractions import Fraction

from peiyu.evaluation import display, registry
from peiyu.evaluation.inputs import EvaluationInput
from peiyu.evaluation.metrics import growth_needs_review
from peiyu.evaluation.registry import UNKNOWN
from peiyu.evaluation.results import IndicatorResult, Message, Result, RouteResult
from peiyu.evaluation.rules import Condition, Indicator, RuleSet, common, localized

OPS = {">=": operator.ge, ">": operator.gt, "<=": operator.le, "<": operator.lt, "==": operator.eq, "!=": operator.ne}
REVIEW_FIELDS = {"net_asset_growth": "net_assets", "sales_growth": "revenue"}


def k_and(values) -> bool | None:
    """Kleene AND: False wins, then None."""
    values = list(values)
    if any(v is False for v in values):
        return False
    return None if any(v is None for v in values) else True


def k_or(values) -> bool | None:
    """Kleene OR: True wins, then None."""
    values = list(values)
    if any(v is True for v in values):
        return True
    return None if any(v is None for v in values) else False


def compare(metric: registry.Metric, value, op: str, threshold) -> bool | None:
    """value OP threshold exactly; a missing value fails, an unknown expert input is undecided."""
    if value is UNKNOWN:
        return None
    if value is None or threshold is None:
        return False
    if op in ("in", "not in"):
        return (value in threshold) == (op == "in")
    if metric.kind in ("bool", "category"):
        return OPS[op](value, threshold)
    if isinstance(value, Decimal):
        value = Fraction(value)
    return OPS[op](value, metric.threshold(threshold))


class Context:
    """Metric values of one input, computed once each."""

    def __init__(self, ruleset: RuleSet, inp: EvaluationInput):
        self.ruleset, self.inp = ruleset, inp
        self._values: dict[str, object] = {}

    def value(self, name: str):
        if name not in self._values:
            self._values[name] = registry.get(name).scalar(self.inp, self.ruleset.options)
        return self._values[name]

    def threshold(self, cond: Condition):
        """The threshold in force: the condition's value, or that of the first tier whose `when` holds."""
        if not cond.tiers:
            return cond.value
        for tier in cond.tiers:
            if tier.when is None or self.test(tier.when) is True:
                return tier.value
        return None

    def test(self, cond: Condition) -> bool | None:
        if cond.kind == "all":
            return k_and(self.test(c) for c in cond.children)
        if cond.kind == "any":
            return k_or(self.test(c) for c in cond.children)
        return compare(registry.get(cond.metric), self.value(cond.metric), cond.op, self.threshold(cond))


# — messages ————————————————————————————————————————————————————————————————————

def describe(cond: Condition, ctx: Context) -> str:
    """Why a condition is not met, in the rules' Chinese wording."""
    if cond.message:
        return localized(cond.message)
    if cond.kind != "leaf":
        return "；".join(describe(c, ctx) for c in cond.children if ctx.test(c) is not True)
    metric, value = registry.get(cond.metric), ctx.value(cond.metric)
    text, unit = display.label(cond.metric)
    templates = common()["messages"]
    threshold = ctx.threshold(cond)
    if value is UNKNOWN:
        return templates["pending"].format(label=text)
    if value is None:
        return templates["missing"].format(label=text)
    if threshold is None:
        return templates["no_threshold"].format(label=text)
    params = dict(label=text, value=display.human(metric, value), shown=display.shown(cond.metric, value), unit=unit,
                  op=common()["ops"][cond.op], threshold=display.human_threshold(metric, threshold))
    key = "condition_bool" if metric.kind in ("bool", "category") else "condition"
    return templates[key].format(**params)


def gate_message(gate, ctx: Context) -> str:
    return localized(gate.message) or describe(gate.condition, ctx)


# — indicators ——————————————————————————————————————————————————————————————————

def _leaf_metric(cond: Condition | None) -> str:
    return cond.metric if cond is not None and cond.kind == "leaf" else ""


def reached_bands(ind: Indicator, ctx: Context):
    """(the best band surely reached, the best band still possible): they differ while an input the
    experts give is missing."""
    definite = possible = None
    for band in ind.bands:
        met = True if band.when is None else ctx.test(band.when)
        if possible is None and met is not False:
            possible = band
        if met is True:
            definite = band
            break
    return definite, possible


def _bands(ind: Indicator, ctx: Context) -> IndicatorResult:
    definite, possible = reached_bands(ind, ctx)
    shown = _leaf_metric(definite.when) or ind.metric
    low, high = (definite.points or (None, None))[0], (possible.points or (None, None))[1]
    res = IndicatorResult(
        ind.code, localized(ind.name), "score" if ind.scored else "class", band=definite.band, band_max=possible.band,
        points_min=low, points_max=high, label=localized(definite.label), group=ind.group,
    )
    if shown:
        res.value = display.value_string(registry.get(shown), ctx.value(shown))
        res.shown = display.shown(shown, ctx.value(shown))
    res.details = {n: display.value_string(registry.get(n), ctx.value(n)) for n in sorted(ind.metrics()) if n != shown}
    return res


def _alternatives(ind: Indicator, ctx: Context) -> IndicatorResult:
    subs = [evaluate_indicator(a, ctx) for a in ind.alternatives]
    best = max(s.points_min for s in subs)
    chosen = next(s for s in subs if s.points_min == best)
    return IndicatorResult(
        ind.code, localized(ind.name), "score", value=chosen.value, band=chosen.band, band_max=chosen.band_max,
        points_min=best, points_max=max(s.points_max for s in subs), alternative=chosen.code,
        components=subs, group=ind.group, shown=chosen.shown, label=chosen.label,
    )


def _components(ind: Indicator, ctx: Context) -> IndicatorResult:
    subs = [evaluate_indicator(c, ctx) for c in ind.components]
    cap = ind.cap if ind.cap is not None else 10**9
    return IndicatorResult(
        ind.code, localized(ind.name), "score", points_min=min(cap, sum(s.points_min for s in subs)),
        points_max=min(cap, sum(s.points_max for s in subs)), components=subs, group=ind.group,
    )


def evaluate_indicator(ind: Indicator, ctx: Context) -> IndicatorResult:
    if ind.alternatives:
        res = _alternatives(ind, ctx)
    elif ind.components:
        res = _components(ind, ctx)
    else:
        res = _bands(ind, ctx)
    score = ctx.inp.extra(ind.override) if ind.override else None
    if score is not None:
        top = ind.max if ind.max is not None else res.points_max
        res.points_min = res.points_max = max(0, min(int(score), top))
        res.band_max = res.band
    return res


def gate_indicator(gate, ctx: Context, passed) -> IndicatorResult:
    cond = gate.condition
    res = IndicatorResult(gate.code, localized(gate.name), "gate", passed=passed)
    if cond.kind == "leaf":
        metric = registry.get(cond.metric)
        res.value = display.value_string(metric, ctx.value(cond.metric))
        res.threshold = display.threshold_string(metric, ctx.threshold(cond))
        res.shown = display.shown(cond.metric, ctx.value(cond.metric))
        threshold = ctx.threshold(cond)
        if threshold is not None:
            res.threshold_shown = f"{common()['ops'][cond.op]} {display.human_threshold(metric, threshold)}{display.label(cond.metric)[1]}"
    else:
        res.details = {n: display.value_string(registry.get(n), ctx.value(n)) for n in sorted(cond.metrics())}
        # A compound condition shows each of its figures, so a ✗ never stands beside a bare "—".
        res.shown = "；".join(display.shown(n, ctx.value(n)) for n in _leaf_metrics(cond))
    if passed is not True:
        res.why = gate_message(gate, ctx)  # the same words as the notes under the table
    return res


def _leaf_metrics(cond: Condition) -> list[str]:
    """The metrics of a condition's leaves, in the order the rule writes them, each once."""
    if cond.kind == "leaf":
        return [cond.metric]
    return list(dict.fromkeys(n for child in cond.children for n in _leaf_metrics(child)))


# — passing ———————————————————————————————————————————————————————————————————————

def at_least(low: int, high: int, minimum: int, exclusive: bool = False) -> bool | None:
    """Whether points in [low, high] reach `minimum`: surely, surely not, or depending on experts."""
    reach = operator.gt if exclusive else operator.ge
    if reach(low, minimum):
        return True
    return None if reach(high, minimum) else False


def _score_checks(rs: RuleSet, indicators: list[IndicatorResult], low: int, high: int):
    """(outcome, message) for the total, each indicator minimum and each group minimum."""
    rule, texts = rs.pass_rule, common()["messages"]
    op = common()["ops"][">" if rule.exclusive else ">="]
    if low == high:
        total_msg = texts["min_score"].format(score=low, op=op, min=rule.min_score)
    else:
        total_msg = texts["min_score_range"].format(score_min=low, score_max=high, op=op, min=rule.min_score)
    checks = [("score", at_least(low, high, rule.min_score, rule.exclusive), total_msg)]
    by_code = {i.code: i for i in indicators}
    for code, minimum in rule.min_points.items():
        ind = by_code[code]
        text = localized(rule.messages.get(f"min_points.{code}", "")) or texts["min_points"].format(name=ind.name, points=ind.points_min, min=minimum)
        checks.append((f"min_points.{code}", at_least(ind.points_min, ind.points_max, minimum), text))
    for group, minimum in rule.min_group_points.items():
        members = [i for i in indicators if i.group == group]
        g_low, g_high = sum(i.points_min for i in members), sum(i.points_max for i in members)
        name = common()["groups"].get(group, group)
        text = texts["min_group_points"].format(name=name, points=g_low if g_low == g_high else f"{g_low}–{g_high}", min=minimum)
        checks.append((f"min_group_points.{group}", at_least(g_low, g_high, minimum), text))
    return checks


def _routes(rs: RuleSet, ctx: Context) -> list[RouteResult]:
    out = []
    for route in rs.routes:
        met = ctx.test(route.condition)
        failed = [] if met else [Message(route.code, describe(route.condition, ctx))]
        out.append(RouteResult(route.code, localized(route.name), met, failed))
    return out


def _notes(rs: RuleSet, ctx: Context) -> list[Message]:
    """Growth cases the rules leave open, saying what was actually done: scored on the two years
    there are, or scored 0 — the same value and points the table shows."""
    notes = []
    used = set().union(*(i.metrics() for i in rs.indicators)) if rs.indicators else set()
    texts = common()["messages"]
    for name, field in REVIEW_FIELDS.items():
        if name in used:
            values = [getattr(ctx.inp.fig(k), field) for k in (2, 1, 0)]
            if growth_needs_review(*values):
                label, value = display.label(name)[0], ctx.value(name)
                if value is None:
                    key = "review_zero_negative" if any(v is not None and v < 0 for v in values) else "review_zero_short"
                    notes.append(Message(name, texts[key].format(label=label)))
                else:
                    notes.append(Message(name, texts["review_short"].format(label=label, shown=display.shown(name, value))))
    return notes


def evaluate(rs: RuleSet, inp: EvaluationInput) -> Result:
    """Evaluate one input against one rule set (no gaps; see gaps.evaluate_with_gaps)."""
    ctx = Context(rs, inp)
    result = Result(rs.code, rs.version, inp.year, inp.uscc, inp.name)
    gate_results = [(gate, ctx.test(gate.condition)) for gate in rs.gates]
    scored = [evaluate_indicator(ind, ctx) for ind in rs.indicators]
    result.indicators = [gate_indicator(g, ctx, ok) for g, ok in gate_results] + scored
    result.failed = [Message(g.code, gate_message(g, ctx)) for g, ok in gate_results if ok is False]
    result.pending = [Message(g.code, gate_message(g, ctx)) for g, ok in gate_results if ok is None]
    result.routes = _routes(rs, ctx)
    counted = [i for i in scored if i.kind == "score"]
    score_ok = None
    if rs.pass_rule:
        result.score_min = sum(i.points_min for i in counted)
        result.score_max = sum(i.points_max for i in counted)
        checks = _score_checks(rs, scored, result.score_min, result.score_max)
        score_ok = k_and(ok for _, ok, _ in checks)
    ways = [r.met for r in result.routes] + ([score_ok] if rs.pass_rule else [])
    way_ok = k_or(ways) if ways else True
    result.eligible = k_and([k_and(ok for _, ok in gate_results), way_ok])
    if result.eligible:
        first = next((r for r in result.routes if r.met is True), None)
        result.route = "score" if first is None and score_ok is True else "direct"
        result.route_code = first.code if first else None
    if rs.pass_rule and way_ok is False:
        result.failed += [Message(code, text) for code, ok, text in checks if ok is False]
    elif rs.pass_rule and way_ok is None:
        result.pending += [Message(code, text) for code, ok, text in checks if ok is None]
    if way_ok is False and not rs.pass_rule and rs.routes:
        result.failed.append(Message("route", common()["messages"]["no_route"]))
    if way_ok is None:
        result.pending += [Message(r.code, r.failed[0].message) for r in result.routes if r.met is None]
    result.notes = _notes(rs, ctx)
    return result


# — eligibility alone ———————————————————————————————————————————————————————————————

def _points(ind: Indicator, ctx: Context) -> tuple[int | None, int | None]:
    """An indicator's (lowest, highest) points exactly as evaluate_indicator gives them, without
    building its result (no values shown, no details)."""
    if ind.alternatives:
        subs = [_points(a, ctx) for a in ind.alternatives]
        low, high = max(s[0] for s in subs), max(s[1] for s in subs)
    elif ind.components:
        subs = [_points(c, ctx) for c in ind.components]
        cap = ind.cap if ind.cap is not None else 10**9
        low, high = min(cap, sum(s[0] for s in subs)), min(cap, sum(s[1] for s in subs))
    else:
        definite, possible = reached_bands(ind, ctx)
        low, high = (definite.points or (None, None))[0], (possible.points or (None, None))[1]
    score = ctx.inp.extra(ind.override) if ind.override else None
    if score is not None:
        top = ind.max if ind.max is not None else high
        low = high = max(0, min(int(score), top))
    return low, high


def decide(rs: RuleSet, inp: EvaluationInput) -> bool | None:
    """`evaluate(rs, inp).eligible` without the messages, values and details a result carries: the
    gap search asks this of every candidate change, so it must be cheap (tests check it agrees)."""
    ctx = Context(rs, inp)
    gates = k_and(ctx.test(gate.condition) for gate in rs.gates)
    if gates is False:
        return False
    ways = [ctx.test(route.condition) for route in rs.routes]
    if rs.pass_rule:
        if True in ways:
            return gates
        rule = rs.pass_rule
        points = {ind.code: (ind, _points(ind, ctx)) for ind in rs.indicators}
        counted = [p for ind, p in points.values() if ind.scored]
        checks = [at_least(sum(p[0] for p in counted), sum(p[1] for p in counted), rule.min_score, rule.exclusive)]
        checks += [at_least(*points[code][1], minimum) for code, minimum in rule.min_points.items()]
        for group, minimum in rule.min_group_points.items():
            members = [p for ind, p in points.values() if ind.group == group]
            checks.append(at_least(sum(p[0] for p in members), sum(p[1] for p in members), minimum))
        ways.append(k_and(checks))
    return k_and([gates, k_or(ways) if ways else True])
