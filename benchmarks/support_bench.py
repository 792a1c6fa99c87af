"""Support-programme benchmark, in one run:

- the R&D post-subsidy engine on 100,000 generated enterprises (a Polars frame in memory, integer
  yuan): the 龙岗区 2022 tiers with an intensity gate, hi-tech condition and title multipliers, and
  the 25 % increment with a 25万 cap — best of three runs each; plus the same engine reading the
  demo district from the database (load_frame + compute, no writes);
- the voucher pages for bureau staff: with 5,000 extra vouchers (half redeemed) written inside a
  transaction that is rolled back at the end, p50/p95 of the voucher list (plain, filtered, searched,
  page 20), a voucher's page, the policy page, the 公示 list and the subsidy list.

Needs a database with the demo loaded (`peiyu demo --if-empty`); uses DATABASE_URL like the app.
Run: python benchmarks/support_bench.py [--rows N] [--requests N]
"""

import argparse
import datetime
import os
import random
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peiyu.settings")

import django  # noqa: E402

django.setup()

import polars as pl  # noqa: E402
from django.db import transaction  # noqa: E402
from django.test import Client  # noqa: E402

from peiyu.support import subsidy  # noqa: E402
from peiyu.support.choices import SubsidyMethod  # noqa: E402

WAN = 10_000
TIERS = (
    (0, 90_000, 10 * WAN),
    (1000 * WAN, 70_000, 30 * WAN),
    (3000 * WAN, 50_000, 50 * WAN),
    (6000 * WAN, 30_000, 100 * WAN),
    (10000 * WAN, 30_000, 200 * WAN),
)


def frame(n: int) -> pl.DataFrame:
    rng = random.Random(20261129)
    rows = {k: [] for k in subsidy.FRAME_SCHEMA}
    for i in range(n):
        revenue = rng.randint(100, 200_000) * WAN
        rd = revenue * rng.randint(0, 120) // 1000 if rng.random() > 0.05 else None
        rows["enterprise_id"].append(i + 1)
        rows["rd"].append(rd)
        rows["rd_previous"].append(
            None if rd is None or rng.random() < 0.1 else rd * rng.randint(70, 130) // 100
        )
        rows["revenue"].append(revenue)
        rows["deduction_rd"].append(rd * 95 // 100 if rd and rng.random() < 0.3 else None)
        rows["industry_code"].append(rng.choice(["2710", "3911", "6513", "1320", "2614"]))
        rows["hitech"].append(rng.random() < 0.3)
        rows["provincial"].append(rng.random() < 0.05)
        rows["giant"].append(rng.random() < 0.01)
    return pl.DataFrame(rows, schema=subsidy.FRAME_SCHEMA)


def best_of(runs, fn):
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - start)
    return min(times), out


def bench_engine(rows: int) -> None:
    start = time.perf_counter()
    df = frame(rows)
    print(f"generated {rows:,} enterprises in {time.perf_counter() - start:.2f} s")
    plans = {
        "tiers (龙岗 2022, 高企, 3 % gate, 生物医药 exempt, ×150 %/×200 %)": subsidy.Plan(
            method=SubsidyMethod.TIERS,
            tiers=TIERS,
            requires_hitech=True,
            min_revenue=2000 * WAN,
            min_intensity_ppm=30_000,
            exempt_prefixes=("27",),
        ),
        "increment (25 %, cap 25万)": subsidy.Plan(
            method=SubsidyMethod.INCREMENT, rate_ppm=250_000, cap=25 * WAN
        ),
    }
    for name, plan in plans.items():
        seconds, out = best_of(3, lambda plan=plan: subsidy.compute_frame(plan, df))
        total = Decimal(int(out["amount"].sum())) / WAN
        print(
            f"  {name}: {seconds:.3f} s for {rows:,} ({rows / seconds:,.0f}/s); "
            f"{int(out['eligible'].sum()):,} eligible, {total:,.2f} 万元 — goal < 2 s: {'met' if seconds < 2 else 'NOT met'}"
        )
    from peiyu.support.models import SubsidyPolicy

    policy = SubsidyPolicy.objects.first()
    if policy is not None:
        seconds, out = best_of(
            3, lambda: subsidy.compute_frame(subsidy.Plan.of(policy), subsidy.load_frame(policy))
        )
        print(
            f"  from the database, demo district ({out.height} enterprises, {policy.name}): {seconds:.3f} s"
        )


