"""Every shipped rule set: well-formed data with its sources, and every band edge of every banded
indicator (at the threshold and one yuan / person / item beside it) lands in the band its operator
says; plus table tests of the 创新型, 专精特新, 小巨人 and 瞪羚 rules."""

import datetime

import pytest

from peiyu.evaluation import rules
from peiyu.evaluation.engine import evaluate
from peiyu.evaluation.tests.edges import BUILDERS, edge_input
from peiyu.evaluation.tests.factories import D, years

CODES = sorted(rules.official_data())
REQUIRED = {"tech-sme-2017", "tech-sme-2022", "hitech-2016", "innovative-sme-2022", "specialized-sme-2022", "little-giant-tianjin-2011"}


def test_every_required_rule_set_ships_with_two_gazelles():
    assert REQUIRED <= set(CODES)
    assert len([c for c in CODES if c.startswith("gazelle-")]) >= 2


@pytest.mark.parametrize("code", CODES)
def test_rule_set_is_complete_data(code):
    data = rules.official_data()[code]
    for key in ("code", "version", "name", "source", "effective", "gates", "indicators", "routes", "unconfirmed"):
        assert key in data, key
    assert data["source"]["document"] and data["effective"]["from"]
    assert any("\u4e00" <= ch <= "\u9fff" for ch in data["name"])
    rs = rules.official(code)
    assert rs.gates or rs.routes or rs.indicators


def _subs(indicator):
    yield indicator
    for sub in indicator.alternatives + indicator.components:
        yield from _subs(sub)


def _find(result_indicator, code):
    if result_indicator.code == code:
        return result_indicator
    for sub in result_indicator.components:
        found = _find(sub, code)
        if found:
            return found
    return None


def _edges():
    """(rule set, top indicator, sub-indicator, band index) for every band whose edge is testable."""
    for code in CODES:
        rs = rules.official(code)
        for top in rs.indicators:
            for ind in _subs(top):
                for i, band in enumerate(ind.bands[:-1]):
                    cond, nxt = band.when, ind.bands[i + 1].when
                    if cond.kind != "leaf" or cond.metric not in BUILDERS or cond.tiers:
                        continue
                    if nxt is not None and (nxt.kind != "leaf" or nxt.metric != cond.metric):
                        continue
                    yield pytest.param(code, top.code, ind.code, i, id=f"{code}:{ind.code}:{band.band}")


SIDES = {">=": (0, -1), ">": (1, 0), "<=": (0, 1), "<": (-1, 0)}  # (step inside the band, step outside)


@pytest.mark.parametrize(("code", "top", "sub", "index"), list(_edges()))
def test_band_edge(code, top, sub, index):
    rs = rules.official(code)
    ind = next(i for t in rs.indicators if t.code == top for i in _subs(t) if i.code == sub)
    band, following = ind.bands[index], ind.bands[index + 1]
    inside, outside = SIDES[band.when.op]
    for step, expected in ((inside, band.band), (outside, following.band)):
        result = _find(evaluate(rs, edge_input(band.when.metric, band.when.value, step)).indicator(top), sub)
        assert result.band == expected, (band.when.op, str(band.when.value), step)


def test_edge_collection_covers_every_rule_set_with_bands():
    covered = {p.values[0] for p in _edges()}
    assert covered >= {"tech-sme-2017", "tech-sme-2022", "hitech-2016", "innovative-sme-2022", "specialized-sme-2022", "little-giant-tianjin-2011"}


# — 创新型中小企业 ——————————————————————————————————————————————————————————————————

INNOVATIVE = rules.official("innovative-sme-2022")


def innovative_rows(**latest):
    base = dict(employees=80, tech_staff=20, total_assets=D(4000), net_assets=D(2000), invention_patents=1, total_costs=D(3000))
    rows = [dict(base, revenue=D(2000), rd_expense=D(100)), dict(base, revenue=D(3000), rd_expense=D(150))]
    rows[-1].update(latest)
    return rows


def test_innovative_scores_with_group_minimums():
    extras = {"main_revenue": D(2400), "own_class1_ip": 1}
    r = evaluate(INNOVATIVE, years(innovative_rows(), extras=extras, profile={"emerging_industry": "1"}))
    # IP B 15 (+A unknown: 15–20), R&D 5% A 20, growth 50% A 20, debt 50% A 10, field A 10, main share 80% A 20
    assert (r.score_min, r.score_max) == (95, 100)
    assert r.eligible is True and r.route == "score"


def test_innovative_group_minimum_fails_even_above_60():
    # innovation: IP Class II only (5) + R&D 1% (5) = 10 < 20, total 10 + 20 + 10 + 10 + 20 = 70
    rows = innovative_rows(invention_patents=0, utility_patents=1, rd_expense=D(30))
    extras = {"main_revenue": D(3000), "high_value_class1_ip": 0, "own_class1_ip": 0}
    r = evaluate(INNOVATIVE, years(rows, extras=extras, profile={"emerging_industry": "1"}))
    assert (r.score_min, r.score_max, r.eligible) == (70, 70, False)
    assert [f.code for f in r.failed] == ["min_group_points.innovation"]


