"""Inputs that put one metric exactly on a value, or one smallest unit (one yuan, one person, one
item) either side of it — for band-edge tests of every shipped rule set."""

from decimal import Decimal
from fractions import Fraction

from peiyu.evaluation.inputs import EvaluationInput, YearFigures
from peiyu.evaluation.tests.factories import YEAR

YUAN = Decimal("0.0001")
BASE = Decimal(10000)


def _money(x: Fraction) -> Decimal:
    value = Decimal(x.numerator) / Decimal(x.denominator)
    assert value == value.quantize(YUAN), "edge values must be whole yuan"
    return value.quantize(YUAN)


def _rows():
    row = dict(revenue=BASE, employees=10000, tech_staff=0, total_assets=BASE, net_assets=BASE, total_costs=BASE * 10,
               rd_expense=Decimal(0), profit=Decimal(0))
    return [dict(row), dict(row), dict(row)]


def _ratio(field, whole):
    def build(rows, extras, v, step):
        rows[-1][field] = _money(v * Fraction(rows[-1][whole])) + step * YUAN

    return build


def _growth(field):
    def build(rows, extras, v, step):  # V1 = V2 = 10000, so g = (V3 / 10000 − 1) / 2
        rows[-1][field] = _money(Fraction(BASE) * (1 + 2 * v)) + step * YUAN

    return build


def _yoy(rows, extras, v, step):
    rows[-1]["revenue"] = _money(Fraction(BASE) * (1 + v)) + step * YUAN


def _debt(rows, extras, v, step):
    rows[-1]["net_assets"] = BASE - (_money(v * Fraction(BASE)) + step * YUAN)


def _staff(rows, extras, v, step):
    rows[-1]["tech_staff"] = int(v * 10000) + step


def _count_field(field):
    def build(rows, extras, v, step):
        rows[-1][field] = int(v) + step

    return build


def _count_extra(name, per=1):
    def build(rows, extras, v, step):
        extras[name] = int(v * per) + step

    return build


def _main_share(rows, extras, v, step):
    extras["main_revenue"] = _money(v * Fraction(BASE)) + step * YUAN


def _money_field(field):
    def build(rows, extras, v, step):
        rows[-1][field] = _money(v) + step * YUAN

    return build


BUILDERS = {
    "tech_staff_ratio": _staff,
    "rd_sales_ratio": _ratio("rd_expense", "revenue"),
    "rd_cost_ratio": _ratio("rd_expense", "total_costs"),
    "profit_margin": _ratio("profit", "revenue"),
    "hitech_revenue_share": _ratio("hitech_revenue", "revenue"),
    "debt_ratio": _debt,
    "net_asset_growth": _growth("net_assets"),
    "sales_growth": _growth("revenue"),
    "revenue_avg_growth_2y": _growth("revenue"),
    "revenue_growth_1y": _yoy,
    "class1_ip": _count_field("invention_patents"),
    "class2_ip": _count_field("utility_patents"),
    "commercialisation_per_year": _count_extra("commercialised_results", per=3),
    "niche_years": _count_extra("niche_years"),
    "main_revenue_share": _main_share,
    "rd_expense": _money_field("rd_expense"),
    "revenue": _money_field("revenue"),
}


def edge_input(metric: str, value: Fraction, step: int) -> EvaluationInput:
    """An input where `metric` equals `value` moved by `step` smallest units (−1, 0 or +1)."""
    rows, extras = _rows(), {}
    BUILDERS[metric](rows, extras, value, step)
    data = {YEAR - 2 + i: YearFigures(**row) for i, row in enumerate(rows)}
    return EvaluationInput(year=YEAR, years=data, extras=extras)
