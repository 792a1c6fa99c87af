"""Year-end forecast (年底预计) from a unit's own monthly history, a small exact method of our own.

Method. Values are year-to-date (or stocks) at month ends. For every earlier year y the seasonal
factor at month m is f_y(m) = V_y(12) ÷ V_y(m): how much the year-end exceeds the value at month m.
The projection at month m of the current year is V(m) × mean(f_y(m)) over the earlier years (at most
the last three, so an old pattern fades): the seasonal pattern comes from earlier years, the trend
from the current year's level. The interval comes from a back-test: each earlier year that has an
earlier year of its own is forecast at every month with only the years before it, and the relative
errors e = actual ÷ forecast − 1 at the same month give their root mean square s (pooled over all
months when fewer than two). The 90 % interval is forecast × (1 ± 1.645 s) and the probability of
reaching a goal G is 1 − Φ((G ÷ forecast − 1) ÷ s).

Why not statsforecast/statsmodels: a bureau has a handful of years of monthly figures per unit —
too few for ETS/ARIMA to estimate anything the ratio method does not, while each adds heavy
dependencies. The method is a few lines of Decimal and float arithmetic a reviewer can follow, and
the back-test shows its error on the page."""

import math
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from statistics import NormalDist

Z90 = 1.645
YEARS_USED = 3


def seasonal_factor(history: dict[int, dict[int, Decimal]], years: list[int], month: int) -> float | None:
    factors = [
        float(history[y][12]) / float(history[y][month])
        for y in years[-YEARS_USED:]
        if history.get(y, {}).get(12) is not None and history[y].get(month)
    ]
    return sum(factors) / len(factors) if factors else None


def project(history, year: int, month: int) -> float | None:
    """The year-end value of `year` projected at `month` from the years before it."""
    current = history.get(year, {}).get(month)
    if current is None:
        return None
    if month == 12:
        return float(current)
    earlier = sorted(y for y in history if y < year)
    factor = seasonal_factor(history, earlier, month)
    return None if factor is None else float(current) * factor


@dataclass
class BacktestRow:
    year: int
    month: int
    forecast: float
    actual: float

    @property
    def error(self) -> float:
        return self.actual / self.forecast - 1 if self.forecast else 0.0


def backtest(history, before_year: int) -> list[BacktestRow]:
    rows = []
    for y in sorted(y for y in history if y < before_year):
        actual = history[y].get(12)
        if actual is None:
            continue
        for m in range(1, 12):
            f = project(history, y, m)
            if f:
                rows.append(BacktestRow(y, m, f, float(actual)))
    return rows


def spread(rows: list[BacktestRow], month: int) -> float | None:
    same = [r.error for r in rows if r.month == month]
    use = same if len(same) >= 2 else [r.error for r in rows]
    if not use:
        return None
    return math.sqrt(sum(e * e for e in use) / len(use))


def probability(forecast: float, goal, s: float | None, lower_is_better=False) -> float | None:
    if goal is None or s is None or not forecast:
        return None
    needed = float(goal) / forecast - 1
    if s == 0:
        reached = needed <= 0 if not lower_is_better else needed >= 0
        return 1.0 if reached else 0.0
    p = 1 - NormalDist().cdf(needed / s)
    return 1 - p if lower_is_better else p


@dataclass
class Forecast:
    value: Decimal
    low: Decimal | None
    high: Decimal | None
    p_floor: float | None
    p_stretch: float | None
    month: int
    backtest: list[BacktestRow]
    spread: float | None

    @property
    def mape(self) -> float | None:
        """Mean absolute error of the back-test forecasts made at the same month, in %."""
        same = [abs(r.error) for r in self.backtest if r.month == self.month]
        return 100 * sum(same) / len(same) if same else None

    def yearly_errors(self) -> list[tuple[int, float, float, float]]:
        """(year, forecast, actual, error %) of each back-tested year at this month."""
        return [(r.year, r.forecast, r.actual, 100 * r.error) for r in self.backtest if r.month == self.month]


def _dec(x: float, places: str) -> Decimal:
    return Decimal(repr(x)).quantize(Decimal(places), ROUND_HALF_UP)


def forecast(
    history, year: int, month: int, floor=None, stretch=None, places="0.01", lower_is_better=False
) -> Forecast | None:
    """The forecast for `year`'s end made at `month`, or None when the history is too short."""
    value = project(history, year, month)
    if value is None:
        return None
    rows = backtest(history, year)
    s = spread(rows, month) if month < 12 else 0.0
    if s is None:  # nothing to back-test yet (one earlier year): a projection without an interval
        return Forecast(_dec(value, places), None, None, None, None, month, rows, None)
    width = Z90 * s
    return Forecast(
        _dec(value, places),
        _dec(value * (1 - width), places),
        _dec(value * (1 + width), places),
        probability(value, floor, s, lower_is_better),
        probability(value, stretch, s, lower_is_better),
        month,
        rows,
        s,
    )
