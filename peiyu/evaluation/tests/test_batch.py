"""The batch engine (Polars) and the single engine agree row for row, on generated data biased
toward band edges, zeros, missing figures and unknown expert inputs."""

import datetime
import random
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from peiyu.evaluation import batch, rules
from peiyu.evaluation.engine import evaluate
from peiyu.evaluation.frames import frame_from_inputs
from peiyu.evaluation.tests.factories import D, hitech, tech_sme, years
from peiyu.evaluation.tests.strategies import evaluation_inputs

CODES = sorted(rules.official_data())
COMPILED = {code: batch.compile_ruleset(rules.official(code)) for code in CODES}


def assert_same(code, inputs):
    rs = rules.official(code)
    out = COMPILED[code](frame_from_inputs(inputs, max(rs.years_needed, 1)))
    for i, inp in enumerate(inputs):
        single = batch.flatten(rs, evaluate(rs, inp))
        row = out.row(i, named=True)
        differences = {k: (v, row[k]) for k, v in single.items() if row[k] != v}
        assert not differences, (code, inp, differences)


@pytest.mark.parametrize("code", CODES)
def test_fixed_examples_agree(code):
    assert_same(code, [tech_sme(), tech_sme(tech_staff=9), tech_sme(employees=501), hitech(),
                       hitech(extras={"ip_expert_score": 26, "rd_management_score": 16, "commercialised_results": 12})])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.lists(evaluation_inputs(), min_size=1, max_size=40))
def test_batch_equals_single_on_generated_data(inputs):
    for code in CODES:
        assert_same(code, inputs)


def test_batch_equals_single_on_a_large_seeded_sample():
    rnd = random.Random(20241231)
    inputs = [_random_input(rnd) for _ in range(1500)]
    for code in CODES:
        assert_same(code, inputs)


def _money(rnd: random.Random, scale: int = 20000, negative: bool = False):
    if rnd.random() < 0.05:
        return None
    value = Decimal(rnd.randrange(0, scale * 10000)) / 10000
    return -value if negative else value


def _random_input(rnd: random.Random):
    rows, revenue = [], None
    for _ in range(rnd.randint(1, 4)):
        employees = rnd.choice([None, rnd.randint(0, 600)])
        if revenue is None or rnd.random() < 0.3:
            revenue = _money(rnd)
        else:
            revenue = (revenue * D(rnd.choice(["1", "1.05", "1.1", "1.2", "1.35"]))).quantize(D("0.0001"))
        rows.append(dict(
            revenue=revenue, rd_expense=_money(rnd, 2000), rd_expense_domestic=_money(rnd, 1500), hitech_revenue=_money(rnd),
            total_costs=_money(rnd), total_assets=_money(rnd), net_assets=_money(rnd, 5000, negative=rnd.random() < 0.1),
            profit=_money(rnd, 3000, negative=rnd.random() < 0.2), employees=employees,
            tech_staff=None if employees is None else rnd.randint(0, employees), invention_patents=rnd.randint(0, 2),
            utility_patents=rnd.randint(0, 6), software_copyrights=rnd.randint(0, 4), rd_institution_level=rnd.randint(0, 4),
        ))
    extras = {"commercialised_results": rnd.choice([None, rnd.randint(0, 20)]), "hitech_certificate_valid": rnd.random() < 0.2,
              "ip_expert_score": rnd.choice([None, rnd.randint(0, 30)]), "niche_years": rnd.choice([None, rnd.randint(0, 12)])}
    profile = {"established": datetime.date(rnd.randint(2000, 2024), rnd.randint(1, 12), 1), "hitech_field": rnd.choice(["", "2"]),
               "industry_code": rnd.choice(["", "C3841", "5110", "6510"])}
    return years(rows, extras=extras, profile=profile)
