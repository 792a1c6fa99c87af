"""高企 (hitech-2016): RULES.md §W H1, H2, G1, G2, G9, the eight conditions at their edges, the
growth formula with its zero-year and negative cases, and the innovation-capability score."""

import datetime
from fractions import Fraction

import pytest

from peiyu.evaluation import metrics, rules
from peiyu.evaluation.engine import evaluate
from peiyu.evaluation.tests.factories import D, hitech, hitech_rows

RS = rules.official("hitech-2016")
EXPERTS = {"ip_expert_score": 26, "rd_management_score": 16, "commercialised_results": 12}


def gate(result, code):
    return result.indicator(code)


def rows_with(**columns):
    """hitech_rows with whole columns replaced: rows_with(revenue=[…3 values…])."""
    rows = hitech_rows()
    for name, values in columns.items():
        for row, value in zip(rows, values, strict=True):
            row[name] = None if value is None else D(value)
    return rows


# — worked examples ——————————————————————————————————————————————————————————————

def test_h1_rd_ratio_exactly_5_percent_passes():
    r = evaluate(RS, hitech(rows_with(revenue=[3000, 4000, 5000], rd_expense=[150, 200, 250], rd_expense_domestic=[150, 200, 250],
                                      hitech_revenue=[2100, 2800, 3500])))
    g = gate(r, "rd_ratio_3y")
    assert (g.value, g.threshold, g.passed) == ("0.05", "0.05", True)


def test_h2_latest_sales_exactly_2yi_uses_4_percent_and_fails():
    r = evaluate(RS, hitech(rows_with(revenue=[10000, 15000, 20000], rd_expense=[500, 600, 655], rd_expense_domestic=[500, 600, 655],
                                      hitech_revenue=[7000, 10500, 14000])))
    g = gate(r, "rd_ratio_3y")
    assert (g.value, g.threshold, g.passed) == ("0.039", "0.04", False)
    assert r.eligible is False and "rd_ratio_3y" in [f.code for f in r.failed]


@pytest.mark.parametrize(("values", "rate", "band", "low", "high"), [
    (("1000", "1300", "1690"), "0.3", "B", 7, 8),  # G1
    (("100", "135", "182.25"), "0.35", "A", 9, 10),  # G2
    (("200", "230", "264.5"), "0.15", "C", 5, 6),  # G9: binary floats give 0.1499… (band D)
])
def test_growth_worked_examples(values, rate, band, low, high):
    r = evaluate(RS, hitech(rows_with(net_assets=list(values))))
    g = r.indicator("net_asset_growth")
    assert (g.value, g.band, g.points_min, g.points_max) == (rate, band, low, high)


def test_g9_float_arithmetic_would_misclassify():
    as_float = 0.5 * (230 / 200 + 264.5 / 230) - 1
    assert as_float < 0.15  # the bug the exact form avoids
    assert metrics.growth_rate(D(200), D(230), D("264.5")) == Fraction(15, 100)


# — growth edges and special cases ————————————————————————————————————————————————

@pytest.mark.parametrize(("v3", "band", "pts"), [
    ("1700", "A", (9, 10)), ("1699.9999", "B", (7, 8)), ("1500", "B", (7, 8)), ("1499.9999", "C", (5, 6)),
    ("1300", "C", (5, 6)), ("1299.9999", "D", (3, 4)), ("1100", "D", (3, 4)), ("1099.9999", "E", (1, 2)),
    ("1000.0001", "E", (1, 2)), ("1000", "F", (0, 0)), ("900", "F", (0, 0)),
])
def test_growth_band_edges(v3, band, pts):
    # V1 = V2 = 1000, so g = (V3 / 1000 − 1) / 2: 35% at 1700, 25% at 1500, 15% at 1300, 5% at 1100, 0 at 1000
    r = evaluate(RS, hitech(rows_with(net_assets=["1000", "1000", v3])))
    g = r.indicator("net_asset_growth")
    assert (g.band, (g.points_min, g.points_max)) == (band, pts)


def test_first_year_zero_uses_the_last_two_years():
    r = evaluate(RS, hitech(rows_with(revenue=["0", "4000", "5400"])))
    assert r.indicator("sales_growth").value == "0.35"  # 5400 / 4000 − 1
    assert r.indicator("sales_growth").band == "A"


