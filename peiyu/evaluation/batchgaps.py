"""Gaps in batch: the gap search of gaps.find_plans over a whole frame at once.

A rule set is compiled once into plan *shapes*: each route with a lever, and each combination of
up to three indicators with one better band each (the lifts of gaps._candidates). For every shape
the amount each lever needs is a closed-form integer expression (yuan, persons, items), the
amounts are added to the frame and the batch engine decides the changed frame: one boolean per row
and shape. Per row the plans are then picked as find_plans picks them — fewest changes, then
cost, one plan per set of levers, at most the best and three alternatives — and only the chosen
ones are rebuilt as Change objects by the per-row solvers, so messages and amounts are the same
objects the per-row engine makes. The per-row engine stays the reference (tests/test_batchgaps.py).

Not vectorised (their rows take the per-row search, gaps.find_plans): rule sets whose gates have a
lever (a failed gate must then be fixed in every plan: hitech-2016's registered years, R&D ratios
and hi-tech revenue share), tiered or compound conditions in a band or route, and metrics without
a closed form below (growth rates, averages over years, shares over several years)."""

import itertools
from dataclasses import dataclass

import polars as pl

from peiyu.evaluation import batch, engine, gaps, levers, registry
from peiyu.evaluation.frames import frame_from_inputs
from peiyu.evaluation.inputs import MONEY_SCALE, EvaluationInput
from peiyu.evaluation.rules import Condition, Indicator, RuleSet

UPWARD = (">=", ">")
# Rows searched together: the changed frames hold up to (rows × offered plan shapes) rows.
CHUNK_ROWS = 5000


def _year(name: str) -> pl.Expr:
    return pl.col(f"{name}_0")


def _at_least(num: pl.Expr, den: int, strict: bool) -> pl.Expr:
    """The smallest integer ≥ num/den (> when strict), den > 0: levers._units_at_least exactly."""
    return num // den + 1 if strict else -((-num) // den)


@dataclass(frozen=True)
class Lever:
    """A lever in closed form for one row set: the amount (an integer column), whether the per-row
    solver would return a change, the additions to frame columns and the cost find_plans orders by."""

    code: str
    amount: pl.Expr
    exists: pl.Expr
    deltas: dict  # frame column → expression added (null where the figure stays null)
    cost: pl.Expr


def _rd_deltas(x: pl.Expr) -> dict:
    # levers._rd_deltas: R&D (missing counts as 0), total costs and domestic R&D when reported
    return {"rd_expense_0": ("fill", x), "total_costs_0": ("keep", x), "rd_expense_domestic_0": ("keep", x)}


def _money_cost(x: pl.Expr, base: pl.Expr) -> pl.Expr:
    """levers.change's cost for money: (x 万元) / max(1, |base 万元|), in yuan on both sides."""
    return x.cast(pl.Float64) / pl.max_horizontal(pl.lit(MONEY_SCALE), base.fill_null(0).abs()).cast(pl.Float64)


def _count_cost(n: pl.Expr, base: pl.Expr) -> pl.Expr:
    """levers.change's cost for a count whose base is `base or 1`."""
    base = pl.when(base.fill_null(0) == 0).then(1).otherwise(base)
    return n.cast(pl.Float64) / pl.max_horizontal(pl.lit(1), base.abs()).cast(pl.Float64)


def _tech_staff_ratio(op, r, opts):
    employees, staff = _year("employees"), _year("tech_staff").fill_null(0)
    needed = _at_least(employees * r.numerator, r.denominator, op == ">")
    n = needed - staff
    exists = employees.is_not_null() & (employees != 0) & (needed <= employees) & (n > 0)
    return Lever("tech_staff", n, exists, {"tech_staff_0": ("fill", n)}, _count_cost(n, _year("tech_staff")))


def _rd_sales_ratio(op, r, opts):
    revenue, rd = _year("revenue"), _year("rd_expense")
    x = _at_least(revenue * r.numerator, r.denominator, op == ">") - rd.fill_null(0)
    exists = revenue.is_not_null() & (revenue > 0) & (x > 0)
    return Lever("rd_expense", x, exists, _rd_deltas(x), _money_cost(x, rd))


def _rd_cost_ratio(op, r, opts):
    if r >= 1:
        return None
    costs, rd = _year("total_costs"), _year("rd_expense")
    p, q = r.numerator, r.denominator
    x = _at_least(costs * p - rd.fill_null(0) * q, q - p, op == ">")
    exists = costs.is_not_null() & (x > 0)
    return Lever("rd_expense", x, exists, _rd_deltas(x), _money_cost(x, rd))


