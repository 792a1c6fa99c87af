"""Gaps: the suggested change, applied to the input, qualifies — and one unit less does not."""

from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from peiyu.evaluation import engine, rules
from peiyu.evaluation.engine import evaluate
from peiyu.evaluation.gaps import apply, evaluate_with_gaps
from peiyu.evaluation.levers import Change
from peiyu.evaluation.tests.factories import D, hitech, hitech_rows, one_year, tech_sme, years
from peiyu.evaluation.tests.strategies import evaluation_inputs

TECH = rules.official("tech-sme-2017")
HITECH = rules.official("hitech-2016")
EXPERTS = {"ip_expert_score": 26, "rd_management_score": 16, "commercialised_results": 12}


def changes_of(gaps):
    deltas = {}
    for gap in gaps:
        for key, amount in gap.changes:
            deltas[key] = max(deltas.get(key, amount), amount)
    return Change(deltas)


def less(change: Change, key: str) -> Change:
    """The change with one smallest unit less on `key`."""
    unit = Decimal("0.0001") if isinstance(change.deltas[key], Decimal) else 1
    return Change({**change.deltas, key: change.deltas[key] - unit})


def check(rs, inp, want=True):
    result = evaluate_with_gaps(rs, inp)
    assert result.eligible is not True and result.gaps
    change = changes_of(result.gaps)
    assert evaluate(rs, apply(inp, change)).eligible is want
    for plan in result.alternatives:
        assert evaluate(rs, apply(inp, changes_of(plan))).eligible is want
    return result, change


def test_t4_needs_one_more_tech_person():
    inp = one_year(employees=100, tech_staff=9, rd_expense=500, revenue=5000, invention_patents=2, total_assets=1000)
    result, change = check(TECH, inp)
    assert [(g.code, g.message, g.amount, g.unit) for g in result.gaps] == [("tech_staff", "科技人员还需增加 1 人", 1, "人")]
    assert evaluate(TECH, apply(inp, less(change, "0.tech_staff"))).eligible is False


def test_rd_gap_is_exact_to_the_yuan():
    # 12 + 20 (3%) + 24 = 56: one band of R&D (4% = 200万) is the cheapest way to 60+
    inp = tech_sme(tech_staff=20, rd_expense=D("162.5"), total_costs=D(100000), invention_patents=0, utility_patents=4)
    result, change = check(TECH, inp)
    assert [(g.code, g.message) for g in result.gaps] == [("rd_expense", "研发费用还需增加 37.50 万元")]
    assert evaluate(TECH, apply(inp, less(change, "0.rd_expense"))).eligible is False


def test_combined_gap_when_one_change_is_not_enough():
    inp = tech_sme(tech_staff=10, rd_expense=D(50), total_costs=D(100000), invention_patents=0)  # 4 + 0 + 0
    result, _ = check(TECH, inp)
    assert len(result.gaps) >= 2


def test_size_gate_has_no_gap():
    result = evaluate_with_gaps(TECH, tech_sme(employees=501))
    assert result.eligible is False and result.gaps == [] and result.failed[0].code == "employees"


@pytest.mark.parametrize(("latest", "code"), [
    (dict(rd_expense=D(100), rd_expense_domestic=D(100)), "rd_expense_3y"),
    (dict(hitech_revenue=D(2000)), "hitech_revenue_share"),
    (dict(tech_staff=5), "tech_staff"),
    (dict(rd_expense_domestic=D(0)), "rd_expense_domestic"),
])
def test_hitech_gate_gaps(latest, code):
    rows = hitech_rows(**latest)
    if code == "rd_expense_3y":
        for row in rows[:2]:
            row.update(rd_expense=D(100), rd_expense_domestic=D(100))
    inp = hitech(rows, extras=EXPERTS)
    result, change = check(HITECH, inp)
    assert code in [g.code for g in result.gaps]
    key = {"rd_expense_3y": "0.rd_expense", "hitech_revenue_share": "0.hitech_revenue", "tech_staff": "0.tech_staff",
           "rd_expense_domestic": "0.rd_expense_domestic"}[code]
    assert evaluate(HITECH, apply(inp, less(change, key))).eligible is False


def test_hitech_share_gap_is_in_percentage_points():
    result = evaluate_with_gaps(HITECH, hitech(hitech_rows(hitech_revenue=D(2000)), extras=EXPERTS))
    gap = result.gaps[0]
    assert (gap.amount, gap.unit) == (Decimal("20.00"), "个百分点")
    assert gap.message.startswith("高新技术产品（服务）收入占比还差 20.00 个百分点")


def test_hitech_growth_gap_lifts_the_score():
    flat = hitech_rows(net_assets=D(1690), revenue=D(5000))
    rows = [dict(r) for r in flat]
    for row in rows:
        row.update(net_assets=D(1000), revenue=D(5000), rd_expense=D(250), rd_expense_domestic=D(250), hitech_revenue=D(3500))
    inp = hitech(rows, extras={"ip_expert_score": 28, "rd_management_score": 18, "commercialised_results": 12})  # 28 + 19–24 + 18 = 65–70
    result, _ = check(HITECH, inp)
    assert {g.code for g in result.gaps} <= {"net_assets", "revenue", "rd_expense_3y", "hitech_revenue_share", "commercialised_results"}


def test_undecided_result_gets_a_note_not_a_fake_gap():
    result = evaluate_with_gaps(HITECH, hitech())
    assert result.eligible is None and result.gaps == []
    assert result.notes[-1].code == "expert_scores"


def test_gazelle_gap_on_revenue():
    rs = rules.official("gazelle-huangpu-2022")
    inp = years([dict(revenue=D(v)) for v in ("1000", "1100", "1300", "1700")], extras={"hitech_certificate_valid": True})
    result, change = check(rs, inp)
    assert [(g.code, g.amount) for g in result.gaps] == [("revenue", Decimal("28"))]
    assert evaluate(rs, apply(inp, less(change, "0.revenue"))).eligible is False


def test_age_gap_counts_days():
    import datetime

    inp = hitech(extras=EXPERTS, established=datetime.date(2024, 3, 1))
    result, change = check(HITECH, inp)
    assert [g.code for g in result.gaps] == ["registered_days"]
    assert evaluate(HITECH, apply(inp, less(change, "days"))).eligible is False


def test_next_band_per_indicator():
    result = evaluate_with_gaps(TECH, tech_sme(tech_staff=29))
    nxt = result.indicator("tech_staff").next_band
    assert nxt["band"] == "A" and nxt["gaps"][0]["message"] == "科技人员还需增加 1 人"


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(evaluation_inputs(), st.sampled_from(sorted(rules.official_data())))
def test_decide_equals_the_full_evaluation(inp, code):
    """The gap search checks candidates with engine.decide; it must give evaluate's verdict."""
    rs = rules.official(code)
    assert engine.decide(rs, inp) is engine.evaluate(rs, inp).eligible
