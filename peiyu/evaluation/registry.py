"""The metric registry: every metric a rule set may name, bound twice — to an EvaluationInput for
the single engine (exact Fractions) and to columns of a Polars frame for the batch engine (integer
numerators and denominators compared by cross-multiplication). The two must agree row for row;
tests/test_batch.py checks that on generated data."""

from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction

import polars as pl

from peiyu.evaluation import metrics as m
from peiyu.evaluation.inputs import EXTRAS, MONEY_SCALE, EvaluationInput
from peiyu.evaluation.sizeclass import size_class, size_class_expr


class Unknown:
    """The value of an expert input nobody has given yet: conditions on it are neither met nor failed."""

    _instance = None

    def __new__(cls):
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self):
        return "UNKNOWN"


UNKNOWN = Unknown()

# Industries barred from the R&D super-deduction (财税〔2015〕119号), by GB/T 4754 division:
# 烟草制品业 16, 批发和零售业 51–52, 住宿和餐饮业 61–62, 房地产业 70, 租赁和商务服务业 71–72, 娱乐业 90.
EXCLUDED_119_DIVISIONS = ("16", "51", "52", "61", "62", "70", "71", "72", "90")


@dataclass
class Num:
    """A numeric metric over a frame: value = num ÷ den, defined where den > 0; `unknown` marks rows
    whose expert input is missing."""

    num: pl.Expr
    den: pl.Expr | int = 1
    unknown: pl.Expr | None = None


@dataclass
class Plain:
    """A boolean or text metric over a frame."""

    expr: pl.Expr
    unknown: pl.Expr | None = None


class Cols:
    """Column names of the batch frame: `<field>_<k>` for year − k, `x_<name>` for evaluation inputs."""

    @staticmethod
    def year(name: str, k: int = 0) -> pl.Expr:
        return pl.col(f"{name}_{k}")

    @staticmethod
    def extra(name: str) -> pl.Expr:
        return pl.col(f"x_{name}")

    @staticmethod
    def has(k: int) -> pl.Expr:
        return pl.col(f"has_{k}")


C = Cols


@dataclass(frozen=True)
class Metric:
    name: str
    kind: str  # money, count, ratio, years, multiple, bool, category
    scalar: Callable[[EvaluationInput, dict], object]
    frame: Callable[[dict], Num | Plain]
    expert: bool = False
    years: int = 1  # data years the metric reads (Y and the years before it)
    power: int = 1  # thresholds t compare as (1 + t)^power against a growth multiple

    def threshold(self, value: Fraction) -> Fraction:
        """The threshold as the comparable quantity: CAGR thresholds become growth multiples."""
        return (1 + value) ** self.power if self.kind == "multiple" else value


REGISTRY: dict[str, Metric] = {}


def metric(name, kind, frame, expert=False, years=1, power=1):
    def register(fn):
        REGISTRY[name] = Metric(name, kind, fn, frame, expert, years, power)
        return fn

    return register


def _i128(expr: pl.Expr) -> pl.Expr:
    return expr.cast(pl.Int128)


def _zero(expr: pl.Expr) -> pl.Expr:
    return expr.fill_null(0)


# — figures of the latest year ————————————————————————————————————————————————

def _figure(name: str, kind: str):
    def scalar(inp, opts):
        value = getattr(inp.fig(0), name)
        return (value or 0) if name == "rd_institution_level" else value

    def frame(opts):
        col = C.year(name)
        if name == "rd_institution_level":
            col = _zero(col)
        return Num(col, MONEY_SCALE if kind == "money" else 1)

    REGISTRY[name] = Metric(name, kind, scalar, frame)


for _name, _kind in [
    ("employees", "count"), ("tech_staff", "count"), ("rd_institution_level", "count"), ("revenue", "money"),
    ("total_assets", "money"), ("rd_expense", "money"), ("total_costs", "money"), ("net_assets", "money"),
    ("profit", "money"),
]:
    _figure(_name, _kind)


@metric("revenue_base_3y", "money", lambda o: Num(C.year("revenue", 3), MONEY_SCALE), years=4)
def _revenue_base_3y(inp, opts):
    """Base-year (year − 3) revenue of a three-year growth window."""
    return inp.fig(3).revenue


