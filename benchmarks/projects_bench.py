"""The expert draw and the ranking page at scale: one call with 5,000 applications in review and a
library of 300 experts, some of them tied to applicants.

Builds its own database (SQLite under var/bench-projects/ by default, or DATABASE_URL), then
  1. the draw with avoidance for every review group: the library and its ties are read once and each
     group is drawn in memory (an expert serves one group of a call), then the same through
     `services.run_all_draws`, which also records each draw and writes every (application, expert) review;
  2. the ranking page (`/projects/calls/<id>/ranking/`, first and a middle page) through Django's test
     client as bureau staff, p50/p95 of server time.

    .venv/bin/python benchmarks/projects_bench.py [--applications 5000] [--experts 300] [--groups 20] [--size 7] [--repeat 30]
"""

import argparse
import os
import random
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def setup():
    os.environ.setdefault("PEIYU_VAR_DIR", str(ROOT / "var" / "bench-projects"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peiyu.settings")
    Path(os.environ["PEIYU_VAR_DIR"]).mkdir(parents=True, exist_ok=True)
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.DEBUG = False  # as in production: no query log

    call_command("migrate", verbosity=0)
    call_command("flush", "--no-input", verbosity=0)


def build(n_apps: int, n_experts: int, n_groups: int):
    from peiyu.core.choices import Role
    from peiyu.core.history import muted
    from peiyu.core.testing import make_district, make_uscc, make_user
    from peiyu.enterprises.models import Enterprise
    from peiyu.projects.choices import AffiliationKind, AppState
    from peiyu.projects.models import Affiliation, Application, Expert
    from peiyu.projects.tests.conftest import make_call

    rng = random.Random(5000)
    started = time.perf_counter()
    with muted():
        units = make_district()
        bureau = make_user("bench-bureau", Role.BUREAU, units["district"])
        towns = [units["town_a"], units["town_b"]]
        firms = Enterprise.objects.bulk_create(
            Enterprise(name=f"基准企业{i:05d}有限公司", uscc=make_uscc(900000 + i), unit=towns[i % 2])
            for i in range(n_apps)
        )
        call = make_call(
            units["district"], budget=Decimal("20000"), funding_cap=Decimal("50"), funding_ratio=None
        )
        Application.objects.bulk_create(
            Application(
                call=call,
                enterprise=f,
                title=f"基准项目{i:05d}",
                field=str(i % 8 + 1),
                state=AppState.ACCEPTED,
                total_investment=Decimal(300),
                requested_amount=Decimal(rng.choice([20, 30, 40, 50])),
                review_group=f"第{i % n_groups + 1:02d}组",
                score=Decimal(rng.randint(5000, 9500)) / 100,
                score_spread=Decimal(rng.randint(100, 3000)) / 100,
            )
            for i, f in enumerate(firms)
        )
        fields = ["1", "2", "3", "4", "5", "6", "7", "8", "8", "1", "4", "2", "F", "F", "M"]
        experts = Expert.objects.bulk_create(
            Expert(
                unit=units["district"],
                name=f"专家{i:03d}",
                field=fields[i % len(fields)],
                employer=f"单位{i % 80:02d}",
            )
            for i in range(n_experts)
        )
        kinds = [
            AffiliationKind.EMPLOYER,
            AffiliationKind.SHAREHOLDING,
            AffiliationKind.FAMILY,
            AffiliationKind.FORMER_EMPLOYER,
        ]
        Affiliation.objects.bulk_create(
            Affiliation(
                expert=experts[i % n_experts],
                kind=kinds[i % 4],
                organisation=firms[rng.randrange(n_apps)].name,
            )
            for i in range(n_experts)
        )
    print(
        f"built {n_apps:,} applications, {n_experts} experts in {n_groups} groups in {time.perf_counter() - started:.1f} s"
    )
    return call, bureau


def draw_in_memory(call, groups: list[str], size: int) -> float:
    from peiyu.projects import draw as drawing
    from peiyu.projects import services

    started = time.perf_counter()
    pool = services.candidates(call)
    people = {}
    for enterprise_id, name, uscc, group in call.applications.values_list(
        "enterprise_id", "enterprise__name", "enterprise__uscc", "review_group"
    ):
        people.setdefault(group, []).append(drawing.Applicant(enterprise_id, name, uscc))
    busy: set[int] = set()
    avoided = 0
    for n, group in enumerate(groups):
        free = [c for c in pool if c.id not in busy]
        out = drawing.draw(free, people[group], size, seed=n, min_fields={"F": 1}, max_same_employer=1)
        busy |= {c.id for c in out.chosen}
        avoided += len(out.avoided)
    elapsed = time.perf_counter() - started
    print(
        f"draw in memory, {len(groups)} groups × {size} experts with avoidance: {elapsed * 1000:.0f} ms ({avoided} avoidances)"
    )
    return elapsed


def draw_recorded(call, groups: list[str], size: int, bureau) -> float:
    from django.db import transaction

    from peiyu.projects import services
    from peiyu.projects.models import Review

    started = time.perf_counter()
    with transaction.atomic():
        services.run_all_draws(call, size, 0, {"min_fields": {"F": 1}, "max_same_employer": 1}, bureau)
    elapsed = time.perf_counter() - started
    print(f"run_all_draws, recorded ({Review.objects.count():,} reviews written): {elapsed * 1000:.0f} ms")
    return elapsed


def percentiles(samples):
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[max(0, int(len(ordered) * 0.95) - 1)]


def ranking_page(call, bureau, repeat: int):
    from django.test import Client

    client = Client()
    client.force_login(bureau)
    pages = -(-call.applications.count() // 100)
    for label, url in [
        ("first page", f"/projects/calls/{call.pk}/ranking/"),
        ("middle page", f"/projects/calls/{call.pk}/ranking/?page={pages // 2}"),
    ]:
        client.get(url)
        samples = []
        for _ in range(repeat):
            started = time.perf_counter()
            response = client.get(url)
            samples.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200
        p50, p95 = percentiles(samples)
        print(
            f"ranking page, {label} (100 of {call.applications.count():,} rows): p50 {p50:.0f} ms, p95 {p95:.0f} ms"
        )


def profile_page(call, bureau):
    import cProfile
    import pstats

    from django.test import Client

    client = Client()
    client.force_login(bureau)
    client.get(f"/projects/calls/{call.pk}/ranking/")
    profile = cProfile.Profile()
    profile.runcall(client.get, f"/projects/calls/{call.pk}/ranking/")
    pstats.Stats(profile).sort_stats("cumulative").print_stats(45)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--applications", type=int, default=5000)
    parser.add_argument("--experts", type=int, default=300)
    parser.add_argument("--groups", type=int, default=20)
    parser.add_argument("--size", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument(
        "--profile-page", action="store_true", help="profile one ranking page after the draws and stop"
    )
    args = parser.parse_args()
    setup()
    call, bureau = build(args.applications, args.experts, args.groups)
    groups = sorted(set(call.applications.values_list("review_group", flat=True)))
    draw_in_memory(call, groups, args.size)
    draw_recorded(call, groups, args.size, bureau)
    if args.profile_page:
        return profile_page(call, bureau)
    ranking_page(call, bureau, args.repeat)


if __name__ == "__main__":
    main()
