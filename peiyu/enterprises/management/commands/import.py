"""`peiyu import FILE`: the web import from the command line, with a JSON report.

Exit code 0 when every row was fine, 1 when any row or the file had an error (in default mode the
valid rows are still written; with --strict nothing is), 2 for wrong arguments.
"""

import hashlib
import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from peiyu.core.models import Unit, User
from peiyu.enterprises.importing import QUALIFICATIONS, YEARS, ImportOptions, run_import


class Command(BaseCommand):
    help = "Import enterprise years or qualifications from an .xlsx, .xls or .csv file."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--kind", choices=[YEARS, QUALIFICATIONS], help="kind of data (default: recognised from the headers)")
        parser.add_argument("--year", type=int, help="year for rows without one")
        parser.add_argument("--unit", help="unit code: new enterprises without a unit go there, and only enterprises of its subtree may be changed")
        parser.add_argument("--dry-run", action="store_true", help="check and report, write nothing")
        parser.add_argument("--strict", action="store_true", help="write nothing if any row has an error")
        parser.add_argument("--report", help="write a JSON report (counts and every error) to this file")
        parser.add_argument("--user", help="import as this user (scoping and history); default: system, unrestricted")

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"no such file: {path}")
        unit = self.unit(options["unit"])
        user = self.user(options["user"])
        import_options = ImportOptions(user=user, kind=options["kind"], year=options["year"], unit=unit,
                                       strict=options["strict"], dry_run=options["dry_run"], local=True)
        report = run_import(path, path.name, import_options, sha256=sha256(path), progress=self.progress)
        self.stderr.write("")
        if options["report"]:
            Path(options["report"]).write_text(json.dumps(report.as_dict(rows=False), ensure_ascii=False, indent=2, default=str))
        self.summarise(report)
        if report.failed:
            sys.exit(1)

    def unit(self, code):
        if not code:
            return None
        unit = Unit.objects.filter(code=code).first()
        if unit is None:
            raise CommandError(f"no unit with code {code}")
        return unit

    def user(self, username):
        if not username:
            return None
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"no active user {username}")
        return user

    def progress(self, phase: str, done: int, total: int) -> None:
        self.stderr.write(f"\r{phase} {done}/{total}" if total else f"\r{phase}…", ending="")

    def summarise(self, report) -> None:
        counts = report.counts
        for problem in report.errors[:50]:
            self.stderr.write(str(problem))
        if len(report.errors) > 50:
            self.stderr.write(f"… {len(report.errors) - 50} more errors (see --report)")
        action = "written" if report.written else ("dry run, nothing written" if report.dry_run else "nothing written")
        self.stdout.write(
            f"{report.file_name}: {counts['rows']} rows — {counts['new']} new, {counts['changed']} changed, "
            f"{counts['unchanged']} unchanged, {counts['duplicate']} duplicate, {counts['error']} with errors "
            f"({counts['errors']} errors, {counts['warnings']} warnings); {action}"
            + (f"; batch {report.batch}" if report.batch else "")
        )


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()
