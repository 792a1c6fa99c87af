"""Bulletin benchmark: the quarterly statistical bulletin of a district with 100,000 enterprises,
computed from the metric registry and written as .docx with its charts (and the .xlsx), timed.

Builds (once) a database with the demo district plus generated enterprises up to --total —
SQLite under var/bench-bulletins/ unless DATABASE_URL is set — then times, --repeat times each:
the quarterly bulletin (2025-Q3) and the development-status section (2025) of the district, split
into figures (all registry queries), the .docx (matplotlib charts included) and the .xlsx. When
LibreOffice and pdftoppm are installed it also converts the quarterly .docx to PDF and PNG pages
under var/bench-bulletins/pages/ so they can be looked at.

    .venv/bin/python benchmarks/bulletin_bench.py [--total 100000] [--repeat 3]
"""

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
VAR = ROOT / "var" / "bench-bulletins"


def setup(total: int) -> None:
    VAR.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("PEIYU_VAR_DIR", str(VAR))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peiyu.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from peiyu.enterprises.models import Enterprise

    call_command("migrate", verbosity=0)
    if Enterprise.objects.count() < total:
        call_command("flush", "--no-input", verbosity=0)
        started = time.perf_counter()
        call_command("demo", verbosity=0, stdout=open(os.devnull, "w"))
        from peiyu.demo.bulk import create_bulk

        create_bulk(total - Enterprise.objects.count(), 2025)
        print(
            f"database: {Enterprise.objects.count():,} enterprises in {time.perf_counter() - started:.0f} s"
        )


def timed(code: str, period: str, repeat: int) -> tuple[dict, bytes]:
    from peiyu.bulletins import documents, engine
    from peiyu.bulletins.models import BulletinTemplate
    from peiyu.bulletins.services import inputs_for
    from peiyu.bulletins.shipped import ensure_shipped
    from peiyu.core.models import Unit
    from peiyu.core.periods import Period

    ensure_shipped()
    template = BulletinTemplate.objects.get(code=code)
    district = Unit.objects.get(kind="district")
    p = Period.parse(period)
    times = {"figures": [], "docx": [], "xlsx": [], "total": []}
    docx = b""
    for _ in range(repeat):
        t0 = time.perf_counter()
        snapshot = engine.compute(template.body, district, p, inputs_for(district, p), template.settings)
        doc = engine.document(template.body, snapshot, template.title)
        t1 = time.perf_counter()
        docx = documents.docx_bytes(doc)
        t2 = time.perf_counter()
        documents.xlsx_bytes(doc)
        t3 = time.perf_counter()
        for key, value in (("figures", t1 - t0), ("docx", t2 - t1), ("xlsx", t3 - t2), ("total", t3 - t0)):
            times[key].append(value)
    return {k: (statistics.median(v), max(v)) for k, v in times.items()}, docx


def pages(docx: bytes) -> None:
    if not (shutil.which("soffice") and shutil.which("pdftoppm")):
        print("LibreOffice or pdftoppm not installed: no pages rendered")
        return
    out = VAR / "pages"
    out.mkdir(exist_ok=True)
    path = out / "quarterly.docx"
    path.write_bytes(docx)
    subprocess.run(
        ["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(out), str(path)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    subprocess.run(
        ["pdftoppm", "-r", "70", "-png", str(out / "quarterly.pdf"), str(out / "quarterly")], check=True
    )
    print(f"pages: {', '.join(sorted(p.name for p in out.glob('quarterly*.png')))} in {out}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--total", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    setup(args.total)
    from peiyu.enterprises.models import Enterprise

    print(f"{Enterprise.objects.count():,} enterprises; median / worst of {args.repeat} runs, seconds")
    docx = b""
    for code, period in (("quarterly", "2025-Q3"), ("status", "2025")):
        figures, made = timed(code, period, args.repeat)
        docx = docx or made
        print(f"{code:9} {period:8} " + "  ".join(f"{k} {m:.2f}/{w:.2f}" for k, (m, w) in figures.items()))
    pages(docx)


if __name__ == "__main__":
    main()
