"""Services benchmark, in one run:

- policy matching in batch: 50 policies × 100,000 enterprises (a generated frame in the columns
  `services.policies.read_frame` gives: figures in yuan, stage, section, field, qualifications), each
  policy with 2–4 conditions of every numeric and list kind; goal under 2 s;
- the demand board: 10,000 demands × 10,000 supplies ranked (top 5 for every demand) by shared
  keywords, field and past success (`services.matching.rank`), words drawn from a 4,000-word
  vocabulary with a Zipf-like spread, 6–12 words a post; goal under 5 s;
- pages: p50/p95 over repeated requests of the services pages as bureau staff, against the database
  DATABASE_URL names (load the demo first: `peiyu demo --if-empty`); goal p95 under 150 ms.

Run: python benchmarks/services_bench.py [--enterprises N] [--policies N] [--posts N] [--page-runs N]
(0 skips a part).
"""

import argparse
import os
import random
import statistics
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peiyu.settings")

import django  # noqa: E402

django.setup()

import polars as pl  # noqa: E402

from peiyu.enterprises.choices import QualificationKind  # noqa: E402
from peiyu.services import matching, policies  # noqa: E402
from peiyu.services.choices import ConditionKind as K  # noqa: E402


@dataclass
class Cond:
    kind: str
    value: str

    @property
    def values(self) -> list[str]:
        return self.value.split(",")


@dataclass
class FakePolicy:
    pk: int
    conds: list = field(default_factory=list)

    @property
    def conditions(self):
        return self

    def all(self):
        return self.conds


def enterprise_frame(n: int, rng: random.Random) -> pl.DataFrame:
    revenue = [rng.choice([None] + [rng.randint(10_000, 2_000_000_000)] * 20) for _ in range(n)]
    data = {
        "enterprise_id": list(range(1, n + 1)),
        "unit_id": [rng.randint(1, 30) for _ in range(n)],
        "park_id": [rng.choice([None, None, rng.randint(31, 40)]) for _ in range(n)],
        "section": [rng.choice("CCCCIMMFGL") for _ in range(n)],
        "hitech_field": [rng.choice(["", "1", "2", "4", "8"]) for _ in range(n)],
        "revenue": revenue,
        "rd": [None if r is None else int(r * rng.uniform(0, 0.12)) for r in revenue],
        "employees": [rng.randint(3, 900) for _ in range(n)],
        "stage": [
            None if r is None else (3 if r >= 1_000_000_000 else 2 if r >= 5_000_000 else 1) for r in revenue
        ],
    }
    frame = pl.DataFrame(
        data,
        schema={
            "enterprise_id": pl.Int64,
            "unit_id": pl.Int64,
            "park_id": pl.Int64,
            "section": pl.String,
            "hitech_field": pl.String,
            "revenue": pl.Int64,
            "rd": pl.Int64,
            "employees": pl.Int64,
            "stage": pl.Int64,
        },
    )
    return frame.with_columns(
        **{f"q_{k}": pl.Series([rng.random() < 0.2 for _ in range(n)]) for k in QualificationKind.values}
    )


def random_policies(count: int, rng: random.Random) -> list[FakePolicy]:
    makers = [
        lambda: Cond(K.REVENUE_MIN, str(rng.choice([500, 1000, 5000, 10000]))),
        lambda: Cond(K.REVENUE_MAX, str(rng.choice([2000, 20000]))),
        lambda: Cond(K.RD_RATIO_MIN, rng.choice(["3", "5", "6"])),
        lambda: Cond(K.EMPLOYEES_MIN, str(rng.choice([10, 50]))),
        lambda: Cond(K.EMPLOYEES_MAX, "500"),
        lambda: Cond(K.STAGE, rng.choice(["1", "2", "2,3"])),
        lambda: Cond(K.INDUSTRY, "C,I,M"),
        lambda: Cond(K.HITECH_FIELD, "1,2,4,8"),
        lambda: Cond(K.QUALIFICATION, rng.choice(["tech_sme", "hitech", "hitech,gazelle"])),
    ]
    return [
        FakePolicy(i, [maker() for maker in rng.sample(makers, rng.randint(2, 4))])
        for i in range(1, count + 1)
    ]


