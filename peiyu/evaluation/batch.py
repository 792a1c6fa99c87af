"""The batch engine: a rule set compiled to Polars expressions over a frame with one row per
enterprise (columns from frames.py). Every comparison is exact — a ratio a/b against a threshold
p/q is `a·q OP p·b` in 128-bit integers (money in yuan), never a float — and three-valued like
the single engine (null = depends on a missing expert input, Kleene logic). The results must equal
engine.evaluate row for row; tests/test_batch.py checks that with generated data."""

from dataclasses import dataclass, field

import polars as pl

from peiyu.evaluation import registry
from peiyu.evaluation.inputs import EXTRAS, MONEY_FIELDS
from peiyu.evaluation.registry import Num, Plain
from peiyu.evaluation.results import IndicatorResult, Result
from peiyu.evaluation.rules import Condition, Indicator, RuleSet

NULL_BOOL = pl.lit(None, dtype=pl.Boolean)
# Amounts up to 10^14 yuan (10^10 万元) times factors up to 10^4 stay inside 64-bit integers.
MAX_UNITS = 10**14
SMALL_FACTOR = 10**4
TRUE, FALSE = pl.lit(True), pl.lit(False)


def _i128(expr) -> pl.Expr:
    return expr.cast(pl.Int128) if isinstance(expr, pl.Expr) else pl.lit(expr, dtype=pl.Int128)


def _compare_num(value: Num, op: str, threshold, wide: bool) -> pl.Expr:
    """num/den OP p/q as num·q OP p·den (den > 0) in integers: 64-bit while every amount is below
    MAX_UNITS (checked on each frame), 128-bit otherwise; products of amounts are always 128-bit."""
    p, q = threshold.numerator, threshold.denominator
    risky = q > SMALL_FACTOR or (isinstance(value.den, pl.Expr) and abs(p) > SMALL_FACTOR)
    if wide or risky:
        left, right = _i128(value.num) * q, _i128(value.den) * p
    else:
        left, right = value.num * q, value.den * p
    result = {">=": left >= right, ">": left > right, "<=": left <= right, "<": left < right, "==": left == right, "!=": left != right}[op]
    if isinstance(value.den, pl.Expr):
        result = pl.when(value.den > 0).then(result).otherwise(FALSE)
    return result.fill_null(False)


def _compare_plain(value: Plain, op: str, threshold) -> pl.Expr:
    if op in ("in", "not in"):
        found = value.expr.is_in(list(threshold))
        return (found if op == "in" else ~found).fill_null(False)
    result = value.expr == threshold if op == "==" else value.expr != threshold
    return result.fill_null(False)


