from django.db import models
from django.utils.translation import gettext_lazy as _

from peiyu.core.choices import UnitKind


class UnitQuerySet(models.QuerySet):
    def subtree_ids(self, unit: "Unit") -> list[int]:
        """Ids of `unit` and every unit below it (units are few, so one small query)."""
        return list(self.filter(path__startswith=unit.path).values_list("pk", flat=True))


class Unit(models.Model):
    """An administrative or functional unit (行政/功能单元): city, district, street, town, zone or park.

    `path` is the chain of ancestor ids ("/1/4/9/") kept on save, so a subtree is one prefix match.
    """

    name = models.CharField(_("name"), max_length=100)
    code = models.CharField(_("code"), max_length=32, unique=True, help_text=_("Administrative division code or the bureau's own code."))
    kind = models.CharField(_("kind"), max_length=16, choices=UnitKind.choices)
    parent = models.ForeignKey("self", models.PROTECT, null=True, blank=True, related_name="children", verbose_name=_("parent unit"))
    path = models.CharField(max_length=255, editable=False, db_index=True)
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    sort_order = models.PositiveIntegerField(_("sort order"), default=0)

    objects = UnitQuerySet.as_manager()

    change_logged = True
    history_exclude = frozenset({"path", "depth"})  # derived from the parent

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["path"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)  # the path needs the primary key
        old_path = self.path
        parent = self.parent
        self.path = f"{parent.path if parent else '/'}{self.pk}/"
        self.depth = parent.depth + 1 if parent else 0
        if self.path != old_path:
            Unit.objects.filter(pk=self.pk).update(path=self.path, depth=self.depth)
            if old_path:  # a moved unit carries its subtree along
                for child in self.children.all():
                    child.save()

    def ancestors(self):
        ids = [int(part) for part in self.path.strip("/").split("/")[:-1]]
        return Unit.objects.filter(pk__in=ids).order_by("depth")

    def is_within(self, other: "Unit") -> bool:
        return self.path.startswith(other.path)