def bench_policies(n: int, count: int) -> None:
    rng = random.Random(50)
    frame = enterprise_frame(n, rng)
    made = random_policies(count, rng)
    times = []
    for _ in range(3):
        start = time.perf_counter()
        result = policies.match(made, frame)
        times.append(time.perf_counter() - start)
    qualifies = result.filter(pl.col("missed").is_null()).height
    print(
        f"policy matching: {count} policies × {n:,} enterprises: best {min(times):.2f} s (runs {', '.join(f'{t:.2f}' for t in times)}); "
        f"{qualifies:,} qualifying pairs, {result.height - qualifies:,} near; goal < 2 s: {'met' if min(times) < 2 else 'NOT met'}"
    )


def bench_board(n: int) -> None:
    rng = random.Random(10)
    vocabulary = [f"词{i}" for i in range(4000)]
    weights = [1 / (i + 1) ** 0.8 for i in range(len(vocabulary))]

    def posts(offset):
        return [
            (
                offset + i,
                str(rng.randint(1, 8)),
                " ".join(set(rng.choices(vocabulary, weights, k=rng.randint(6, 12)))),
                rng.choice([0, 0, 0, 1, 2]),
            )
            for i in range(n)
        ]

    demands, supplies = matching.frame(posts(0)), matching.frame(posts(n))
    times = []
    for _ in range(3):
        start = time.perf_counter()
        ranked = matching.rank(demands, supplies, top=5)
        times.append(time.perf_counter() - start)
    print(
        f"board matching: {n:,} demands × {n:,} supplies, top 5 each: best {min(times):.2f} s (runs {', '.join(f'{t:.2f}' for t in times)}); "
        f"{ranked.height:,} matches; goal < 5 s: {'met' if min(times) < 5 else 'NOT met'}"
    )


def bench_pages(runs: int) -> None:
    from django.test import Client
    from django.test.utils import setup_test_environment

    from peiyu.core.models import User
    from peiyu.enterprises.models import Enterprise
    from peiyu.services.models import Policy, ServiceEvent, TechPost

    setup_test_environment()
    user = User.objects.filter(username="bureau").first()
    if user is None or not Policy.objects.exists():
        print("pages: no demo data (run `peiyu demo --if-empty` on DATABASE_URL first); skipped")
        return
    client = Client()
    client.force_login(user)
    own = Enterprise.objects.filter(accounts__username="enterprise").first() or Enterprise.objects.first()
    plain = Policy.objects.exclude(conditions__kind="ruleset").order_by("pk").first()
    ruled = Policy.objects.filter(conditions__kind="ruleset").order_by("pk").first()
    pages = {
        "quotas": "/services/",
        "events": "/services/events/",
        "event": f"/services/events/{ServiceEvent.objects.first().pk}/",
        "financing": "/services/financing/",
        "board": "/services/board/",
        "post + matches": f"/services/board/{TechPost.objects.filter(side='demand').order_by('pk').first().pk}/",
        "policies": "/services/policies/",
        "policy's enterprises": f"/services/policies/{plain.pk}/",
        "policy's enterprises (rule set condition)": f"/services/policies/{ruled.pk}/" if ruled else None,
        "enterprise's policies": f"/services/enterprises/{own.pk}/policies/",
        "growth diagnosis": f"/services/enterprises/{own.pk}/diagnosis/",
    }
    enterprises = Enterprise.objects.count()
    print(f"pages ({enterprises:,} enterprises, {runs} requests each after one warm-up; goal p95 < 150 ms):")
    for name, url in pages.items():
        if url is None:
            continue
        client.get(url)
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        times.sort()
        p95 = times[max(0, int(round(0.95 * len(times))) - 1)]
        print(
            f"  {name:44s} p50 {statistics.median(times):6.0f} ms  p95 {p95:6.0f} ms  {'' if p95 < 150 else 'over'}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--enterprises", type=int, default=100_000)
    parser.add_argument("--policies", type=int, default=50)
    parser.add_argument("--posts", type=int, default=10_000)
    parser.add_argument("--page-runs", type=int, default=20)
    args = parser.parse_args()
    if args.enterprises and args.policies:
        bench_policies(args.enterprises, args.policies)
    if args.posts:
        bench_board(args.posts)
    if args.page_runs:
        bench_pages(args.page_runs)


if __name__ == "__main__":
    main()
