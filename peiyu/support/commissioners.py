"""Commissioners' figures: team composition checks, the annual service-time check, outcomes and the
annual assessment, and what a signed-in commissioner may log."""

import datetime
from decimal import Decimal

from django.db.models import Count, Q, Sum

from peiyu.support import rules
from peiyu.support.models import Assignment, Commissioner, CommissionerTeam, Outcome, ServiceLog


def team_problems(team: CommissionerTeam) -> list[str]:
    members = [rules.Member(m.rank, m.level, m.outside_province) for m in team.members.all()]
    leader = team.leader
    return rules.team_problems(
        members,
        rules.Member(leader.rank, leader.level, leader.outside_province) if leader else None,
        team.scheme,
    )


def year_figures(commissioners, year: int) -> dict[int, dict]:
    """Per commissioner: service days, services, person-times trained in `year` (one grouped query)."""
    rows = (
        ServiceLog.objects.filter(assignment__commissioner__in=commissioners, date__year=year)
        .values("assignment__commissioner")
        .annotate(days=Sum("days"), services=Count("pk"), trained=Sum("trained"))
        .order_by()
    )
    return {
        r["assignment__commissioner"]: {
            "days": r["days"] or Decimal(0),
            "services": r["services"],
            "trained": r["trained"] or 0,
        }
        for r in rows
    }


def service_check(commissioner: Commissioner, year: int, scheme) -> dict:
    figures = year_figures([commissioner], year).get(
        commissioner.pk, {"days": Decimal(0), "services": 0, "trained": 0}
    )
    return {
        **figures,
        "required": scheme.min_service_days,
        "met": rules.service_time_met(figures["days"], scheme.min_service_days),
    }


def assessment(commissioner: Commissioner, year: int, scheme) -> dict:
    counts = dict(
        Outcome.objects.filter(commissioner=commissioner, year=year)
        .values_list("kind")
        .annotate(n=Sum("count"))
        .order_by()
    )
    figures = service_check(commissioner, year, scheme)
    total, lines = rules.assessment_points(list(scheme.items.all()), counts, figures["trained"])
    return {"points": total, "lines": lines, "grade": rules.grade(total, scheme), "service": figures}


def assignments_of(user):
    """The assignments a signed-in commissioner may log services for: their own."""
    return Assignment.objects.filter(
        commissioner__account=user, commissioner__deleted_at__isnull=True
    ).select_related("commissioner", "enterprise")


def in_service(on: datetime.date):
    """Commissioners with an assignment running on `on` (科技特派员在岗)."""
    running = Q(assignments__starts_on__lte=on) & (
        Q(assignments__ends_on__gte=on) | Q(assignments__ends_on__isnull=True)
    )
    return Commissioner.objects.filter(running).distinct()


def enterprises_served(on: datetime.date):
    """Enterprise ids with a commissioner assigned on `on` — for party-work coverage and the like."""
    return (
        Assignment.objects.filter(enterprise__isnull=False, starts_on__lte=on)
        .filter(Q(ends_on__gte=on) | Q(ends_on__isnull=True))
        .values_list("enterprise_id", flat=True)
        .distinct()
    )
