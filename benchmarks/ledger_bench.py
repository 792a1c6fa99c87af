"""Work-ledger benchmark: 20,000 items with 60,000 measures and 200,000 progress reports in one
district, then

- the ledger table (/ledger/<id>/: first page, page 50, overdue filter, department filter, search),
  "my items" (/ledger/items/mine/) for a person named in many items, and the statistics per
  department (/ledger/statistics/), as bureau staff: p50/p95 over repeated requests (goal: p95 under
  150 ms);
- the reminder job over all items (`run_reminders`): a dry run (plan only) and a real run that
  records the reminders and queues their notifications (goal: under 5 s).

Run against a database of its own (it adds a district, users and the data, and removes them
afterwards unless --keep):

    createdb peiyu_ledger_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/peiyu_ledger_bench .venv/bin/python -m peiyu migrate
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/peiyu_ledger_bench .venv/bin/python benchmarks/ledger_bench.py

Options: --items N (20000), --measures-per-item 3, --reports N (200000), --repeat 20, --keep.
"""

import argparse
import datetime as dt
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peiyu.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.contenttypes.models import ContentType  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from huey.contrib.djhuey import HUEY  # noqa: E402

from peiyu.core.choices import Role, UnitKind  # noqa: E402
from peiyu.core.models import Department, Responsibility, ResponsibilityEntry, Unit, User  # noqa: E402
from peiyu.ledger.choices import Cadence, ItemState, ReportStatus  # noqa: E402
from peiyu.ledger.deadlines import run_reminders  # noqa: E402
from peiyu.ledger.models import Item, Ledger, Measure, Reminder, Report, today  # noqa: E402

CODE = "990100"  # the benchmark district's code
DEPARTMENTS = (
    "局办公室",
    "高新技术科",
    "科技管理科",
    "农业与社会发展科",
    "成果转化科",
    "规划财务科",
    "人才工作科",
    "科技服务中心",
)