def test_second_year_zero_scores_zero():
    r = evaluate(RS, hitech(rows_with(net_assets=["1000", "0", "5000"])))
    g = r.indicator("net_asset_growth")
    assert (g.value, g.band, g.points_max) == (None, "F", 0)


def test_negative_growth_scores_zero():
    r = evaluate(RS, hitech(rows_with(net_assets=["1000", "900", "800"])))
    g = r.indicator("net_asset_growth")
    assert g.band == "F" and g.points_max == 0 and g.value.startswith("-0.105")


def test_negative_net_assets_score_zero_and_ask_for_review():
    r = evaluate(RS, hitech(rows_with(net_assets=["-100", "500", "900"])))
    assert r.indicator("net_asset_growth").points_max == 0
    assert [n.code for n in r.notes] == ["net_asset_growth"]


def test_two_years_of_history_use_the_simple_ratio():
    rows = rows_with(net_assets=[None, "1000", "1400"])
    r = evaluate(RS, hitech(rows))
    assert r.indicator("net_asset_growth").value == "0.4"
    assert [n.code for n in r.notes] == ["net_asset_growth"]


# — the eight conditions ——————————————————————————————————————————————————————————

@pytest.mark.parametrize(("latest", "total", "threshold", "passed"), [
    ("5000", "600", "0.05", True), ("5000", "599.9999", "0.05", False),
    ("20000", "1080", "0.04", True), ("20000", "1079.9999", "0.04", False),
    ("20000.0001", "810.0001", "0.03", True), ("20000.0001", "810", "0.03", False),
])
def test_rd_threshold_edges(latest, total, threshold, passed):
    """3-year sales are 3500 + 3500 + latest; all R&D is in the latest year."""
    rows = rows_with(revenue=["3500", "3500", latest], rd_expense=["0", "0", total], rd_expense_domestic=["0", "0", total],
                     hitech_revenue=["2100", "2100", latest])
    rows[-1]["total_costs"] = D(100000)
    g = gate(evaluate(RS, hitech(rows)), "rd_ratio_3y")
    assert (g.threshold, g.passed) == (threshold, passed)


@pytest.mark.parametrize(("tech", "employees", "passed"), [(10, 100, True), (999, 10000, False), (1000, 10000, True)])
def test_tech_staff_ratio_gate(tech, employees, passed):
    rows = hitech_rows(tech_staff=tech, employees=employees)
    assert gate(evaluate(RS, hitech(rows)), "tech_staff_ratio").passed is passed


@pytest.mark.parametrize(("domestic", "passed"), [("720", True), ("719.9999", False)])
def test_domestic_rd_share_gate(domestic, passed):
    # total R&D 300 + 400 + 500 = 1200; 60% is 720 (all in the latest year here)
    rows = rows_with(rd_expense_domestic=["0", "0", domestic])
    g = gate(evaluate(RS, hitech(rows)), "domestic_rd_share")
    assert g.passed is passed


@pytest.mark.parametrize(("hitech_revenue", "passed"), [("3000", True), ("2999.9999", False)])
def test_hitech_revenue_share_gate(hitech_revenue, passed):
    rows = hitech_rows(hitech_revenue=D(hitech_revenue))
    assert gate(evaluate(RS, hitech(rows)), "hitech_revenue_share").passed is passed


@pytest.mark.parametrize(("established", "passed"), [(datetime.date(2024, 1, 1), True), (datetime.date(2024, 1, 2), False)])
def test_registered_at_least_365_days(established, passed):
    # 2024 is a leap year: 2024-01-01 → 2024-12-31 is 365 days
    r = evaluate(RS, hitech(established=established))
    assert gate(r, "registered_years").passed is passed


def test_ip_field_and_incident_gates():
    no_ip = hitech_rows(invention_patents=0)
    assert gate(evaluate(RS, hitech(no_ip)), "core_ip").passed is False
    assert gate(evaluate(RS, hitech(hitech_field="")), "hitech_field").passed is False
    assert gate(evaluate(RS, hitech(extras={"major_accident": True})), "no_incident").passed is False


# — innovation-capability score (>70, not 70) ——————————————————————————————————————

def test_score_is_a_range_until_experts_score():
    r = evaluate(RS, hitech())
    assert r.eligible is None and r.score_min < 71 <= r.score_max
    assert r.route is None and any(p.code == "score" for p in r.pending)