@dataclass
class Compiler:
    """Turns a rule set into named columns, computed in stages so shared parts are computed once."""

    rs: RuleSet
    wide: bool = False
    conditions: dict = field(default_factory=dict)  # leaf key → (column name, expression, stage)
    values: dict = field(default_factory=dict)
    metric_columns: dict = field(default_factory=dict)

    def value(self, name: str):
        """A metric over the frame; derived numerators and denominators become columns computed once."""
        if name not in self.values:
            value = registry.get(name).frame(self.rs.options)
            if isinstance(value, Num):
                value = Num(self._column(name, "n", value.num), self._column(name, "d", value.den), value.unknown)
            self.values[name] = value
        return self.values[name]

    def _column(self, name: str, part: str, expr):
        if not isinstance(expr, pl.Expr) or expr.meta.is_column():
            return expr
        column = f"_m_{name}_{part}"
        self.metric_columns[column] = expr
        return pl.col(column)

    def _leaf_expr(self, cond: Condition) -> pl.Expr:
        metric, value = registry.get(cond.metric), self.value(cond.metric)

        def against(threshold):
            if threshold is None:
                return FALSE
            if isinstance(value, Plain):
                return _compare_plain(value, cond.op, threshold)
            return _compare_num(value, cond.op, metric.threshold(threshold), self.wide)

        if cond.tiers:
            chain = None
            for tier in cond.tiers:
                test = TRUE if tier.when is None else self.test(tier.when).fill_null(False)
                chain = (pl.when(test) if chain is None else chain.when(test)).then(against(tier.value))
            expr = chain.otherwise(FALSE)
        else:
            expr = against(cond.value)
        if value.unknown is not None:
            expr = pl.when(value.unknown).then(NULL_BOOL).otherwise(expr)
        return expr

    def test(self, cond: Condition) -> pl.Expr:
        """The condition as a Boolean column (null: undecided)."""
        if cond.kind in ("all", "any"):
            parts = [self.test(c) for c in cond.children]
            out = parts[0]
            for part in parts[1:]:
                out = (out & part) if cond.kind == "all" else (out | part)
            return out
        key = self._key(cond)
        if key not in self.conditions:
            expr = self._leaf_expr(cond)
            stage = 1 + max((self.stage(t.when) for t in cond.tiers if t.when), default=-1)
            self.conditions[key] = (f"_c{len(self.conditions)}", expr, stage)
        return pl.col(self.conditions[key][0])

    @staticmethod
    def _key(cond: Condition):
        return (cond.metric, cond.op, cond.value, cond.tiers)

    def stage(self, cond: Condition) -> int:
        """Leaf conditions are computed in stages: a tiered one after the conditions choosing its tier."""
        if cond.kind in ("all", "any"):
            return max(self.stage(c) for c in cond.children)
        return self.conditions[self._key(cond)][2]

    def condition_stages(self) -> list[dict]:
        stages: dict[int, dict] = {}
        for name, expr, stage in self.conditions.values():
            stages.setdefault(stage, {})[name] = expr
        return [stages[k] for k in sorted(stages)]

    def may_be_unknown(self, cond: Condition | None) -> bool:
        return cond is not None and any(registry.get(m).expert for m in cond.metrics())


def _chain(pairs, default) -> pl.Expr:
    expr = None
    for test, then in pairs:
        expr = (pl.when(test) if expr is None else expr.when(test)).then(then)
    return default if expr is None else expr.otherwise(default)


def _lit_points(points, index):
    return pl.lit(None, dtype=pl.Int32) if points is None else pl.lit(points[index], dtype=pl.Int32)


def _labels(ind: Indicator) -> list[str]:
    """Band names of an indicator and its alternatives, in order, once each."""
    names = [b.band for b in ind.bands] + [n for a in ind.alternatives for n in _labels(a)]
    return list(dict.fromkeys(names))