def build(n_items: int, per_item: int, n_reports: int):
    """The district, 8 departments with 5 members each, one ledger per 1,000 items, the items
    (deadlines spread over 2025–2026, one in twelve long-term, a fifth closed), their measures,
    responsibilities and reports. Bulk writes: no history, as an import of old data would be."""
    t0 = time.perf_counter()
    city = Unit.objects.create(name="基准市", code="990000", kind=UnitKind.CITY)
    district = Unit.objects.create(name="基准区", code=CODE, kind=UnitKind.DISTRICT, parent=city)
    bureau = User.objects.create_user(
        "bench_bureau", password="x", role=Role.BUREAU, unit=district, full_name="基准局员"
    )
    people = [
        User(
            username=f"bench_{d}_{m}", full_name=f"人员{d}{m}", role=Role.BUREAU, unit=district, password="!"
        )
        for d in range(len(DEPARTMENTS))
        for m in range(5)
    ]
    User.objects.bulk_create(people)
    people = list(
        User.objects.filter(username__startswith="bench_").exclude(pk=bureau.pk).order_by("username")
    )
    departments = []
    for i, name in enumerate(DEPARTMENTS):
        department = Department.objects.create(unit=district, name=name, sort_order=i)
        department.members.set(people[i * 5 : i * 5 + 5])
        departments.append(department)
    ledgers = [
        Ledger.objects.create(name=f"基准台账{i + 1:02d}", unit=district, year=2026)
        for i in range(max(1, n_items // 1000))
    ]
    on = today()
    items = []
    for n in range(n_items):
        d = n % len(DEPARTMENTS)
        co = (d + 1) % len(DEPARTMENTS)
        long_term = n % 12 == 0
        deadline = None if long_term else dt.date(2025, 1, 1) + dt.timedelta(days=(n * 37) % 720)
        done = not long_term and n % 5 == 0
        items.append(
            Item(
                ledger=ledgers[n % len(ledgers)],
                unit=district,
                number=n // len(ledgers) + 1,
                problem=f"基准问题{n}：科技投入不足，研发机构覆盖率低",
                manifestations="主要表现为……",
                leaders_text="基准局员",
                departments_text=f"{DEPARTMENTS[d]}、{DEPARTMENTS[co]}",
                persons_text=people[d * 5 + n % 5].full_name,
                lead_department=departments[d],
                lead_department_name=DEPARTMENTS[d],
                deadline=deadline,
                long_term=long_term,
                cadence=Cadence.QUARTER if long_term else "",
                state=ItemState.DONE if done else ItemState.OPEN,
                done_on=(deadline + dt.timedelta(days=n % 30 - 10)) if done else None,
                progress=(n * 7) % 100,
            )
        )
    Item.objects.bulk_create(items, batch_size=2000)
    items = list(Item.objects.filter(unit=district).order_by("pk").values_list("pk", "lead_department_id"))
    ct = ContentType.objects.get_for_model(Item)
    Responsibility.objects.bulk_create(
        [Responsibility(content_type=ct, object_id=pk) for pk, _d in items], batch_size=5000
    )
    resp = dict(
        Responsibility.objects.filter(content_type=ct, object_id__in=[pk for pk, _d in items]).values_list(
            "object_id", "pk"
        )
    )
    entries = []
    for n, (pk, _d) in enumerate(items):
        d = n % len(DEPARTMENTS)
        r = resp[pk]
        entries += [
            ResponsibilityEntry(responsibility_id=r, kind="leader", position=0, user=bureau),
            ResponsibilityEntry(
                responsibility_id=r, kind="department", position=0, department=departments[d]
            ),
            ResponsibilityEntry(responsibility_id=r, kind="person", position=0, user=people[d * 5 + n % 5]),
        ]
    ResponsibilityEntry.objects.bulk_create(entries, batch_size=5000)
    Measure.objects.bulk_create(
        (
            Measure(item_id=pk, position=p + 1, text=f"措施{p + 1}：落实政策，加强考核，拓展合作。")
            for pk, _d in items
            for p in range(per_item)
        ),
        batch_size=5000,
    )
    measures = list(Measure.objects.filter(item__unit=district).order_by("pk").values_list("pk", "item_id"))
    start = on - dt.timedelta(days=700)
    batch = []
    for r in range(n_reports):
        measure_id, item_id = measures[(r * 7919) % len(measures)]
        batch.append(
            Report(
                item_id=item_id,
                measure_id=measure_id if r % 3 else None,
                author=people[r % len(people)],
                reported_on=start + dt.timedelta(days=r % 700),
                text="本期完成情况：已按计划推进。",
                percent=(r * 13) % 101,
                is_lead=r % 2 == 0,
                status=ReportStatus.RETURNED if r % 50 == 0 else ReportStatus.SUBMITTED,
            )
        )
        if len(batch) == 10000:
            Report.objects.bulk_create(batch)
            batch = []
    Report.objects.bulk_create(batch)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE") if connection.vendor == "postgresql" else None
    print(
        f"built {n_items:,} items, {len(measures):,} measures, {n_reports:,} reports in {time.perf_counter() - t0:.1f} s"
    )
    return district, bureau, people, ledgers, departments


def timed(client, url, repeat):
    client.get(url)  # warm: templates, translations, the first query plans
    samples = []
    for _ in range(repeat):
        t = time.perf_counter()
        response = client.get(url)
        samples.append((time.perf_counter() - t) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    samples.sort()
    return statistics.median(samples), samples[max(0, int(round(0.95 * len(samples))) - 1)]


def wipe():
    """Remove what build() wrote, in raw deletes: a row-by-row delete would write 300,000 history records."""
    district = Unit.objects.filter(code=CODE).first()
    if district is None:
        return
    with transaction.atomic():
        items = Item.all_objects.filter(unit=district)
        ct = ContentType.objects.get_for_model(Item)
        responsibilities = Responsibility.objects.filter(content_type=ct, object_id__in=items.values("pk"))
        for qs in (
            ResponsibilityEntry.objects.filter(responsibility__in=responsibilities),
            responsibilities,
            Reminder.recipients.through.objects.filter(reminder__item__in=items),
            Reminder.objects.filter(item__in=items),
            Report.objects.filter(item__in=items),
            Measure.objects.filter(item__in=items),
            Item.enterprises.through.objects.filter(item__in=items),
            items,
            Ledger.all_objects.filter(unit=district),
        ):
            qs._raw_delete(qs.db)
        for department in Department.objects.filter(unit=district):
            department.members.clear()
            department.leaders.clear()
        Department.objects.filter(unit=district).delete()
        User.objects.filter(username__startswith="bench_").delete()
        district.delete()
        Unit.objects.filter(code="990000").delete()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--items", type=int, default=20_000)
    parser.add_argument("--measures-per-item", type=int, default=3)
    parser.add_argument("--reports", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    settings.ALLOWED_HOSTS = ["*"]
    HUEY.immediate = False  # notifications are queued for a worker, as in production
    wipe()
    district, bureau, people, ledgers, departments = build(args.items, args.measures_per_item, args.reports)
    try:
        client = Client()
        client.force_login(bureau)
        ledger = ledgers[0].get_absolute_url()
        pages = {
            "ledger table": ledger,
            "ledger table, page 40": ledger + "?page=40",
            "ledger table, overdue": ledger + "?situation=overdue",
            "ledger table, department": ledger + f"?department={departments[2].pk}",
            "ledger table, search": ledger + "?q=%E7%A7%91%E6%8A%80",
            "all items, due this week": "/ledger/items/?situation=due_week",
            "statistics per department": "/ledger/statistics/",
        }
        print(f"{'page':<28} {'p50 ms':>8} {'p95 ms':>8}")
        for label, url in pages.items():
            p50, p95 = timed(client, url, args.repeat)
            print(f"{label:<28} {p50:8.1f} {p95:8.1f}")
        person = Client()
        person.force_login(people[0])
        p50, p95 = timed(person, "/ledger/items/mine/", args.repeat)
        named = Item.objects.named_ids(people[0]).count()
        print(f"{'my items (' + str(named) + ' named)':<28} {p50:8.1f} {p95:8.1f}")
        t = time.perf_counter()
        planned = run_reminders(dry_run=True)
        dry = time.perf_counter() - t
        print(
            f"reminder job, dry run: {len(planned.planned):,} reminders planned over {Item.objects.filter(unit=district).count():,} items in {dry:.2f} s"
        )
        t = time.perf_counter()
        summary = run_reminders()
        real = time.perf_counter() - t
        print(f"reminder job: {summary.sent:,} reminders recorded and notifications queued in {real:.2f} s")
        t = time.perf_counter()
        again = run_reminders()
        print(
            f"reminder job, next day's rerun: {again.sent} new, {again.skipped:,} already sent, in {time.perf_counter() - t:.2f} s"
        )
    finally:
        if not args.keep:
            wipe()
            HUEY.storage.flush_queue()


if __name__ == "__main__":
    main()
