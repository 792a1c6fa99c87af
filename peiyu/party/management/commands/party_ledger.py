"""peiyu party_ledger refresh | open --date 2026-03-01 | rates | export FILE.xlsx"""

import datetime

from django.core.management.base import BaseCommand, CommandError

from peiyu.party import coverage, snapshots


class Command(BaseCommand):
    help = (
        "Two-coverages ledger: recompute, open a March/October window, print unit rates, export the ledger."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("refresh", help="recompute every enterprise's coverage")
        opening = sub.add_parser("open", help="open the window of a March or October date")
        opening.add_argument("--date", type=datetime.date.fromisoformat, default=datetime.date.today())
        sub.add_parser("rates", help="print each unit's rates (whole platform)")
        export = sub.add_parser(
            "export", help="write the whole ledger as the organisation department's .xlsx"
        )
        export.add_argument("path")

    def handle(self, action, **options):
        if action == "refresh":
            added = coverage.ensure_entries()
            coverage.refresh()
            self.stdout.write(f"ledger refreshed ({added} new lines)")
        elif action == "open":
            day = options["date"]
            if day.month not in (3, 10):
                raise CommandError("windows open in March or October only")
            window = snapshots.open_window(day)
            self.stdout.write(f"opened {window}" if window else "that window exists already")
        elif action == "rates":
            from peiyu.core.models import Unit

            units = list(Unit.objects.order_by("path"))
            for unit in units:
                r = coverage.rates_by_unit([unit])[unit.pk]
                if r.enterprises:
                    self.stdout.write(
                        f"{'  ' * unit.depth}{unit.name}\t{r.enterprises}\t组织覆盖 {r.organisation_rate}%\t工作覆盖 {r.work_rate}%\t应建未建 {r.should_build}"
                    )
        elif action == "export":
            from peiyu.core.models import User
            from peiyu.party import exporting
            from peiyu.party.models import CoverageEntry

            admin = User(is_superuser=True, is_active=True, unit=None)
            rows = exporting.write_ledger(options["path"], CoverageEntry.objects.all(), admin)
            self.stdout.write(f"wrote {rows} rows to {options['path']}")
