"""Party ledger benchmark: the two-coverages ledger page with 100,000 enterprises (goal: p95 under
150 ms per page) and the unit coverage rates computed uncached (goal: under 1 s).

Builds (once) a database with the demo district plus generated enterprises up to --total, gives
them ledger lines, party members, organisations (set up alone, and joint ones in the parks) and
instructors, recomputes coverage, then times through Django's test client:
- the ledger page as the district's party staff and as a zone's: first page, a deep page, filters
  (gaps, 应建未建, a unit), a search, a sort;
- the unit rates (every street/zone of the district, rolled up through the unit tree) straight from
  the database, and the workbench page that shows them.

    DATABASE_URL=postgres://…/peiyu_party_bench .venv/bin/python benchmarks/party_bench.py [--total 100000] [--repeat 20]
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def setup(total: int) -> None:
    os.environ.setdefault("PEIYU_VAR_DIR", str(ROOT / "var" / "bench"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peiyu.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from peiyu.enterprises.models import Enterprise

    call_command("migrate", verbosity=0)
    if Enterprise.objects.count() < total:
        call_command("flush", "--no-input", verbosity=0)
        call_command("demo", verbosity=0, stdout=open(os.devnull, "w"))
        from peiyu.demo.bulk import create_bulk

        started = time.perf_counter()
        create_bulk(total - Enterprise.objects.count(), 2025)
        print(f"loaded {Enterprise.objects.count():,} enterprises in {time.perf_counter() - started:.1f} s")
    from peiyu.party.models import Organisation

    if Organisation.objects.count() < total // 10:
        party_data()


def party_data() -> None:
    """Ledger lines, members and organisations for the generated enterprises, set-wise."""
    from django.db import transaction
    from django.db.models import F
    from django.db.models.functions import Coalesce, Least, Mod

    from peiyu.party import coverage
    from peiyu.party.models import CoverageEntry, Instructor, Organisation

    started = time.perf_counter()
    with transaction.atomic():
        coverage.ensure_entries()
        # 0–9 members, never above the headcount
        CoverageEntry.objects.update(party_members=Least(Mod(F("id") * 7, 10), Coalesce("employees", 0)))
        entries = list(
            CoverageEntry.objects.exclude(enterprise__party_organisations__isnull=False).values_list(
                "enterprise_id", "unit_id", "party_members"
            )
        )
        orgs, links = [], []
        for k, (enterprise_id, unit_id, members) in enumerate(entries):
            if members >= 3 and k % 3:
                orgs.append(
                    Organisation(name=f"党支部{enterprise_id}", unit_id=unit_id, formal_members=members)
                )
                links.append(enterprise_id)
        made = Organisation.objects.bulk_create(orgs, batch_size=5000)
        through = Organisation.enterprises.through
        through.objects.bulk_create(
            [through(organisation_id=o.pk, enterprise_id=e) for o, e in zip(made, links, strict=True)],
            batch_size=5000,
        )
        small = [e for e, u, m in entries if m < 3]
        joints = Organisation.objects.bulk_create(
            [
                Organisation(name=f"联合党支部{k}", unit_id=entries[0][1], kind="joint_branch", setup="joint")
                for k in range(len(small[:12000]) // 6)
            ]
        )
        through.objects.bulk_create(
            [
                through(organisation_id=joints[k // 6].pk, enterprise_id=e)
                for k, e in enumerate(small[: len(joints) * 6])
            ],
            batch_size=5000,
        )
        teacher = Instructor.objects.create(name="指导员", unit_id=entries[0][1])
        Instructor.enterprises.through.objects.bulk_create(
            [
                Instructor.enterprises.through(instructor_id=teacher.pk, enterprise_id=e)
                for e in small[len(joints) * 6 : len(joints) * 6 + 5000]
            ]
        )
    refresh_started = time.perf_counter()
    coverage.refresh()
    print(
        f"party data in {refresh_started - started:.1f} s; full coverage refresh {time.perf_counter() - refresh_started:.1f} s"
    )


def percentiles(samples):
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[max(0, int(len(ordered) * 0.95) - 1)]


def timed(function, repeat):
    """(p50, p95) of wall-clock ms, and the p95 of this process's CPU ms (Python and template time,
    without the database), which a loaded machine inflates far less than the wall clock."""
    function()  # warm the query planner
    samples, cpu = [], []
    for _ in range(repeat):
        started, started_cpu = time.perf_counter(), time.process_time()
        function()
        samples.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    timed.cpu_p95 = percentiles(cpu)[1]
    return percentiles(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--total", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    setup(args.total)

    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    from peiyu.core.choices import Role, UnitKind
    from peiyu.core.models import Unit, User
    from peiyu.party.coverage import rates_by_unit
    from peiyu.party.models import CoverageEntry
    from peiyu.party.views import child_units

    setup_test_environment()
    district = Unit.objects.get(kind=UnitKind.DISTRICT)
    zone = Unit.objects.filter(kind=UnitKind.ZONE).order_by("path").first()
    district_party = User.objects.get_or_create(
        username="bench_party", defaults={"role": Role.PARTY, "unit": district}
    )[0]
    zone_party = User.objects.get_or_create(
        username="bench_party_zone", defaults={"role": Role.PARTY, "unit": zone}
    )[0]
    print(f"{CoverageEntry.objects.count():,} ledger lines; {connection.vendor}")

    pages = [
        ("ledger, first page", "/party/ledger/"),
        ("ledger, page 1000", "/party/ledger/?page=1000"),
        ("ledger, gaps", "/party/ledger/?coverage=gap"),
        ("ledger, should have one", "/party/ledger/?should_build=1"),
        ("ledger, one zone", f"/party/ledger/?unit={zone.pk}"),
        ("ledger, search", "/party/ledger/?q=科技"),
        ("ledger, by members desc", "/party/ledger/?sort=-members"),
    ]
    worst = 0.0
    for user in (district_party, zone_party):
        client = Client()
        client.force_login(user)
        print(f"\n{user.username} ({user.unit.name})")
        for label, url in pages:

            def get(url=url, client=client):
                response = client.get(url)
                assert response.status_code == 200, (url, response.status_code)

            p50, p95 = timed(get, args.repeat)
            worst = max(worst, p95)
            print(f"  {label:28s} p50 {p50:7.1f} ms   p95 {p95:7.1f} ms   (CPU p95 {timed.cpu_p95:6.1f} ms)")

    def rates():
        cache.clear()
        top, below = child_units(district_party)
        rates_by_unit([top, *below])

    p50, p95 = timed(rates, args.repeat)
    print(f"\nload average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(
        f"\nunit rates, uncached ({len(child_units(district_party)[1])} units + district): p50 {p50:.1f} ms   p95 {p95:.1f} ms"
    )
    client = Client()
    client.force_login(district_party)
    w50, w95 = timed(lambda: client.get("/party/"), max(5, args.repeat // 2))
    print(f"workbench page (rates + the year's numbers): p50 {w50:.1f} ms   p95 {w95:.1f} ms")
    print(
        f"\ngoal ledger p95 < 150 ms: {'met' if worst < 150 else 'NOT met'} (worst {worst:.1f} ms); "
        f"goal rates < 1 s: {'met' if p95 < 1000 else 'NOT met'} (p95 {p95:.1f} ms)"
    )


if __name__ == "__main__":
    main()
