"""The abstract models every domain model stands on: change logging, soft delete and scoping."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from peiyu.core.choices import Role


class ScopedQuerySet(models.QuerySet):
    """Querysets that know which rows a user may see. Every page, export and API endpoint reads
    through `for_user`, so no view can forget the unit boundary.

    A model declares `scope_units` (lookups to the units that own a row, OR-ed) and
    `scope_accounts` (the lookup to the users of the enterprise a row belongs to).
    """

    def for_user(self, user):
        model = self.model
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self
        if user.role == Role.ENTERPRISE:
            lookup = getattr(model, "scope_accounts", None)
            return self.filter(**{lookup: user}).distinct() if lookup else self.none()
        if user.role not in getattr(model, "scope_roles", DEFAULT_SCOPE_ROLES):
            return self.none()
        if user.unit_id is None:
            return self
        from peiyu.core.models.units import Unit

        inside = Unit.objects.subtree_ids(user.unit)
        outside = list(Unit.objects.exclude(pk__in=inside).values_list("pk", flat=True))
        if not outside:
            return self
        if len(outside) < len(inside):
            # A district user: "owned by a unit not outside" is the same set as "owned by a unit
            # inside", but as a per-row check it lets the database walk its sort index instead of
            # collecting the subtree's rows and sorting them.
            return self.filter(self._owned_by(outside, negate=True))
        return self.filter(self._owned_by(inside))

    def _owned_by(self, unit_ids, negate: bool = False) -> models.Q:
        condition = models.Q()
        for lookup in self.model.scope_units:
            if negate:
                condition |= models.Q(**{f"{lookup}__isnull": False}) & ~models.Q(**{f"{lookup}__in": unit_ids})
            else:
                condition |= models.Q(**{f"{lookup}__in": unit_ids})
        return condition

    def visible_to_role(self, user) -> bool:
        """Whether the user's role may see rows of this model at all. Pages answer a role that may
        not with 403 rather than an empty list that looks like missing data."""
        if user.is_superuser:
            return True
        if user.role == Role.ENTERPRISE:
            return getattr(self.model, "scope_accounts", None) is not None
        return user.role in getattr(self.model, "scope_roles", DEFAULT_SCOPE_ROLES)

    def writable_by(self, user):
        """Rows this user may change: what they see, unless their role only reads."""
        if user.is_authenticated and user.is_read_only:
            return self.none()
        return self.for_user(user)


DEFAULT_SCOPE_ROLES = frozenset({Role.BUREAU, Role.UNIT, Role.LEADER, Role.PARTY})


class ChangeLoggedModel(models.Model):
    """Stamps and change history: every save and delete writes an ObjectChange (see core.history)."""

    created = models.DateTimeField(_("created"), auto_now_add=True, null=True)
    updated = models.DateTimeField(_("updated"), auto_now=True, null=True)

    # Name of the foreign key whose history tab also lists this object's changes.
    history_parent: str | None = None
    # Fields left out of history records (stamps and derived values).
    history_exclude = frozenset({"created", "updated"})

    class Meta:
        abstract = True


class AliveManager(models.Manager):
    def get_queryset(self):
        return super().get_queryset().filter(deleted_at__isnull=True)


class PrimaryModel(ChangeLoggedModel):
    """A registry object: change-logged and deleted softly, so bureau staff can restore it."""

    # Not indexed: almost every row is NULL, and an index on it misleads SQLite's planner.
    deleted_at = models.DateTimeField(_("deleted at"), null=True, blank=True, editable=False)

    objects = AliveManager.from_queryset(ScopedQuerySet)()
    all_objects = ScopedQuerySet.as_manager()

    class Meta:
        abstract = True

    def soft_delete(self):
        self.deleted_at = timezone.now()
        self.save(update_fields=["deleted_at", "updated"])

    def restore(self):
        self.deleted_at = None
        self.save(update_fields=["deleted_at", "updated"])