@metric("tech_staff_ratio", "ratio", lambda o: Num(C.year("tech_staff"), C.year("employees")))
def _tech_staff_ratio(inp, opts):
    f = inp.fig(0)
    return m.tech_staff_ratio(f.tech_staff, f.employees)


@metric("rd_sales_ratio", "ratio", lambda o: Num(C.year("rd_expense"), C.year("revenue")))
def _rd_sales_ratio(inp, opts):
    f = inp.fig(0)
    return m.rd_sales_ratio(f.rd_expense, f.revenue)


@metric("rd_cost_ratio", "ratio", lambda o: Num(C.year("rd_expense"), C.year("total_costs")))
def _rd_cost_ratio(inp, opts):
    f = inp.fig(0)
    return m.rd_cost_ratio(f.rd_expense, f.total_costs)


def _class1_expr():
    return _zero(C.year("invention_patents")) + _zero(C.year("other_class1_ip"))


def _class2_expr():
    return _zero(C.year("utility_patents")) + _zero(C.year("design_patents")) + _zero(C.year("software_copyrights"))


@metric("class1_ip", "count", lambda o: Num(_class1_expr()))
def _class1_ip(inp, opts):
    f = inp.fig(0)
    return m.class1_ip(f.invention_patents, f.other_class1_ip)


@metric("class2_ip", "count", lambda o: Num(_class2_expr()))
def _class2_ip(inp, opts):
    f = inp.fig(0)
    return m.class2_ip(f.utility_patents, f.design_patents, f.software_copyrights)


@metric("ip_total", "count", lambda o: Num(_class1_expr() + _class2_expr()))
def _ip_total(inp, opts):
    """Class I and Class II items together (高企: owns IP supporting its main products)."""
    return _class1_ip(inp, opts) + _class2_ip(inp, opts)


@metric("hitech_revenue_share", "ratio", lambda o: Num(C.year("hitech_revenue"), C.year("revenue")))
def _hitech_revenue_share(inp, opts):
    """高新技术产品(服务)收入 ÷ 同期总收入 (32号 第十一条(六)); 总收入 is taken as 营业收入, the only
    income figure the enterprise year carries (收入总额 − 不征税收入 is not reported)."""
    f = inp.fig(0)
    return m.ratio(f.hitech_revenue, f.revenue)


def _debt_frame(o):
    assets = C.year("total_assets")
    return Num(assets - C.year("net_assets"), assets)


@metric("debt_ratio", "ratio", _debt_frame)
def _debt_ratio(inp, opts):
    f = inp.fig(0)
    return m.debt_ratio(f.total_assets, f.net_assets)


@metric("profit_margin", "ratio", lambda o: Num(C.year("profit"), C.year("revenue")))
def _profit_margin(inp, opts):
    """上年度净利润率 taken as 利润总额 ÷ 营业收入 (net profit is not reported; configurable)."""
    f = inp.fig(0)
    return m.ratio(f.profit, f.revenue)


# — several years ———————————————————————————————————————————————————————————————

def _sum_pairs_frame(part: str, whole: str, years: int):
    both = [C.year(part, k).is_not_null() & C.year(whole, k).is_not_null() for k in range(years)]
    num = sum(pl.when(b).then(C.year(part, k)).otherwise(0) for k, b in enumerate(both))
    den = sum(pl.when(b).then(C.year(whole, k)).otherwise(0) for k, b in enumerate(both))
    return Num(num, den)


@metric("rd_ratio_3y", "ratio", lambda o: _sum_pairs_frame("rd_expense", "revenue", 3), years=3)
def _rd_ratio_3y(inp, opts):
    years = range(3)
    return m.rd_ratio_over_years([inp.fig(k).rd_expense for k in years], [inp.fig(k).revenue for k in years])


@metric("domestic_rd_share", "ratio", lambda o: _sum_pairs_frame("rd_expense_domestic", "rd_expense", 3), years=3)
def _domestic_rd_share(inp, opts):
    """境内研发费用 ÷ 全部研发费用 over the same years (32号 第十一条(五), ≥60%)."""
    years = range(3)
    return m.rd_ratio_over_years([inp.fig(k).rd_expense_domestic for k in years], [inp.fig(k).rd_expense for k in years])


