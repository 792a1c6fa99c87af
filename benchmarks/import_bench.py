"""Import benchmark: Peiyu's import against django-import-export, same file, same model.

    .venv/bin/pip install -e '.[bench]'
    .venv/bin/python benchmarks/import_bench.py [--rows 100000] [--no-die] [--no-postgres]

Generates an enterprise-year .xlsx in the template layout (rows/5 enterprises × 5 years), then,
on a fresh SQLite database and on PostgreSQL when postgres://postgres@127.0.0.1:5432/test answers
(a scratch database `peiyu_bench` is created there and dropped after), measures:

- Peiyu dry run (read, header recognition, parsing, every check, classification);
- Peiyu commit (the same plus the bulk write and one history record per row, one transaction);
- django-import-export 4 `import_data` of the same rows into EnterpriseYear, default and bulk
  mode (its Dataset is loaded with python-calamine, which favours it: tablib's own xlsx loader
  is far slower);
- an .xlsx export of 100,000 enterprises with their figures (time and Python peak memory).

Each database runs in a child process (settings read DATABASE_URL once); the parent prints rows/s
and the ratios.
"""

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
POSTGRES = "postgres://postgres@127.0.0.1:5432/test"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--no-die", action="store_true", help="skip django-import-export")
    parser.add_argument("--die-rows", type=int, default=None,
                        help="rows given to django-import-export (default: all); its rate is linear, so a part suffices")
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--no-export", action="store_true", help="skip the 100,000-enterprise export")
    parser.add_argument("--repeat", type=int, default=1,
                        help="run Peiyu's dry run / commit / re-import this many times (fresh years each time), keep the best")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--file", help="reuse this generated .xlsx instead of generating one")
    parser.add_argument("--format", choices=["csv", "xlsx"], default="csv", help="file format of the new-enterprises case")
    parser.add_argument("--new-enterprises", action="store_true",
                        help="only the new-enterprises case: a CSV of --rows enterprises the library does not have yet, "
                             "imported into the district (as `peiyu import FILE --unit 120110`), against Polars reading the file")
    args = parser.parse_args()
    if args.child:
        child(args)
        return
    if args.new_enterprises:
        new_enterprises_main(args)
        return
    work = Path(tempfile.mkdtemp(prefix="peiyu-bench-"))
    path = Path(args.file) if args.file else work / f"years-{args.rows}.xlsx"
    started = time.monotonic()
    if not path.exists():
        generate(path, args.rows)
    print(f"generated {path.name}: {args.rows:,} rows, {path.stat().st_size / 1e6:.1f} MB in {time.monotonic() - started:.1f} s")
    results = {"sqlite": run_child(args, path, f"sqlite:///{work / 'bench.sqlite3'}", work)}
    if not args.no_postgres and postgres_answers():
        results["postgres"] = run_child(args, path, bench_postgres_url(), work)
        drop_postgres()
    elif not args.no_postgres:
        print("PostgreSQL does not answer at", POSTGRES, "- skipped")
    print_table(args.rows, results)


