"""Figures of the support programmes in the shared metric registry (targets, assessments and
bulletins read them without importing this app). Each is one grouped query by the owning unit,
rolled up over every requested unit's subtree."""

from collections import defaultdict
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext_lazy as _

from peiyu.core.metrics import Param, metric
from peiyu.core.models import Unit
from peiyu.support.choices import OutcomeKind, SubsidyState, VoucherState
from peiyu.support.models import Commissioner, Outcome, Redemption, ServiceLog, SubsidyResult, Voucher


def roll_up(units, by_unit: dict[int, Decimal]) -> dict[int, Decimal]:
    """Each requested unit's total over its subtree, from values keyed by the owning unit."""
    paths = dict(Unit.objects.filter(pk__in=by_unit).values_list("pk", "path"))
    out = {}
    for unit in units:
        out[unit.pk] = sum(
            (Decimal(v or 0) for pk, v in by_unit.items() if paths.get(pk, "").startswith(unit.path)),
            Decimal(0),
        )
    return out


def grouped(queryset, unit_field: str, value) -> dict[int, Decimal]:
    rows = queryset.values(unit_field).annotate(v=value).order_by()
    totals = defaultdict(Decimal)
    for row in rows:
        totals[row[unit_field]] += Decimal(row["v"] or 0)
    return totals


def _in(period, field):
    return Q(**{f"{field}__gte": period.start, f"{field}__lte": period.end})


@metric("support.vouchers_issued", _("Innovation vouchers issued"), unit="个", kind="flow")
def vouchers_issued(units, period):
    qs = Voucher.objects.filter(_in(period, "issued_on"))
    return roll_up(units, grouped(qs, "enterprise__unit", Count("pk")))


@metric("support.voucher_amount_issued", _("Face value of vouchers issued"), unit="万元", kind="flow")
def voucher_amount_issued(units, period):
    qs = Voucher.objects.filter(_in(period, "issued_on"))
    return roll_up(units, grouped(qs, "enterprise__unit", Sum("face_value")))


@metric("support.vouchers_redeemed", _("Innovation vouchers redeemed"), unit="个", kind="flow")
def vouchers_redeemed(units, period):
    qs = Redemption.objects.filter(_in(period, "redeemed_on"))
    return roll_up(units, grouped(qs, "voucher__enterprise__unit", Count("pk")))


@metric("support.voucher_amount_redeemed", _("Voucher subsidies redeemed"), unit="万元", kind="flow")
def voucher_amount_redeemed(units, period):
    qs = Redemption.objects.filter(_in(period, "redeemed_on"))
    return roll_up(units, grouped(qs, "voucher__enterprise__unit", Sum("amount")))


@metric("support.vouchers_expired", _("Innovation vouchers expired unused"), unit="个", kind="flow")
def vouchers_expired(units, period):
    qs = Voucher.objects.filter(state=VoucherState.EXPIRED).filter(_in(period, "expires_on"))
    return roll_up(units, grouped(qs, "enterprise__unit", Count("pk")))


@metric(
    "support.subsidy_paid",
    _("R&D post-subsidies paid"),
    unit="万元",
    kind="flow",
    description=_("Paid in the period, less what was clawed back from those payments."),
)
def subsidy_paid(units, period):
    qs = SubsidyResult.objects.filter(state__in=[SubsidyState.PAID, SubsidyState.CLAWED_BACK]).filter(
        _in(period, "paid_on")
    )
    paid = grouped(qs, "enterprise__unit", Sum("amount"))
    clawed = grouped(qs, "enterprise__unit", Sum("clawback_amount"))
    return roll_up(units, {pk: paid[pk] - clawed.get(pk, 0) for pk in paid})


@metric("support.subsidy_enterprises", _("Enterprises paid an R&D post-subsidy"), unit="家", kind="flow")
def subsidy_enterprises(units, period):
    qs = SubsidyResult.objects.filter(state=SubsidyState.PAID).filter(_in(period, "paid_on"))
    return roll_up(units, grouped(qs, "enterprise__unit", Count("enterprise", distinct=True)))


@metric("support.commissioners_in_service", _("S&T commissioners in service"), unit="人", kind="stock")
def commissioners_in_service(units, period):
    on = period.end
    running = Q(assignments__starts_on__lte=on) & (
        Q(assignments__ends_on__gte=on) | Q(assignments__ends_on__isnull=True)
    )
    qs = Commissioner.objects.filter(running)
    return roll_up(units, grouped(qs, "unit", Count("pk", distinct=True)))


@metric("support.service_days", _("Commissioner service days"), unit="天", kind="flow")
def service_days(units, period):
    qs = ServiceLog.objects.filter(_in(period, "date"))
    return roll_up(units, grouped(qs, "assignment__commissioner__unit", Sum("days")))


@metric("support.services", _("Commissioner services"), unit="次", kind="flow")
def services(units, period):
    qs = ServiceLog.objects.filter(_in(period, "date"))
    return roll_up(units, grouped(qs, "assignment__commissioner__unit", Count("pk")))


@metric("support.persons_trained", _("Person-times trained by commissioners"), unit="人次", kind="flow")
def persons_trained(units, period):
    qs = ServiceLog.objects.filter(_in(period, "date"))
    return roll_up(units, grouped(qs, "assignment__commissioner__unit", Sum("trained")))


CULTIVATED = ((OutcomeKind.TECH_SME, _("Tech SME")), (OutcomeKind.HITECH, _("Hi-tech enterprise")))


@metric(
    "support.enterprises_cultivated",
    _("Enterprises cultivated by commissioners"),
    unit="家",
    kind="flow",
    params=[Param("kind", _("Into"), kind="choice", choices=CULTIVATED, required=False)],
)
def enterprises_cultivated(units, period, kind=None):
    kinds = [kind] if kind else [OutcomeKind.TECH_SME, OutcomeKind.HITECH]
    qs = Outcome.objects.filter(kind__in=kinds, year__gte=period.start.year, year__lte=period.end.year)
    return roll_up(units, grouped(qs, "commissioner__unit", Sum("count")))
