"""The services' figures in the metric registry, for targets, assessments and bulletins: each
unit's value over its whole subtree, adding up within the period (flow metrics)."""

from decimal import Decimal

from django.db.models import Sum
from django.utils.translation import gettext_lazy as _

from peiyu.core.metrics import Param, metric
from peiyu.core.models import Unit
from peiyu.services import progress
from peiyu.services.choices import EventKind, FinancingKind

KIND = Param("kind", _("Event type"), kind="choice", choices=tuple(EventKind.choices), required=False)


def _each(units, compute):
    return {u.pk: compute(Unit.objects.subtree_ids(u)) for u in units}


@metric("services.events", _("Service events held"), unit="次", kind="flow", params=[KIND])
def service_events(units, period, kind=None):
    return _each(
        units, lambda ids: Decimal(progress.events(ids, period.start, period.end, kind or "").count())
    )


@metric(
    "services.enterprises_served",
    _("Enterprises served by service events"),
    unit="家",
    kind="flow",
    params=[KIND],
    description=_("Each enterprise counted once in the period, however many events it attended."),
)
def enterprises_served(units, period, kind=None):
    return _each(
        units,
        lambda ids: Decimal(
            progress.attendances(ids, period.start, period.end, kind or "")
            .values("enterprise_id")
            .distinct()
            .count()
        ),
    )


@metric(
    "services.financing_amount",
    _("Financing obtained with the bureau's help"),
    unit="万元",
    kind="flow",
    params=[
        Param(
            "kind", _("Financing type"), kind="choice", choices=tuple(FinancingKind.choices), required=False
        ),
        Param("product", _("Product (e.g. 天府科创贷)"), required=False),
    ],
)
def financing_amount(units, period, kind=None, product=None):
    return _each(
        units,
        lambda ids: (
            progress.financings(ids, period.start, period.end, kind or "", product or "").aggregate(
                s=Sum("amount")
            )["s"]
            or Decimal(0)
        ),
    )


@metric(
    "services.tech_contract_amount",
    _("Technology contracts signed through the board"),
    unit="万元",
    kind="flow",
    params=[
        Param(
            "registered",
            _("Registered contracts only"),
            kind="choice",
            choices=(("1", _("Yes")), ("0", _("No"))),
            required=False,
        )
    ],
)
def tech_contract_amount(units, period, registered=None):
    def compute(ids):
        qs = progress.contracts(ids, period.start, period.end)
        if registered == "1":
            qs = qs.filter(registered=True)
        return qs.aggregate(s=Sum("contract_amount"))["s"] or Decimal(0)

    return _each(units, compute)
