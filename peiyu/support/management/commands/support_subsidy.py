"""Compute an R&D post-subsidy policy for every enterprise of its unit, or only show what it would
cost with another rate, cap or tier factor (nothing written).

    peiyu support_subsidy                     # list the policies
    peiyu support_subsidy 3                   # compute policy 3 and store the results
    peiyu support_subsidy 3 --rate 0.2 --cap 30 --tier-factor 1.5   # what-if only
"""

from decimal import Decimal, InvalidOperation

from django.core.management.base import BaseCommand, CommandError

from peiyu.support import subsidy
from peiyu.support.models import SubsidyPolicy


def decimal(text):
    try:
        return Decimal(text)
    except InvalidOperation:
        raise CommandError(f"not a number: {text}") from None


class Command(BaseCommand):
    help = "Compute an R&D post-subsidy policy (研发投入后补助), or its cost with changed numbers."

    def add_arguments(self, parser):
        parser.add_argument("policy", nargs="?", type=int, help="policy id (omit to list the policies)")
        parser.add_argument("--rate", type=decimal, help="what-if: rate on the increment, e.g. 0.2")
        parser.add_argument("--cap", type=decimal, help="what-if: cap per enterprise in 万元")
        parser.add_argument("--tier-factor", type=decimal, help="what-if: every tier's award × this factor")

    def handle(self, *args, policy=None, rate=None, cap=None, tier_factor=None, **options):
        if policy is None:
            for p in SubsidyPolicy.objects.select_related("unit"):
                self.stdout.write(
                    f"{p.pk:>4}  {p.year}  {p.unit}  {p.name}{'  (口径待核实)' if p.unconfirmed else ''}"
                )
            return
        found = SubsidyPolicy.objects.filter(pk=policy).first()
        if found is None:
            raise CommandError(f"no post-subsidy policy {policy}")
        if rate is not None or cap is not None or tier_factor is not None:
            cost = subsidy.what_if(found, rate=rate, cap=cap, tier_factor=tier_factor)
            self.stdout.write(
                f"current: {cost['current']['eligible']} enterprises, {cost['current']['total']:,.2f} 万元"
            )
            self.stdout.write(
                f"changed: {cost['changed']['eligible']} enterprises, {cost['changed']['total']:,.2f} 万元"
            )
            return
        summary = subsidy.compute_policy(found)
        self.stdout.write(
            f"{found.name}: {summary['enterprises']} enterprises, {summary['eligible']} eligible, {summary['total']:,.2f} 万元"
        )