def generate(path: Path, rows: int) -> None:
    """The template layout, with realistic values; every fifth row starts a new enterprise."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peiyu.settings")
    import django

    django.setup()
    import xlsxwriter

    from peiyu.core.testing import make_uscc
    from peiyu.enterprises.import_columns import YEAR_COLUMNS

    random.seed(2024)
    book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheet = book.add_worksheet("年度指标")
    sheet.write_row(0, 0, ["2020—2024年科技型企业年度指标(金额单位:万元)"])
    sheet.write_row(1, 0, [column.title for column in YEAR_COLUMNS])
    for r in range(rows):
        firm, year = r // 5, 2020 + r % 5
        employees = random.randint(10, 480)
        revenue = round(random.uniform(50, 60000), 4)
        costs = round(revenue * random.uniform(0.6, 0.95), 4)
        rd = round(costs * random.uniform(0.01, 0.2), 2)
        sheet.write_row(r + 2, 0, [
            make_uscc(firm + 1), f"基准测试企业{firm}有限公司", year, "张贵庄街道", "", "3841", "电子信息", "新材料产业", "2015-03-01",
            revenue, round(revenue * 0.6, 2), costs, rd, round(rd * 0.9, 2), employees, employees // 4, employees // 2,
            round(revenue * 1.5, 2), round(revenue * 0.5, 2), round(revenue * 0.03, 2), round(revenue * 0.05 - 10, 2),
            random.randint(0, 20), random.randint(0, 5), random.randint(0, 30), random.randint(0, 10), random.randint(0, 20),
            10, 4, 6, "市级", random.randint(0, 2),
        ])
    book.close()


def run_child(args, path: Path, url: str, work: Path) -> dict:
    env = {**os.environ, "DATABASE_URL": url, "PEIYU_VAR_DIR": str(work / "var"), "DJANGO_SETTINGS_MODULE": "peiyu.settings",
           "PYTHONPATH": str(ROOT)}
    command = [sys.executable, __file__, "--child", url.split(":")[0], "--file", str(path), "--rows", str(args.rows)]
    if args.no_die:
        command.append("--no-die")
    if args.no_export:
        command.append("--no-export")
    command += ["--repeat", str(args.repeat)]
    if args.die_rows:
        command += ["--die-rows", str(args.die_rows)]
    output = subprocess.run(command, env=env, capture_output=True, text=True)
    if output.returncode:
        # show the child's failure before giving up: its traceback is on stderr
        sys.stderr.write(output.stdout[-3000:])
        sys.stderr.write(output.stderr[-6000:])
        raise SystemExit(f"benchmark child for {url.split(':')[0]} failed with exit code {output.returncode}")
    sys.stderr.write(output.stderr[-3000:])
    return json.loads(output.stdout.strip().splitlines()[-1])


def postgres_answers() -> bool:
    try:
        import psycopg

        with psycopg.connect("postgresql://postgres@127.0.0.1:5432/test", connect_timeout=3, autocommit=True) as conn:
            conn.execute("DROP DATABASE IF EXISTS peiyu_bench")
            conn.execute("CREATE DATABASE peiyu_bench")
        return True
    except Exception:
        return False


def bench_postgres_url() -> str:
    return "postgres://postgres@127.0.0.1:5432/peiyu_bench"


def drop_postgres() -> None:
    import psycopg

    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/test", autocommit=True) as conn:
        conn.execute("DROP DATABASE IF EXISTS peiyu_bench")


# new enterprises --------------------------------------------------------------------------------

def new_enterprises_main(args) -> None:
    """Issue 7 point 15: importing enterprises the library does not have yet, against Polars reading
    the same file. Each database in a child process; prints the times and the ratio."""
    work = Path(tempfile.mkdtemp(prefix="peiyu-bench-new-"))
    path = Path(args.file) if args.file else work / f"new-{args.rows}.{args.format}"
    if not path.exists():
        generate_new(path, args.rows)
    print(f"generated {path.name}: {args.rows:,} new enterprises, {path.stat().st_size / 1e6:.1f} MB")
    urls = {"sqlite": f"sqlite:///{work / 'new.sqlite3'}"}
    if not args.no_postgres and postgres_answers():
        urls["postgres"] = bench_postgres_url()
    for database, url in urls.items():
        env = {**os.environ, "DATABASE_URL": url, "PEIYU_VAR_DIR": str(work / "var"), "DJANGO_SETTINGS_MODULE": "peiyu.settings",
               "PYTHONPATH": str(ROOT)}
        command = [sys.executable, __file__, "--child", "new", "--file", str(path), "--rows", str(args.rows), "--repeat", str(args.repeat)]
        output = subprocess.run(command, env=env, capture_output=True, text=True)
        if output.returncode:
            sys.stderr.write(output.stdout[-3000:] + output.stderr[-6000:])
            raise SystemExit(f"new-enterprises child for {database} failed")
        result = json.loads(output.stdout.strip().splitlines()[-1])
        print(f"{database}: Polars reads the file in {result['polars_seconds']:.2f} s ({result['polars_cpu']:.2f} s CPU); "
              f"peiyu import of {result['created']:,} new enterprises {result['import_seconds']:.2f} s "
              f"({result['import_cpu']:.2f} s CPU, {result['created'] / result['import_seconds']:,.0f} rows/s); "
              f"{result['import_seconds'] / result['polars_seconds']:.1f}× the Polars read "
              f"({result['import_cpu'] / result['polars_cpu']:.1f}× in CPU time)")
    if "postgres" in urls:
        drop_postgres()


def generate_new(path: Path, rows: int) -> None:
    """New enterprises named as Dongli companies are (trade name + industry word), one year each,
    in the template's columns, without a unit (the import's --unit places them); .csv or .xlsx."""

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peiyu.settings")
    import django

    django.setup()
    from peiyu.demo import names
    from peiyu.demo.industries import INDUSTRIES
    from peiyu.enterprises.import_columns import YEAR_COLUMNS

    rng = random.Random(15)
    columns = [column for column in YEAR_COLUMNS if column.key not in ("unit", "park")]
    taken, codes = set(), set()
    with RowWriter(path) as writer:
        writer.writerow([column.title for column in columns])
        for _row in range(rows):
            industry = rng.choice(INDUSTRIES)
            while (name := names.company_name(names.trade_name(rng, rng.choice((2, 3, 3, 4))), rng.choice(industry.words),
                                             rng.random() < 0.1)) in taken:
                pass
            taken.add(name)
            while (code := names.credit_code(rng, legacy=rng.random() < 0.3)) in codes:
                pass
            codes.add(code)
            revenue = round(rng.uniform(50, 60000), 4)
            employees = rng.randint(10, 480)
            writer.writerow([
                code, name, 2024, industry.code, "电子信息", "新材料产业", "2015-03-01",
                revenue, round(revenue * 0.6, 2), round(revenue * 0.8, 2), round(revenue * 0.05, 2), round(revenue * 0.04, 2),
                employees, employees // 4, employees // 2, round(revenue * 1.5, 2), round(revenue * 0.5, 2), round(revenue * 0.03, 2),
                round(revenue * 0.05 - 10, 2), rng.randint(0, 20), rng.randint(0, 5), rng.randint(0, 30), rng.randint(0, 10),
                rng.randint(0, 20), 10, 4, 6, "市级", rng.randint(0, 2),
            ])


class RowWriter:
    """Rows into a .csv or an .xlsx sheet, one `writerow` at a time."""

    def __init__(self, path: Path):
        import csv

        import xlsxwriter

        self.book = self.handle = None
        self.row = 0
        if path.suffix == ".xlsx":
            self.book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
            self.sheet = self.book.add_worksheet("年度指标")
        else:
            self.handle = path.open("w", newline="", encoding="utf-8")
            self.csv = csv.writer(self.handle)

    def writerow(self, row: list) -> None:
        if self.book is not None:
            self.sheet.write_row(self.row, 0, row)
            self.row += 1
        else:
            self.csv.writerow(row)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        if self.book is not None:
            self.book.close()
        else:
            self.handle.close()


def new_child(args) -> None:
    import polars
    from django.core.management import call_command

    from peiyu.core.models import Unit
    from peiyu.core.testing import make_district
    from peiyu.enterprises.importing import ImportOptions, run_import

    call_command("migrate", verbosity=0)
    path = Path(args.file)
    read = polars.read_excel if path.suffix == ".xlsx" else polars.read_csv
    polars_runs = [cpu_timed(lambda: read(path).height) for _ in range(3)]
    make_district()
    district = Unit.objects.get(code="120110")
    runs = []
    for _attempt in range(max(1, args.repeat)):
        clear_enterprises()
        report, seconds, cpu = cpu_timed(lambda: run_import(path, path.name, ImportOptions(unit=district, dry_run=False, local=True)))
        assert not report.failed, report.errors[:3]
        runs.append((report, seconds, cpu))
    _report, seconds, cpu = min(runs, key=lambda run: run[1])
    polars_seconds, polars_cpu = min(run[1] for run in polars_runs), min(run[2] for run in polars_runs)
    print(json.dumps({"polars_seconds": round(polars_seconds, 3), "polars_cpu": round(polars_cpu, 3), "import_seconds": round(seconds, 2),
                      "import_cpu": round(cpu, 2), "created": report.created_enterprises}))


def cpu_timed(work) -> tuple:
    """(result, wall seconds, CPU seconds of this process, all threads): on a loaded shared machine
    the CPU time is the fairer comparison."""
    started, cpu = time.monotonic(), time.process_time()
    result = work()
    return result, time.monotonic() - started, time.process_time() - cpu


def clear_enterprises() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        for table in ("core_importbatchscope", "core_importbatch", "core_objectchange", "enterprises_enterpriseyear", "enterprises_enterprise"):
            cursor.execute(f"DELETE FROM {table}")


# the child: one database ------------------------------------------------------------------------

def child(args) -> None:
    import django

    django.setup()
    if args.child == "new":
        new_child(args)
        return
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    path = Path(args.file)
    results = {}
    seed_enterprises(args.rows // 5)
    for attempt in range(max(1, args.repeat)):
        if attempt:
            clear_years()
        for name, dry_run in (("peiyu_dry_run", True), ("peiyu_commit", False), ("peiyu_reimport_dry_run", True)):
            result = timed(lambda dry_run=dry_run: peiyu_import(path, dry_run=dry_run))
            print(f"{name}: {result['seconds']:.2f} s", file=sys.stderr)
            if name not in results or result["seconds"] < results[name]["seconds"]:
                results[name] = result
    if not args.no_die:
        dataset = die_dataset(path, args.die_rows or args.rows)
        for mode in ("default", "bulk"):
            clear_years()
            results[f"die_{mode}"] = timed(lambda mode=mode: die_import(dataset, bulk=mode == "bulk"))
    if not args.no_export:
        results["export_100k"] = export_benchmark()
    print(json.dumps(results))


def timed(work) -> dict:
    started = time.monotonic()
    detail = work()
    return {"seconds": round(time.monotonic() - started, 2), **(detail or {})}


def seed_enterprises(count: int) -> None:
    from peiyu.core.testing import make_district, make_uscc
    from peiyu.enterprises.models import Enterprise

    units = make_district()
    Enterprise.objects.bulk_create([
        Enterprise(uscc=make_uscc(n + 1), name=f"基准测试企业{n}有限公司", name_initials="", unit=units["town_a"], industry_code="3841",
                   industry_section="C", hitech_field="1", emerging_industry="3", established="2015-03-01")
        for n in range(count)
    ], batch_size=2000)


def peiyu_import(path: Path, dry_run: bool) -> dict:
    from peiyu.enterprises.importing import ImportOptions, run_import

    report = run_import(path, path.name, ImportOptions(dry_run=dry_run))
    assert not report.failed, report.errors[:3]
    counts = report.counts
    return {"new": counts["new"], "changed": counts["changed"], "unchanged": counts["unchanged"]}


def clear_years() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_objectchange")
        cursor.execute("DELETE FROM enterprises_enterpriseyear")


def die_dataset(path: Path, limit: int):
    """The sheet's first `limit` rows as a tablib Dataset, loaded with python-calamine."""
    import python_calamine
    import tablib

    rows = python_calamine.CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
    dataset = tablib.Dataset(headers=[str(h) for h in rows[1]])
    for row in rows[2 : 2 + limit]:
        dataset.append(row)
    return dataset


