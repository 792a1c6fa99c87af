"""Build a large SQLite database for benchmarks: the demo district plus N generated enterprises.

    .venv/bin/python benchmarks/make_bulk.py 100000 --database /tmp/bulk.sqlite3 [--year 2024]

The file is replaced. Prints how long each step took.
"""

import argparse
import os
import pathlib
import sys
import time


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int, help="number of generated enterprises")
    parser.add_argument("--database", default="/tmp/peiyu-bulk.sqlite3", help="SQLite file to (re)create")
    parser.add_argument("--year", type=int, default=2024, help="year of the generated data")
    args = parser.parse_args()

    path = pathlib.Path(args.database).resolve()
    for suffix in ("", "-wal", "-shm"):
        pathlib.Path(f"{path}{suffix}").unlink(missing_ok=True)
    os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peiyu.settings")
    sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent))

    import django

    django.setup()
    from django.core.management import call_command

    from peiyu.demo import loader
    from peiyu.demo.bulk import create_bulk

    for label, step in (
        ("migrate", lambda: call_command("migrate", verbosity=0)),
        ("demo district", loader.load),
        (f"{args.n} generated enterprises", lambda: create_bulk(args.n, args.year)),
    ):
        started = time.perf_counter()
        step()
        print(f"{label}: {time.perf_counter() - started:.1f} s")
    print(f"database: {path} ({path.stat().st_size / 2**20:.0f} MiB)")


if __name__ == "__main__":
    main()
