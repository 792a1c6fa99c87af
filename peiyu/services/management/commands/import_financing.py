"""peiyu import_financing FILE [--user NAME] [--dry-run]: load the bank's monthly financing file."""

from django.core.management.base import BaseCommand, CommandError

from peiyu.core.history import acting_as
from peiyu.core.models import User
from peiyu.services.importing import import_financing


class Command(BaseCommand):
    help = "Import the bank's monthly financing file (.xlsx, .xls or .csv); rows with errors are reported and skipped."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument(
            "--user", help="import as this user (scoping and history); default: the first administrator"
        )
        parser.add_argument("--dry-run", action="store_true", help="check only, write nothing")

    def handle(self, *args, **options):
        user = self.user(options["user"])
        with acting_as(user):
            report = import_financing(
                options["file"], options["file"], user, dry_run=options["dry_run"], local=True
            )
        for problem in report.problems:
            self.stderr.write(str(problem))
        verb = "would import" if options["dry_run"] else "imported"
        self.stdout.write(
            f"{report.rows} rows read, {verb} {report.created}, {report.duplicates} already imported, {report.errors} with errors"
        )
        if report.problems and any(p.is_error for p in report.problems):
            raise SystemExit(1)

    def user(self, username):
        qs = User.objects.filter(is_active=True)
        user = (
            qs.filter(username=username).first()
            if username
            else qs.filter(is_superuser=True).order_by("pk").first()
        )
        if user is None:
            raise CommandError(f"no active user {username}" if username else "no administrator: pass --user")
        return user
