"""Who sees and changes party-building data.

Party-building staff (党建专员) manage the ledger of their unit and the units below it; party staff of
the district (or city) bureau see all of it and close the March/October windows. Other roles see
nothing of the ledger unless an administrator grants them the `party.view_ledger` permission; bureau
staff and leaders read the summary rates on the workbench."""

from django.db.models import Q

from peiyu.core.choices import Role, UnitKind
from peiyu.core.models.base import AliveManager, ScopedQuerySet

BUREAU_LEVELS = {UnitKind.CITY, UnitKind.DISTRICT}
SUMMARY_ROLES = {Role.PARTY, Role.BUREAU, Role.LEADER}


def reads_party(user) -> bool:
    if not (user and user.is_authenticated and user.is_active):
        return False
    if user.is_superuser or user.role == Role.PARTY:
        return True
    return user.role in {Role.BUREAU, Role.UNIT, Role.LEADER} and user.has_perm("party.view_ledger")


def writes_party(user) -> bool:
    return bool(
        user and user.is_authenticated and user.is_active and (user.is_superuser or user.role == Role.PARTY)
    )


def reads_summary(user) -> bool:
    return reads_party(user) or bool(user and user.is_authenticated and user.role in SUMMARY_ROLES)


def is_bureau_party(user) -> bool:
    """Party staff at the bureau (district or city level, or unbounded): they close windows and review."""
    if not writes_party(user):
        return False
    return user.is_superuser or user.unit_id is None or user.unit.kind in BUREAU_LEVELS


class PartyQuerySet(ScopedQuerySet):
    """Unit scoping as everywhere, but only for the roles that read party data; writing is for
    party-building staff (a role the enterprise library treats as read-only)."""

    def for_user(self, user):
        if not reads_party(user):
            return self.none()
        if getattr(self.model, "scope_units", None) is None:  # district-wide records (windows, settings)
            return self
        return super().for_user(user)

    def visible_to_role(self, user) -> bool:
        return reads_party(user)

    def writable_by(self, user):
        return self.for_user(user) if writes_party(user) else self.none()

    def in_units(self, unit_ids):
        return self.filter(Q(unit__in=unit_ids))


PARTY_SCOPE_ROLES = frozenset({Role.BUREAU, Role.UNIT, Role.LEADER, Role.PARTY})

PartyManager = PartyQuerySet.as_manager
AlivePartyManager = AliveManager.from_queryset(PartyQuerySet)
