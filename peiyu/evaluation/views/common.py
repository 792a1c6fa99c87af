"""What the evaluation pages share: role checks, the year in question, live evaluation of one enterprise."""

from django.core.exceptions import PermissionDenied

from peiyu.core.choices import Role
from peiyu.enterprises.models import EnterpriseYear
from peiyu.evaluation.dbframes import input_for
from peiyu.evaluation.gaps import evaluate_with_gaps
from peiyu.evaluation.models import RuleSet

STAFF_ROLES = {Role.BUREAU, Role.UNIT, Role.LEADER, Role.PARTY}


def is_staff(user) -> bool:
    return user.is_superuser or user.role in STAFF_ROLES


def is_bureau(user) -> bool:
    return user.is_superuser or user.role == Role.BUREAU


def require_staff(user) -> None:
    if not is_staff(user):
        raise PermissionDenied


def require_bureau(user) -> None:
    if not is_bureau(user):
        raise PermissionDenied


def latest_year(user) -> int | None:
    qs = EnterpriseYear.objects.alive().for_user(user)
    return qs.order_by("-year").values_list("year", flat=True).first()


def year_param(request, fallback: int | None) -> int | None:
    try:
        return int(request.GET.get("year") or fallback)
    except (TypeError, ValueError):
        return fallback


def evaluate_all(enterprise, year: int, extras: dict | None = None, inp=None) -> list[tuple[RuleSet, object]]:
    """Every rule set in use, evaluated live with gaps (one enterprise, so the single engine)."""
    RuleSet.objects.sync_official()
    inp = inp or input_for(enterprise, year, years=4, extras=extras)
    if inp is None:
        return []
    return [(record, evaluate_with_gaps(record.parsed, inp)) for record in RuleSet.objects.active()]
