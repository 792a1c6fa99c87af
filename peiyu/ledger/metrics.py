"""The ledger's figures in the metric registry (used by targets, assessments and bulletins)."""

from decimal import Decimal

from django.db.models import Count, F, Q
from django.utils.translation import gettext_lazy as _

from peiyu.core.metrics import metric, ratio
from peiyu.core.models import Unit
from peiyu.ledger.choices import ItemState
from peiyu.ledger.models import Item


def _per_unit(units, counting):
    """Sum a per-item-unit count over each unit's subtree."""
    values = {}
    for unit in units:
        inside = Unit.objects.subtree_ids(unit)
        values[unit.pk] = counting(Item.objects.filter(unit__in=inside, ledger__deleted_at__isnull=True))
    return values


@metric(
    "ledger.items_overdue",
    _("Ledger items overdue"),
    unit="项",
    kind="stock",
    description=_("Items past their deadline and not closed, as of the period's last day."),
)
def items_overdue(units, period):
    return _per_unit(
        units,
        lambda items: Decimal(
            items.filter(long_term=False, deadline__lt=period.end)
            .exclude(state=ItemState.DONE, done_on__lte=period.end)
            .count()
        ),
    )


@metric(
    "ledger.completion_rate",
    _("Ledger items closed on time"),
    unit="%",
    kind="ratio",
    description=_("Items due in the period and closed by their deadline ÷ items due in the period."),
)
def completion_rate(units, period):
    def rate(items):
        due = items.filter(long_term=False, deadline__gte=period.start, deadline__lte=period.end).aggregate(
            n=Count("pk"), on_time=Count("pk", filter=Q(state=ItemState.DONE, done_on__lte=F("deadline")))
        )
        return ratio(Decimal(due["on_time"]), Decimal(due["n"]))

    return _per_unit(units, rate)
