"""The uncalibrated years around 2009: 2006–2008 backwards, 2010 forwards, and 2024–2025 for the
enterprises still operating, each derived from its neighbour with plausible growth and noise."""

import random
from decimal import Decimal

from peiyu.demo.apportion import CENT, cents
from peiyu.demo.calibrate import minor_ip
from peiyu.demo.profiles import Profile
from peiyu.enterprises.choices import REVENUE_BAND_FLOORS, RevenueBand

EARLIER = (2008, 2007, 2006)
LATER = 2010
RECENT = (2024, 2025)


def other_years(rng: random.Random, profile: Profile, base: dict, active: bool) -> dict[int, dict]:
    """Year → fields for every year but the calibrated one that this enterprise has data for."""
    founded = profile.enterprise.established.year
    years, row = {}, base
    for year in EARLIER:
        if year < founded:
            break
        row = derive(rng, profile, row, 1 / (1 + rng.uniform(0.08, 0.28)), founding_year=year == founded)
        years[year] = row
    years[LATER] = derive(rng, profile, base, 1 + rng.uniform(0.06, 0.26))
    if active:
        years[RECENT[0]] = derive(rng, profile, years[LATER], (1 + rng.uniform(-0.03, 0.13)) ** 14)
        years[RECENT[1]] = derive(rng, profile, years[RECENT[0]], 1 + rng.uniform(-0.06, 0.2))
    return years


def derive(
    rng: random.Random, profile: Profile, row: dict, factor: float, founding_year: bool = False
) -> dict:
    """A neighbouring year of `row`: revenue times `factor` (less in a founding year), the other
    figures following with their own noise, every part-of rule kept."""
    revenue = _times(row["revenue"], factor * (rng.uniform(0.3, 0.7) if founding_year else 1))
    ratio = revenue / row["revenue"] if row["revenue"] else Decimal(1)
    costs = _times(revenue, _share(row["total_costs"], row["revenue"], 0.9) * rng.uniform(0.97, 1.03))
    rd = min(costs, _times(row["rd_expense"] * ratio, rng.uniform(0.9, 1.1)))
    assets = _times(row["total_assets"] * ratio, rng.uniform(0.9, 1.1))
    staff = float(ratio) ** 0.55
    employees = max(1, round(row["employees"] * staff * rng.uniform(0.95, 1.05)))
    stock = float(ratio) ** 0.8
    inventions = round(row["invention_patents"] * stock * rng.uniform(0.8, 1.2)) + (
        factor > 1 and rng.random() < 0.3
    )
    others = round((row["utility_patents"] + row["design_patents"]) * stock * rng.uniform(0.8, 1.2))
    design = round(others * _share(row["design_patents"], row["utility_patents"] + row["design_patents"], 0))
    return {
        "revenue": revenue,
        "hitech_revenue": min(revenue, _times(row["hitech_revenue"] * ratio, rng.uniform(0.9, 1.1))),
        "total_costs": costs,
        "profit": revenue - costs,
        "rd_expense": rd,
        "rd_expense_domestic": min(rd, _times(rd, _share(row["rd_expense_domestic"], row["rd_expense"], 1))),
        "taxes": _times(row["taxes"] * ratio, rng.uniform(0.9, 1.1)),
        "total_assets": assets,
        "net_assets": min(
            _times(assets, _share(row["net_assets"], row["total_assets"], 0.5) * rng.uniform(0.95, 1.05)),
            assets * Decimal("0.95"),
        ).quantize(CENT),
        "employees": employees,
        "tech_staff": min(employees, round(row["tech_staff"] * staff * rng.uniform(0.9, 1.1))),
        "college_staff": min(employees, round(row["college_staff"] * staff * rng.uniform(0.9, 1.1))),
        "invention_patents": inventions,
        "utility_patents": others - design,
        "design_patents": design,
        **minor_ip(rng, band_of(revenue), profile.enterprise.industry_section, others),
        "rd_institution_level": row["rd_institution_level"],
    }


def band_of(revenue: Decimal) -> int:
    """The revenue band the database will derive (see RevenueBand), for choices made in Python."""
    return next((band for band, floor in REVENUE_BAND_FLOORS if revenue >= floor), RevenueBand.UNDER_5M)


def _times(value: Decimal, factor: float) -> Decimal:
    return cents(float(value) * factor)


def _share(part: Decimal, whole: Decimal, default: float) -> float:
    return float(part / whole) if whole else default