@pytest.mark.parametrize(("high_value", "own", "band", "pts"), [(1, None, "A", (20, 20)), (0, 1, "B", (15, 15)), (0, 0, "C", (10, 10)), (None, None, "C", (10, 20))])
def test_innovative_ip_bands_with_expert_inputs(high_value, own, band, pts):
    extras = {"high_value_class1_ip": high_value, "own_class1_ip": own}
    ip = evaluate(INNOVATIVE, years(innovative_rows(), extras=extras)).indicator("ip")
    assert (ip.band, (ip.points_min, ip.points_max)) == (band, pts)


@pytest.mark.parametrize(("code", "extras", "figures"), [
    ("award", {"awards_3y": 1}, {}), ("title", {"hitech_certificate_valid": True}, {}), ("title", {"innovation_title": True}, {}),
    ("rd_institution", {}, {"rd_institution_level": 3}), ("equity", {"equity_financing_3y": D(500)}, {}),
])
def test_innovative_direct_routes(code, extras, figures):
    rows = innovative_rows(rd_expense=D(0), **figures)
    r = evaluate(INNOVATIVE, years(rows, extras=extras))
    assert (r.eligible, r.route, r.route_code) == (True, "direct", code)


def test_innovative_equity_route_edge():
    rows = innovative_rows(rd_expense=D(0))
    assert evaluate(INNOVATIVE, years(rows, extras={"equity_financing_3y": D("499.9999")})).route is None


def test_large_enterprise_is_not_an_sme():
    rows = innovative_rows(employees=1000, revenue=D(40000), profit=None)
    r = evaluate(INNOVATIVE, years(rows, extras={"awards_3y": 1}, profile={"industry_code": "C3841"}))
    assert r.eligible is False and [f.code for f in r.failed] == ["sme"]


# — 专精特新中小企业 ——————————————————————————————————————————————————————————————————

SPECIALIZED = rules.official("specialized-sme-2022")


def specialized_rows(**latest):
    base = dict(employees=150, tech_staff=30, total_assets=D(10000), net_assets=D(6000), invention_patents=2, total_costs=D(8000),
                profit=D(1000))
    rows = [dict(base, revenue=D(8000), rd_expense=D(400)), dict(base, revenue=D(9000), rd_expense=D(450)),
            dict(base, revenue=D(10000), rd_expense=D(500))]
    rows[-1].update(latest)
    return rows


def test_specialized_needs_niche_years_before_deciding():
    r = evaluate(SPECIALIZED, years(specialized_rows()))
    assert r.eligible is None and "niche_years" in [p.code for p in r.pending]


@pytest.mark.parametrize(("rd", "revenue", "passed"), [
    ("100", "3333.3333", True), ("99.9999", "1000", False), ("100", "3333.3334", False), ("300", "10000", True),
])
def test_specialized_rd_gate_needs_100_wan_and_3_percent(rd, revenue, passed):
    r = evaluate(SPECIALIZED, years(specialized_rows(rd_expense=D(rd), revenue=D(revenue)), extras={"niche_years": 5}))
    assert r.indicator("rd").passed is passed


@pytest.mark.parametrize(("revenue", "equity", "passed"), [("1000", "0", True), ("999.9999", "0", False), ("999.9999", "2000", True)])
def test_specialized_revenue_or_financing_gate(revenue, equity, passed):
    rows = specialized_rows(revenue=D(revenue), rd_expense=D(100))
    r = evaluate(SPECIALIZED, years(rows, extras={"niche_years": 5, "equity_financing_2y": D(equity)}))
    assert r.indicator("revenue").passed is passed


@pytest.mark.parametrize(("rd", "revenue", "band"), [
    ("500", "50000", "A"), ("499.9999", "50000", "B"), ("100", "1000", "A"), ("99.9999", "1000", "B"),
    ("400", "50000", "B"), ("300", "50000", "C"), ("200", "50000", "D"), ("100", "50000", "E"), ("99.9999", "50000", "F"),
])
def test_specialized_rd_input_bands_by_amount_or_share(rd, revenue, band):
    r = evaluate(SPECIALIZED, years(specialized_rows(rd_expense=D(rd), revenue=D(revenue)), extras={"niche_years": 5}))
    assert r.indicator("rd_input").band == band


