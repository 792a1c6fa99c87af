"""Table tests of the arithmetic: scoring edges, decomposition, elapsed share, forecast."""

import datetime as dt
from decimal import Decimal as D
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError

from peiyu.core.periods import Period
from peiyu.targets import decomposition as dec
from peiyu.targets import forecast as fc
from peiyu.targets.progress import completion, elapsed_calendar, elapsed_working, light
from peiyu.targets.scoring import Rule, UnitResult, rank, score

RULE = Rule(weight=D(20), bonus_cap=D(4), minimum=D(60))


@pytest.mark.parametrize(
    ("actual", "expected", "why"),
    [
        (D(100), D("20.00"), "full"),  # exactly at the floor
        (D(99), D("19.80"), "proportional"),  # one unit under: proportional
        (
            D("99.99"),
            D("20.00"),
            "proportional",
        ),  # 19.998 rounds half up to 20.00 but is still below the floor
        (D(60), D("12.00"), "proportional"),  # exactly at the minimum still scores
        (D("59.99"), D(0), "under_minimum"),
        (D(120), D("24.00"), "stretch"),  # at the stretch: the whole bonus
        (D(110), D("22.00"), "bonus"),  # half-way to the stretch: half the bonus
        (D(500), D("24.00"), "stretch"),  # far over: the cap holds
        (D(0), D(0), "under_minimum"),
    ],
)
def test_score_edges(actual, expected, why):
    s = score(RULE, actual, D(100), D(120))
    assert (s.points, s.explanation) == (expected, why)


def test_no_stretch_means_no_bonus_and_no_value_scores_zero():
    assert score(RULE, D(150), D(100)).points == D("20.00")
    assert score(RULE, None, D(100)).points == 0


def test_veto_item_zeroes_the_total_only_when_missed():
    veto = Rule(weight=D(10), veto=True)
    assert score(veto, D(100), D(100)).vetoed is False
    missed = score(veto, D("99.99"), D(100))
    assert missed.vetoed and missed.points == 0
    unit = SimpleNamespace(path="/1/", pk=1)
    result = UnitResult(unit, items={1: (score(RULE, D(100), D(100)), None), 2: (missed, None)})
    result.vetoed = True
    assert result.subtotal == D(20) and result.total == 0


def test_lower_is_better_scores_mirrored():
    assert score(RULE, D(80), D(100), D(60), lower_is_better=True).points == D("22.00")
    assert score(RULE, D(125), D(100), lower_is_better=True).points == D("16.00")


def test_ranking_shares_places_on_ties():
    def result(path, points):
        r = UnitResult(SimpleNamespace(path=path, pk=path))
        r.adjustments = [SimpleNamespace(points=D(points))]
        return r

    ordered = rank([result("/3/", 80), result("/1/", 90), result("/2/", 90), result("/4/", "79.5")])
    assert [(r.unit.path, r.rank) for r in ordered] == [("/1/", 1), ("/2/", 1), ("/3/", 3), ("/4/", 4)]


# — decomposition ——————————————————————————————————————————————————————————————————————————


def test_apportion_adds_up_exactly_with_largest_remainder():
    assert dec.apportion(D(230), [D(1)] * 3, D(1)) == [D(77), D(77), D(76)]
    parts = dec.apportion(D(190000), [D(7), D(3), D(4)], D("0.01"))
    assert sum(parts) == D(190000) and parts[0] == D("95000.00")
    assert dec.apportion(D(10), [D(1), D(1), D(1)], D("0.01")) == [D("3.34"), D("3.33"), D("3.33")]
    with pytest.raises(ValidationError):
        dec.apportion(D(10), [D(0), D(0)], D(1))


def _parent(unit="亿元", ratio=False, floor=D(19), stretch=None):
    indicator = SimpleNamespace(unit=unit, is_ratio=ratio, direction="higher")
    return SimpleNamespace(
        indicator=indicator, floor=floor, stretch=stretch, unit=SimpleNamespace(pk=0), unit_id=0
    )


def test_check_shows_the_difference_of_sums_and_of_weighted_ratios():
    parent = _parent(floor=D(19), stretch=D(20))
    rows = [dec.Row(None, D(10), D(11)), dec.Row(None, D(8), D(9))]
    result = dec.check(parent, rows)
    assert (result.floor_total, result.floor_difference, result.stretch_difference, result.ok) == (
        D(18),
        D(-1),
        D(0),
        False,
    )
    ratio = _parent(unit="%", ratio=True, floor=D("2.0"))
    rows = [dec.Row(None, D("2.5"), weight=D(100)), dec.Row(None, D("1.5"), weight=D(100))]
    assert dec.check(ratio, rows).ok
    rows[1].weight = D(300)  # the big unit at 1.5 % pulls the district to 1.75 %
    assert dec.check(ratio, rows).floor_difference == D("-0.25")


