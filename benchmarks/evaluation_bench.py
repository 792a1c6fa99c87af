"""Evaluation benchmark, in one run:

- 1,000,000 generated enterprise-years through tech-sme-2017 and hitech-2016 (three years of
  figures per row for 高企): the batch engine (Polars, exact integer comparisons) on a frame in
  memory; a plain per-row Python evaluation of the same rules (integer cross-multiplication, no
  floats), checked to give the same eligibility and scores; the generic single engine (Fractions,
  what the pages use) on a sample, for reference;
- the file command: `peiyu evaluate --rules tech-sme-2017 FILE --out OUT.csv` (results and gaps)
  on a generated CSV of --cli-rows enterprises in the import template's columns, against Polars
  reading and writing the same file, as rows/s and the ratio;
- the pools page (/evaluation/pools/) for bureau staff over the benchmark database of
  list_bench.py (demo district plus generated enterprises up to --pools-total, under var/bench/):
  the first request (membership computed, cache cold) and p50/p95 of the pages after it — every
  tab, page 2, a search and a unit filter, each a first visit.

Run: .venv/bin/python benchmarks/evaluation_bench.py [--rows N] [--cli-rows N] [--pools-total N]
(0 skips a part).
"""

import argparse
import datetime
import os
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
os.environ.setdefault("PEIYU_VAR_DIR", str(ROOT / "var" / "bench"))  # the database list_bench.py builds
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peiyu.settings")

import django  # noqa: E402

django.setup()

import polars as pl  # noqa: E402

from peiyu.evaluation import batch, rules  # noqa: E402
from peiyu.evaluation.engine import evaluate  # noqa: E402
from peiyu.evaluation.frames import default_extras_columns, schema  # noqa: E402
from peiyu.evaluation.inputs import EvaluationInput, YearFigures  # noqa: E402

YEAR = 2024
WAN = 10_000  # yuan per 万元: money columns are integer yuan


# — data ————————————————————————————————————————————————————————————————————————————

def generate(n: int) -> pl.DataFrame:
    """n enterprises with three years each, deterministic (hash-based), realistic ranges."""
    idx = pl.int_range(0, n, eager=True)

    def uniform(seed: int, low: int, high: int) -> pl.Series:
        return (idx.hash(seed) % (high - low)).cast(pl.Int64) + low

    cols = {"uscc": idx.cast(pl.String), "year": pl.repeat(YEAR, n, dtype=pl.Int32, eager=True)}
    revenue = uniform(1, 50 * WAN, 30000 * WAN)
    net = uniform(2, -100 * WAN, 8000 * WAN)
    for k in range(3):
        shrink = uniform(10 + k, 70, 100)  # earlier years are 70–100% of the next one
        employees = uniform(20 + k, 3, 650)
        cols.update({
            f"revenue_{k}": revenue, f"net_assets_{k}": net, f"employees_{k}": employees,
            f"tech_staff_{k}": employees * uniform(30 + k, 0, 60) // 100,
            f"rd_expense_{k}": revenue * uniform(40 + k, 0, 90) // 1000,
            f"total_costs_{k}": revenue * uniform(50 + k, 60, 100) // 100,
            f"total_assets_{k}": revenue * uniform(60 + k, 40, 200) // 100,
            f"hitech_revenue_{k}": revenue * uniform(70 + k, 0, 100) // 100,
            f"invention_patents_{k}": uniform(80 + k, 0, 3) - 1,
            f"utility_patents_{k}": uniform(90 + k, 0, 6),
            f"software_copyrights_{k}": uniform(100 + k, 0, 4),
            f"rd_institution_level_{k}": uniform(110 + k, 0, 5) // 2,
            f"has_{k}": pl.repeat(True, n, eager=True),
        })
        cols[f"rd_expense_domestic_{k}"] = cols[f"rd_expense_{k}"] * uniform(120 + k, 40, 101) // 100
        cols[f"invention_patents_{k}"] = cols[f"invention_patents_{k}"].clip(0)
        revenue, net = revenue * shrink // 100, net * shrink // 100
    frame = pl.DataFrame(cols)
    days = uniform(130, 100, 9000)
    frame = frame.with_columns(
        as_of=pl.lit(datetime.date(YEAR, 12, 31)),
        established=pl.lit(datetime.date(YEAR, 12, 31)) - pl.duration(days=days),
        hitech_field=pl.when(uniform(140, 0, 10) < 7).then(pl.lit("1")).otherwise(pl.lit("")),
        industry_code=pl.lit("C3841"), emerging_industry=pl.lit(""),
        **default_extras_columns(n),
    )
    missing = {name: pl.lit(None, dtype=dtype) for name, dtype in schema(3).items() if name not in frame.columns}
    return frame.with_columns(**missing)