class IndicatorColumns:
    """Expressions of one indicator: band, band_max (Enum columns), pmin, pmax (and alt for
    alternatives). Bands are Enums, not strings: a string column per band costs more than the rule."""

    def __init__(self, comp: Compiler, ind: Indicator, parent: str = "", labels: list[str] | None = None):
        self.comp, self.ind = comp, ind
        self.columns: dict[str, pl.Expr] = {}
        self.prefix = f"{parent}.{ind.code}" if parent else f"i__{ind.code}"
        self.enum = pl.Enum(labels or _labels(ind) or ["-"])
        if ind.alternatives:
            self._alternatives()
        elif ind.components:
            self._components()
        else:
            self._bands()
        self._override()

    def col(self, part: str) -> pl.Expr:
        return pl.col(f"{self.prefix}__{part}")

    def _band_lit(self, band) -> pl.Expr:
        return pl.lit(band.band, dtype=self.enum)

    def _bands(self):
        bands, comp = self.ind.bands, self.comp
        tests = [TRUE if b.when is None else comp.test(b.when) for b in bands]
        sure = [t.fill_null(False) for t in tests[:-1]]
        last = bands[-1]
        self.columns.update({
            "band": _chain(zip(sure, [self._band_lit(b) for b in bands], strict=False), self._band_lit(last)),
            "pmin": _chain(zip(sure, [_lit_points(b.points, 0) for b in bands], strict=False), _lit_points(last.points, 0)),
        })
        if any(comp.may_be_unknown(b.when) for b in bands):
            maybe = [t.fill_null(True) for t in tests[:-1]]
            self.columns["band_max"] = _chain(zip(maybe, [self._band_lit(b) for b in bands], strict=False), self._band_lit(last))
            self.columns["pmax"] = _chain(zip(maybe, [_lit_points(b.points, 1) for b in bands], strict=False), _lit_points(last.points, 1))
        else:
            self.columns["band_max"] = self.col("band")
            if all(b.points is None or b.points[0] == b.points[1] for b in bands):
                self.columns["pmax"] = self.col("pmin")
            else:
                self.columns["pmax"] = _chain(zip(sure, [_lit_points(b.points, 1) for b in bands], strict=False), _lit_points(last.points, 1))

    def _alternatives(self):
        labels = _labels(self.ind)
        subs = [IndicatorColumns(self.comp, a, self.prefix, labels) for a in self.ind.alternatives]
        self.subs = subs
        best = pl.max_horizontal([s.col("pmin") for s in subs])
        chosen = [s.col("pmin") == best for s in subs]
        alt_enum = pl.Enum([a.code for a in self.ind.alternatives])
        self.columns.update({
            "pmin": best,
            "pmax": pl.max_horizontal([s.col("pmax") for s in subs]),
            "alt": _chain(zip(chosen, [pl.lit(a.code, dtype=alt_enum) for a in self.ind.alternatives], strict=True), pl.lit(None, dtype=alt_enum)),
            "band": _chain(zip(chosen, [s.col("band") for s in subs], strict=True), pl.lit(None, dtype=self.enum)),
            "band_max": _chain(zip(chosen, [s.col("band_max") for s in subs], strict=True), pl.lit(None, dtype=self.enum)),
        })

    def _components(self):
        subs = [IndicatorColumns(self.comp, c, self.prefix) for c in self.ind.components]
        self.subs = subs
        cap = self.ind.cap if self.ind.cap is not None else 10**9
        self.columns.update({
            "pmin": pl.min_horizontal(pl.lit(cap, dtype=pl.Int32), pl.sum_horizontal([s.col("pmin") for s in subs])),
            "pmax": pl.min_horizontal(pl.lit(cap, dtype=pl.Int32), pl.sum_horizontal([s.col("pmax") for s in subs])),
            "band": pl.lit(None, dtype=self.enum), "band_max": pl.lit(None, dtype=self.enum),
        })

    def _override(self):
        if not self.ind.override:
            return
        given = registry.Cols.extra(self.ind.override)
        top = pl.lit(self.ind.max, dtype=pl.Int32) if self.ind.max is not None else self.columns["pmax"]
        fixed = pl.max_horizontal(pl.lit(0, dtype=pl.Int32), pl.min_horizontal(given.cast(pl.Int32), top))
        has = given.is_not_null()
        self.columns["pmin"] = pl.when(has).then(fixed).otherwise(self.columns["pmin"])
        self.columns["pmax"] = pl.when(has).then(fixed).otherwise(self.columns["pmax"])
        self.columns["band_max"] = pl.when(has).then(self.columns["band"]).otherwise(self.columns["band_max"])

    def stages(self) -> list[dict[str, pl.Expr]]:
        """Output columns in dependency order: sub-indicators first, then band and pmin, then the rest."""
        out: list[dict] = []
        for sub in getattr(self, "subs", ()):
            for i, stage in enumerate(sub.stages()):
                if len(out) <= i:
                    out.append({})
                out[i].update(stage)
        name = f"{self.prefix}__"
        first = {name + k: v for k, v in self.columns.items() if k in ("band", "pmin")}
        second = {name + k: v for k, v in self.columns.items() if k not in ("band", "pmin")}
        return out + [first, second]

    def names(self) -> list[str]:
        names = [f"{self.prefix}__{k}" for k in self.columns]
        for sub in getattr(self, "subs", ()):
            names += sub.names()
        return names


