"""The demo's 2009 enterprise years, drawn at random and then calibrated so that their sums are
exactly seed 001's figures (see figures.py) while every enterprise stays plausible on its own."""

import random
from decimal import ROUND_DOWN, Decimal

from peiyu.demo import figures
from peiyu.demo.apportion import CENT, apportion, cents, spread
from peiyu.demo.profiles import Profile

# Revenue range and mean by band in 万元 (floor inclusive, ceiling exclusive); band 2 takes the rest.
BAND_REVENUE = {
    5: (100000, 520000, 330000),
    4: (30000, 100000, 56000),
    3: (10000, 30000, 17500),
    2: (500, 10000, None),
    1: (5, 500, 215),
}
FIELDS_OF_IP = {"I", "M"}


def revenues(rng: random.Random, bands: list[int]) -> list[Decimal]:
    """Revenue per enterprise inside its band, summing exactly to the seed's 362.71亿元."""
    counts = {band: bands.count(band) for band in BAND_REVENUE}
    rest = figures.MONEY_TOTALS["revenue"] - sum(
        Decimal(BAND_REVENUE[b][2]) * n for b, n in counts.items() if b != 2
    )
    means = {b: float(rest / counts[2]) if b == 2 else mean for b, (_, _, mean) in BAND_REVENUE.items()}
    values: dict[int, list[Decimal]] = {}
    for band, (low, high, _) in BAND_REVENUE.items():
        drawn = spread([rng.random() for _ in range(counts[band])], low, high, means[band])
        values[band] = [min(max(cents(v), Decimal(low)), Decimal(high) - CENT) for v in drawn]
    result = [values[band].pop() for band in bands]
    # The rounding residue goes to the largest enterprise: its band has no ceiling.
    largest = max(range(len(result)), key=result.__getitem__)
    result[largest] += figures.MONEY_TOTALS["revenue"] - sum(result)
    return result


def calibrated_year(rng: random.Random, profiles: list[Profile]) -> list[dict]:
    """All indicators of the calibrated year, one dict of EnterpriseYear fields per profile."""
    revenue = revenues(rng, [p.band for p in profiles])
    rows = [{"revenue": r} for r in revenue]
    _money(rng, profiles, rows)
    _staff(rng, profiles, rows)
    _patents(rng, profiles, rows)
    return rows


def _money(rng, profiles, rows):
    rev = [float(row["revenue"]) for row in rows]
    lossy = [rng.random() < 0.05 for _ in rows]
    for row, r, loss in zip(rows, rev, lossy, strict=True):
        row["total_costs"] = cents(r * (rng.uniform(1.01, 1.15) if loss else rng.uniform(0.80, 0.96)))
        row["profit"] = row["revenue"] - row["total_costs"]
    hitech = [0.0 if rng.random() < 0.08 else r * rng.uniform(0.25, 0.95) for r in rev]
    _fit(rows, "hitech_revenue", hitech, caps=[row["revenue"] for row in rows])
    rd = [
        r * p.industry.rd_intensity * (1.6 if p.band == 1 else 1) * rng.uniform(0.5, 1.5)
        for r, p in zip(rev, profiles, strict=True)
    ]
    _fit(
        rows,
        "rd_expense",
        rd,
        caps=[min(row["total_costs"], cents(r * 0.3)) for row, r in zip(rows, rev, strict=True)],
    )
    for row in rows:
        share = 1 if rng.random() < 0.6 else rng.uniform(0.9, 1)
        row["rd_expense_domestic"] = (row["rd_expense"] * Decimal(str(share))).quantize(CENT, ROUND_DOWN)
    _fit(rows, "taxes", [r * rng.uniform(0.05, 0.14) for r in rev], caps=[cents(r * 0.3) for r in rev])
    _fit(rows, "total_assets", [r * rng.lognormvariate(0, 0.35) for r in rev])
    for row, loss in zip(rows, lossy, strict=True):
        equity = rng.uniform(0.05, 0.3) if loss else rng.uniform(0.35, 0.7)
        row["net_assets"] = cents(float(row["total_assets"]) * equity)


def _staff(rng, profiles, rows):
    least = 3  # nobody runs an enterprise alone
    weights = [float(row["revenue"]) ** 0.72 * rng.uniform(0.7, 1.3) for row in rows]
    spare = apportion(figures.COUNT_TOTALS["employees"] - least * len(rows), weights)
    employees = [n + least for n in spare]
    _put(rows, "employees", employees)
    tech = [
        e
        * (rng.uniform(0.3, 0.6) if p.enterprise.industry_section in FIELDS_OF_IP else rng.uniform(0.15, 0.4))
        for e, p in zip(employees, profiles, strict=True)
    ]
    _fit(rows, "tech_staff", tech, caps=employees)
    _fit(rows, "college_staff", [t * rng.uniform(0.8, 1.4) for t in tech], caps=employees)


def _patents(rng, profiles, rows):
    holds_invention = {1: 0.05, 2: 0.1, 3: 0.35, 4: 0.6, 5: 1}
    holds_other = {1: 0.35, 2: 0.6, 3: 0.85, 4: 1, 5: 1}
    rev = [float(row["revenue"]) for row in rows]
    weights = [
        r**0.5 * rng.uniform(0.5, 1.5) if rng.random() < holds_invention[p.band] else 0
        for r, p in zip(rev, profiles, strict=True)
    ]
    _fit(rows, "invention_patents", weights)
    weights = [
        r**0.45 * rng.uniform(0.5, 1.5) if rng.random() < holds_other[p.band] else 0
        for r, p in zip(rev, profiles, strict=True)
    ]
    for row, other, profile in zip(rows, apportion(figures.OTHER_PATENTS, weights), profiles, strict=True):
        row["design_patents"] = round(other * rng.uniform(0.1, 0.4)) if rng.random() < 0.25 else 0
        row["utility_patents"] = other - row["design_patents"]
        row.update(minor_ip(rng, profile.band, profile.enterprise.industry_section, other))


def _fit(rows: list[dict], field: str, weights: list[float], caps: list | None = None) -> None:
    """Set `field` on every row in proportion to `weights` so that the column sums to the seed's
    figure: money to the cent, counts to the unit."""
    if field in figures.MONEY_TOTALS:
        _put(rows, field, apportion(figures.MONEY_TOTALS[field], weights, CENT, caps))
    else:
        _put(rows, field, apportion(figures.COUNT_TOTALS[field], weights, 1, caps))


def minor_ip(rng: random.Random, band: int, section: str, patents: int) -> dict:
    """Uncalibrated innovation counts that go with a patent stock: applications, copyrights,
    R&D institution and standards."""
    applications = round(patents * rng.uniform(0.1, 0.5)) + (rng.random() < 0.3)
    level = rng.choices((0, 1, 2, 3, 4), weights=(40 - 8 * band, 4 * band, 2 * band, band // 3, band // 4))[0]
    return {
        "patent_applications": applications,
        "invention_applications": round(applications * rng.uniform(0, 0.4)),
        "patents_granted": round(applications * rng.uniform(0.3, 0.8)),
        "software_copyrights": rng.randint(1, 12) if section in FIELDS_OF_IP else rng.choice((0, 0, 0, 1, 2)),
        "other_class1_ip": rng.choice((0, 0, 0, 0, 1)) if band >= 3 else 0,
        "rd_institution_level": level,
        "standards_led": rng.randint(0, 3) if band >= 4 else 0,
    }


def _put(rows: list[dict], field: str, values: list) -> None:
    for row, value in zip(rows, values, strict=True):
        row[field] = value