# — plain per-row Python: the same rules, written out by hand ———————————————————————————

def _band(value_num, value_den, floors, points):
    """First band whose floor (p, q) the ratio reaches: num·q ≥ p·den."""
    for (p, q), pts in zip(floors, points, strict=False):
        if value_den > 0 and value_num * q >= p * value_den:
            return pts
    return points[-1]


TECH_FLOORS = [(30, 100), (25, 100), (20, 100), (15, 100), (10, 100)]
SALES_FLOORS = [(6, 100), (5, 100), (4, 100), (3, 100), (2, 100)]


def tech_sme_row(employees, tech, revenue, assets, costs, rd, inventions, utility, software, institution):
    """科小 (2017) for one row; money in integer yuan. Returns (eligible, score)."""
    staff = _band(tech, employees, TECH_FLOORS, (20, 16, 12, 8, 4, 0))
    sales = _band(rd, revenue, SALES_FLOORS, (50, 40, 30, 20, 10, 0))
    cost = _band(rd, costs, TECH_FLOORS, (50, 40, 30, 20, 10, 0))
    class2 = utility + software
    ip = 30 if inventions >= 1 else 24 if class2 >= 4 else 18 if class2 == 3 else 12 if class2 == 2 else 6 if class2 == 1 else 0
    score = staff + max(sales, cost) + ip
    gates = employees <= 500 and revenue <= 20000 * WAN and assets <= 20000 * WAN
    direct = institution >= 3
    return gates and (direct or (score >= 60 and staff > 0)), score


GROWTH = [((35, 100), (9, 10)), ((25, 100), (7, 8)), ((15, 100), (5, 6)), ((5, 100), (3, 4))]


def _growth_points(v1, v2, v3):
    """½(V2/V1 + V3/V2) − 1 banded exactly; zero-year and negative rules as in the rule set."""
    if v2 <= 0 or (v1 < 0):
        return (0, 0)
    num, den = (v3 - v2, v2) if v1 == 0 else (v2 * v2 + v1 * v3 - 2 * v1 * v2, 2 * v1 * v2)
    for (p, q), pts in GROWTH:
        if num * q >= p * den:
            return pts
    return (1, 2) if num > 0 else (0, 0)


def hitech_row(r):
    """高企 (2016) for one row; returns (eligible True/False/None, score_min, score_max)."""
    days = (datetime.date(YEAR, 12, 31) - r["established"]).days
    sales = r["revenue_0"] + r["revenue_1"] + r["revenue_2"]
    rd = r["rd_expense_0"] + r["rd_expense_1"] + r["rd_expense_2"]
    domestic = r["rd_expense_domestic_0"] + r["rd_expense_domestic_1"] + r["rd_expense_domestic_2"]
    latest = r["revenue_0"]
    p = 5 if latest <= 5000 * WAN else 4 if latest <= 20000 * WAN else 3
    class1, class2 = r["invention_patents_0"], r["utility_patents_0"] + r["software_copyrights_0"]
    gates = (days >= 365 and class1 + class2 >= 1 and r["hitech_field"] != "" and r["tech_staff_0"] * 10 >= r["employees_0"] > 0
             and sales > 0 and rd * 100 >= p * sales and rd > 0 and domestic * 10 >= 6 * rd
             and r["revenue_0"] > 0 and r["hitech_revenue_0"] * 10 >= 6 * r["revenue_0"])
    quantity = (7, 8) if class1 >= 1 else (5, 6) if class2 >= 5 else (3, 4) if class2 >= 3 else (1, 2) if class2 >= 1 else (0, 0)
    acquisition = (1, 6) if class1 + class2 >= 1 else (0, 0)
    ip = (quantity[0] + acquisition[0], min(30, 16 + quantity[1] + acquisition[1]))
    net = _growth_points(r["net_assets_2"], r["net_assets_1"], r["net_assets_0"])
    grow = _growth_points(r["revenue_2"], r["revenue_1"], r["revenue_0"])
    low, high = ip[0] + net[0] + grow[0], ip[1] + 30 + 20 + net[1] + grow[1]
    if not gates or high <= 70:
        return False, low, high
    return (True if low > 70 else None), low, high


TECH_COLUMNS = ["employees_0", "tech_staff_0", "revenue_0", "total_assets_0", "total_costs_0", "rd_expense_0",
                "invention_patents_0", "utility_patents_0", "software_copyrights_0", "rd_institution_level_0"]


HITECH_COLUMNS = ["established", "hitech_field"] + [
    f"{f}_{k}" for k in range(3) for f in ("revenue", "rd_expense", "rd_expense_domestic", "net_assets", "employees", "tech_staff",
                                           "hitech_revenue", "invention_patents", "utility_patents", "software_copyrights")
]


