"""Levers: for a metric, a comparison and a threshold, the smallest change to the latest year's
figures (or to an evaluation input, or to the date) that meets it — computed exactly, to the yuan
for money and to the person or item for counts. Metrics a firm cannot act on (size caps, past
incidents, awards, categories) have no lever.

Each solver returns a Change or None. Change keys: "0.<field>" (a figure of the latest year),
"x.<input>" (an evaluation input), "days" (evaluate later by this many days)."""

import math
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from peiyu.evaluation import display
from peiyu.evaluation.inputs import MONEY_SCALE, YearFigures
from peiyu.evaluation.results import Gap
from peiyu.evaluation.rules import common


@dataclass(frozen=True)
class Change:
    deltas: dict = field(default_factory=dict)
    gaps: tuple[Gap, ...] = ()
    cost: Fraction = Fraction(0)

    @property
    def empty(self) -> bool:
        return not self.deltas


NO_CHANGE = Change()


def merge(changes) -> Change:
    """Changes applied together: each key takes the largest amount, each lever its largest gap;
    the cost adds up, counting changes to the same figures once (the larger)."""
    deltas, gaps, costs = {}, {}, {}
    for change in changes:
        for key, amount in change.deltas.items():
            deltas[key] = max(deltas.get(key, amount), amount)
        for gap in change.gaps:
            if gap.code not in gaps or gap.amount > gaps[gap.code].amount:
                gaps[gap.code] = gap
        keys = frozenset(change.deltas)
        costs[keys] = max(costs.get(keys, Fraction(0)), change.cost)
    return Change(deltas, tuple(gaps.values()), sum(costs.values(), Fraction(0)))


def _units_at_least(x: Fraction, strict: bool) -> int:
    """The smallest whole number of units ≥ x (or > x when strict)."""
    return math.floor(x) + 1 if strict else math.ceil(x)


def _money(units: int) -> Decimal:
    return Decimal(units).scaleb(-4)


def _units(value: Decimal | None) -> int:
    return 0 if value is None else int(value.scaleb(4))


def _shown(value) -> str:
    """Decimals (万元 or percentage points) with two places, rounded up: following the gap must qualify."""
    return display.money_up(value) if isinstance(value, Decimal) else str(value)


def _gap(lever: str, amount, changes: dict, **extra) -> Gap:
    spec = common()["levers"][lever]
    message = spec["template"].format(amount=_shown(amount), **{k: _shown(v) for k, v in extra.items()})
    return Gap(lever, message, amount, spec["unit"], tuple(sorted(changes.items())))


def change(lever: str, deltas: dict, amount, base, **extra) -> Change | None:
    """A Change whose cost is its size relative to the figure it moves (so +1 person of 9 weighs
    more than +10万元 of 300)."""
    if not deltas or any(v <= 0 for v in deltas.values()):
        return None
    cost = Fraction(amount) / max(Fraction(1), abs(Fraction(base or 0)))
    return Change(deltas, (_gap(lever, amount, deltas, **extra),), cost)


def _strict(op: str) -> bool:
    return op == ">"


# — solvers ————————————————————————————————————————————————————————————————————————

def _rd_deltas(fig: YearFigures, units: int) -> dict:
    """New R&D spending X: R&D +X, total costs +X (R&D is part of them), domestic R&D +X."""
    money = _money(units)
    deltas = {"0.rd_expense": money}
    if fig.total_costs is not None:
        deltas["0.total_costs"] = money
    if fig.rd_expense_domestic is not None:
        deltas["0.rd_expense_domestic"] = money
    return deltas


def tech_staff_ratio(ctx, op, r):
    fig = ctx.inp.fig(0)
    if not fig.employees:
        return None
    needed = _units_at_least(r * fig.employees, _strict(op))
    n = needed - (fig.tech_staff or 0)
    if needed > fig.employees:
        return None
    return change("tech_staff", {"0.tech_staff": n}, n, fig.tech_staff or 1)


def tech_staff(ctx, op, v):
    fig = ctx.inp.fig(0)
    n = _units_at_least(v, _strict(op)) - (fig.tech_staff or 0)
    if fig.employees is None or (fig.tech_staff or 0) + n > fig.employees:
        return None
    return change("tech_staff", {"0.tech_staff": n}, n, fig.tech_staff or 1)


def rd_sales_ratio(ctx, op, r):
    fig = ctx.inp.fig(0)
    if not fig.revenue or fig.revenue <= 0:
        return None
    x = _units_at_least(r * _units(fig.revenue), _strict(op)) - _units(fig.rd_expense)
    return change("rd_expense", _rd_deltas(fig, x), _money(x), fig.rd_expense)


