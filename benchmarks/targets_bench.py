"""Targets benchmark: progress of every target of a plan with 200 targets over 30 units on a database
of 100,000 enterprises; the leader dashboard and the assessment ranking (p50/p95, cached under the
data version as the pages serve them), their first (uncached) request, and the uncached computation
of all computed indicators.

Builds the database once (the demo district plus generated enterprises up to --total) in
DATABASE_URL, or SQLite under var/bench-targets/ when unset; the benchmark plan is re-created on
each run.

    .venv/bin/python benchmarks/targets_bench.py [--total 100000] [--repeat 30]
"""

import argparse
import datetime as dt
import os
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("PEIYU_VAR_DIR", str(ROOT / "var" / "bench-targets"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peiyu.settings")

AS_OF = dt.date(2026, 10, 31)
# code, metric, params (computed) or "" (reported), unit
INDICATORS = (
    ("b_tech", "enterprises.count", "qualification=tech_sme", "家"),
    ("b_hitech", "enterprises.count", "qualification=hitech", "家"),
    ("b_new", "enterprises.new", "qualification=tech_sme", "家"),
    ("b_revenue", "enterprises.revenue", "", "亿元"),
    ("b_rd_share", "enterprises.rd_intensity", "", "%"),
    ("b_rd", "", "", "亿元"),
    ("b_contracts", "", "", "亿元"),
)


def setup(total: int) -> None:
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


def build_plan():
    """200 targets: 7 indicators for the district and 28 units below it (30 units with the district
    and the extra street the plan adds), split evenly; monthly reports for the reported ones."""
    from peiyu.core.models import Unit
    from peiyu.core.periods import Period
    from peiyu.targets.models import Indicator, Plan, ReportedValue, Scheme, SchemeItem, Target

    Plan.objects.filter(code="BENCH").delete()
    ReportedValue.objects.filter(indicator__code__startswith="b_").delete()
    Indicator.objects.filter(code__startswith="b_").delete()
    district = Unit.objects.get(code="120110")
    below = list(Unit.objects.filter(path__startswith=district.path).exclude(pk=district.pk).order_by("path"))
    for i in range(len(below), 28):
        below.append(
            Unit.objects.create(
                name=f"基准测试街道{i}", code=f"120110B{i:02d}", kind="street", parent=district
            )
        )
    below = below[:28]
    plan = Plan.objects.create(
        code="BENCH",
        name="基准测试计划",
        issuer="区科技局",
        unit=district,
        period_code="2026",
        status="active",
    )
    indicators = [
        Indicator.objects.create(
            code=code,
            name=code,
            unit=unit,
            source="computed" if metric else "reported",
            metric_code=metric,
            metric_params=params,
            is_ratio=unit == "%",
        )
        for code, metric, params, unit in INDICATORS
    ]
    targets = []
    for indicator in indicators:
        parent = Target.objects.create(
            plan=plan, indicator=indicator, unit=district, floor=Decimal(280), stretch=Decimal(300)
        )
        targets.append(parent)
        targets += Target.objects.bulk_create(
            Target(
                plan=plan, indicator=indicator, unit=u, parent=parent, floor=Decimal(10), stretch=Decimal(11)
            )
            for u in below
        )
    extra = len(targets) - 200
    Target.objects.filter(pk__in=[t.pk for t in targets[-extra:]]).delete() if extra > 0 else None
    rows = [
        ReportedValue(
            indicator=i,
            unit=u,
            period_code=f"{y}-{m:02d}",
            period_end=Period.month(y, m).end,
            value=Decimal(m),
            measure=i.unit,
            state="accepted",
        )
        for i in indicators
        if i.source == "reported"
        for u in below
        for y in (2024, 2025, 2026)
        for m in range(1, 13)
        if (y, m) <= (2026, 10)
    ]
    ReportedValue.objects.bulk_create(rows)
    scheme = Scheme.objects.create(plan=plan, name="基准测试考核", year=2026, unit=district)
    for indicator, weight in zip(indicators, (20, 15, 15, 15, 10, 15, 10), strict=True):
        SchemeItem.objects.create(
            scheme=scheme, indicator=indicator, weight=Decimal(weight), bonus_cap=Decimal(2)
        )
    return plan, scheme, Target.objects.filter(plan=plan).count()


def percentiles(samples):
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[max(0, int(len(ordered) * 0.95) - 1)]


def timed(fn):
    started = time.perf_counter()
    result = fn()
    return (time.perf_counter() - started) * 1000, result


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--total", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    setup(args.total)
    from django.core.cache import cache
    from django.test import Client

    from peiyu.core.models import User
    from peiyu.enterprises.models import Enterprise
    from peiyu.targets.models import Target
    from peiyu.targets.progress import progress_of

    plan, scheme, n = build_plan()
    print(f"{Enterprise.objects.count():,} enterprises; plan with {n} targets over 29 units and the district")
    targets = list(Target.objects.filter(plan=plan).select_related("indicator", "unit", "plan"))
    computed = [t for t in targets if t.indicator.source == "computed"]
    runs = [timed(lambda: progress_of(targets, AS_OF))[0] for _ in range(5)]
    print(f"progress of all {len(targets)} targets (uncached): median {statistics.median(runs):.0f} ms")
    runs = [timed(lambda: progress_of(computed, AS_OF))[0] for _ in range(5)]
    print(
        f"  of which the {len(computed)} computed targets (5 metrics): median {statistics.median(runs):.0f} ms"
    )

    client = Client()
    client.force_login(User.objects.get(username="bureau"))
    pages = {
        "leader dashboard": f"/targets/?plan={plan.pk}&as_of={AS_OF}",
        "assessment ranking": f"/targets/schemes/{scheme.pk}/?as_of={AS_OF}",
    }
    for label, url in pages.items():
        cache.clear()
        first, response = timed(lambda url=url: client.get(url))
        assert response.status_code == 200, (url, response.status_code)
        samples = [timed(lambda url=url: client.get(url))[0] for _ in range(args.repeat)]
        p50, p95 = percentiles(samples)
        print(
            f"{label}: first request {first:.0f} ms (uncached, forecasts included); then p50 {p50:.1f} ms, p95 {p95:.1f} ms"
        )


if __name__ == "__main__":
    main()