def tech_rows(frame: pl.DataFrame) -> list:
    """Python tuples for the per-row path (built before timing: the comparison is of rule evaluation)."""
    return frame.select(TECH_COLUMNS).rows()


def hitech_rows(frame: pl.DataFrame) -> list:
    return frame.select(HITECH_COLUMNS).to_dicts()


def plain_tech(rows: list) -> list:
    return [tech_sme_row(*row) for row in rows]


def plain_hitech(rows: list) -> list:
    return [hitech_row(row) for row in rows]


# — the single engine on a sample ———————————————————————————————————————————————————————

def to_input(row: dict) -> EvaluationInput:
    years = {}
    for k in range(3):
        figures = {f: row[f"{f}_{k}"] for f in ("employees", "tech_staff", "invention_patents", "utility_patents",
                                                  "software_copyrights", "rd_institution_level")}
        money = {f: Decimal(row[f"{f}_{k}"]).scaleb(-4) for f in ("revenue", "total_assets", "total_costs", "rd_expense",
                                                                    "rd_expense_domestic", "hitech_revenue", "net_assets")}
        years[YEAR - k] = YearFigures(**figures, **money)
    return EvaluationInput(year=YEAR, years=years, established=row["established"], hitech_field=row["hitech_field"])


# — timing ——————————————————————————————————————————————————————————————————————————

def timed(fn, repeat=1):
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return result, times


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--sample", type=int, default=20_000, help="rows for the single-engine reference")
    parser.add_argument("--cli-rows", type=int, default=200_000, help="rows of the file given to peiyu evaluate")
    parser.add_argument("--pools-total", type=int, default=100_000, help="enterprises in the pools page database")
    args = parser.parse_args()
    if args.rows:
        engines(args)
    if args.cli_rows:
        file_command(args.cli_rows)
    if args.pools_total:
        pools_page(args.pools_total)


def engines(args):
    n = args.rows
    frame, (gen,) = timed(lambda: generate(n))
    print(f"generated {n:,} enterprise-years (3 years of figures each) in {gen:.2f} s")
    report = []
    cases = (("tech-sme-2017", tech_rows, plain_tech, compare_tech), ("hitech-2016", hitech_rows, plain_hitech, compare_hitech))
    for code, python_rows, plain, compare in cases:
        rs = rules.official(code)
        compiled = batch.compile_ruleset(rs)
        out, times = timed(lambda compiled=compiled: compiled(frame), repeat=4)
        first, best = times[0], min(times[1:])
        data = python_rows(frame)
        rows, (plain_time,) = timed(lambda plain=plain, data=data: plain(data))
        del data
        mismatches = compare(out, rows)
        sample = frame.head(args.sample).to_dicts()
        _, (single_time,) = timed(lambda rs=rs, sample=sample: [evaluate(rs, to_input(r)) for r in sample])
        report.append((code, n / best, n / first, n / plain_time, len(sample) / single_time, mismatches))
    print()
    print(f"{'rule set':<16}{'batch rows/s':>16}{'(first run)':>14}{'per-row rows/s':>17}{'ratio':>8}{'single engine':>16}{'ratio':>9}  agree")
    for code, fast, first, plain, single, mismatches in report:
        print(f"{code:<16}{fast:>16,.0f}{first:>14,.0f}{plain:>17,.0f}{fast / plain:>7.1f}×{single:>16,.0f}{fast / single:>8.0f}×  "
              + ("yes" if mismatches == 0 else f"NO ({mismatches} rows differ)"))


# — the file command against Polars ————————————————————————————————————————————————————

TEMPLATE_HEADERS = {"revenue": "营业收入", "rd_expense": "研发费用", "rd_expense_domestic": "境内研发费用", "total_costs": "成本费用总额",
                    "total_assets": "资产总额", "net_assets": "净资产", "hitech_revenue": "高新技术产品(服务)收入", "employees": "职工总数",
                    "tech_staff": "科技人员数", "invention_patents": "有效发明专利", "utility_patents": "有效实用新型专利",
                    "software_copyrights": "软件著作权", "rd_institution_level": "研发机构级别"}
MONEY_COLUMNS = ("revenue", "rd_expense", "rd_expense_domestic", "total_costs", "total_assets", "net_assets", "hitech_revenue")


def template_csv(n: int, path: Path) -> None:
    """n enterprises of the generated data as a CSV in the import template's columns (万元)."""
    from peiyu.core.codes import uscc_check_char

    frame = generate(n)
    codes = [f"91120110MA{i:07d}" for i in range(n)]
    columns = {"统一社会信用代码": [c + uscc_check_char(c) for c in codes], "企业名称": [f"基准企业{i}" for i in range(n)],
               "年度": [YEAR] * n}
    out = pl.DataFrame(columns).hstack(frame.select(
        *[(pl.col(f"{m}_0") / WAN).round(4).alias(TEMPLATE_HEADERS[m]) for m in MONEY_COLUMNS],
        *[pl.col(f"{c}_0").alias(h) for c, h in TEMPLATE_HEADERS.items() if c not in MONEY_COLUMNS],
        pl.col("established").alias("成立日期"),
    ))
    out.write_csv(path)


