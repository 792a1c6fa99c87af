"""`peiyu carriers import FILE` and `peiyu carriers export FILE.xlsx`: the registry's spreadsheets from
the command line, checked and written exactly as on the import page (all rows or none)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from peiyu.carriers import exporting, importing
from peiyu.carriers.models import Carrier
from peiyu.core.models import User


class Command(BaseCommand):
    help = "Import innovation carriers from a spreadsheet, or export them to .xlsx."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        load = sub.add_parser(
            "import", help="check a file and, when every row is correct, write it in one transaction"
        )
        load.add_argument("file")
        load.add_argument("--dry-run", action="store_true", help="check only, write nothing")
        load.add_argument(
            "--user", help="import as this user (their units and enterprises); default: the whole platform"
        )
        dump = sub.add_parser(
            "export", help="write every carrier to an .xlsx file in the import template's layout"
        )
        dump.add_argument("file")
        dump.add_argument("--user", help="export as this user (their scope)")

    def handle(self, *args, action, file, user=None, **options):
        who = self.user(user)
        if action == "export":
            Path(file).write_bytes(exporting.export_xlsx(Carrier.objects.for_user(who), who))
            self.stdout.write(f"{Carrier.objects.for_user(who).count()} carriers written to {file}")
            return
        path = Path(file)
        if not path.exists():
            raise CommandError(f"no such file: {file}")
        plan = importing.check_file(path, path.name, who, local=True)
        for problem in plan.errors:
            self.stderr.write(str(problem))
        counts = plan.counts()
        summary = f"{counts['rows']} rows: {counts['new']} new, {counts['changed']} changed, {counts['unchanged']} unchanged, {counts['errors']} errors"
        if plan.errors:
            raise CommandError(f"{summary}; nothing was written")
        if options["dry_run"]:
            self.stdout.write(f"{summary}; dry run, nothing written")
            return
        written = importing.commit(plan, None if who.pk is None else who)
        self.stdout.write(f"{summary}; {written} carriers written")

    def user(self, username):
        if not username:
            return User(username="system", is_superuser=True, is_active=True)
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"no active user {username}")
        return user
