"""Work ledgers (工作台账): a ledger holds items (事项) — a problem, its manifestations, the measures
against it, who answers for it and by when — and the reports, acceptances, reminders and
supervision notices that follow it until it is closed (销号)."""

import datetime as dt

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from peiyu.core.choices import Role
from peiyu.core.models import HasResponsibility, ResponsibilityEntry
from peiyu.core.models.base import ChangeLoggedModel, PrimaryModel, ScopedQuerySet
from peiyu.core.workflows import Transition, Workflow, WorkflowModel
from peiyu.ledger.choices import (
    Cadence,
    ItemState,
    LedgerKind,
    LedgerStatus,
    NoticeState,
    ReminderKind,
    ReportStatus,
)


def today() -> dt.date:
    return timezone.localdate()


STAFF_ROLES = frozenset({Role.BUREAU, Role.UNIT, Role.LEADER})


def _widens(base, user) -> bool:
    """Whether "named in an item" adds rows to the unit scope: for unit staff (a town official
    named in a district ledger). Bureau staff and leaders read their whole unit already, and the
    union would cost every page a subquery over all their items."""
    if user is None or not user.is_authenticated or user.is_superuser:
        return False
    return user.role == Role.UNIT and base is not None


class LedgerQuerySet(ScopedQuerySet):
    def for_user(self, user):
        """The ledgers of the user's units, and those holding an item that names the user."""
        base = super().for_user(user)
        if base is self or not _widens(base, user):
            return base
        named = Item.all_objects.filter(pk__in=Item.objects.named_ids(user)).values("ledger_id")
        return base | self.filter(pk__in=named)


class AliveLedgerManager(models.Manager.from_queryset(LedgerQuerySet)):
    def get_queryset(self):
        return super().get_queryset().filter(deleted_at__isnull=True)


class Ledger(PrimaryModel):
    """A named ledger (台账) per campaign or year, owned by a unit. `remind_before_days` and
    `escalate_after_days` (working days) set when reminders go out and when they escalate to the
    responsible leader; both are data because no official rule fixes them (口径待核实)."""

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(
        _("type"), max_length=20, choices=LedgerKind.choices, default=LedgerKind.RECTIFICATION
    )
    status = models.CharField(
        _("status"), max_length=16, choices=LedgerStatus.choices, default=LedgerStatus.ACTIVE
    )
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    unit = models.ForeignKey("core.Unit", models.PROTECT, related_name="ledgers", verbose_name=_("unit"))
    source = models.CharField(
        _("source"),
        max_length=200,
        blank=True,
        help_text=_("The plan, meeting or inspection that raised it."),
    )
    description = models.TextField(_("description"), blank=True)
    remind_before_days = models.PositiveSmallIntegerField(
        _("remind before (working days)"), default=3, validators=[MaxValueValidator(60)]
    )
    escalate_after_days = models.PositiveSmallIntegerField(
        _("escalate after overdue (working days)"), default=5, validators=[MaxValueValidator(60)]
    )

    scope_units = ("unit",)
    scope_roles = STAFF_ROLES
    objects = AliveLedgerManager()
    all_objects = LedgerQuerySet.as_manager()

    class Meta:
        verbose_name = _("work ledger")
        verbose_name_plural = _("work ledgers")
        ordering = ["-year", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "name"], condition=Q(deleted_at__isnull=True), name="ledger_unique_name"
            )
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("ledger:ledger-detail", args=[self.pk])


def has_evidence(item) -> bool:
    """Acceptance (销号) needs evidence: a file on the item or on one of its standing reports."""
    from peiyu.core.models import Attachment

    item_ct = ContentType.objects.get_for_model(Item)
    report_ct = ContentType.objects.get_for_model(Report)
    reports = item.reports.exclude(status=ReportStatus.RETURNED).values_list("pk", flat=True)
    return Attachment.objects.filter(
        Q(content_type=item_ct, object_id=item.pk) | Q(content_type=report_ct, object_id__in=list(reports))
    ).exists()


def may_report(item, user) -> bool:
    return Item.objects.writable_by(user).filter(pk=item.pk).exists()