def _at_least(low: pl.Expr, high: pl.Expr, minimum: int, exclusive: bool) -> pl.Expr:
    reach_low = low > minimum if exclusive else low >= minimum
    reach_high = high > minimum if exclusive else high >= minimum
    return pl.when(reach_low).then(TRUE).when(reach_high).then(NULL_BOOL).otherwise(FALSE)


def _kleene(parts: list[pl.Expr], op: str, empty: bool) -> pl.Expr:
    if not parts:
        return pl.lit(empty)
    out = parts[0]
    for part in parts[1:]:
        out = (out & part) if op == "and" else (out | part)
    return out


class Plan:
    """A rule set compiled for one arithmetic width: the staged column expressions and outputs."""

    def __init__(self, rs: RuleSet, wide: bool):
        comp = self.comp = Compiler(rs, wide)
        self.gates = {f"g__{g.code}": comp.test(g.condition) for g in rs.gates}
        self.routes = {f"r__{r.code}": comp.test(r.condition) for r in rs.routes}
        self.indicators = [IndicatorColumns(comp, ind) for ind in rs.indicators]
        self.score_ok = self._score_ok(rs)
        ways = [pl.col(name) for name in self.routes] + ([pl.col("score_ok")] if self.score_ok is not None else [])
        self.eligible = _kleene([pl.col(n) for n in self.gates], "and", True) & _kleene(ways, "or", True)

    def _score_ok(self, rs: RuleSet):
        rule = rs.pass_rule
        if not rule:
            self.scores = {"score_min": pl.lit(None, dtype=pl.Int32), "score_max": pl.lit(None, dtype=pl.Int32)}
            return None
        scored = [ic for ic in self.indicators if ic.ind.scored]
        self.scores = {
            "score_min": pl.sum_horizontal([ic.col("pmin") for ic in scored]).cast(pl.Int32),
            "score_max": pl.sum_horizontal([ic.col("pmax") for ic in scored]).cast(pl.Int32),
        }
        checks = [_at_least(pl.col("score_min"), pl.col("score_max"), rule.min_score, rule.exclusive)]
        by_code = {ic.ind.code: ic for ic in self.indicators}
        for code, minimum in rule.min_points.items():
            checks.append(_at_least(by_code[code].col("pmin"), by_code[code].col("pmax"), minimum, False))
        for group, minimum in rule.min_group_points.items():
            members = [ic for ic in self.indicators if ic.ind.group == group]
            low = pl.sum_horizontal([m.col("pmin") for m in members])
            high = pl.sum_horizontal([m.col("pmax") for m in members])
            checks.append(_at_least(low, high, minimum, False))
        return _kleene(checks, "and", True)

    def indicator_stages(self) -> list[dict]:
        merged: list[dict] = []
        for ic in self.indicators:
            for i, stage in enumerate(ic.stages()):
                if len(merged) <= i:
                    merged.append({})
                merged[i].update(stage)
        return merged

    def route_columns(self) -> dict:
        codes = [n[3:] for n in self.routes]
        code_enum = pl.Enum(codes or ["-"])
        first = _chain([(pl.col(n).fill_null(False), pl.lit(n[3:], dtype=code_enum)) for n in self.routes], pl.lit(None, dtype=code_enum))
        any_route = _kleene([pl.col(n).fill_null(False) for n in self.routes], "or", False)
        eligible = pl.col("eligible").fill_null(False)
        route = pl.when(~eligible).then(pl.lit(None, dtype=ROUTES))
        if self.score_ok is not None:
            route = route.when(~any_route & pl.col("score_ok").fill_null(False)).then(pl.lit("score", dtype=ROUTES))
        return {"route": route.otherwise(pl.lit("direct", dtype=ROUTES)),
                "route_code": pl.when(eligible).then(first).otherwise(pl.lit(None, dtype=code_enum))}

    def run(self, lazy: pl.LazyFrame, keep: list[str]) -> pl.DataFrame:
        if self.comp.metric_columns:
            lazy = lazy.with_columns(**self.comp.metric_columns)
        for stage in self.comp.condition_stages():
            lazy = lazy.with_columns(**stage)
        lazy = lazy.with_columns(**self.gates, **self.routes)
        for stage in self.indicator_stages():
            lazy = lazy.with_columns(**stage)
        lazy = lazy.with_columns(**self.scores)
        if self.score_ok is not None:
            lazy = lazy.with_columns(score_ok=self.score_ok)
        lazy = lazy.with_columns(eligible=self.eligible).with_columns(**self.route_columns())
        names = [n for ic in self.indicators for n in ic.names()]
        outputs = [*keep, "eligible", "route", "route_code", "score_min", "score_max", *self.gates, *self.routes, *names]
        return lazy.select(outputs).collect()

    def money_columns(self) -> list[str]:
        """Money columns the plan reads (the ones whose size decides the arithmetic width)."""
        roots = set()
        for expr in [e for _, e, _ in self.comp.conditions.values()] + list(self.comp.metric_columns.values()):
            roots |= set(expr.meta.root_names())
        money = {f"{f}_" for f in MONEY_FIELDS} | {f"x_{n}" for n, e in EXTRAS.items() if e.kind == "money"}
        return sorted(r for r in roots if any(r.startswith(m) for m in money) or r in money)


