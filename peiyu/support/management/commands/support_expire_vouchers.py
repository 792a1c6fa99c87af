from django.core.management.base import BaseCommand

from peiyu.support import vouchers


class Command(BaseCommand):
    help = "Expire issued innovation vouchers past their last valid day (the daily task does this too)."

    def handle(self, *args, **options):
        self.stdout.write(f"{vouchers.expire_due()} vouchers expired")