class ItemWorkflow(Workflow):
    states = ItemState
    transitions = (
        Transition(
            "request",
            _("Request completion"),
            ItemState.OPEN,
            ItemState.REQUESTED,
            roles=frozenset({Role.BUREAU, Role.UNIT}),
            condition=lambda item, user: not item.long_term and may_report(item, user),
        ),
        Transition(
            "accept",
            _("Accept and close"),
            ItemState.REQUESTED,
            ItemState.DONE,
            roles=frozenset({Role.BUREAU}),
            condition=lambda item, user: has_evidence(item),
        ),
        Transition(
            "send_back", _("Send back"), ItemState.REQUESTED, ItemState.OPEN, roles=frozenset({Role.BUREAU})
        ),
        Transition("reopen", _("Reopen"), ItemState.DONE, ItemState.OPEN, roles=frozenset({Role.BUREAU})),
    )


class ItemQuerySet(ScopedQuerySet):
    def named_ids(self, user):
        """Ids of the items that name `user` as responsible leader or person."""
        ct = ContentType.objects.get_for_model(Item)
        return ResponsibilityEntry.objects.filter(user=user, responsibility__content_type=ct).values(
            "responsibility__object_id"
        )

    def for_user(self, user):
        """Unit staff see their unit's items and the items where they are named; leaders read."""
        base = super().for_user(user)
        if base is self or not _widens(base, user):
            return base
        return base | self.filter(pk__in=self.named_ids(user))

    def open(self):
        return self.exclude(state=ItemState.DONE)

    def overdue(self, on=None):
        return self.open().filter(long_term=False, deadline__lt=on or today())

    def due_between(self, start, end):
        return self.open().filter(long_term=False, deadline__gte=start, deadline__lte=end)


class AliveItemManager(models.Manager.from_queryset(ItemQuerySet)):
    def get_queryset(self):
        return super().get_queryset().filter(deleted_at__isnull=True)