def bench_pages(requests: int) -> None:
    from django.contrib.auth import get_user_model

    from peiyu.enterprises.models import Enterprise
    from peiyu.support.models import (
        Redemption,
        ServiceContract,
        ServiceProvider,
        SubsidyPolicy,
        Voucher,
        VoucherPolicy,
    )

    policy = VoucherPolicy.objects.order_by("-year").first()
    bureau = get_user_model().objects.get(username="bureau")
    if policy is None:
        print("no voucher policy: load the demo first")
        return
    client = Client()
    client.force_login(bureau)

    class Rollback(Exception):
        pass

    try:
        with transaction.atomic():
            firms = list(Enterprise.objects.order_by("pk").values_list("pk", flat=True))
            provider = ServiceProvider.objects.first()
            day = datetime.date(2026, 1, 5)
            made = Voucher.objects.bulk_create(
                Voucher(
                    policy=policy,
                    enterprise_id=firms[i % len(firms)],
                    number=f"BENCH-{i:06d}",
                    category="testing",
                    face_value=Decimal("5"),
                    applied_on=day,
                    issued_on=day,
                    expires_on=day + datetime.timedelta(days=89),
                    state="redeemed" if i % 2 else "issued",
                )
                for i in range(5000)
            )
            ServiceContract.objects.bulk_create(
                ServiceContract(voucher=v, provider=provider, fee=Decimal("10"), invoice_date=day)
                for v in made[1::2]
            )
            Redemption.objects.bulk_create(
                Redemption(
                    voucher=v,
                    redeemed_on=day,
                    fee=Decimal("10"),
                    share_cap=Decimal("0.3"),
                    by_share=Decimal("3"),
                    remaining_cap=Decimal("20"),
                    amount=Decimal("3"),
                    provincial_amount=Decimal("1.8"),
                    local_amount=Decimal("1.2"),
                    reasons=["bench"],
                )
                for v in made[1::2]
            )
            one = made[1]
            subsidy_policy = SubsidyPolicy.objects.first()
            urls = {
                "voucher list": "/support/vouchers/",
                "voucher list, filtered": f"/support/vouchers/?state=redeemed&policy={policy.pk}",
                "voucher list, search": "/support/vouchers/?q=BENCH-0042",
                "voucher list, page 20": "/support/vouchers/?page=20",
                "voucher page": f"/support/vouchers/{one.pk}/",
                "voucher policy page": f"/support/voucher-policies/{policy.pk}/",
                "公示 list": "/support/redemptions/",
                "subsidy list": f"/support/subsidies/?policy={subsidy_policy.pk if subsidy_policy else ''}",
            }
            all_times = []
            for name, url in urls.items():
                assert client.get(url).status_code == 200, url
                times = []
                for _ in range(requests):
                    start = time.perf_counter()
                    response = client.get(url)
                    times.append((time.perf_counter() - start) * 1000)
                    assert response.status_code == 200
                all_times += times
                times.sort()
                print(
                    f"  {name}: p50 {statistics.median(times):.0f} ms, p95 {times[int(len(times) * 0.95) - 1]:.0f} ms"
                )
            all_times.sort()
            p95 = all_times[int(len(all_times) * 0.95) - 1]
            print(
                f"voucher pages overall ({Voucher.objects.count():,} vouchers): p50 {statistics.median(all_times):.0f} ms, "
                f"p95 {p95:.0f} ms — goal < 150 ms: {'met' if p95 < 150 else 'NOT met'}"
            )
            raise Rollback
    except Rollback:
        pass


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=40)
    args = parser.parse_args()
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    if args.rows:
        bench_engine(args.rows)
    if args.requests:
        bench_pages(args.requests)


if __name__ == "__main__":
    main()
