"""The party ledger's figures in the metric registry (read by targets and bulletins). Stock metrics
are read from the ledger when the period reaches today, else from the last snapshot frozen by the
period's end (the March/October snapshots are the ledger's record of the past)."""

from decimal import Decimal

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from peiyu.core.metrics import metric
from peiyu.party.choices import ActivityKind, OrganisationStatus
from peiyu.party.coverage import rates_by_unit, roll_up
from peiyu.party.snapshots import snapshot_rates


def _rates(units, period):
    from peiyu.party.models import UpdateWindow

    if period.end >= timezone.localdate():
        return rates_by_unit(units)
    window = (
        UpdateWindow.objects.filter(state="closed", closed_at__date__lte=period.end)
        .order_by("-closed_at")
        .first()
    )
    return snapshot_rates(window, units) if window else {}


@metric(
    "party.coverage_org",
    _("Party organisation coverage of technology enterprises"),
    unit="%",
    kind="ratio",
    description=_("(own organisation + covered by a joint one) ÷ enterprises operating"),
)
def coverage_org(units, period):
    return {pk: r.organisation_rate for pk, r in _rates(units, period).items()}


@metric(
    "party.coverage_work",
    _("Party work coverage of technology enterprises"),
    unit="%",
    kind="ratio",
    description=_("(covered by an organisation + reached through an instructor) ÷ enterprises operating"),
)
def coverage_work(units, period):
    return {pk: r.work_rate for pk, r in _rates(units, period).items()}


@metric(
    "party.coverage_single",
    _("Share of technology enterprises with an own party organisation"),
    unit="%",
    kind="ratio",
)
def coverage_single(units, period):
    return {pk: r.single_rate for pk, r in _rates(units, period).items()}


@metric(
    "party.should_build",
    _("Enterprises that should have a party organisation and have none"),
    unit="家",
    kind="stock",
)
def should_build(units, period):
    return {pk: Decimal(r.should_build) for pk, r in _rates(units, period).items()}


@metric("party.organisations", _("Party organisations in technology enterprises"), unit="个", kind="stock")
def organisations(units, period):
    from peiyu.party.coverage import Rates
    from peiyu.party.models import Organisation

    live = Organisation.objects.filter(Q(founded__isnull=True) | Q(founded__lte=period.end)).filter(
        status=OrganisationStatus.ACTIVE
    )
    per_unit = {}
    for row in live.values("unit").annotate(n=Count("pk")).order_by():
        per_unit[row["unit"]] = Rates(enterprises=row["n"])
    return {pk: Decimal(r.enterprises) for pk, r in roll_up(units, per_unit).items()}


@metric(
    "party.policy_briefings",
    _("Policy briefings by party organisations"),
    unit="次",
    kind="flow",
    description=_("Counted also as service events where the services app reads them."),
)
def policy_briefings(units, period):
    from peiyu.party.coverage import Rates
    from peiyu.party.models import Activity

    rows = (
        Activity.objects.filter(kind=ActivityKind.BRIEFING, date__range=(period.start, period.end))
        .values("unit")
        .annotate(n=Count("pk"))
        .order_by()
    )
    per_unit = {row["unit"]: Rates(enterprises=row["n"]) for row in rows}
    return {pk: Decimal(r.enterprises) for pk, r in roll_up(units, per_unit).items()}