@metric("rd_avg_2y", "money", lambda o: Num(C.year("rd_expense", 0) + C.year("rd_expense", 1), 2 * MONEY_SCALE), years=2)
def _rd_avg_2y(inp, opts):
    """Average R&D expense of the last two years (专精特新: 近2年研发费用平均)."""
    a, b = inp.fig(0).rd_expense, inp.fig(1).rd_expense
    return None if a is None or b is None else Fraction(a + b) / 2


def _growth_frame(name: str, short_history: str) -> Num:
    v1, v2, v3 = (_i128(C.year(name, k)) for k in (2, 1, 0))
    simple_num, simple_den = v3 - v2, v2
    full_num, full_den = v2 * v2 + v1 * v3 - 2 * v1 * v2, 2 * v1 * v2
    short = pl.lit(short_history == "ratio")
    none = pl.lit(None, dtype=pl.Int128)
    valid_simple = ((v1.is_null() & short) | (v1 == 0)) & (v2 > 0)
    num = (
        pl.when(v2.is_null() | v3.is_null() | (v2 == 0)).then(none)
        .when(valid_simple).then(simple_num)
        .when(v1.is_null() | (v1 < 0) | (v2 < 0)).then(none)
        .otherwise(full_num)
    )
    den = pl.when(valid_simple).then(simple_den).otherwise(full_den)
    return Num(num, den)


def _growth_metric(name: str, field: str):
    def scalar(inp, opts):
        v1, v2, v3 = (getattr(inp.fig(k), field) for k in (2, 1, 0))
        return m.growth_rate(v1, v2, v3, opts.get("growth_short_history", "ratio"))

    REGISTRY[name] = Metric(name, "ratio", scalar, lambda o: _growth_frame(field, o.get("growth_short_history", "ratio")), years=3)


_growth_metric("net_asset_growth", "net_assets")
_growth_metric("sales_growth", "revenue")


@metric("revenue_growth_1y", "ratio", lambda o: Num(C.year("revenue", 0) - C.year("revenue", 1), C.year("revenue", 1)), years=2)
def _revenue_growth_1y(inp, opts):
    return m.simple_growth(inp.fig(1).revenue, inp.fig(0).revenue)


def _avg_growth_frame(o):
    v1, v2, v3 = (_i128(C.year("revenue", k)) for k in (2, 1, 0))
    ok = (v1 > 0) & (v2 > 0) & v3.is_not_null()
    return Num(pl.when(ok).then(v2 * v2 + v1 * v3 - 2 * v1 * v2), 2 * v1 * v2)


@metric("revenue_avg_growth_2y", "ratio", _avg_growth_frame, years=3)
def _revenue_avg_growth_2y(inp, opts):
    return m.average_growth(*(inp.fig(k).revenue for k in (2, 1, 0)))


def _multiple_metric(name: str, field: str, n: int):
    def scalar(inp, opts):
        return m.growth_multiple(getattr(inp.fig(n), field), getattr(inp.fig(0), field))

    REGISTRY[name] = Metric(name, "multiple", scalar, lambda o: Num(C.year(field, 0), C.year(field, n)), years=n + 1, power=n)


_multiple_metric("revenue_cagr_2y", "revenue", 2)
_multiple_metric("revenue_cagr_3y", "revenue", 3)
_multiple_metric("profit_cagr_2y", "profit", 2)


# — profile and evaluation inputs ——————————————————————————————————————————————

def _days_expr():
    return (pl.col("as_of") - pl.col("established")).dt.total_days()


@metric("registered_years", "years", lambda o: Num(_days_expr(), 365))
def _registered_years(inp, opts):
    return m.registered_years(inp.established, inp.as_of)


@metric("hitech_field_set", "bool", lambda o: Plain(pl.col("hitech_field").fill_null("") != ""))
def _hitech_field_set(inp, opts):
    """The main technology lies in one of the eight 国家重点支持的高新技术领域 (32号 第十一条(三))."""
    return bool(inp.hitech_field)


