"""Server time of the enterprise list and the dashboard with 100,000 enterprises.

Builds a fresh database (SQLite under var/bench/ by default, or DATABASE_URL), loads the demo
district plus bulk enterprises up to --total, then requests pages through Django's test client as
bureau staff and as a town official, and prints p50/p95 per page. For scale it also times the naive
way of building one list page (a query per row for its year and qualifications, as an unprepared
ORM loop does) and prints the ratio.

    .venv/bin/python benchmarks/list_bench.py [--total 100000] [--repeat 30]
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def setup_database(total: int):
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


def percentiles(samples):
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[max(0, int(len(ordered) * 0.95) - 1)]


def time_pages(client, pages, repeat):
    rows = []
    for label, url in pages:
        client.get(url)  # warm caches and the query planner
        samples = []
        for _ in range(repeat):
            started = time.perf_counter()
            response = client.get(url)
            samples.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        rows.append((label, *percentiles(samples)))
    return rows


def naive_page_ms(user, repeat):
    """The same 50 rows built by looping: each enterprise asks for its year and qualifications."""
    from peiyu.enterprises.models import Enterprise

    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        page = list(Enterprise.objects.for_user(user).order_by("name")[:50])
        for e in page:
            year = e.years.filter(year=2025).first()
            _ = (e.unit.name, year.revenue if year else None, [q.kind for q in e.current_qualifications()])
        Enterprise.objects.for_user(user).count()
        samples.append((time.perf_counter() - started) * 1000)
    return percentiles(samples)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--total", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    setup_database(args.total)

    from django.conf import settings
    from django.db import connection
    from django.test import Client

    from peiyu.core.models import User

    settings.ALLOWED_HOSTS = ["testserver"]
    print(f"database: {connection.vendor}, enterprises: {args.total:,}, {args.repeat} requests per page")
    pages = [
        ("dashboard", "/"),
        ("list, first page", "/enterprises/"),
        ("list, page 500", "/enterprises/?page=500"),
        ("list, search pinyin", "/enterprises/?q=tjhd"),
        ("list, band + stage + qualification", "/enterprises/?band=2&stage=2&qualification=tech_sme"),
        ("list, sorted by revenue desc", "/enterprises/?sort=-revenue"),
        ("list, unit + industry + field", "/enterprises/?unit=3&industry_section=C&hitech_field=8"),
    ]
    print(f"{'page':<40}{'user':<16}{'p50 ms':>10}{'p95 ms':>10}")
    for username in ("bureau", "zhangguizhuang"):
        client = Client()
        client.force_login(User.objects.get(username=username))
        for label, p50, p95 in time_pages(client, pages, args.repeat):
            print(f"{label:<40}{username:<16}{p50:>10.1f}{p95:>10.1f}")

    from peiyu.enterprises.dashboard import dashboard_data

    for username in ("bureau", "zhangguizhuang"):
        user = User.objects.get(username=username)
        samples = []
        for _ in range(max(3, args.repeat // 5)):
            started = time.perf_counter()
            dashboard_data(user)
            samples.append((time.perf_counter() - started) * 1000)
        p50, p95 = percentiles(samples)
        print(f"{'dashboard figures, cache cold':<40}{username:<16}{p50:>10.1f}{p95:>10.1f}")

    bureau = User.objects.get(username="bureau")
    client = Client()
    client.force_login(bureau)
    page_p50, _ = time_pages(client, [("list", "/enterprises/")], args.repeat)[0][1:]
    naive_p50, _ = naive_page_ms(bureau, args.repeat)
    print(f"\nfirst list page, whole request: {page_p50:.1f} ms; naive per-row ORM loop for the same rows "
          f"(data only, no rendering): {naive_p50:.1f} ms; ratio {naive_p50 / page_p50:.1f}x")


if __name__ == "__main__":
    main()