def test_passes_regardless_with_expert_scores():
    r = evaluate(RS, hitech(extras=EXPERTS))
    # IP 26 + commercialisation 12/3 = 4 per year → B 19–24 + management 16 + growth (B 7–8, B 7–8)
    assert (r.score_min, r.score_max) == (26 + 19 + 16 + 14, 26 + 24 + 16 + 16)
    assert (r.eligible, r.route) == (True, "score")


FLAT = dict(net_assets=["1000", "1000", "1000"], revenue=["5000", "5000", "5000"], rd_expense=["250", "250", "250"],
            rd_expense_domestic=["250", "250", "250"], hitech_revenue=["3500", "3500", "3500"])  # growth 0: band F


@pytest.mark.parametrize(("ip", "management", "low", "high", "eligible"), [
    (25, 15, 65, 70, False), (25, 16, 66, 71, None), (26, 20, 71, 76, True), (25, 20, 70, 75, None),
])
def test_pass_mark_is_above_70_not_70(ip, management, low, high, eligible):
    # commercialisation 15 results = 5 a year → A (25–30); growth 0 → F
    extras = {"ip_expert_score": ip, "rd_management_score": management, "commercialised_results": 15}
    r = evaluate(RS, hitech(rows_with(**FLAT), extras=extras))
    assert (r.score_min, r.score_max) == (low, high)
    assert r.eligible is eligible


def test_fails_regardless_when_even_the_best_points_miss():
    flat = rows_with(net_assets=["1000", "1000", "1000"], revenue=["5000", "5000", "5000"], rd_expense=["250", "250", "250"],
                     rd_expense_domestic=["250", "250", "250"], hitech_revenue=["3500", "3500", "3500"])
    r = evaluate(RS, hitech(flat, extras={"ip_expert_score": 20, "rd_management_score": 10, "commercialised_results": 0}))
    assert (r.score_max, r.eligible) == (30, False)
    assert [f.code for f in r.failed] == ["score"]


@pytest.mark.parametrize(("results", "band", "pts"), [
    (15, "A", (25, 30)), (14, "B", (19, 24)), (12, "B", (19, 24)), (11, "C", (13, 18)), (9, "C", (13, 18)),
    (8, "D", (7, 12)), (6, "D", (7, 12)), (5, "E", (1, 6)), (3, "E", (1, 6)), (2, "F", (0, 0)), (0, "F", (0, 0)),
])
def test_commercialisation_bands_per_year_over_three_years(results, band, pts):
    r = evaluate(RS, hitech(extras={"commercialised_results": results}))
    c = r.indicator("commercialisation")
    assert (c.band, (c.points_min, c.points_max)) == (band, pts)


def test_commercialisation_unknown_gives_the_whole_range():
    c = evaluate(RS, hitech()).indicator("commercialisation")
    assert (c.band, c.band_max, c.points_min, c.points_max) == ("F", "A", 0, 30)


@pytest.mark.parametrize(("figures", "band", "pts"), [
    ({"invention_patents": 1}, "A", (7, 8)), ({"invention_patents": 0, "utility_patents": 5}, "B", (5, 6)),
    ({"invention_patents": 0, "software_copyrights": 4}, "C", (3, 4)), ({"invention_patents": 0, "utility_patents": 3}, "C", (3, 4)),
    ({"invention_patents": 0, "design_patents": 2}, "D", (1, 2)), ({"invention_patents": 0, "utility_patents": 1}, "D", (1, 2)),
    ({"invention_patents": 0}, "E", (0, 0)),
])
def test_ip_quantity_bands(figures, band, pts):
    ip = evaluate(RS, hitech(hitech_rows(**figures))).indicator("ip")
    quantity = next(c for c in ip.components if c.code == "ip_quantity")
    assert (quantity.band, (quantity.points_min, quantity.points_max)) == (band, pts)


def test_ip_part_is_capped_at_30_and_expert_score_replaces_it():
    ip = evaluate(RS, hitech(hitech_rows(standards_led=1))).indicator("ip")
    assert (ip.points_min, ip.points_max) == (7 + 1 + 1, 30)  # 8 + 8 + 8 + 6 + 2 = 32 → 30
    fixed = evaluate(RS, hitech(extras={"ip_expert_score": 27})).indicator("ip")
    assert (fixed.points_min, fixed.points_max) == (27, 27)