def die_resource(bulk: bool):
    from import_export import fields, resources, widgets

    from peiyu.enterprises.import_columns import RD_LEVEL_NAMES, YEAR_COLUMNS, YEAR_FIELDS
    from peiyu.enterprises.models import Enterprise, EnterpriseYear

    levels = {name: code for code, name in RD_LEVEL_NAMES.items()}

    class LevelWidget(widgets.IntegerWidget):
        def clean(self, value, row=None, **kwargs):
            return levels.get(value, 0)

    titles = {column.key: column.title for column in YEAR_COLUMNS}
    attrs = {
        "enterprise": fields.Field(attribute="enterprise", column_name="统一社会信用代码", widget=widgets.ForeignKeyWidget(Enterprise, "uscc")),
        "year": fields.Field(attribute="year", column_name="年度", widget=widgets.IntegerWidget()),
    }
    for name in YEAR_FIELDS:
        widget = LevelWidget() if name == "rd_institution_level" else (
            widgets.DecimalWidget() if EnterpriseYear._meta.get_field(name).get_internal_type() == "DecimalField" else widgets.IntegerWidget())
        attrs[name] = fields.Field(attribute=name, column_name=titles[name], widget=widget)
    meta = type("Meta", (), {"model": EnterpriseYear, "import_id_fields": ("enterprise", "year"), "fields": tuple(attrs),
                             "use_bulk": bulk, "batch_size": 1000, "skip_diff": bulk})
    return type("EnterpriseYearResource", (resources.ModelResource,), {**attrs, "Meta": meta})()


