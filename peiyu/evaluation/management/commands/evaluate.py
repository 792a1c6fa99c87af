"""peiyu evaluate: evaluate enterprises against a rule set.

On a file, with no database:
    peiyu evaluate --rules tech-sme-2017 企业数据.xlsx [--year 2024] [--out 结果.xlsx] [--format json|csv|xlsx]
From the database, storing results with the rule set version:
    peiyu evaluate --rules hitech-2016 --year 2024 [--unit 120110001]
"""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from peiyu.core.spreadsheets import SpreadsheetError
from peiyu.evaluation import outputs, rules
from peiyu.evaluation.batchgaps import evaluate_many
from peiyu.evaluation.fileio import read_inputs

FORMATS = ("json", "csv", "xlsx")
BAD_ROWS_EXIT = 2


class Command(BaseCommand):
    help = "Evaluate enterprises against a rule set: a file (no database needed) or the database (results are stored)."

    def add_arguments(self, parser):
        parser.add_argument("input", nargs="?", help="enterprise-year file (.xlsx, .xls or .csv); omit to evaluate the database")
        parser.add_argument("--rules", required=True, help="rule set code (e.g. tech-sme-2017), code@version, or a rule set .json file")
        parser.add_argument("--year", type=int, help="data year (files: default is each enterprise's latest year)")
        parser.add_argument("--out", help="output file (default: standard output)")
        parser.add_argument("--format", choices=FORMATS, help="output format (default: from --out, else json)")
        parser.add_argument("--unit", help="database mode: code of the unit to evaluate (and the units below it)")
        parser.add_argument("--queue", action="store_true", help="database mode: leave the evaluation to a worker (peiyu worker)")

    def handle(self, *args, **opts):
        if opts["input"]:
            return self.evaluate_file(opts)
        if not opts["year"]:
            raise CommandError(_("give an input file, or --year to evaluate the database"))
        return self.evaluate_database(opts)

    # — files ————————————————————————————————————————————————————————————————————————

    def file_ruleset(self, spec: str) -> rules.RuleSet:
        try:
            return rules.load_file(spec) if spec.endswith(".json") else rules.official(spec.partition("@")[0])
        except (OSError, ValueError) as exc:
            raise CommandError(str(exc)) from exc

    def evaluate_file(self, opts):
        rs = self.file_ruleset(opts["rules"])
        fmt = opts["format"] or (Path(opts["out"]).suffix.lstrip(".").lower() if opts["out"] else "json")
        if fmt not in FORMATS:
            raise CommandError(_("unknown output format %(format)s") % {"format": fmt})
        try:
            read = read_inputs(opts["input"], opts["year"])
        except (SpreadsheetError, OSError) as exc:
            raise CommandError(getattr(exc, "message", str(exc))) from exc
        results = evaluate_many(rs, read.inputs)  # gaps searched in batch (per row where not vectorised)
        self.write(outputs.render(fmt, rs, results), opts["out"])
        for problem in read.problems:
            self.stderr.write(str(problem))
        counts = {"read": read.rows_read, "bad": len(read.bad_rows), "evaluated": len(results)}
        self.stderr.write(_("%(read)d rows read, %(bad)d bad rows left out, %(evaluated)d enterprises evaluated") % counts)
        if read.bad_rows or not read.inputs:
            raise CommandError(_("some rows could not be evaluated (see above)"), returncode=BAD_ROWS_EXIT)

    def write(self, data: bytes, out: str | None):
        if out:
            Path(out).write_bytes(data)
        else:
            sys.stdout.buffer.write(data)
            sys.stdout.buffer.write(b"\n")
            sys.stdout.flush()

    # — database ——————————————————————————————————————————————————————————————————————

    def evaluate_database(self, opts):
        """Runs as a job (evaluation.tasks), here in this process, or by a worker with --queue."""
        from peiyu.core import jobs
        from peiyu.core.models import Unit
        from peiyu.evaluation.models import RuleSet
        from peiyu.evaluation.services import ruleset_record
        from peiyu.evaluation.tasks import EVALUATE, evaluation_summary

        try:
            ruleset_record(opts["rules"])
        except RuleSet.DoesNotExist as exc:
            raise CommandError(_("no rule set %(spec)s") % {"spec": opts["rules"]}) from exc
        if opts["unit"] and not Unit.objects.filter(code=opts["unit"]).exists():
            raise CommandError(_("no unit with code %(code)s") % {"code": opts["unit"]})
        params = {"rules": opts["rules"], "year": opts["year"], "unit": opts["unit"]}
        if opts["queue"]:
            job = jobs.start(EVALUATE, None, params)
            self.stdout.write(_("job %(number)s queued; a worker (peiyu worker) runs it") % {"number": job.pk})
            return
        job = jobs.run_here(EVALUATE, None, params)
        if job.state != job.State.DONE:
            raise CommandError(job.error)
        self.stdout.write(evaluation_summary(job))