def rd_cost_ratio(ctx, op, r):
    fig = ctx.inp.fig(0)
    if fig.total_costs is None or r >= 1:
        return None
    x = _units_at_least((r * _units(fig.total_costs) - _units(fig.rd_expense)) / (1 - r), _strict(op))
    return change("rd_expense", _rd_deltas(fig, x), _money(x), fig.rd_expense)


def rd_expense(ctx, op, v):
    fig = ctx.inp.fig(0)
    x = _units_at_least(v * MONEY_SCALE, _strict(op)) - _units(fig.rd_expense)
    return change("rd_expense", _rd_deltas(fig, x), _money(x), fig.rd_expense)


def rd_avg_2y(ctx, op, v):
    fig, prev = ctx.inp.fig(0), ctx.inp.fig(1)
    if prev.rd_expense is None:
        return None
    x = _units_at_least(2 * v * MONEY_SCALE, _strict(op)) - _units(fig.rd_expense) - _units(prev.rd_expense)
    return change("rd_expense", _rd_deltas(fig, x), _money(x), fig.rd_expense)


def _pairs(ctx, part: str, whole: str) -> tuple[int, int]:
    """Sums over the two earlier years that report both figures, in units."""
    p = w = 0
    for k in (1, 2):
        fig = ctx.inp.fig(k)
        a, b = getattr(fig, part), getattr(fig, whole)
        if a is not None and b is not None:
            p, w = p + _units(a), w + _units(b)
    return p, w


def rd_ratio_3y(ctx, op, r):
    fig = ctx.inp.fig(0)
    if fig.revenue is None:
        return None
    rd, sales = _pairs(ctx, "rd_expense", "revenue")
    x = _units_at_least(r * (sales + _units(fig.revenue)) - rd, _strict(op)) - _units(fig.rd_expense)
    return change("rd_expense_3y", _rd_deltas(fig, x), _money(x), rd + _units(fig.rd_expense))


def domestic_rd_share(ctx, op, r):
    fig = ctx.inp.fig(0)
    if r >= 1:
        return None
    dom, rd = _pairs(ctx, "rd_expense_domestic", "rd_expense")
    dom, rd = dom + _units(fig.rd_expense_domestic), rd + _units(fig.rd_expense)
    x = _units_at_least((r * rd - dom) / (1 - r), _strict(op))
    deltas = {"0.rd_expense": _money(x), "0.rd_expense_domestic": _money(x)}
    if fig.total_costs is not None:
        deltas["0.total_costs"] = _money(x)
    return change("rd_expense_domestic", deltas, _money(x), dom)


def hitech_revenue_share(ctx, op, r):
    fig = ctx.inp.fig(0)
    if not fig.revenue or fig.revenue <= 0:
        return None
    revenue = _units(fig.revenue)
    needed = _units_at_least(r * revenue, _strict(op))
    if needed > revenue:
        return None
    x = needed - _units(fig.hitech_revenue)
    share = Fraction(_units(fig.hitech_revenue), revenue)
    points = Decimal(math.ceil((r - share) * 10000)).scaleb(-2)
    return change("hitech_revenue_share", {"0.hitech_revenue": _money(x)}, points, share * 100 or 1, money=_money(x))


def _money_target(lever: str, key: str, current: Decimal | None, target: Fraction, strict: bool):
    x = _units_at_least(target * MONEY_SCALE, strict) - _units(current)
    return change(lever, {key: _money(x)}, _money(x), current)


def revenue(ctx, op, v):
    if op not in (">=", ">"):
        return None
    return _money_target("revenue", "0.revenue", ctx.inp.fig(0).revenue, v, _strict(op))


def revenue_growth_1y(ctx, op, t):
    prev = ctx.inp.fig(1).revenue
    if prev is None or prev <= 0 or op not in (">=", ">"):
        return None
    return _money_target("revenue", "0.revenue", ctx.inp.fig(0).revenue, (1 + t) * Fraction(prev), _strict(op))


def _multiple(field_name: str, lever: str, years: int):
    def solve(ctx, op, t):
        start = getattr(ctx.inp.fig(years), field_name)
        if start is None or start <= 0 or op not in (">=", ">"):
            return None
        target = (1 + t) ** years * Fraction(start)
        return _money_target(lever, f"0.{field_name}", getattr(ctx.inp.fig(0), field_name), target, _strict(op))

    return solve