def _rd_expense(op, v, opts):
    rd = _year("rd_expense")
    target = -((-v.numerator * MONEY_SCALE) // v.denominator) if op != ">" else v.numerator * MONEY_SCALE // v.denominator + 1
    x = pl.lit(target, dtype=pl.Int64) - rd.fill_null(0)
    return Lever("rd_expense", x, x > 0, _rd_deltas(x), _money_cost(x, rd))


def _counted(code: str, metric: str, column: str):
    """levers._count: items added to one figure until the count metric reaches the threshold."""

    def lever(op, v, opts):
        if op not in UPWARD:
            return None
        base = registry.get(metric).frame(opts).num
        target = v.numerator // v.denominator + 1 if op == ">" else -((-v.numerator) // v.denominator)
        n = pl.lit(target, dtype=pl.Int64) - base
        return Lever(code, n, n > 0, {column: ("fill", n)}, _count_cost(n, base))

    return lever


def _standards_led_5y(op, v, opts):
    base = registry.get("standards_led_5y").frame(opts).num
    target = v.numerator // v.denominator + 1 if op == ">" else -((-v.numerator) // v.denominator)
    n = pl.lit(target, dtype=pl.Int64) - base
    # the given five-year count when there is one, else the latest year's figure (levers.standards_led_5y)
    return Lever("standards_led_5y", n, n > 0, {"x_standards_led_5y": ("keep", n), "standards_led_0": ("given", n)},
                 _count_cost(n, base))


CLOSED_FORMS = {
    "tech_staff_ratio": _tech_staff_ratio,
    "rd_sales_ratio": _rd_sales_ratio,
    "rd_cost_ratio": _rd_cost_ratio,
    "rd_expense": _rd_expense,
    "class1_ip": _counted("class1_ip", "class1_ip", "invention_patents_0"),
    "class2_ip": _counted("class2_ip", "class2_ip", "utility_patents_0"),
    "ip_total": _counted("class2_ip", "ip_total", "utility_patents_0"),
    "standards_led_5y": _standards_led_5y,
}


def _gate_has_lever(cond: Condition) -> bool:
    """Whether the per-row search could ever fix this gate (then every plan must carry the fix)."""
    if cond.kind != "leaf":
        return any(_gate_has_lever(c) for c in cond.children)
    if cond.metric not in levers.LEVERS:
        return False
    # levers that only move a figure upward give nothing for a ceiling
    upward_only = {"revenue", "revenue_growth_1y", "revenue_cagr_2y", "revenue_cagr_3y", "profit_cagr_2y",
                   "net_asset_growth", "sales_growth", "revenue_avg_growth_2y", "class1_ip", "class2_ip", "ip_total",
                   "commercialisation_per_year", "registered_years"}
    return not (cond.metric in upward_only and cond.op in ("<=", "<") and not cond.tiers)


@dataclass(frozen=True)
class Item:
    """One change of a shape: a route's lever or an indicator's lift to one band."""

    kind: str  # "route" or "band"
    owner: int  # route or indicator index in the rule set
    cond: Condition
    band_index: int = 0
    sub: Indicator | None = None
    top: Indicator | None = None


class GapPlan:
    """A rule set compiled for the batch gap search (None from compile_gaps when it cannot be)."""

    def __init__(self, rs: RuleSet, routes: list[Item], lifts: list[list[Item]]):
        self.rs, self.compiled = rs, batch.compile_ruleset(rs)
        self.route_items, self.lifts = routes, lifts
        self.shapes: list[tuple[Item, ...]] = [(item,) for item in routes]
        present = [opts for opts in lifts if opts]
        for size in range(1, gaps.MAX_LIFTS + 1):
            for group in itertools.combinations(present, size):
                self.shapes += [tuple(combo) for combo in itertools.product(*group)]
        self.levers = {}
        for item in {i for shape in self.shapes for i in shape}:
            self.levers[item] = CLOSED_FORMS[item.cond.metric](item.cond.op, item.cond.value, rs.options)
        self.comp = batch.Compiler(rs)
        self.tests = {item: self.comp.test(item.cond) for item in self.levers}
        for item in self.levers:  # every band down to a lift's own is read by _exists
            for band in item.sub.bands[: item.band_index + 1] if item.kind == "band" else ():
                self.comp.test(band.when)

    def _exists(self, item: Item) -> pl.Expr:
        """The per-row search offers this item: its condition is not surely met (a route), or no
        band of its indicator down to this one is (a lift), and its lever gives a change."""
        lever = self.levers[item]
        if item.kind == "route":
            offered = self.tests[item].fill_null(False).not_()
        else:
            met_above = [self.comp.test(b.when).fill_null(False) for b in item.sub.bands[: item.band_index + 1]]
            offered = ~pl.any_horizontal(met_above)
            if item.top.override:
                offered = offered & registry.Cols.extra(item.top.override).is_null()
        return offered & lever.exists.fill_null(False)

    def _changed(self, shape) -> dict:
        """The frame's columns after applying every change of the shape (largest amount per column)."""
        per_column: dict[str, list] = {}
        for item in shape:
            for column, (how, amount) in self.levers[item].deltas.items():
                per_column.setdefault(column, []).append((how, amount))
        out = {}
        for column, parts in per_column.items():
            how = parts[0][0]
            amount = pl.max_horizontal([a for _, a in parts]) if len(parts) > 1 else parts[0][1]
            col = pl.col(column)
            if how == "fill":
                out[column] = col.fill_null(0) + amount
            elif how == "keep":
                out[column] = col + amount
            else:  # "given": only when the five-year count is not given
                out[column] = pl.when(pl.col("x_standards_led_5y").is_null()).then(col.fill_null(0) + amount).otherwise(col)
        return out

    def _columns(self, frame: pl.DataFrame) -> list[str]:
        """The frame columns the rule set and the levers read (the changed frames carry only these)."""
        exprs = [e for _, e, _ in self.compiled.narrow.comp.conditions.values()]
        exprs += list(self.compiled.narrow.comp.metric_columns.values()) + list(self.comp.metric_columns.values())
        exprs += [lever.amount for lever in self.levers.values()] + [lever.cost for lever in self.levers.values()]
        names = {n for e in exprs for n in e.meta.root_names()}
        names |= {c for lever in self.levers.values() for c in lever.deltas} | {"x_standards_led_5y"}
        names |= {f"x_{i.override}" for i in self.rs.indicators if i.override}
        return [c for c in frame.columns if c in names]

    def search(self, frame: pl.DataFrame) -> dict[int, dict]:
        """For each row needing a gap, the chosen shapes per wanted outcome: {row: {"eligible": [...],
        "possible": [...]}} with shape indexes in find_plans's order. Rows go in chunks, so the frames
        of changed rows stay a bounded size."""
        frame = frame.with_row_index("_row")
        base = self.compiled(frame, keep=["_row"])
        blocked = pl.any_horizontal([pl.col(f"g__{g.code}").eq(False).fill_null(False) for g in self.rs.gates]) \
            if self.rs.gates else pl.lit(False)
        todo = base.filter(pl.col("eligible").ne(True).fill_null(True) & ~blocked).select("_row")
        if todo.is_empty() or not self.shapes:
            return {}
        rows = frame.select("_row", *self._columns(frame)).join(todo, on="_row")
        out: dict[int, dict] = {}
        for start in range(0, rows.height, CHUNK_ROWS):
            self._search_chunk(rows.slice(start, CHUNK_ROWS), out)
        return out

    def _search_chunk(self, rows: pl.DataFrame, out: dict) -> None:
        lazy = rows.lazy()
        if self.comp.metric_columns:
            lazy = lazy.with_columns(**self.comp.metric_columns)
        for stage in self.comp.condition_stages():
            lazy = lazy.with_columns(**stage)
        items = list(self.levers)
        offered = {item: f"_o{i}" for i, item in enumerate(items)}
        cost = {item: f"_a{i}" for i, item in enumerate(items)}
        lazy = lazy.with_columns(**{offered[i]: self._exists(i) for i in items}, **{cost[i]: self.levers[i].cost for i in items})
        remaining = lazy.select(*rows.columns, *offered.values(), *cost.values()).collect()
        found = []
        # smallest plans first: a row with a qualifying plan of n changes never needs larger ones
        for size in sorted({len(shape) for shape in self.shapes}):
            parts = []
            for index, shape in enumerate(self.shapes):
                if len(shape) != size:
                    continue
                parts.append(remaining.lazy().filter(pl.all_horizontal([pl.col(offered[i]) for i in shape]))
                             .with_columns(**self._changed(shape))
                             .with_columns(_shape=pl.lit(index, dtype=pl.Int32), _size=pl.lit(size, dtype=pl.Int32),
                                           _cost=pl.sum_horizontal([pl.col(cost[i]) for i in shape]),
                                           _levers=pl.lit(self._lever_key(shape))))
            if not parts or remaining.is_empty():
                continue
            changed = pl.concat(parts).collect()
            if changed.is_empty():
                continue
            decided = self.compiled(changed, keep=["_row", "_shape", "_size", "_cost", "_levers"])
            found.append(decided.select("_row", "_shape", "_size", "_cost", "_levers", "eligible"))
            done = decided.filter(pl.col("eligible").eq(True).fill_null(False))["_row"].unique()
            remaining = remaining.filter(~pl.col("_row").is_in(done.implode()))
        if not found:
            return
        long = pl.concat(found)
        for target, ok in (("eligible", pl.col("eligible").eq(True).fill_null(False)),
                           ("possible", pl.col("eligible").ne(False).fill_null(True))):
            picked = (long.filter(ok)
                      .filter(pl.col("_size") == pl.col("_size").min().over("_row"))
                      .sort(["_row", "_cost", "_shape"])
                      .unique(subset=["_row", "_levers"], keep="first", maintain_order=True)
                      .group_by("_row", maintain_order=True).head(gaps.MAX_ALTERNATIVES + 1))
            for row, shape in zip(picked["_row"].to_list(), picked["_shape"].to_list(), strict=True):
                out.setdefault(row, {"eligible": [], "possible": []})[target].append(shape)

    def _lever_key(self, shape) -> str:
        return ",".join(sorted(self.levers[i].code for i in shape))

    def plans(self, inp: EvaluationInput, shapes: list[int]) -> list[levers.Change]:
        """The chosen shapes of one row as the per-row engine's Change objects."""
        ctx = engine.Context(self.rs, inp)
        return [levers.merge(gaps.solve(item.cond, ctx)[0] for item in self.shapes[s]) for s in shapes]


def _leaf_ok(cond: Condition | None) -> bool:
    return cond is not None and cond.kind == "leaf" and not cond.tiers and cond.metric in CLOSED_FORMS \
        and not isinstance(cond.value, bool | tuple) and cond.value is not None


def _indicator_items(index: int, ind: Indicator) -> list[Item] | None:
    if ind.components:
        return None if any(b.when is not None for c in ind.components for b in c.bands) else []
    subs = ind.alternatives or [ind]
    items = []
    for sub in subs:
        if sub.override and sub is not ind:
            return None
        for b_index, band in enumerate(sub.bands):
            if band.when is None:
                break
            if band.when.metric not in levers.LEVERS and band.when.kind == "leaf":
                continue  # no lever: the per-row search offers nothing for it either
            if not _leaf_ok(band.when):
                return None
            items.append(Item("band", index, band.when, b_index, sub, ind))
    return items


def compile_gaps(rs: RuleSet) -> GapPlan | None:
    """The rule set's batch gap search, or None when it must stay per row (see the module note)."""
    if any(_gate_has_lever(g.condition) for g in rs.gates):
        return None
    routes = []
    for r_index, route in enumerate(rs.routes):
        cond = route.condition
        if cond.kind == "leaf" and cond.metric not in levers.LEVERS:
            continue
        if not _leaf_ok(cond):
            return None
        routes.append(Item("route", r_index, cond))
    lifts = []
    if rs.pass_rule:
        for index, ind in enumerate(rs.indicators):
            items = _indicator_items(index, ind)
            if items is None:
                return None
            lifts.append(items)
    # lever codes of different indicators must differ: a plan's number of changes is then its size
    codes = [{CLOSED_FORMS[i.cond.metric](i.cond.op, i.cond.value, rs.options).code for i in items} for items in lifts]
    if any(a & b for a, b in itertools.combinations(codes, 2)):
        return None
    return GapPlan(rs, routes, lifts)


_PLANS: dict = {}
PLAN_CACHE_SIZE = 32


def gap_plan(rs: RuleSet) -> GapPlan | None:
    """compile_gaps, once per rule set content (a local copy with changed thresholds is another key;
    compiling takes about 0.1 s, the cache keeps the last PLAN_CACHE_SIZE)."""
    key = (rs.code, rs.version, repr(rs))
    if key not in _PLANS:
        if len(_PLANS) >= PLAN_CACHE_SIZE:
            _PLANS.pop(next(iter(_PLANS)))
        _PLANS[key] = compile_gaps(rs)
    return _PLANS[key]


def evaluate_many(rs: RuleSet, inputs: list[EvaluationInput]) -> list:
    """gaps.evaluate_with_gaps for each input, with the gap search done in batch where the rule set
    allows (results identical; the per-row search otherwise)."""
    plan = gap_plan(rs)
    if plan is None or not inputs:
        return [gaps.evaluate_with_gaps(rs, inp) for inp in inputs]
    chosen = plan.search(frame_from_inputs(inputs, max(rs.years_needed, 1)))
    results = []
    for row, inp in enumerate(inputs):
        picked = chosen.get(row, {"eligible": [], "possible": []})

        def find(rs_, inp_, want=(True,), picked=picked):
            return plan.plans(inp_, picked["eligible" if want == (True,) else "possible"])

        results.append(gaps.evaluate_with_gaps(rs, inp, find=find))
    return results