@metric("emerging_industry_set", "bool", lambda o: Plain(pl.col("emerging_industry").fill_null("") != ""))
def _emerging_industry_set(inp, opts):
    """The main product belongs to 《战略性新兴产业分类(2018)》."""
    return bool(inp.emerging_industry)


def _division_expr():
    code = pl.col("industry_code").fill_null("").str.strip_chars().str.to_uppercase()
    return code.str.strip_chars_start("ABCDEFGHIJKLMNOPQRST").str.slice(0, 2)


@metric("industry_excluded_119", "bool", lambda o: Plain(_division_expr().is_in(EXCLUDED_119_DIVISIONS)))
def _industry_excluded_119(inp, opts):
    """The industry may not take the R&D super-deduction (财税〔2015〕119号), which bars 科小 from 2022."""
    digits = (inp.industry_code or "").strip().upper().lstrip("ABCDEFGHIJKLMNOPQRST")
    return digits[:2] in EXCLUDED_119_DIVISIONS


def _size_frame(o):
    return Plain(size_class_expr(pl.col("industry_code"), C.year("employees"), C.year("revenue"), C.year("total_assets"), MONEY_SCALE))


@metric("size_class", "category", _size_frame)
def _size_class(inp, opts):
    f = inp.fig(0)
    return size_class(inp.industry_code, f.employees, f.revenue, f.total_assets)


def _standards_frame(o):
    return Num(pl.coalesce(C.extra("standards_led_5y"), C.year("standards_led"), pl.lit(0)))


@metric("standards_led_5y", "count", _standards_frame)
def _standards_led_5y(inp, opts):
    """Standards led (主导制定) in the last five years: the evaluation input, else the year's figure."""
    given = inp.extra("standards_led_5y")
    return given if given is not None else (inp.fig(0).standards_led or 0)


def _divisor(inp, opts) -> int:
    if opts.get("commercialisation_divisor") == "reported_years":
        return max(1, sum(inp.has_year(k) for k in range(3)))
    return 3


def _commercialisation_frame(o):
    results = C.extra("commercialised_results")
    if o.get("commercialisation_divisor") == "reported_years":
        den = pl.max_horizontal(pl.lit(1), sum(C.has(k).cast(pl.Int64) for k in range(3)))
    else:
        den = 3
    return Num(results, den, unknown=results.is_null())


@metric("commercialisation_per_year", "ratio", _commercialisation_frame, expert=True, years=3)
def _commercialisation_per_year(inp, opts):
    """科技成果转化 per year over the last three years (高企 科技成果转化能力)."""
    total = inp.extra("commercialised_results")
    return UNKNOWN if total is None else m.per_year(total, _divisor(inp, opts))


def _main_share_frame(o):
    main = C.extra("main_revenue")
    return Num(main, C.year("revenue"), unknown=main.is_null())


@metric("main_revenue_share", "ratio", _main_share_frame, expert=True)
def _main_revenue_share(inp, opts):
    """主营业务收入 ÷ 营业收入 (创新型 / 专精特新 专业化); 主营业务收入 is an evaluation input."""
    main = inp.extra("main_revenue")
    return UNKNOWN if main is None else m.ratio(main, inp.fig(0).revenue)


def _extra_metric(name: str):
    extra = EXTRAS[name]
    kind = {"bool": "bool", "money": "money"}.get(extra.kind, "count")

    def scalar(inp, opts):
        value = inp.extra(name)
        return UNKNOWN if value is None and extra.expert else value

    def frame(opts):
        col = C.extra(name)
        unknown = col.is_null() if extra.expert else None
        if kind == "bool":
            return Plain(col, unknown)
        return Num(col, MONEY_SCALE if kind == "money" else 1, unknown)

    REGISTRY[name] = Metric(name, kind, scalar, frame, expert=extra.expert)


for _name, _extra in EXTRAS.items():
    if _extra.kind != "score" and _name not in REGISTRY:
        _extra_metric(_name)


def get(name: str) -> Metric:
    try:
        return REGISTRY[name]
    except KeyError:
        raise KeyError(f"unknown metric {name!r}") from None
