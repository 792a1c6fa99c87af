"""Server time of the carrier registry at scale.

Builds (or reuses) a database — DATABASE_URL, or SQLite under var/bench-carriers/ — with the demo
district, bulk enterprises up to --total and generated carriers up to --carriers (each incubator,
maker space and alliance linked to ten enterprises of its unit), then prints p50/p95 of:

- the list page (first page, page 50, a search, kind + level + unit filters, sorted by area) as
  bureau staff and as a street official, and a detail page;
- the API list and the .xlsx export of every carrier the user sees;
- the metrics `carriers.count` (plain, by type, min_level=city) and `carriers.incubated` for every
  unit of the district at a year end, uncached (what targets and bulletins call);
- checking a generated import file of --import-rows rows (no write).

    PYTHONPATH=. python benchmarks/carriers_bench.py [--total 100000] [--carriers 5000] [--repeat 20]
"""

import argparse
import datetime
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
KINDS = [
    "incubator",
    "maker_space",
    "productivity_centre",
    "industrial_base",
    "science_park",
    "rd_centre",
    "alliance",
]
LEVELS = ["national", "provincial", "city", "district", "district", "district"]


def setup_database(total: int, carriers: int):
    os.environ.setdefault("PEIYU_VAR_DIR", str(ROOT / "var" / "bench-carriers"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peiyu.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from peiyu.carriers.models import Carrier
    from peiyu.enterprises.models import Enterprise

    call_command("migrate", verbosity=0)
    if Enterprise.objects.count() < total:
        call_command("flush", "--no-input", verbosity=0)
        call_command("demo", verbosity=0, stdout=open(os.devnull, "w"))
        from peiyu.demo.bulk import create_bulk

        started = time.perf_counter()
        create_bulk(total - Enterprise.objects.count(), 2025)
        print(f"loaded {Enterprise.objects.count():,} enterprises in {time.perf_counter() - started:.1f} s")
    if Carrier.objects.count() < carriers:
        started = time.perf_counter()
        generate_carriers(carriers - Carrier.objects.count())
        print(
            f"generated carriers up to {Carrier.objects.count():,} in {time.perf_counter() - started:.1f} s"
        )


def generate_carriers(n: int) -> None:
    """Deterministic carriers spread over the units, with enterprises of the unit linked."""
    from peiyu.carriers.models import Carrier
    from peiyu.core.models import Unit
    from peiyu.enterprises.models import Enterprise

    units = list(Unit.objects.filter(depth__gte=2).order_by("path"))
    members = {
        u.pk: list(Enterprise.objects.filter(unit=u).order_by("pk").values_list("pk", flat=True)[:2000])
        for u in units
    }
    start = Carrier.all_objects.count()
    batch = []
    for i in range(start, start + n):
        unit = units[i % len(units)]
        kind = KINDS[i % len(KINDS)]
        pool = members[unit.pk] or members[units[0].pk]
        batch.append(
            Carrier(
                name=f"基准载体{i:06d}",
                kind=kind,
                level=LEVELS[i % len(LEVELS)],
                unit=unit,
                operator=f"运营公司{i % 997:03d}",
                centre_scope="general" if kind == "productivity_centre" else "",
                status="operating",
                enterprise_id=pool[i % len(pool)] if kind == "rd_centre" else None,
                recognised_on=datetime.date(2005 + i % 20, 1 + i % 12, 1 + i % 28),
                area=1000 + i % 50_000,
                incubated_other=i % 7,
            )
        )
    created = Carrier.objects.bulk_create(batch, batch_size=2000)
    through = Carrier.incubated.through
    links = []
    for c in created:
        if c.kind in ("incubator", "maker_space", "alliance"):
            pool = members[c.unit_id] or members[units[0].pk]
            offset = c.pk % max(1, len(pool))
            links += [
                through(carrier_id=c.pk, enterprise_id=pool[(offset + k) % len(pool)])
                for k in range(min(10, len(pool)))
            ]
    through.objects.bulk_create(links, batch_size=5000, ignore_conflicts=True)


def percentiles(samples):
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[max(0, int(len(ordered) * 0.95) - 1)]


def timed(fn, repeat):
    fn()  # warm caches and the query planner
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    return percentiles(samples)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--total", type=int, default=100_000)
    parser.add_argument("--carriers", type=int, default=5_000)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--import-rows", type=int, default=2_000)
    args = parser.parse_args()
    setup_database(args.total, args.carriers)

    from django.conf import settings
    from django.db import connection
    from django.test import Client

    from peiyu.carriers import exporting, importing
    from peiyu.carriers.models import Carrier
    from peiyu.core import metrics
    from peiyu.core.models import ApiToken, Unit, User
    from peiyu.core.periods import Period
    from peiyu.enterprises.models import Enterprise

    settings.ALLOWED_HOSTS = ["testserver"]
    links = Carrier.incubated.through.objects.count()
    print(
        f"database: {connection.vendor}; enterprises: {Enterprise.objects.count():,}; carriers: {Carrier.objects.count():,}; "
        f"links: {links:,}; {args.repeat} runs each"
    )
    zone = Unit.objects.get(code="120110Z01").pk
    pages = [
        ("list, first page", "/carriers/"),
        ("list, page 50", "/carriers/?page=50"),
        ("list, search", "/carriers/?q=运营公司12"),
        ("list, kind + level + unit", f"/carriers/?kind=incubator&level=district&unit={zone}"),
        ("list, sorted by area desc", "/carriers/?sort=-area"),
        ("detail", "/carriers/{some}/"),
    ]
    print(f"{'what':<42}{'user':<16}{'p50 ms':>10}{'p95 ms':>10}")
    for username in ("bureau", "zhangguizhuang"):
        user = User.objects.get(username=username)
        client = Client()
        client.force_login(user)
        some = Carrier.objects.for_user(user).order_by("pk").values_list("pk", flat=True)[10]
        for label, url in pages:
            if username != "bureau" and "unit=" in url:
                continue
            url = url.format(some=some)

            def get(url=url, client=client):
                assert client.get(url).status_code == 200

            p50, p95 = timed(get, args.repeat)
            print(f"{label:<42}{username:<16}{p50:>10.1f}{p95:>10.1f}")
        key = ApiToken.objects.issue(user)[1]
        p50, p95 = timed(
            lambda c=client, k=key: c.get("/api/carriers/carriers", HTTP_AUTHORIZATION=f"Bearer {k}"),
            args.repeat,
        )
        print(f"{'API list, first page':<42}{username:<16}{p50:>10.1f}{p95:>10.1f}")
        count = Carrier.objects.for_user(user).count()
        p50, p95 = timed(
            lambda user=user: exporting.export_xlsx(Carrier.objects.for_user(user), user),
            max(3, args.repeat // 5),
        )
        print(f"{f'export .xlsx ({count:,} rows)':<42}{username:<16}{p50:>10.1f}{p95:>10.1f}")

    units = list(Unit.objects.filter(path__startswith=Unit.objects.get(code="120110").path))
    period = Period.year(2024)
    for label, code, params in [
        ("carriers.count", "carriers.count", {}),
        ("carriers.count type=incubator", "carriers.count", {"type": "incubator"}),
        ("carriers.count min_level=city", "carriers.count", {"min_level": "city"}),
        ("carriers.incubated", "carriers.incubated", {}),
    ]:
        metric = metrics.get(code)
        p50, p95 = timed(
            lambda metric=metric, params=params: metric.values(units, period, **params), args.repeat
        )
        print(f"{label + f' ({len(units)} units)':<42}{'—':<16}{p50:>10.1f}{p95:>10.1f}")

    bureau = User.objects.get(username="bureau")
    first_rows = Carrier.objects.filter(
        pk__in=Carrier.objects.order_by("pk").values("pk")[: args.import_rows]
    )
    content = exporting.export_xlsx(first_rows, bureau)
    p50, p95 = timed(lambda: importing.check_file(content, "bench.xlsx", bureau), 3)
    print(f"{f'import check ({args.import_rows:,} rows)':<42}{'bureau':<16}{p50:>10.1f}{p95:>10.1f}")


if __name__ == "__main__":
    main()
