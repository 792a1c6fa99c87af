"""Who the demo enterprises are: name, credit code, unit, park, industry, founding date, capital."""

import datetime
import random
from dataclasses import dataclass
from decimal import Decimal

from peiyu.core.choices import UnitKind
from peiyu.demo import names
from peiyu.demo.industries import INDUSTRIES, Industry
from peiyu.demo.units import AREAS, Area
from peiyu.enterprises.choices import industry_section
from peiyu.enterprises.models import Enterprise

# Founding years by 2009 revenue band: the large enterprises are the old ones.
FOUNDED = {5: (1995, 2000), 4: (1995, 2004), 3: (1996, 2006), 2: (1997, 2008), 1: (2001, 2009)}
CAPITAL = {
    5: (10000, 20000, 30000, 50000),
    4: (5000, 8000, 10000, 20000),
    3: (2000, 3000, 5000, 8000),
    2: (100, 200, 300, 500, 1000, 2000),
    1: (10, 30, 50, 100, 200),
}


@dataclass
class Profile:
    """An unsaved enterprise with what the figures are drawn from: its 2009 band and industry."""

    enterprise: Enterprise
    band: int
    industry: Industry
    area: Area


def make_profiles(rng: random.Random, bands: list[int], units: dict) -> list[Profile]:
    used_names: set[str] = set()
    used_codes: set[str] = set()
    return [_profile(rng, band, units, used_names, used_codes) for band in bands]


def _profile(rng, band, units, used_names, used_codes) -> Profile:
    area = _area(rng, band)
    industry = rng.choices(INDUSTRIES, weights=[i.weight for i in INDUSTRIES])[0]
    incorporated = band >= 4 and rng.random() < 0.5
    name, name_initials = _unique_name(rng, industry, incorporated, used_names)
    uscc = _unique_code(rng, used_codes)
    park = _park(rng, area, units)
    enterprise = Enterprise(
        uscc=uscc,
        name=name,
        name_initials=name_initials,
        established=_founded(rng, band),
        registered_capital=Decimal(rng.choice(CAPITAL[band])),
        address=names.address(rng, area.roads),
        unit=units[area.name],
        park=park,
        industry_code=industry.code,
        industry_section=industry_section(industry.code),
        hitech_field=industry.field,
        contact_name=names.person_name(rng),
        contact_phone=names.mobile(rng),
    )
    return Profile(enterprise, band, industry, area)


def _unique_name(
    rng: random.Random, industry: Industry, incorporated: bool, used: set[str]
) -> tuple[str, str]:
    """A company name not yet taken, with its pinyin initials."""
    while True:
        brand, word = names.trade_name(rng), rng.choice(industry.words)
        name = names.company_name(brand, word, incorporated)
        if name not in used:
            used.add(name)
            return name, names.name_initials(brand, word, incorporated)


def _unique_code(rng: random.Random, used: set[str]) -> str:
    while True:
        code = names.credit_code(rng, legacy=rng.random() < 0.8)
        if code not in used:
            used.add(code)
            return code


def _area(rng: random.Random, band: int) -> Area:
    """Zones hold most enterprises, and more so the larger ones."""
    zone_bias = 2 if band >= 3 else 1
    weights = [a.weight * (zone_bias if a.kind == UnitKind.ZONE else 1) for a in AREAS]
    return rng.choices(AREAS, weights=weights)[0]


def _park(rng: random.Random, area: Area, units: dict):
    share = 0.7 if area.kind == UnitKind.ZONE else 0.4
    if area.parks and rng.random() < share:
        return units[rng.choice(area.parks)[0]]
    return None


def _founded(rng: random.Random, band: int) -> datetime.date:
    first, last = FOUNDED[band]
    year = (
        min(rng.randint(first, last), rng.randint(first, last))
        if band > 1
        else max(rng.randint(first, last), rng.randint(first, last))
    )
    latest = datetime.date(year, 9, 30) if year == 2009 else datetime.date(year, 12, 31)
    start = datetime.date(year, 1, 1)
    return start + datetime.timedelta(days=rng.randrange((latest - start).days + 1))