def file_command(n: int):
    with tempfile.TemporaryDirectory() as folder:
        source, copy, out = Path(folder) / "data.csv", Path(folder) / "copy.csv", Path(folder) / "out.csv"
        template_csv(n, source)
        megabytes = source.stat().st_size / 1e6
        _, polars_times = timed(lambda: pl.read_csv(source).write_csv(copy), repeat=3)
        polars = min(polars_times)
        command = [sys.executable, "-m", "peiyu", "evaluate", "--rules", "tech-sme-2017", str(source), "--out", str(out)]
        started = time.perf_counter()
        done = subprocess.run(command, capture_output=True, text=True)
        elapsed = time.perf_counter() - started
        if done.returncode != 0:
            sys.exit(f"peiyu evaluate failed:\n{done.stderr[-2000:]}")
        written = pl.read_csv(out).height
    print(f"\nfile command on {n:,} rows ({megabytes:.1f} MB CSV), results and gaps written: {written:,}")
    print(f"{'Polars read + write':<40}{polars:>10.2f} s{n / polars:>14,.0f} rows/s")
    print(f"{'peiyu evaluate --rules tech-sme-2017':<40}{elapsed:>10.2f} s{n / elapsed:>14,.0f} rows/s")
    print(f"ratio {elapsed / polars:.1f}× (goal: within 5×)")


# — the pools page ——————————————————————————————————————————————————————————————————————

def pools_page(total: int):
    from list_bench import percentiles, setup_database

    setup_database(total)
    from django.conf import settings
    from django.core.cache import cache
    from django.test import Client
    from django.test.utils import setup_test_environment

    from peiyu.core.models import Unit, User
    from peiyu.enterprises.models import Enterprise

    setup_test_environment()  # responses carry their template context (pool sizes, names to search)
    settings.ALLOWED_HOSTS = ["testserver"]
    client = Client()
    client.force_login(User.objects.get(username="bureau"))
    cache.clear()
    started = time.perf_counter()
    first = client.get("/evaluation/pools/")
    cold = (time.perf_counter() - started) * 1000
    assert first.status_code == 200, first.status_code
    steps = [p.step.code for p in first.context["pools"]]
    unit = Unit.objects.filter(kind="street").order_by("code").first()
    name = first.context["pool"].rows[0]["name"][:4] if first.context["pool"].rows else "科技"
    urls = [f"/evaluation/pools/?step={code}" for code in steps]
    urls += [f"/evaluation/pools/?step={code}&page=2" for code in steps]
    urls += [f"/evaluation/pools/?step={code}&kind=over_ceiling" for code in steps]
    urls += [f"/evaluation/pools/?step={steps[0]}&q={name}", f"/evaluation/pools/?step={steps[0]}&unit={unit.pk}",
             f"/evaluation/pools/?step={steps[0]}&unit={unit.pk}&page=2"]
    samples = []
    for url in urls:
        started = time.perf_counter()
        response = client.get(url)
        samples.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    again = []
    for url in urls:
        started = time.perf_counter()
        client.get(url)
        again.append((time.perf_counter() - started) * 1000)
    sizes = ", ".join(f"{p.step.name} {p.total:,}" for p in first.context["pools"])
    print(f"\npools page, bureau staff, {Enterprise.objects.count():,} enterprises ({sizes}); goal: p95 under 500 ms")
    print(f"first request (membership computed, cache cold): {cold:,.0f} ms")
    p50, p95 = percentiles(samples)
    print(f"{len(samples)} further pages, first visits (tabs, page 2, over-ceiling lists, search, unit filter; 25 rows "
          f"explained each): p50 {p50:.0f} ms, p95 {p95:.0f} ms")
    p50, p95 = percentiles(again)
    print(f"the same {len(again)} pages again (explanations cached under the data version): p50 {p50:.0f} ms, p95 {p95:.0f} ms")


def compare_tech(out: pl.DataFrame, rows: list) -> int:
    eligible = out["eligible"].to_list()
    score = out["score_min"].to_list()
    return sum(1 for i, (ok, pts) in enumerate(rows) if ok != eligible[i] or pts != score[i])


def compare_hitech(out: pl.DataFrame, rows: list) -> int:
    eligible, low, high = out["eligible"].to_list(), out["score_min"].to_list(), out["score_max"].to_list()
    return sum(1 for i, (ok, lo, hi) in enumerate(rows) if (ok, lo, hi) != (eligible[i], low[i], high[i]))


if __name__ == "__main__":
    main()
