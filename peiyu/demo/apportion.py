"""Splitting an exact total into plausible parts: the arithmetic behind the calibrated demo year."""

import math
from decimal import Decimal

CENT = Decimal("0.01")


def apportion(total, weights: list[float], quantum=1, caps: list | None = None) -> list:
    """Split `total` into multiples of `quantum` in proportion to `weights`, no part above its cap.

    Capped parts are filled first (water-filling), the rest share what is left; the last quanta go
    to the largest remainders, so the parts always add up to `total` exactly. Works on ints and
    Decimals alike: the result has the type of `total`.
    """
    units = int(total / quantum)
    cap_units = [math.inf if cap is None else int(cap / quantum) for cap in caps or [None] * len(weights)]
    share = _fill(units, weights, cap_units)
    return [type(total)(part) * quantum for part in share]


def _fill(units: int, weights: list[float], caps: list) -> list[int]:
    parts = [0] * len(weights)
    free = [i for i, w in enumerate(weights) if w > 0 and caps[i] > 0]
    if sum(min(caps[i], units) for i in free) < units:
        raise ValueError(f"cannot place {units} units under the caps")
    if not free:
        return parts
    left = units
    while free:
        scale = left / sum(weights[i] for i in free)
        capped = [i for i in free if weights[i] * scale >= caps[i]]
        if not capped:
            break
        for i in capped:
            parts[i] = caps[i]
            left -= caps[i]
        free = [i for i in free if i not in set(capped)]
    weight = sum(weights[i] for i in free)
    exact = {i: weights[i] * left / weight for i in free}
    for i in free:
        parts[i] = int(exact[i])
    short = left - sum(parts[i] for i in free)
    for i in sorted(free, key=lambda i: (parts[i] - exact[i], i))[:short]:
        parts[i] += 1
    return parts


def spread(draws: list[float], low: float, high: float, mean: float) -> list[float]:
    """Map uniform draws in [0, 1) onto [low, high) as low + (high − low)·uᵏ, with the exponent k
    found by bisection so that the values average `mean`: a skew towards the low end when the
    mean is low, the way enterprise sizes are skewed."""
    target = (mean - low) / (high - low) * len(draws)
    lo, hi = -6.0, 6.0  # bounds of log k
    for _ in range(80):
        mid = (lo + hi) / 2
        if sum(u ** math.exp(mid) for u in draws) > target:
            lo = mid
        else:
            hi = mid
    k = math.exp((lo + hi) / 2)
    return [low + (high - low) * u**k for u in draws]


def cents(value: float) -> Decimal:
    return Decimal(str(round(value, 2))).quantize(CENT)