def test_propose_splits_by_baseline_and_evenly():
    parent = _parent(unit="家", floor=D(230), stretch=D(250))
    units = [SimpleNamespace(pk=i) for i in (1, 2, 3)]
    rows = dec.propose(parent, units, "baseline", {1: D(50), 2: D(30), 3: D(20)})
    assert [r.floor for r in rows] == [D(115), D(69), D(46)] and sum(r.stretch for r in rows) == D(250)
    assert sum(r.floor for r in dec.propose(parent, units, "even")) == D(230)


# — elapsed share ——————————————————————————————————————————————————————————————————————————

YEAR_2025 = Period.year(2025)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("day", "working", "calendar"),
    [
        (
            dt.date(2025, 1, 27),
            "7.66",
            "7.40",
        ),  # 19 of 248 working days (26 Jan, a Sunday, was a make-up day)
        (dt.date(2025, 2, 4), "7.66", "9.59"),  # Spring Festival: no working day passes from 28 Jan to 4 Feb
        (dt.date(2025, 2, 8), "9.27", "10.68"),  # Saturday 8 Feb was a working day: 23 of 248
        (dt.date(2025, 9, 30), "75.40", "74.79"),  # 187 of 248
        (dt.date(2025, 10, 8), "75.40", "76.99"),  # National Day and Mid-Autumn: 1–8 Oct off
        (dt.date(2025, 10, 11), "76.61", "77.81"),  # Saturday 11 Oct was a working day
        (dt.date(2024, 12, 31), "0.00", "0.00"),  # before the period
        (dt.date(2026, 3, 1), "100.00", "100.00"),  # after it
    ],
)
def test_elapsed_share_by_working_and_calendar_days(day, working, calendar):
    assert elapsed_working(YEAR_2025, day).quantize(D("0.01")) == D(working)
    assert elapsed_calendar(YEAR_2025, day).quantize(D("0.01")) == D(calendar)


def test_completion_and_traffic_light():
    assert completion(D(1850), D(2000)) == D("92.5")
    assert completion(D(80), D(100), lower_is_better=True) == D(125)
    assert completion(None, D(1)) is None
    assert light(D(100), D(-30)) == "green"  # done is done
    assert light(D(50), D(0)) == "green"
    assert light(D(50), D("-9.99")) == "yellow"
    assert light(D(50), D(-10)) == "red"
    assert light(None, None) == "grey"


# — forecast ———————————————————————————————————————————————————————————————————————————————


def _history(years, growth=D("1.1"), base=D(1000)):
    """Year-to-date values with the same seasonal pattern every year (a tenth more each year)."""
    pattern = [D(m) / 12 for m in range(1, 13)]
    return {y: {m: base * growth ** (y - years[0]) * pattern[m - 1] for m in range(1, 13)} for y in years}


def test_forecast_is_exact_when_the_pattern_repeats():
    history = _history([2021, 2022, 2023, 2024])
    history[2024] = {m: v for m, v in history[2024].items() if m <= 9}
    f = fc.forecast(history, 2024, 9, floor=D(1300), stretch=D(1400))
    assert f.value == D("1331.00") and f.low == f.high == f.value
    assert f.p_floor == 1.0 and f.p_stretch == 0.0
    assert f.mape == 0.0 and [round(e[3], 6) for e in f.yearly_errors()] == [0.0, 0.0]


def test_forecast_interval_and_probability_from_backtest_residuals():
    history = _history([2020, 2021, 2022, 2023, 2024])
    history[2022][12] *= D("1.05")  # one year ended 5 % stronger than its pattern
    history[2023][12] *= D("0.97")
    history[2024] = {m: history[2024][m] for m in range(1, 7)}
    f = fc.forecast(history, 2024, 6, floor=f_floor(history), stretch=None)
    assert f.low < f.value < f.high
    assert 0.3 < f.p_floor < 0.7  # the floor sits at the forecast: about even odds
    rows = fc.backtest(history, 2024)
    assert {r.year for r in rows} == {2021, 2022, 2023}  # 2020 has no earlier year to learn from
    assert fc.forecast({2024: {3: D(1)}}, 2024, 3) is None  # no earlier year: no forecast


def f_floor(history):
    return fc.forecast(history, 2024, 6).value


def test_one_earlier_year_gives_a_projection_without_interval():
    history = _history([2023, 2024])
    history[2024] = {m: history[2024][m] for m in range(1, 4)}
    f = fc.forecast(history, 2024, 3, floor=D(1))
    assert f.value == D("1100.00") and f.low is None and f.p_floor is None


def test_children_sum_carries_a_missing_month_forward():
    from peiyu.targets.services import children_sum

    by_child = {1: {1: D(1), 2: D(2), 3: D(3)}, 2: {1: D(10), 2: D(20)}}  # child 2's March not yet accepted
    assert children_sum(by_child) == {1: D(11), 2: D(22), 3: D(23)}