def test_specialized_expert_items_and_routes():
    experts = {"niche_years": 6, "main_revenue": D(9000), "product_field_score": 5, "digital_score": 3, "quality_score": 5,
               "local_feature_score": 8, "rd_staff_score": 3, "rd_institution_score": 6, "high_value_class1_ip": 0, "own_class1_ip": 2}
    r = evaluate(SPECIALIZED, years(specialized_rows(), extras=experts))
    # 5 + 10 (avg growth 11.8%) + 3 + 5 | 3 + 5 + 10 (10%) + 5 (40%) | 8 | 8 + 10 + 3 + 6
    assert (r.score_min, r.score_max, r.eligible, r.route) == (81, 81, True, "score")
    rd_avg = evaluate(SPECIALIZED, years(specialized_rows(rd_expense=D(1550)), extras={"niche_years": 2}))
    assert (rd_avg.eligible, rd_avg.route_code) == (True, "rd_avg")  # (450 + 1550) / 2 = 1000


# — 科技小巨人 (Tianjin) ————————————————————————————————————————————————————————————

GIANT = rules.official("little-giant-tianjin-2011")


@pytest.mark.parametrize(("revenue", "eligible", "tier"), [
    ("9999.9999", False, "D"), ("10000", True, "C"), ("30000", True, "B"), ("99999.9999", True, "B"), ("100000", True, "A"),
])
def test_little_giant_tiers(revenue, eligible, tier):
    r = evaluate(GIANT, years([dict(revenue=D(revenue), tech_staff=10, employees=100, rd_expense=D(100))]))
    assert (r.eligible, r.indicator("sales_tier").band) == (eligible, tier)


def test_little_giant_must_do_technology():
    r = evaluate(GIANT, years([dict(revenue=D(50000), tech_staff=0, employees=100, rd_expense=D(0))]))
    assert r.eligible is False and [f.code for f in r.failed] == ["tech_enterprise"]


# — 瞪羚 ————————————————————————————————————————————————————————————————————————————

HUANGPU = rules.official("gazelle-huangpu-2022")
JINAN = rules.official("gazelle-jinan-2016")
HITECH_CERT = {"hitech_certificate_valid": True}


def revenue_years(*values, profit=None, established=datetime.date(2010, 1, 1), extras=None):
    rows = [dict(revenue=D(v), profit=None if profit is None else D(profit[i])) for i, v in enumerate(values)]
    return years(rows, extras=extras, profile={"established": established})


@pytest.mark.parametrize(("end", "eligible"), [("1728", True), ("1727.9999", False)])
def test_huangpu_cagr_20_percent_over_three_years_exactly(end, eligible):
    # base 1000: 1000 × 1.2³ = 1728
    r = evaluate(HUANGPU, revenue_years("1000", "1100", "1300", end, extras=HITECH_CERT))
    assert r.eligible is eligible


def test_huangpu_base_year_and_positive_growth():
    assert evaluate(HUANGPU, revenue_years("999.9999", "1100", "1300", "2000", extras=HITECH_CERT)).eligible is False
    assert evaluate(HUANGPU, revenue_years("1000", "1100", "2000", "2000", extras=HITECH_CERT)).eligible is False  # flat last year
    assert evaluate(HUANGPU, revenue_years("1000", "1100", "1300", "2000")).eligible is False  # not a 高企


@pytest.mark.parametrize(("established", "route"), [
    (datetime.date(2020, 1, 2), "young_500m"),  # 5 × 365 days to 2024-12-31 is 2020-01-02
    (datetime.date(2019, 12, 31), "young_1b"),
])
def test_huangpu_young_firm_routes(established, route):
    r = evaluate(HUANGPU, revenue_years("1", "1", "90000", "100000", established=established, extras=HITECH_CERT))
    assert (r.eligible, r.route_code) == (True, route)


@pytest.mark.parametrize(("start", "end", "eligible"), [
    ("1000", "1440", True), ("1000", "1439.9999", False),  # 1000万–1亿: 20% → × 1.44
    ("10000", "13225", True), ("10000", "13224.9999", False),  # 1亿–5亿: 15% → × 1.3225
    ("50000", "60500", True), ("50000", "60499.9999", False),  # ≥5亿: 10% → × 1.21
    ("500", "999.9999", False),  # under 1000万: no tier
])
def test_jinan_revenue_tiers(start, end, eligible):
    r = evaluate(JINAN, revenue_years(start, start, end, established=datetime.date(2000, 1, 1)))
    assert r.eligible is eligible


def test_jinan_profit_route_and_five_plus_n():
    r = evaluate(JINAN, revenue_years("1000", "1000", "1000", profit=["100", "110", "144"], established=datetime.date(2000, 1, 1)))
    assert (r.eligible, r.route_code) == (True, "profit_growth")
    young = evaluate(JINAN, revenue_years("60000", "60000", "70000", established=datetime.date(2016, 6, 1)))  # 8.6 years, 7亿: N = 2
    assert (young.eligible, young.route_code) == (True, "five_plus_2")
    old = evaluate(JINAN, revenue_years("70000", "70000", "70000", established=datetime.date(2010, 1, 1)))
    assert old.eligible is False and old.failed[-1].code == "route"