ROUTES = pl.Enum(["score", "direct"])


class CompiledRuleSet:
    """A rule set as a function frame → results frame. Integer arithmetic is 64-bit when every money
    amount the rules read is below MAX_UNITS (checked per frame), else 128-bit: exact either way."""

    def __init__(self, rs: RuleSet):
        self.rs = rs
        self.narrow = Plan(rs, wide=False)
        self._wide = None

    def fits_narrow(self, lazy: pl.LazyFrame) -> bool:
        columns = self.narrow.money_columns()
        if not columns:
            return True
        largest = lazy.select(pl.max_horizontal([pl.col(c).abs().max() for c in columns])).collect().item()
        return largest is None or largest < MAX_UNITS

    def __call__(self, frame: pl.DataFrame | pl.LazyFrame, keep: list[str] | None = None) -> pl.DataFrame:
        lazy = frame.lazy()
        names = lazy.collect_schema().names()
        keep = [c for c in (keep or ["uscc"]) if c in names]
        if self.fits_narrow(lazy):
            return self.narrow.run(lazy, keep)
        if self._wide is None:
            self._wide = Plan(self.rs, wide=True)
        return self._wide.run(lazy, keep)


def compile_ruleset(rs: RuleSet) -> CompiledRuleSet:
    return CompiledRuleSet(rs)


def evaluate_frame(rs: RuleSet, frame, keep: list[str] | None = None) -> pl.DataFrame:
    return compile_ruleset(rs)(frame, keep)


def _flatten_indicator(res: IndicatorResult, prefix: str, out: dict, alternatives: bool) -> None:
    out.update({f"{prefix}__band": res.band, f"{prefix}__band_max": res.band_max, f"{prefix}__pmin": res.points_min,
                f"{prefix}__pmax": res.points_max})
    if alternatives:
        out[f"{prefix}__alt"] = res.alternative or None
    for sub in res.components:
        _flatten_indicator(sub, f"{prefix}.{sub.code}", out, False)


def flatten(rs: RuleSet, result: Result) -> dict:
    """A single-engine result in the batch engine's columns, for comparing the two."""
    out = {"eligible": result.eligible, "route": result.route, "route_code": result.route_code,
           "score_min": result.score_min, "score_max": result.score_max}
    out.update({f"g__{g.code}": result.indicator(g.code).passed for g in rs.gates})
    out.update({f"r__{r.code}": r.met for r in result.routes})
    for ind in rs.indicators:
        _flatten_indicator(result.indicator(ind.code), f"i__{ind.code}", out, bool(ind.alternatives))
    return out