class Item(WorkflowModel, HasResponsibility, PrimaryModel):
    """One item (事项) of a ledger: the problem, its manifestations, the measures (`Measure`, in
    order), who answers for it and the deadline. The names are kept as written
    (`leaders_text` …) beside the accounts and departments they matched (the responsibility): an
    imported ledger can name people who have no account yet. The first department leads
    (排名最前的为牵头部门)."""

    workflow = ItemWorkflow
    state = ItemWorkflow.field()

    ledger = models.ForeignKey(Ledger, models.CASCADE, related_name="items", verbose_name=_("ledger"))
    unit = models.ForeignKey(
        "core.Unit", models.PROTECT, related_name="ledger_items", verbose_name=_("responsible unit")
    )
    number = models.PositiveIntegerField(_("number"))
    category = models.CharField(_("category"), max_length=100, blank=True)
    problem = models.TextField(_("problem"))
    manifestations = models.TextField(_("main manifestations"), blank=True)
    goal = models.TextField(
        _("rectification goal"), blank=True, help_text=_("The heading of the measures (整改目标).")
    )
    source = models.CharField(_("source"), max_length=200, blank=True)
    leaders_text = models.CharField(_("responsible leaders"), max_length=200, blank=True)
    departments_text = models.CharField(_("responsible departments"), max_length=300, blank=True)
    persons_text = models.CharField(_("responsible persons"), max_length=200, blank=True)
    lead_department = models.ForeignKey(
        "core.Department",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("lead department"),
    )
    lead_department_name = models.CharField(_("lead department"), max_length=100, blank=True)
    unmatched = models.CharField(
        _("names without an account"),
        max_length=300,
        blank=True,
        help_text=_("Names kept as written that match no account or department (、-separated)."),
    )
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    deadline_text = models.CharField(_("deadline as written"), max_length=40, blank=True)
    long_term = models.BooleanField(_("long-term"), default=False)
    cadence = models.CharField(_("reporting cadence"), max_length=10, choices=Cadence.choices, blank=True)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    last_report_on = models.DateField(_("last report"), null=True, blank=True)
    done_on = models.DateField(_("closed on"), null=True, blank=True)
    enterprises = models.ManyToManyField(
        "enterprises.Enterprise",
        blank=True,
        related_name="ledger_items",
        verbose_name=_("linked enterprises"),
    )
    targets = models.ManyToManyField(
        "targets.Target",
        blank=True,
        related_name="ledger_items",
        verbose_name=_("linked targets"),
        help_text=_("The targets this work serves (目标责任)."),
    )

    scope_units = ("unit",)
    scope_roles = STAFF_ROLES
    objects = AliveItemManager()
    all_objects = ItemQuerySet.as_manager()
    history_exclude = frozenset({"created", "updated", "progress", "last_report_on"})

    class Meta:
        verbose_name = _("ledger item")
        verbose_name_plural = _("ledger items")
        ordering = ["ledger", "number"]
        indexes = [
            models.Index(fields=["ledger", "number"], name="ledger_item_number"),
            models.Index(fields=["deadline", "state"], name="ledger_item_deadline"),
            models.Index(fields=["lead_department_name", "state"], name="ledger_item_dept"),
        ]

    def __str__(self):
        return _("Item %(number)s: %(problem)s") % {"number": self.number, "problem": self.problem[:30]}

    def get_absolute_url(self):
        return reverse("ledger:item-detail", args=[self.pk])

    def clean(self):
        errors = {}
        if not self.lead_department_name.strip():
            errors["departments_text"] = _(
                "An item needs a lead department: name at least one responsible department."
            )
        if self.long_term:
            if not self.cadence:
                errors["cadence"] = _(
                    "A long-term item needs a reporting cadence (monthly, quarterly or half-yearly)."
                )
        elif self.deadline is None:
            errors["deadline"] = _("Give a deadline, or mark the item long-term.")
        elif self.pk is None and self.deadline < today():
            errors["deadline"] = _(
                "The deadline %(date)s has already passed: a new item needs a deadline from today on."
            ) % {"date": f"{self.deadline.year}年{self.deadline.month}月{self.deadline.day}日"}
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        if self.state == ItemState.DONE and self.done_on is None:
            self.done_on = today()
        elif self.state != ItemState.DONE:
            self.done_on = None
        if self.long_term:
            self.deadline = None
        if self.unit_id is None and self.ledger_id:
            self.unit_id = self.ledger.unit_id
        super().save(*args, **kwargs)

    @property
    def co_department_names(self) -> str:
        return "、".join(n for n in self.departments_text.split("、")[1:] if n)

    @property
    def deadline_label(self) -> str:
        if self.long_term:
            return str(_("Long-term"))
        if self.deadline is None:
            return "—"
        return f"{self.deadline.year}年{self.deadline.month}月{self.deadline.day}日"

    def is_overdue(self, on=None) -> bool:
        return (
            self.state != ItemState.DONE
            and not self.long_term
            and self.deadline is not None
            and self.deadline < (on or today())
        )

    def finished_late(self) -> bool:
        return self.done_on is not None and self.deadline is not None and self.done_on > self.deadline


class Measure(ChangeLoggedModel):
    """One measure (解决措施) of an item, in the plan's order (一是…, 二是…)."""

    item = models.ForeignKey(Item, models.CASCADE, related_name="measures", verbose_name=_("item"))
    position = models.PositiveSmallIntegerField(_("position"))
    text = models.TextField(_("measure"))
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)

    history_parent = "item"

    class Meta:
        verbose_name = _("measure")
        verbose_name_plural = _("measures")
        ordering = ["item", "position"]
        constraints = [models.UniqueConstraint(fields=["item", "position"], name="ledger_measure_position")]

    def __str__(self):
        return self.text[:40]


class ReportQuerySet(ScopedQuerySet):
    def for_user(self, user):
        return self.filter(item__in=Item.objects.for_user(user).values("pk"))

    def writable_by(self, user):
        if user.is_authenticated and user.is_read_only:
            return self.none()
        return self.filter(item__in=Item.objects.writable_by(user).values("pk"))

    def standing(self):
        return self.exclude(status=ReportStatus.RETURNED)


