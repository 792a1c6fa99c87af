"""科小 (tech-sme-2017 / tech-sme-2022): RULES.md §W examples T1–T4, every band edge, the gates,
the pass conditions and the direct-confirmation routes."""

import pytest

from peiyu.evaluation import rules
from peiyu.evaluation.engine import evaluate
from peiyu.evaluation.tests.factories import D, one_year, tech_sme

RS = rules.official("tech-sme-2017")
RS22 = rules.official("tech-sme-2022")


def points(result, code):
    ind = result.indicator(code)
    assert ind.points_min == ind.points_max
    return ind.points_min


# — worked examples ——————————————————————————————————————————————————————————————

def test_t1_full_marks():
    r = evaluate(RS, one_year(employees=100, tech_staff=30, rd_expense=300, revenue=5000, total_costs=4000, invention_patents=1, total_assets=1000))
    assert [points(r, c) for c in ("tech_staff", "rd_input", "ip")] == [20, 50, 30]
    assert (r.score_min, r.eligible, r.route) == (100, True, "score")


def test_t2_boundaries_just_missed():
    r = evaluate(RS, one_year(employees=100, tech_staff=29, rd_expense=D("299.5"), revenue=5000, total_costs=4500, utility_patents=3, total_assets=1000))
    assert r.indicator("tech_staff").band == "B" and points(r, "tech_staff") == 16
    rd = r.indicator("rd_input")
    assert (rd.value, rd.band, rd.points_min, rd.alternative) == ("0.0599", "B", 40, "sales")
    costs = next(c for c in rd.components if c.code == "costs")
    assert (costs.band, costs.points_min) == ("F", 0)  # 299.5 / 4500 = 6.66% of costs
    assert points(r, "ip") == 18
    assert (r.score_min, r.eligible) == (74, True)


def test_t3_exactly_on_the_lower_edges():
    r = evaluate(RS, one_year(employees=200, tech_staff=40, rd_expense=200, revenue=5000, total_costs=4000, software_copyrights=3, total_assets=1000))
    assert [points(r, c) for c in ("tech_staff", "rd_input", "ip")] == [12, 30, 18]
    assert (r.score_min, r.eligible) == (60, True)


def test_t4_tech_staff_score_zero_fails_whatever_the_total():
    r = evaluate(RS, one_year(employees=100, tech_staff=9, rd_expense=500, revenue=5000, invention_patents=2, total_assets=1000))
    assert (r.score_min, r.eligible, r.route) == (80, False, None)
    assert [f.code for f in r.failed] == ["min_points.tech_staff"]
    assert "0分" in r.failed[0].message


# — band edges ———————————————————————————————————————————————————————————————————

@pytest.mark.parametrize(("tech", "employees", "band", "pts"), [
    (30, 100, "A", 20), (2999, 10000, "B", 16), (25, 100, "B", 16), (2499, 10000, "C", 12),
    (20, 100, "C", 12), (1999, 10000, "D", 8), (15, 100, "D", 8), (1499, 10000, "E", 4),
    (10, 100, "E", 4), (999, 10000, "F", 0), (0, 100, "F", 0), (100, 100, "A", 20),
])
def test_tech_staff_bands(tech, employees, band, pts):
    r = evaluate(RS, tech_sme(tech_staff=tech, employees=employees))
    assert (r.indicator("tech_staff").band, points(r, "tech_staff")) == (band, pts)


def test_tech_staff_without_employees_scores_zero():
    r = evaluate(RS, tech_sme(tech_staff=5, employees=0))
    assert points(r, "tech_staff") == 0 and r.eligible is False


@pytest.mark.parametrize(("rd", "band", "pts"), [
    ("300", "A", 50), ("299.9999", "B", 40), ("250", "B", 40), ("249.9999", "C", 30), ("200", "C", 30),
    ("199.9999", "D", 20), ("150", "D", 20), ("149.9999", "E", 10), ("100", "E", 10), ("99.9999", "F", 0),
])
def test_rd_sales_bands(rd, band, pts):
    r = evaluate(RS, tech_sme(rd_expense=D(rd), revenue=D(5000), total_costs=D(100000)))
    assert (r.indicator("rd_input").band, points(r, "rd_input")) == (band, pts)


@pytest.mark.parametrize(("rd", "band", "pts"), [
    ("1200", "A", 50), ("1199.9999", "B", 40), ("1000", "B", 40), ("999.9999", "C", 30), ("800", "C", 30),
    ("799.9999", "D", 20), ("600", "D", 20), ("599.9999", "E", 10), ("400", "E", 10), ("399.9999", "F", 0),
])
def test_rd_cost_bands(rd, band, pts):
    r = evaluate(RS, tech_sme(rd_expense=D(rd), total_costs=D(4000), revenue=D(100000)))
    ind = r.indicator("rd_input")
    assert (ind.band, ind.points_min, ind.alternative) == (band, pts, "costs" if pts else "sales")


def test_rd_input_takes_the_higher_of_the_two_ratios():
    r = evaluate(RS, tech_sme(rd_expense=D(200), revenue=D(5000), total_costs=D(800)))  # 4% of sales, 25% of costs
    ind = r.indicator("rd_input")
    assert (ind.alternative, ind.band, ind.points_min) == ("costs", "B", 40)


