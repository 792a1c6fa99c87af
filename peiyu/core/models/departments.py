from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey, GenericRelation
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class Department(models.Model):
    """A department (科室) of a unit, e.g. the bureau's 局办公室 or 高新技术科. Users belong to one or
    more; `leaders` are the unit leaders in charge of it (分管领导)."""

    unit = models.ForeignKey("core.Unit", models.PROTECT, related_name="departments", verbose_name=_("unit"))
    name = models.CharField(_("name"), max_length=100)
    sort_order = models.PositiveIntegerField(_("sort order"), default=0)
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="departments", verbose_name=_("members"))
    leaders = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="led_departments", verbose_name=_("leaders in charge")
    )

    change_logged = True

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["unit__path", "sort_order", "name"]
        constraints = [models.UniqueConstraint(fields=["unit", "name"], name="department_unique_name_in_unit")]

    def __str__(self):
        return self.name


class Responsibility(models.Model):
    """Who answers for an object (a target, a ledger item, a project): leaders, departments and
    persons, each in order. As the bureau writes it, the first leader is the one directly
    responsible (直接责任人) and the first department leads (牵头部门); the others assist (配合).

    Attached to any object through a generic relation; a model gains `responsibility` and
    `set_responsibility(...)` by inheriting `HasResponsibility`.
    """

    content_type = models.ForeignKey(ContentType, models.CASCADE, related_name="+")
    object_id = models.BigIntegerField()
    subject = GenericForeignKey("content_type", "object_id")

    class Meta:
        verbose_name = _("responsibility")
        verbose_name_plural = _("responsibilities")
        constraints = [models.UniqueConstraint(fields=["content_type", "object_id"], name="responsibility_one_per_object")]

    def __str__(self):
        parts = [", ".join(map(str, self.leaders)), ", ".join(map(str, self.departments)), ", ".join(map(str, self.persons))]
        return " / ".join(p for p in parts if p)

    def _entries(self, kind: str) -> list:
        return [e.user if e.user_id else e.department for e in self.entries.all() if e.kind == kind]

    @property
    def leaders(self) -> list:
        return self._entries(ResponsibilityEntry.Kind.LEADER)

    @property
    def departments(self) -> list:
        return self._entries(ResponsibilityEntry.Kind.DEPARTMENT)

    @property
    def persons(self) -> list:
        return self._entries(ResponsibilityEntry.Kind.PERSON)

    @property
    def lead_leader(self):
        return next(iter(self.leaders), None)

    @property
    def lead_department(self):
        return next(iter(self.departments), None)

    @property
    def co_departments(self) -> list:
        return self.departments[1:]

    def lines(self) -> list[tuple[str, str]]:
        """(heading, names) as the bureau lists them: 责任领导, 牵头部门, 配合部门, 责任人."""
        def names(items):
            return "、".join(str(i) for i in items)

        rows = [
            (_("Responsible leader"), names(self.leaders)),
            (_("Lead department"), names(self.departments[:1])),
            (_("Co-operating departments"), names(self.co_departments)),
            (_("Responsible person"), names(self.persons)),
        ]
        return [(heading, text) for heading, text in rows if text]


class ResponsibilityEntry(models.Model):
    """One leader, department or person of a Responsibility, at its position in the list."""

    class Kind(models.TextChoices):
        LEADER = "leader", _("Responsible leader")
        DEPARTMENT = "department", _("Responsible department")
        PERSON = "person", _("Responsible person")

    responsibility = models.ForeignKey(Responsibility, models.CASCADE, related_name="entries")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    position = models.PositiveSmallIntegerField(_("position"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("user"))
    department = models.ForeignKey(Department, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("department"))

    class Meta:
        verbose_name = _("responsibility entry")
        verbose_name_plural = _("responsibility entries")
        ordering = ["kind", "position"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind="department", department__isnull=False, user__isnull=True)
                | (~models.Q(kind="department") & models.Q(user__isnull=False, department__isnull=True)),
                name="responsibility_entry_one_target",
            )
        ]

    def __str__(self):
        return str(self.user or self.department)


class HasResponsibility(models.Model):
    """Inherit to attach a Responsibility: `obj.responsibility` (or None) and
    `obj.set_responsibility(leaders=[…], departments=[…], persons=[…])`."""

    responsibilities = GenericRelation(Responsibility)

    class Meta:
        abstract = True

    @property
    def responsibility(self) -> Responsibility | None:
        return next(iter(self.responsibilities.prefetch_related("entries__user", "entries__department")), None)

    def set_responsibility(self, leaders=(), departments=(), persons=()) -> Responsibility:
        from peiyu.core.departments import assign_responsibility

        return assign_responsibility(self, leaders=leaders, departments=departments, persons=persons)