def die_import(dataset, bulk: bool) -> dict:
    result = die_resource(bulk).import_data(dataset, dry_run=False, use_transactions=True)
    assert not result.has_errors() and not result.has_validation_errors(), (result.base_errors, result.invalid_rows[:3])
    from peiyu.enterprises.models import EnterpriseYear

    return {"rows": EnterpriseYear.objects.count()}


def export_benchmark() -> dict:
    """Grow the library to 100,000 enterprises with 2024 figures, then export them to .xlsx."""
    import tracemalloc

    from django.db import connection

    from peiyu.core.models import Unit, User
    from peiyu.core.testing import make_uscc
    from peiyu.enterprises.exporting import EnterpriseExport
    from peiyu.enterprises.models import Enterprise, EnterpriseYear

    unit = Unit.objects.get(code="120110001")
    missing = 100_000 - Enterprise.objects.count()
    start = Enterprise.objects.count()
    Enterprise.objects.bulk_create([
        Enterprise(uscc=make_uscc(start + n + 1), name=f"导出测试企业{n}有限公司", name_initials="", unit=unit, industry_code="3841", industry_section="C")
        for n in range(missing)
    ], batch_size=2000)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM enterprises_enterpriseyear WHERE year = 2024")
    ids = list(Enterprise.objects.values_list("pk", flat=True))
    EnterpriseYear.objects.bulk_create([EnterpriseYear(enterprise_id=pk, year=2024, revenue=1234.5, employees=50, tech_staff=10) for pk in ids], batch_size=2000)
    export = EnterpriseExport({"year": 2024}, User(username="bench", is_superuser=True, is_active=True))
    out = Path(tempfile.mkdtemp()) / "export.xlsx"
    tracemalloc.start()
    started = time.monotonic()
    export.write_xlsx(str(out))
    seconds = time.monotonic() - started
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return {"seconds": round(seconds, 2), "rows": export.count(), "python_peak_mb": round(peak / 1e6, 1), "file_mb": round(out.stat().st_size / 1e6, 1)}


