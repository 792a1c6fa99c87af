"""What the evaluation pages share: role checks, the year in question, live evaluation of one enterprise."""

import datetime

from django.core.exceptions import PermissionDenied
from django.utils import timezone

from peiyu.core.choices import Role
from peiyu.enterprises.models import EnterpriseYear
from peiyu.evaluation import explain
from peiyu.evaluation.dbframes import input_for
from peiyu.evaluation.gaps import evaluate_with_gaps
from peiyu.evaluation.models import RuleSet, applicable_rulesets

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
    """Every rule set that applies to the enterprise's unit for figures of `year` (used in the
    year after), evaluated live with gaps (one enterprise, so the single engine); a qualification
    the enterprise holds but the result does not confirm is explained."""
    inp = inp or input_for(enterprise, year, years=4, extras=extras)
    if inp is None:
        return []
    today = timezone.localdate()
    out = []
    for record in applicable_rulesets(enterprise.unit, datetime.date(year + 1, 1, 1)):
        result = evaluate_with_gaps(record.parsed, inp)
        note = explain.holding_note(result, explain.holding(enterprise, record.data.get("qualification", ""), today))
        if note:
            result.notes.append(note)
        out.append((record, result))
    return out
