"""Many generated enterprises at once, for benchmarks and load tests: `create_bulk(100_000, 2024)`."""

import datetime
import itertools
import math
import random

from django.db import transaction

from peiyu.core.choices import UnitKind
from peiyu.core.models import Unit
from peiyu.demo import names
from peiyu.demo.apportion import CENT, cents
from peiyu.demo.industries import INDUSTRIES
from peiyu.demo.units import AREAS
from peiyu.enterprises.choices import industry_section
from peiyu.enterprises.models import Enterprise, EnterpriseYear

CHUNK = 5000
GENERIC_ROADS = ("科技路", "创新大道", "兴业路", "工业园路")
INDUSTRY_WEIGHTS = list(itertools.accumulate(i.weight for i in INDUSTRIES))
CAPITALS = tuple(cents(c) for c in (50, 100, 200, 300, 500, 1000, 2000, 5000))


@transaction.atomic
def create_bulk(n: int, year: int, seed: int = 1) -> list[int]:
    """Create `n` enterprises with one EnterpriseYear each for `year`, spread over the existing
    streets, towns and zones (and their parks); returns the new enterprises' ids. Credit codes and
    names are unique against what is already stored."""
    rng = random.Random(seed)
    places = _places()
    codes = set(Enterprise.all_objects.values_list("uscc", flat=True))
    taken = set(Enterprise.all_objects.values_list("name", flat=True))
    ids: list[int] = []
    for start in range(0, n, CHUNK):
        batch = [_enterprise(rng, places, codes, taken, year) for _ in range(min(CHUNK, n - start))]
        Enterprise.objects.bulk_create(batch)
        EnterpriseYear.objects.bulk_create(
            EnterpriseYear(enterprise_id=e.pk, year=year, **figures(rng)) for e in batch
        )
        ids.extend(e.pk for e in batch)
    return ids


def _places() -> list[tuple]:
    """(unit, its parks, its roads) for every unit an enterprise can belong to."""
    units = list(
        Unit.objects.filter(kind__in=[UnitKind.STREET, UnitKind.TOWN, UnitKind.ZONE]).order_by("code")
    )
    units = units or list(Unit.objects.order_by("code"))
    if not units:
        raise ValueError("create_bulk needs units: load the demo district first")
    parks: dict[int, list[Unit]] = {}
    for park in Unit.objects.filter(kind=UnitKind.PARK, parent__in=units).order_by("code"):
        parks.setdefault(park.parent_id, []).append(park)
    roads = {a.name: a.roads for a in AREAS}
    return [(u, parks.get(u.pk, []), roads.get(u.name, GENERIC_ROADS)) for u in units]


def _enterprise(
    rng: random.Random, places: list[tuple], codes: set[str], taken: set[str], year: int
) -> Enterprise:
    unit, parks, roads = rng.choice(places)
    industry = rng.choices(INDUSTRIES, cum_weights=INDUSTRY_WEIGHTS)[0]
    while True:
        brand, word = names.trade_name(rng, rng.choice((2, 3, 3))), rng.choice(industry.words)
        name = names.company_name(brand, word)
        if name not in taken:
            taken.add(name)
            break
    while (uscc := names.credit_code(rng, legacy=False)) in codes:
        pass
    codes.add(uscc)
    founded = datetime.date(rng.randint(1998, year), 1, 1) + datetime.timedelta(days=rng.randrange(365))
    return Enterprise(
        uscc=uscc,
        name=name,
        name_initials=names.name_initials(brand, word),
        established=founded,
        registered_capital=rng.choice(CAPITALS),
        address=names.address(rng, roads),
        unit=unit,
        park=rng.choice(parks) if parks and rng.random() < 0.5 else None,
        industry_code=industry.code,
        industry_section=industry_section(industry.code),
        hitech_field=industry.field,
        contact_name=names.person_name(rng),
        contact_phone=names.mobile(rng),
    )


def figures(rng: random.Random) -> dict:
    """One plausible, self-consistent year: revenue log-normal around 8 million yuan, the rest
    in the usual proportions to it."""
    revenue = min(max(math.exp(rng.gauss(math.log(800), 1.6)), 1.0), 500000.0)
    costs = revenue * rng.uniform(0.8, 1.05)
    rd = min(costs, revenue * rng.uniform(0.01, 0.1))
    assets = revenue * rng.lognormvariate(0.3, 0.4)
    employees = 3 + round(revenue**0.7 * rng.uniform(0.3, 0.8))
    patents = round(revenue**0.3 * rng.uniform(0, 0.6))
    return {
        "revenue": cents(revenue),
        "hitech_revenue": cents(revenue * rng.uniform(0, 0.9)),
        "total_costs": cents(costs),
        "profit": cents(revenue) - cents(costs),
        "rd_expense": cents(rd),
        "rd_expense_domestic": cents(rd * rng.uniform(0.9, 1)).min(cents(rd)),
        "taxes": cents(revenue * rng.uniform(0.02, 0.1)),
        "total_assets": cents(assets),
        "net_assets": (cents(assets) * CENT * round(rng.uniform(30, 70))).quantize(CENT),
        "employees": employees,
        "tech_staff": round(employees * rng.uniform(0.15, 0.45)),
        "college_staff": round(employees * rng.uniform(0.2, 0.6)),
        "invention_patents": round(patents * rng.uniform(0, 0.3)),
        "utility_patents": patents,
        "design_patents": rng.choice((0, 0, 0, 1, 2)),
        "patent_applications": (applications := round(patents * rng.uniform(0.1, 0.6))),
        "invention_applications": round(applications * rng.uniform(0, 0.4)),
        "software_copyrights": rng.choice((0, 0, 1, 2, 5)),
    }