def _growth(field_name: str, lever: str, average_only: bool = False):
    """Solve ½ × (V2/V1 + V3/V2) − 1 ≥ t for the latest value V3 (with the zero-year rule)."""

    def solve(ctx, op, t):
        v1, v2 = (getattr(ctx.inp.fig(k), field_name) for k in (2, 1))
        if v2 is None or v2 <= 0 or op not in (">=", ">"):
            return None
        short = ctx.ruleset.options.get("growth_short_history", "ratio") == "ratio"
        if v1 is not None and v1 < 0 or v1 is None and (average_only or not short):
            return None
        if v1 is None or v1 == 0:
            if average_only:
                return None
            target = (1 + t) * Fraction(v2)
        else:
            target = Fraction(v2) * (2 * (1 + t) - Fraction(v2) / Fraction(v1))
        return _money_target(lever, f"0.{field_name}", getattr(ctx.inp.fig(0), field_name), target, _strict(op))

    return solve


def debt_ratio(ctx, op, r):
    fig = ctx.inp.fig(0)
    if fig.total_assets is None or fig.total_assets <= 0 or fig.net_assets is None or op not in ("<=", "<"):
        return None
    target = (1 - r) * Fraction(fig.total_assets)
    if op == "<=":
        return _money_target("net_assets", "0.net_assets", fig.net_assets, target, False)
    return _money_target("net_assets", "0.net_assets", fig.net_assets, target, True)


def profit_margin(ctx, op, r):
    fig = ctx.inp.fig(0)
    if not fig.revenue or fig.revenue <= 0:
        return None
    return _money_target("profit", "0.profit", fig.profit, r * Fraction(fig.revenue), _strict(op))


def _count(lever: str, key: str, current):
    def solve(ctx, op, v):
        if op not in (">=", ">"):
            return None
        base = current(ctx)
        n = _units_at_least(Fraction(v), _strict(op)) - base
        return change(lever, {key: n}, n, base or 1)

    return solve


def commercialisation_per_year(ctx, op, k):
    total = ctx.inp.extra("commercialised_results")
    if total is None or op not in (">=", ">"):
        return None
    n = _units_at_least(k * _divisor(ctx), _strict(op)) - total
    return change("commercialised_results", {"x.commercialised_results": n}, n, total or 1)


def _divisor(ctx) -> int:
    """The divisor the registry uses for the yearly average (registry._divisor)."""
    if ctx.ruleset.options.get("commercialisation_divisor") == "reported_years":
        return max(1, sum(ctx.inp.has_year(k) for k in range(3)))
    return 3


def standards_led_5y(ctx, op, v):
    given = ctx.inp.extra("standards_led_5y")
    key = "x.standards_led_5y" if given is not None else "0.standards_led"
    base = ctx.value("standards_led_5y")
    n = _units_at_least(Fraction(v), _strict(op)) - base
    return change("standards_led_5y", {key: n}, n, base or 1)


def registered_years(ctx, op, y):
    if ctx.inp.established is None or op not in (">=", ">"):
        return None
    days = (ctx.inp.as_of - ctx.inp.established).days
    n = _units_at_least(y * 365, _strict(op)) - days
    return change("registered_days", {"days": n}, n, 365)


LEVERS = {
    "tech_staff_ratio": tech_staff_ratio,
    "tech_staff": tech_staff,
    "rd_sales_ratio": rd_sales_ratio,
    "rd_cost_ratio": rd_cost_ratio,
    "rd_expense": rd_expense,
    "rd_avg_2y": rd_avg_2y,
    "rd_ratio_3y": rd_ratio_3y,
    "domestic_rd_share": domestic_rd_share,
    "hitech_revenue_share": hitech_revenue_share,
    "revenue": revenue,
    "revenue_growth_1y": revenue_growth_1y,
    "revenue_cagr_2y": _multiple("revenue", "revenue", 2),
    "revenue_cagr_3y": _multiple("revenue", "revenue", 3),
    "profit_cagr_2y": _multiple("profit", "profit", 2),
    "net_asset_growth": _growth("net_assets", "net_assets"),
    "sales_growth": _growth("revenue", "revenue"),
    "revenue_avg_growth_2y": _growth("revenue", "revenue", average_only=True),
    "debt_ratio": debt_ratio,
    "profit_margin": profit_margin,
    "class1_ip": _count("class1_ip", "0.invention_patents", lambda ctx: ctx.value("class1_ip")),
    "class2_ip": _count("class2_ip", "0.utility_patents", lambda ctx: ctx.value("class2_ip")),
    "ip_total": _count("class2_ip", "0.utility_patents", lambda ctx: ctx.value("ip_total")),
    "commercialisation_per_year": commercialisation_per_year,
    "registered_years": registered_years,
}
