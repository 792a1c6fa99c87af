"""`peiyu export --out FILE.xlsx|.csv`: the enterprise list, filtered as on the list page, in the
import template's layout."""

import time

from django.core.management.base import BaseCommand, CommandError

from peiyu.core.models import Unit, User
from peiyu.enterprises.exporting import EnterpriseExport

FILTERS = ["q", "band", "stage", "qualification", "industry_section", "hitech_field", "emerging_industry", "status"]


class Command(BaseCommand):
    help = "Export the enterprise list (one row per enterprise with its figures of a year) to .xlsx or .csv."

    def add_arguments(self, parser):
        parser.add_argument("--out", required=True, help="output file, .xlsx or .csv")
        parser.add_argument("--year", type=int, help="year of the figures (default: the latest)")
        parser.add_argument("--unit", help="unit code: only enterprises of this unit and the units below it")
        for name in FILTERS:
            parser.add_argument(f"--{name.replace('_', '-')}", dest=name, help=f"list filter {name}")
        parser.add_argument("--user", help="export as this user (scoping and phone masking); default: everything, unmasked")

    def handle(self, *args, **options):
        out = options["out"]
        if not out.endswith((".xlsx", ".csv")):
            raise CommandError("--out must end with .xlsx or .csv")
        params = {name: options[name] for name in FILTERS if options.get(name)}
        if options["year"]:
            params["year"] = options["year"]
        if options["unit"]:
            unit = Unit.objects.filter(code=options["unit"]).first()
            if unit is None:
                raise CommandError(f"no unit with code {options['unit']}")
            params["unit"] = unit.pk
        export = EnterpriseExport(params, self.user(options["user"]))
        if export.filterset.form.errors:
            raise CommandError(f"invalid filters: {export.filterset.form.errors.as_text()}")
        started = time.monotonic()
        total = export.count()
        if out.endswith(".csv"):
            with open(out, "wb") as handle:
                for chunk in export.csv_chunks():
                    handle.write(chunk)
        else:
            export.write_xlsx(out, self.progress)
        self.stderr.write("")
        self.stdout.write(f"{total} enterprises written to {out} in {time.monotonic() - started:.1f} s")

    def user(self, username):
        if not username:
            return User(username="system", is_superuser=True, is_active=True)
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"no active user {username}")
        return user

    def progress(self, phase: str, done: int, total: int) -> None:
        self.stderr.write(f"\r{phase} {done}/{total}", ending="")
