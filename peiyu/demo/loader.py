"""Loading the demo district: 东丽区 with its units, one account per role and 520 科技型中小企业
whose 2009 figures are exactly seed 001's (see figures.py), with years and qualifications around.

Everything is drawn from one seeded generator in a fixed order, so every load writes the same
data; only the created/updated stamps carry the day of loading."""

import random

from django.db import transaction

from peiyu.core.app_declarations import load_demos
from peiyu.core.choices import Role
from peiyu.core.models import Unit
from peiyu.demo import figures
from peiyu.demo.accounts import create_accounts
from peiyu.demo.calibrate import calibrated_year
from peiyu.demo.departments import create_departments
from peiyu.demo.profiles import Profile, make_profiles
from peiyu.demo.qualifications import Issuer, past, recent
from peiyu.demo.timeline import other_years
from peiyu.demo.units import create_units
from peiyu.enterprises.choices import EnterpriseStatus
from peiyu.enterprises.models import Enterprise, EnterpriseYear, Qualification

SEED = 2009
ACCOUNT_UNIT = "张贵庄街道"


def is_empty() -> bool:
    return not Unit.objects.exists() and not Enterprise.all_objects.exists()


@transaction.atomic
def load() -> None:
    """Write the whole demo district into an empty database (see is_empty)."""
    rng = random.Random(SEED)
    units = create_units()
    users = create_accounts(units)
    create_departments(units, users)
    bands = [band for band, n in figures.BAND_COUNTS.items() for _ in range(n)]
    rng.shuffle(bands)
    profiles = make_profiles(rng, bands, units)
    base = calibrated_year(rng, profiles)
    choose_emerging(rng, profiles)
    mine = account_enterprise(profiles, base)
    active = set_statuses(rng, profiles, keep={mine})
    assign_cadres(rng, profiles, users)
    Enterprise.objects.bulk_create([p.enterprise for p in profiles])
    profiles[mine].enterprise.accounts.add(users["enterprise"])
    years = [
        {figures.YEAR: row, **other_years(rng, p, row, i in active)}
        for i, (p, row) in enumerate(zip(profiles, base, strict=True))
    ]
    EnterpriseYear.objects.bulk_create(
        EnterpriseYear(enterprise=p.enterprise, year=year, **fields)
        for p, by_year in zip(profiles, years, strict=True)
        for year, fields in sorted(by_year.items())
    )
    issuer = Issuer(rng)
    past(issuer, [(p.enterprise, row) for p, row in zip(profiles, base, strict=True)])
    recent(issuer, [(profiles[i].enterprise, years[i]) for i in sorted(active)])
    Qualification.objects.bulk_create(issuer.items)
    load_demos()  # each domain app's own demo data, on top of the district


def choose_emerging(rng: random.Random, profiles: list[Profile]) -> None:
    """Exactly the seed's 211 enterprises get a strategic emerging industry, the larger ones likelier."""
    ranked = sorted(range(len(profiles)), key=lambda i: (-(rng.random() + 0.15 * profiles[i].band), i))
    for i in ranked[: figures.EMERGING_ENTERPRISES]:
        profiles[i].enterprise.emerging_industry = rng.choice(profiles[i].industry.emerging)


def account_enterprise(profiles: list[Profile], base: list[dict]) -> int:
    """The enterprise the `enterprise` account keeps: the most research-intensive mid-sized one
    in 张贵庄街道."""
    candidates = [i for i, p in enumerate(profiles) if p.area.name == ACCOUNT_UNIT and p.band in (2, 3)]
    return max(candidates, key=lambda i: (base[i]["rd_expense"] / base[i]["revenue"], -i))


def set_statuses(rng: random.Random, profiles: list[Profile], keep: set[int]) -> set[int]:
    """Some small enterprises have since moved out or been deregistered; returns the others."""
    small = [i for i, p in enumerate(profiles) if p.band <= 2 and i not in keep]
    gone = rng.sample(small, 26)
    for n, i in enumerate(gone):
        profiles[i].enterprise.status = EnterpriseStatus.MOVED_OUT if n % 3 else EnterpriseStatus.DEREGISTERED
    return set(range(len(profiles))) - set(gone)


def assign_cadres(rng: random.Random, profiles: list[Profile], users: dict) -> None:
    """About a quarter of the enterprises have a cadre in charge (包联干部): bureau staff anywhere,
    unit staff only inside their own unit."""
    district_staff = [users[name] for name in ("bureau", "cadre1", "cadre2", "cadre3", "cadre4", "cadre5")]
    unit_staff = {u.unit_id: u for u in users.values() if u.role == Role.UNIT}
    for p in profiles:
        if rng.random() < 0.25:
            local = unit_staff.get(p.enterprise.unit_id)
            p.enterprise.cadre = local if local and rng.random() < 0.5 else rng.choice(district_staff)