class Report(ChangeLoggedModel):
    """A progress report (进展报告) on an item or one of its measures: what was done, the percentage
    or milestone reached, evidence files (attachments). A report by a member of the lead department
    is the item's own (`is_lead`): it sets the item's progress. The bureau may return a report with
    a reason."""

    item = models.ForeignKey(Item, models.CASCADE, related_name="reports", verbose_name=_("item"))
    measure = models.ForeignKey(
        Measure, models.CASCADE, null=True, blank=True, related_name="reports", verbose_name=_("measure")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("reported by")
    )
    department = models.ForeignKey(
        "core.Department",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("department"),
    )
    reported_on = models.DateField(_("reported on"), default=today)
    text = models.TextField(_("what was done"))
    percent = models.PositiveSmallIntegerField(
        _("progress (%)"), null=True, blank=True, validators=[MaxValueValidator(100)]
    )
    milestone = models.CharField(_("milestone"), max_length=200, blank=True)
    is_lead = models.BooleanField(_("lead department's report"), default=False)
    status = models.CharField(
        _("status"), max_length=16, choices=ReportStatus.choices, default=ReportStatus.SUBMITTED
    )
    return_reason = models.TextField(_("reason for return"), blank=True)

    history_parent = "item"
    scope_roles = STAFF_ROLES
    objects = ReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        ordering = ["-reported_on", "-pk"]
        indexes = [models.Index(fields=["item", "reported_on"], name="ledger_report_item_day")]

    def __str__(self):
        return _("Report of %(date)s") % {
            "date": f"{self.reported_on.year}年{self.reported_on.month}月{self.reported_on.day}日"
        }

    def get_absolute_url(self):
        return self.item.get_absolute_url() + f"#report-{self.pk}"


class NoticeQuerySet(ScopedQuerySet):
    def for_user(self, user):
        return self.filter(item__in=Item.objects.for_user(user).values("pk"))

    def writable_by(self, user):
        if user.is_authenticated and user.is_read_only:
            return self.none()
        return self.filter(item__in=Item.objects.writable_by(user).values("pk"))


class SupervisionNotice(ChangeLoggedModel):
    """A supervision notice (督办单) the bureau issues on an item: what is demanded, a reply due in
    working days, and the owners' reply."""

    item = models.ForeignKey(Item, models.CASCADE, related_name="notices", verbose_name=_("item"))
    number = models.CharField(_("notice number"), max_length=40)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("issued by")
    )
    issued_on = models.DateField(_("issued on"), default=today)
    content = models.TextField(_("demands"))
    due_date = models.DateField(_("reply due"))
    state = models.CharField(_("state"), max_length=16, choices=NoticeState.choices, default=NoticeState.OPEN)
    reply = models.TextField(_("reply"), blank=True)
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("replied by"),
    )
    replied_on = models.DateField(_("replied on"), null=True, blank=True)

    history_parent = "item"
    scope_roles = STAFF_ROLES
    objects = NoticeQuerySet.as_manager()

    class Meta:
        verbose_name = _("supervision notice")
        verbose_name_plural = _("supervision notices")
        ordering = ["-issued_on", "-pk"]

    def __str__(self):
        return _("Supervision notice %(number)s") % {"number": self.number}

    def get_absolute_url(self):
        return self.item.get_absolute_url() + f"#notice-{self.pk}"

    def is_overdue(self, on=None) -> bool:
        return self.state == NoticeState.OPEN and self.due_date < (on or today())


class Reminder(ChangeLoggedModel):
    """A reminder the scheduled job sent (or, in a dry run, would send): one per item, kind and
    `key` (the deadline or the reporting period), so a daily run does not repeat itself."""

    item = models.ForeignKey(Item, models.CASCADE, related_name="reminders", verbose_name=_("item"))
    kind = models.CharField(_("kind"), max_length=20, choices=ReminderKind.choices)
    key = models.CharField(_("for"), max_length=40)
    sent_on = models.DateField(_("sent on"), default=today)
    working_days = models.IntegerField(_("working days"), default=0)
    recipients = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="+", verbose_name=_("recipients")
    )
    recipient_names = models.CharField(_("recipients"), max_length=300, blank=True)

    history_parent = "item"

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        ordering = ["-sent_on", "-pk"]
        constraints = [models.UniqueConstraint(fields=["item", "kind", "key"], name="ledger_reminder_once")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.key}"
