"""A year's numbers against seed 003's quotas (3 lead-type organisations commended, 2 recommended
upward, 2 demonstration points, 2 typical cases, 20 commended workers and members, 2 policy
briefings per organisation), within the user's scope."""

from dataclasses import dataclass

from django.db.models import Count, Q

from peiyu.party.choices import ActivityKind, CommendationKind, NominationState, ShowcaseKind


@dataclass
class Quota:
    label: str
    done: int
    target: int

    @property
    def met(self) -> bool:
        return self.done >= self.target


def numbers(user, year: int) -> dict:
    from django.utils.translation import gettext as _

    from peiyu.party.models import Activity, Commendation, Nomination, Organisation, PartySettings, Showcase

    rules = PartySettings.current()
    nominations = Nomination.objects.for_user(user).filter(year=year)
    commended = nominations.filter(state__in=[NominationState.COMMENDED, NominationState.RECOMMENDED]).count()
    recommended = nominations.filter(state=NominationState.RECOMMENDED).count()
    showcases = Showcase.objects.for_user(user)
    points = showcases.filter(kind=ShowcaseKind.DEMONSTRATION).count()
    cases = showcases.filter(kind=ShowcaseKind.CASE, year=year).count()
    people = Commendation.objects.for_user(user).filter(year=year)
    orgs = (
        Organisation.objects.for_user(user)
        .filter(status="active")
        .annotate(
            briefings=Count(
                "activities", filter=Q(activities__kind=ActivityKind.BRIEFING, activities__date__year=year)
            )
        )
    )
    short = orgs.filter(briefings__lt=rules.briefings_per_year)
    activity = Activity.objects.for_user(user).filter(date__year=year)
    return {
        "quotas": [
            Quota(_("Lead-type organisations commended"), commended, rules.commended_per_year),
            Quota(_("Lead-type organisations recommended upward"), recommended, rules.recommended_per_year),
            Quota(_("Demonstration points (in total)"), points, rules.demonstration_points),
            Quota(_("Typical cases"), cases, rules.cases_per_year),
            Quota(_("Party workers and members commended"), people.count(), rules.commendations_per_year),
        ],
        "workers": people.filter(kind=CommendationKind.WORKER).count(),
        "members": people.filter(kind=CommendationKind.MEMBER).count(),
        "nominated": nominations.exclude(state=NominationState.DRAFT).count(),
        "briefing_target": rules.briefings_per_year,
        "short_of_briefings": list(short.select_related("unit").order_by("unit__path", "name")[:10]),
        "short_count": short.count(),
        "organisations": orgs.count(),
        "activity_counts": dict(activity.values_list("kind").annotate(n=Count("pk")).order_by()),
    }
