import time

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _

from peiyu.demo import loader
from peiyu.demo.accounts import accounts_table
from peiyu.demo.bulk import create_bulk
from peiyu.demo.reset import wipe
from peiyu.evaluation.models import applicable_rulesets


class Command(BaseCommand):
    help = _(
        "Load the demo district: Dongli district with 520 technology-based SMEs calibrated to seed 001, and one account per role."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--reset",
            action="store_true",
            help=_("Wipe units, users, enterprises and history first, then load."),
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help=_("Load only when there are no units and no enterprises yet."),
        )
        parser.add_argument(
            "--bulk",
            type=int,
            default=0,
            metavar="N",
            help=_("Also add N generated enterprises with one year of data each."),
        )
        parser.add_argument(
            "--bulk-year",
            type=int,
            default=2024,
            help=_("Year of the generated enterprises' data (default 2024)."),
        )

    def handle(self, *args, reset=False, if_empty=False, bulk=0, bulk_year=2024, **options):
        if reset and if_empty:
            raise CommandError(_("--reset and --if-empty exclude each other."))
        started = time.monotonic()
        with transaction.atomic():
            if reset:
                wipe()
            if loader.is_empty():
                loader.load()
                self.stdout.write(self.style.SUCCESS(_("Loaded the demo district.")))
                names = "、".join(r.name for r in applicable_rulesets())
                self.stdout.write(_("Rule sets that apply to the district: %(names)s") % {"names": names})
            elif if_empty or bulk:
                self.stdout.write(_("The database already holds data; nothing was loaded."))
            else:
                raise CommandError(
                    _(
                        "The database already holds data. Use --reset to replace it with the demo district, or --if-empty to keep it."
                    )
                )
            if bulk:
                create_bulk(bulk, bulk_year)
                self.stdout.write(
                    self.style.SUCCESS(
                        _("Added %(n)d generated enterprises with %(year)d data.")
                        % {"n": bulk, "year": bulk_year}
                    )
                )
        self.stdout.write(
            _("Done in %(seconds).1f s. Demo accounts:") % {"seconds": time.monotonic() - started}
        )
        self.stdout.write(accounts_table())
