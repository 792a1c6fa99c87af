"""Hypothesis strategies for evaluation inputs, biased toward the places rules break: values on
and one yuan beside band thresholds, zeros, missing figures, negative net assets and profits,
short histories and unknown expert inputs."""

import datetime
from decimal import Decimal

from hypothesis import strategies as st

from peiyu.evaluation.inputs import EvaluationInput, YearFigures

YEAR = 2024
YUAN = Decimal("0.0001")
THRESHOLDS = [Decimal(x) for x in ("0", "0.01", "0.02", "0.03", "0.04", "0.05", "0.06", "0.08", "0.1", "0.15", "0.2", "0.25",
                                     "0.3", "0.35", "0.5", "0.55", "0.6", "0.7", "0.75", "0.8", "1")]
ROUND = [Decimal(x) for x in ("0", "100", "500", "1000", "2000", "5000", "10000", "20000", "30000", "50000", "100000")]

nudge = st.sampled_from([-YUAN, Decimal(0), Decimal(0), YUAN])
plain_money = st.one_of(
    st.sampled_from(ROUND),
    st.decimals(min_value=0, max_value=200000, places=4, allow_nan=False, allow_infinity=False),
)
money = st.one_of(st.none(), plain_money)
signed = st.one_of(money, st.decimals(min_value=-5000, max_value=-YUAN, places=4))
counts = st.one_of(st.none(), st.integers(0, 12), st.sampled_from([100, 500, 501, 1000]))


@st.composite
def share_of(draw, whole):
    """A part that is a threshold share of `whole`, nudged by a yuan (or any amount)."""
    if whole is None or draw(st.booleans()):
        return draw(money)
    value = (whole * draw(st.sampled_from(THRESHOLDS))).quantize(YUAN) + draw(nudge)
    return max(value, Decimal(0))


@st.composite
def year_figures(draw, previous: YearFigures | None):
    revenue = draw(money)
    if previous is not None and previous.revenue and draw(st.booleans()):
        revenue = (previous.revenue * (1 + draw(st.sampled_from(THRESHOLDS)))).quantize(YUAN) + draw(nudge)
    employees = draw(st.one_of(st.none(), st.integers(0, 600), st.sampled_from([100, 200, 10000])))
    tech = draw(st.integers(0, employees)) if employees and draw(st.booleans()) else draw(counts)
    if employees and draw(st.booleans()):
        tech = min(employees, int(employees * draw(st.sampled_from(THRESHOLDS))) + draw(st.sampled_from([-1, 0, 1])))
        tech = max(tech, 0)
    rd = draw(share_of(revenue))
    net = draw(signed)
    if previous is not None and previous.net_assets and previous.net_assets > 0 and draw(st.booleans()):
        net = (previous.net_assets * (1 + draw(st.sampled_from(THRESHOLDS)))).quantize(YUAN) + draw(nudge)
    return YearFigures(
        revenue=revenue, rd_expense=rd, rd_expense_domestic=draw(share_of(rd)), hitech_revenue=draw(share_of(revenue)),
        total_costs=draw(money), total_assets=draw(money), net_assets=net, profit=draw(signed), employees=employees,
        tech_staff=tech, invention_patents=draw(counts), other_class1_ip=draw(counts), utility_patents=draw(counts),
        design_patents=draw(counts), software_copyrights=draw(counts), rd_institution_level=draw(st.one_of(st.none(), st.integers(0, 4))),
        standards_led=draw(counts),
    )


extras = st.fixed_dictionaries({}, optional={
    "hitech_certificate_valid": st.booleans(), "national_awards_top3": st.integers(0, 2), "standards_led_5y": st.integers(0, 2),
    "dishonest": st.booleans(), "major_accident": st.booleans(), "audit_collection": st.booleans(),
    "commercialised_results": st.integers(0, 20), "ip_expert_score": st.integers(0, 32), "rd_management_score": st.integers(0, 22),
    "high_value_class1_ip": st.integers(0, 2), "own_class1_ip": st.integers(0, 2), "main_revenue": plain_money,
    "niche_years": st.integers(0, 12), "awards_3y": st.integers(0, 1), "innovation_title": st.booleans(),
    "equity_financing_3y": plain_money, "equity_financing_2y": plain_money, "maker_top500": st.booleans(),
    "product_field_score": st.integers(0, 6), "digital_score": st.integers(0, 5), "quality_score": st.integers(0, 5),
    "local_feature_score": st.integers(0, 15), "rd_staff_score": st.integers(0, 5), "rd_institution_score": st.integers(0, 10),
})


@st.composite
def evaluation_inputs(draw):
    count = draw(st.integers(1, 4))
    years, previous = {}, None
    for year in range(YEAR - count + 1, YEAR + 1):
        previous = years[year] = draw(year_figures(previous))
    established = draw(st.one_of(st.none(), st.dates(datetime.date(2000, 1, 1), datetime.date(2025, 6, 30)),
                                 st.sampled_from([datetime.date(2024, 1, 1), datetime.date(2024, 1, 2), datetime.date(2020, 1, 2)])))
    return EvaluationInput(
        year=YEAR, years=years, uscc=f"U{draw(st.integers(0, 10**6))}", established=established,
        industry_code=draw(st.sampled_from(["", "C3841", "6510", "5110", "7010", "I6420", "0511", "4710", "9011"])),
        hitech_field=draw(st.sampled_from(["", "1", "8"])), emerging_industry=draw(st.sampled_from(["", "3"])), extras=draw(extras),
    )