def print_table(rows: int, results: dict) -> None:
    for database, result in results.items():
        print(f"\n{database}: {rows:,} enterprise-year rows")
        rates = {}
        for name, label in (("peiyu_dry_run", "Peiyu dry run"), ("peiyu_commit", "Peiyu commit"),
                            ("peiyu_reimport_dry_run", "Peiyu dry run, all unchanged"),
                            ("die_default", "django-import-export, default"), ("die_bulk", "django-import-export, use_bulk")):
            if name not in result:
                continue
            count = result[name].get("rows", rows)
            seconds = result[name]["seconds"]
            rates[name] = count / seconds
            print(f"  {label:<32} {count:>8,} rows {seconds:8.2f} s  {rates[name]:9,.0f} rows/s")
        for theirs in ("die_default", "die_bulk"):
            if theirs in rates:
                print(f"  Peiyu commit / {theirs}: {rates['peiyu_commit'] / rates[theirs]:.1f}×, "
                      f"dry run / {theirs}: {rates['peiyu_dry_run'] / rates[theirs]:.1f}×")
        export = result.get("export_100k")
        if export:
            print(f"  export .xlsx of {export['rows']:,} enterprises: {export['seconds']:.2f} s "
                  f"({export['rows'] / export['seconds']:,.0f} rows/s), Python peak {export['python_peak_mb']} MB, file {export['file_mb']} MB")


if __name__ == "__main__":
    main()
