"""peiyu ledger: the work ledger from the command line.

peiyu ledger remind [--dry-run] [--date 2026-03-02]   what the daily job does (reminders, escalations)
peiyu ledger import FILE [--unit CODE] [--name NAME]  a .docx or .xlsx table as a new ledger
peiyu ledger export --name NAME --out FILE.xlsx|.docx  a ledger in the layout the bureau files
"""

import datetime as dt
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from peiyu.core.choices import UnitKind
from peiyu.core.models import Unit
from peiyu.ledger import deadlines, exporting, importing
from peiyu.ledger.choices import LedgerKind, ReminderKind
from peiyu.ledger.models import Ledger


class Command(BaseCommand):
    help = "Work ledger: send reminders, import a ledger from .docx/.xlsx, export one."

    def add_arguments(self, parser):
        commands = parser.add_subparsers(dest="action", required=True)
        remind = commands.add_parser("remind", help="reminders due today (what the scheduled job does)")
        remind.add_argument("--dry-run", action="store_true", help="list them, send and record nothing")
        remind.add_argument("--date", help="as if today were this date (YYYY-MM-DD)")
        load = commands.add_parser("import", help="import a .docx or .xlsx ledger table")
        load.add_argument("file")
        load.add_argument("--unit", help="the owning unit's code (default: the district)")
        load.add_argument("--name", help="the ledger's name (default: the file name)")
        load.add_argument("--kind", choices=LedgerKind.values, default=LedgerKind.RECTIFICATION)
        load.add_argument("--year", type=int)
        dump = commands.add_parser("export", help="export a ledger as .xlsx or .docx")
        dump.add_argument("--name", required=True)
        dump.add_argument(
            "--unit", help="the owning unit's code, when several units have a ledger of that name"
        )
        dump.add_argument("--out", required=True)

    def handle(self, *args, action, **options):
        getattr(self, f"do_{action}")(**options)

    def do_remind(self, dry_run=False, date=None, **options):
        try:
            on = dt.date.fromisoformat(date) if date else None
        except ValueError:
            raise CommandError(_("--date must be a date such as 2026-03-02")) from None
        summary = deadlines.run_reminders(on, dry_run=dry_run)
        for p in summary.planned:
            names = "、".join(str(u) for u in p.recipients) or _("nobody (no account is linked yet)")
            self.stdout.write(
                f"{p.item.ledger} · {p.item}: {ReminderKind(p.kind).label} ({p.working_days}) → {names}"
            )
        counts = "，".join(f"{ReminderKind(k).label} {n}" for k, n in summary.counts().items()) or "0"
        verb = _("would send") if dry_run else _("sent")
        self.stdout.write(
            _("%(verb)s %(n)s reminders (%(counts)s); %(skipped)s already sent before.")
            % {"verb": verb, "n": len(summary.planned), "counts": counts, "skipped": summary.skipped}
        )

    def unit(self, code):
        if code:
            unit = Unit.objects.filter(code=code).first()
            if unit is None:
                raise CommandError(_("There is no unit with the code %(code)s.") % {"code": code})
            return unit
        districts = list(Unit.objects.filter(kind=UnitKind.DISTRICT)[:2])
        if len(districts) != 1:
            raise CommandError(_("Name the owning unit with --unit CODE."))
        return districts[0]

    def do_import(self, file, unit=None, name=None, kind=LedgerKind.RECTIFICATION, year=None, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(_("There is no file %(path)s.") % {"path": file})
        result = importing.import_ledger(
            path.read_bytes(), path.name, name or path.stem, self.unit(unit), None, kind=kind, year=year
        )
        if result.errors:
            for error in result.errors:
                self.stderr.write(error)
            raise CommandError(_("Nothing was imported."))
        for warning in result.warnings:
            self.stdout.write(_("Warning: %(warning)s") % {"warning": warning})
        self.stdout.write(
            _("Imported %(n)s items into %(ledger)s.")
            % {"n": result.ledger.items.count(), "ledger": result.ledger}
        )

    def do_export(self, name, out, unit=None, **options):
        ledgers = Ledger.objects.filter(name=name)
        if unit:
            ledgers = ledgers.filter(unit=self.unit(unit))
        found = list(ledgers[:2])
        if not found:
            raise CommandError(_("There is no ledger named “%(name)s”.") % {"name": name})
        if len(found) > 1:
            raise CommandError(
                _("Several units have a ledger named “%(name)s”: add --unit CODE.") % {"name": name}
            )
        path = Path(out)
        if path.suffix.lower() not in (".xlsx", ".docx"):
            raise CommandError(_("--out must end in .xlsx or .docx"))
        data = (
            exporting.docx_bytes(found[0], None)
            if path.suffix.lower() == ".docx"
            else exporting.xlsx_bytes(found[0], None)
        )
        path.write_bytes(data)
        self.stdout.write(_("Wrote %(path)s.") % {"path": path})
