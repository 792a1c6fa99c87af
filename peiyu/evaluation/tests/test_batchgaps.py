"""The batch gap search (batchgaps) gives, row for row, exactly the per-row engine's gaps: codes,
amounts, messages, the changes behind them, alternatives and the gap target — on hypothesis data
and on a seeded sample of firms near the SME ceilings and band edges, for every official rule set."""

import random
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from peiyu.evaluation import batchgaps, rules
from peiyu.evaluation.gaps import evaluate_with_gaps
from peiyu.evaluation.tests.factories import tech_sme, years
from peiyu.evaluation.tests.strategies import evaluation_inputs
from peiyu.evaluation.tests.test_batch import _random_input

CODES = sorted(rules.official_data())
VECTORISED = ("tech-sme-2017", "tech-sme-2022")


def outcome(result):
    return {
        "eligible": result.eligible, "gap_target": result.gap_target,
        "gaps": [(g.code, g.amount, g.message, g.changes) for g in result.gaps],
        "alternatives": [[(g.code, g.amount, g.message, g.changes) for g in plan] for plan in result.alternatives],
        "notes": [(n.code, n.message) for n in result.notes],
        "next_band": [i.next_band for i in result.indicators],
    }


def assert_same_gaps(code, inputs):
    rs = rules.official(code)
    batched = batchgaps.evaluate_many(rs, inputs)
    for inp, got in zip(inputs, batched, strict=True):
        want = outcome(evaluate_with_gaps(rs, inp))
        assert outcome(got) == want, (code, inp)


def _near_edges(rnd: random.Random):
    """A firm inside the SME ceilings with figures around the bands, so most rows need a gap."""
    employees = rnd.randint(1, 500)
    revenue = Decimal(rnd.randrange(1, 20000 * 10000)) / 10000
    costs = revenue * Decimal(rnd.choice(["0.5", "0.8", "0.95", "1.1"]))
    share = Decimal(rnd.choice(["0", "0.019", "0.02", "0.0299", "0.035", "0.05", "0.07"]))
    row = dict(
        employees=employees, tech_staff=rnd.randint(0, employees), revenue=revenue.quantize(Decimal("0.0001")),
        total_costs=rnd.choice([None, costs.quantize(Decimal("0.0001"))]), rd_expense=rnd.choice([None, (revenue * share).quantize(Decimal("0.0001"))]),
        rd_expense_domestic=None, total_assets=Decimal(rnd.randrange(0, 20000 * 10000)) / 10000,
        invention_patents=rnd.choice([0, 0, 1]), utility_patents=rnd.randint(0, 5), software_copyrights=rnd.randint(0, 2),
        standards_led=rnd.choice([None, 0, 1]),
    )
    extras = {"standards_led_5y": rnd.choice([None, 0, 2]), "hitech_certificate_valid": rnd.random() < 0.05,
              "audit_collection": rnd.random() < 0.9}
    return years([row], extras=extras)


def test_official_tech_sme_rule_sets_are_vectorised():
    for code in VECTORISED:
        assert batchgaps.compile_gaps(rules.official(code)) is not None, code


def test_gates_with_levers_stay_per_row():
    # hitech-2016's gates (registered years, R&D ratios, hi-tech revenue share) have levers: every
    # plan must carry their fixes, which the shapes do not model yet
    assert batchgaps.compile_gaps(rules.official("hitech-2016")) is None


@pytest.mark.parametrize("code", CODES)
def test_fixed_examples(code):
    assert_same_gaps(code, [tech_sme(), tech_sme(tech_staff=9), tech_sme(employees=501), tech_sme(rd_expense=Decimal("1"))])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.lists(evaluation_inputs(), min_size=1, max_size=30))
def test_batch_gaps_equal_per_row_gaps_on_generated_data(inputs):
    for code in CODES:
        assert_same_gaps(code, inputs)


@pytest.mark.parametrize("code", VECTORISED)
def test_batch_gaps_equal_per_row_gaps_near_band_edges(code):
    rnd = random.Random(20261129)
    assert_same_gaps(code, [_near_edges(rnd) for _ in range(600)])


def test_batch_gaps_equal_per_row_gaps_on_a_seeded_sample():
    rnd = random.Random(7)
    inputs = [_random_input(rnd) for _ in range(300)]
    for code in CODES:
        assert_same_gaps(code, inputs)


def test_rows_are_searched_in_chunks(monkeypatch):
    monkeypatch.setattr(batchgaps, "CHUNK_ROWS", 7)
    rnd = random.Random(3)
    assert_same_gaps("tech-sme-2017", [_near_edges(rnd) for _ in range(40)])


def _local_copy() -> dict:
    """A local version of tech-sme-2017 as bureau staff might make it: a strict R&D route in 万元,
    an IP band counted over both classes and a strict technology-staff band, so every closed form
    and both comparisons are exercised."""
    import copy

    data = copy.deepcopy(rules.official_data()["tech-sme-2017"])
    data["version"] = "1-L1"
    data["routes"].append({"code": "rd_big", "name": "研发费用超过80万元", "metric": "rd_expense", "op": ">", "value": "80"})
    data["indicators"][2]["bands"][1]["when"] = {"metric": "ip_total", "op": ">=", "value": 4}
    data["indicators"][0]["bands"][1]["when"] = {"metric": "tech_staff_ratio", "op": ">", "value": "0.25"}
    data["indicators"][1]["alternatives"][1]["bands"][0]["when"] = {"metric": "rd_cost_ratio", "op": ">", "value": "0.30"}
    return data


def test_a_local_copy_with_other_levers_and_strict_comparisons():
    rs = rules.parse(_local_copy())
    plan = batchgaps.compile_gaps(rs)
    assert plan is not None
    assert {"rd_expense", "ip_total", "rd_cost_ratio", "tech_staff_ratio"} <= {i.cond.metric for i in plan.levers}
    rnd = random.Random(11)
    inputs = [_near_edges(rnd) for _ in range(400)]
    batched = batchgaps.evaluate_many(rs, inputs)
    for inp, got in zip(inputs, batched, strict=True):
        assert outcome(got) == outcome(evaluate_with_gaps(rs, inp)), inp
    assert any(g.code == "rd_expense" for r in batched for g in r.gaps)
