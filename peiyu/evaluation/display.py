"""Showing exact values: decimal strings for JSON and files, percentages and units for messages.
Ratios and money are truncated, never rounded up, so a shown value can never appear to reach a
boundary it missed (29.999…% shows as 29.99%, not 30.00%); a gap is rounded up, so that adding
the amount shown is enough. Money shows in 万元 with two decimals, ages in whole years."""

import math
from decimal import ROUND_CEILING, Decimal
from fractions import Fraction

from peiyu.evaluation import metrics
from peiyu.evaluation.registry import UNKNOWN, Metric, get
from peiyu.evaluation.rules import common

PLACES = 6


def decimal_string(value, places: int = PLACES) -> str:
    """A number as a plain decimal string, truncated toward −∞ to `places` (exact values stay exact)."""
    if isinstance(value, int):
        return str(value)
    value = Fraction(value)
    scaled = value.numerator * 10**places // value.denominator
    sign = "-" if scaled < 0 else ""
    whole, part = divmod(abs(scaled), 10**places)
    text = f"{whole}.{part:0{places}d}".rstrip("0").rstrip(".") if places else str(whole)
    return "0" if scaled == 0 else sign + text


def cagr_from_multiple(multiple: Fraction, years: int, places: int = PLACES) -> Fraction | None:
    """The compound growth rate, truncated to `places`, checked exactly: (1 + r)^n ≤ multiple."""
    approx = metrics.cagr_display(multiple, years)
    if approx is None:
        return None
    step = Fraction(1, 10**places)
    r = Fraction(math.floor(Fraction(approx) / step)) * step
    while (1 + r) ** years > multiple:
        r -= step
    while (1 + r + step) ** years <= multiple:
        r += step
    return r


def value_string(metric: Metric, value):
    """The JSON form of a metric value: decimal string, bool, text or None."""
    if value is None or value is UNKNOWN:
        return None
    if metric.kind in ("bool", "category"):
        return value
    if metric.kind == "multiple":
        rate = cagr_from_multiple(Fraction(value), metric.power)
        return None if rate is None else decimal_string(rate)
    if metric.kind == "count":
        return str(int(value))
    return decimal_string(value)


def label(metric_name: str) -> tuple[str, str]:
    entry = common()["metrics"].get(metric_name, {})
    return entry.get("label", metric_name), entry.get("unit", "")


def human(metric: Metric, value) -> str:
    """A value as people read it in a message: 29.99 (with unit %), 20000, 是/否, 小型."""
    if value is None or value is UNKNOWN:
        return "—"
    if metric.kind == "bool":
        return common()["bools"]["true" if value else "false"]
    if metric.kind == "category":
        return common()["sizes"].get(value, str(value))
    if metric.kind == "multiple":
        rate = cagr_from_multiple(Fraction(value), metric.power)
        return "—" if rate is None else decimal_string(rate * 100, 2)
    if metric.kind in ("ratio",):
        return decimal_string(Fraction(value) * 100, 2)
    if metric.kind == "years":
        return years_text(value)
    if metric.kind == "money":
        return money_text(value)
    return decimal_string(value, 4)


def money_text(value) -> str:
    """An amount in 万元 with two decimals, truncated toward −∞ (2158.27, 100.00)."""
    value = Fraction(value)
    cents = value.numerator * 100 // value.denominator
    sign = "-" if cents < 0 else ""
    whole, part = divmod(abs(cents), 100)
    return f"{sign}{whole}.{part:02d}"


def money_up(amount) -> str:
    """A gap in 万元 with two decimals, rounded up so that adding it is enough (141.0458 → 141.05)."""
    return str(Decimal(str(amount)).quantize(Decimal("0.01"), rounding=ROUND_CEILING))


def years_text(value) -> str:
    """An age in whole years as people say it: 不满1年, 8年, 26年多 (never "26.48年")."""
    value, ages = Fraction(value), common()["ages"]
    whole = math.floor(value)
    if whole < 1:
        return ages["under_one"]
    return ages["whole" if whole == value else "more"].format(n=whole)


def human_threshold(metric: Metric, value) -> str:
    """A threshold as written in the rules (0.05 → 5, with unit %; CAGR thresholds stay rates)."""
    if isinstance(value, bool):
        return common()["bools"]["true" if value else "false"]
    if isinstance(value, tuple):
        return "、".join(common()["sizes"].get(v, v) for v in value)
    if metric.kind in ("ratio", "multiple"):
        return decimal_string(Fraction(value) * 100, 4)
    return decimal_string(value, 4)


def threshold_string(metric: Metric, value):
    """A threshold for JSON: decimal string, bool or list."""
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, tuple):
        return list(value)
    return decimal_string(value)


def shown(metric_name: str, value) -> str:
    """A metric value with its unit, for pages: "5.99%", "100人", "是"."""
    metric = get(metric_name)
    text = human(metric, value)
    unit = label(metric_name)[1]
    if text == "—" or not unit or metric.kind == "years":  # an age carries its unit ("8年多")
        return text
    return f"{text}{unit}"