@pytest.mark.parametrize(("figures", "band", "pts"), [
    ({"invention_patents": 1}, "A", 30), ({"other_class1_ip": 1}, "A", 30),
    ({"utility_patents": 2, "design_patents": 1, "software_copyrights": 1}, "B", 24), ({"utility_patents": 9}, "B", 24),
    ({"software_copyrights": 3}, "C", 18), ({"design_patents": 2}, "D", 12), ({"utility_patents": 1}, "E", 6), ({}, "F", 0),
])
def test_ip_bands(figures, band, pts):
    r = evaluate(RS, tech_sme(**{"invention_patents": 0, **figures}))
    assert (r.indicator("ip").band, points(r, "ip")) == (band, pts)


# — gates and pass ———————————————————————————————————————————————————————————————

@pytest.mark.parametrize(("field", "ok", "bad"), [
    ("employees", 500, 501), ("revenue", D("20000"), D("20000.0001")), ("total_assets", D("20000"), D("20000.0001")),
])
def test_size_gates_are_inclusive(field, ok, bad):
    extra = {"employees": {"tech_staff": 150}, "revenue": {"rd_expense": D(1200)}}.get(field, {})
    assert evaluate(RS, tech_sme(**{field: ok}, **extra)).eligible is True
    r = evaluate(RS, tech_sme(**{field: bad}, **extra))
    assert r.eligible is False and [f.code for f in r.failed] == [field]


def test_missing_figure_fails_its_gate_with_a_message():
    r = evaluate(RS, tech_sme(total_assets=None))
    assert r.eligible is False and r.failed[0].code == "total_assets" and "缺少数据" in r.failed[0].message


def test_incident_and_credit_gates():
    assert [f.code for f in evaluate(RS, tech_sme(extras={"major_accident": True})).failed] == ["no_incident"]
    assert [f.code for f in evaluate(RS, tech_sme(extras={"dishonest": True})).failed] == ["credit"]


def test_score_60_passes_and_58_fails():
    # 12 (20%) + 30 (4%) + 18 (3 Class II) = 60; one Class II fewer: 12 + 30 + 12 = 54
    ok = evaluate(RS, tech_sme(tech_staff=20, rd_expense=D(200), total_costs=D(100000), invention_patents=0, utility_patents=3))
    assert (ok.score_min, ok.eligible) == (60, True)
    # 8 (15%) + 30 + 18 + … = 56 → 58 needs the 2-point step that does not exist: totals are even
    bad = evaluate(RS, tech_sme(tech_staff=15, rd_expense=D(200), total_costs=D(100000), invention_patents=0, utility_patents=3))
    assert (bad.score_min, bad.eligible) == (56, False)
    assert [f.code for f in bad.failed] == ["score"] and "56分" in bad.failed[0].message


# — direct confirmation (第八条) ——————————————————————————————————————————————————

LOW = dict(tech_staff=5, rd_expense=D(10), invention_patents=0)  # scores 0 + 0 + 0


@pytest.mark.parametrize(("extras", "figures", "code"), [
    ({"hitech_certificate_valid": True}, {}, "hitech_certificate"),
    ({"national_awards_top3": 1}, {}, "national_award"),
    ({}, {"rd_institution_level": 3}, "rd_institution"),
    ({}, {"rd_institution_level": 4}, "rd_institution"),
    ({"standards_led_5y": 1}, {}, "standard"),
    ({}, {"standards_led": 2}, "standard"),
])
def test_direct_routes_qualify_without_score(extras, figures, code):
    r = evaluate(RS, tech_sme(extras=extras, **LOW, **figures))
    assert r.score_min == 0
    assert (r.eligible, r.route, r.route_code) == (True, "direct", code)


def test_city_level_institution_is_not_a_route():
    r = evaluate(RS, tech_sme(rd_institution_level=2, **LOW))
    assert r.eligible is False


def test_given_standards_input_overrides_the_year_figure():
    r = evaluate(RS, tech_sme(extras={"standards_led_5y": 0}, standards_led=3, **LOW))
    assert r.eligible is False


def test_direct_route_still_needs_the_gates():
    r = evaluate(RS, tech_sme(extras={"hitech_certificate_valid": True}, employees=501, tech_staff=150))
    assert r.eligible is False and [f.code for f in r.failed] == ["employees"]


# — 2022 entry conditions ————————————————————————————————————————————————————————

def test_2022_requires_audit_collection():
    assert evaluate(RS22, tech_sme()).eligible is True
    r = evaluate(RS22, tech_sme(extras={"audit_collection": False}))
    assert r.eligible is False and [f.code for f in r.failed] == ["audit_collection"]
    assert evaluate(RS, tech_sme(extras={"audit_collection": False})).eligible is True


@pytest.mark.parametrize(("code", "excluded"), [
    ("5110", True), ("F5212", True), ("6110", True), ("7010", True), ("7211", True), ("9011", True), ("1610", True),
    ("C3841", False), ("6510", False), ("", False), ("1710", False),
])
def test_2022_industry_exclusion(code, excluded):
    r = evaluate(RS22, tech_sme(profile={"industry_code": code}))
    assert r.eligible is (not excluded)
    assert ("industry" in [f.code for f in r.failed]) is excluded
