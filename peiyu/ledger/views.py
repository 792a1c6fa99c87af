"""Pages of the work ledger. Every page reads through the scoped querysets (`for_user` to see,
`writable_by` to report); the bureau creates ledgers and items, accepts completions and issues
supervision notices."""

import calendar as pycalendar
import datetime as dt

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Prefetch, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from peiyu.core.attachments.services import attach, attachments_of
from peiyu.core.choices import Role
from peiyu.core.history import acting_as
from peiyu.core.notifications import notify
from peiyu.core.views.generic import ObjectDetailView, ObjectEditView, ObjectListView, ScopedMixin
from peiyu.core.workdays import add_working_days
from peiyu.ledger import deadlines, exporting, importing, services, stats
from peiyu.ledger.choices import ItemState, NoticeState, ReportStatus, Situation
from peiyu.ledger.filtersets import ItemFilterSet, filter_situation
from peiyu.ledger.forms import ImportForm, ItemForm, LedgerForm, NoticeForm, ReplyForm, ReportForm, ReturnForm
from peiyu.ledger.models import Item, Ledger, Measure, Report, SupervisionNotice, today


def is_bureau(user) -> bool:
    return user.is_superuser or user.role == Role.BUREAU


def require_bureau(user):
    if not is_bureau(user):
        raise PermissionDenied(_("Only bureau staff may do this."))


def table_queryset(qs):
    """Items with what the ledger table shows, in a fixed number of queries."""
    latest = Report.objects.filter(status=ReportStatus.SUBMITTED).order_by("-reported_on", "-pk")
    return qs.select_related("ledger").prefetch_related(
        Prefetch("measures", queryset=Measure.objects.order_by("position")),
        Prefetch(
            "reports",
            queryset=latest.filter(reported_on__gte=today() - dt.timedelta(days=400)),
            to_attr="recent_reports",
        ),
    )


def decorate(items, on=None):
    """Attach each item's situation and its latest report per measure (for the table's rows)."""
    memo = deadlines.WorkdayMemo()
    on = on or today()
    for item in items:
        item.situation = deadlines.situation(item, on, memo)
        item.situation_label = Situation(item.situation).label
        reports = getattr(item, "recent_reports", [])
        item.latest_report = next(
            (r for r in reports if r.measure_id is None), reports[0] if reports else None
        )
        item.rows = [
            (m, next((r for r in reports if r.measure_id == m.pk), None)) for m in item.measures.all()
        ] or [(None, None)]
    return items


class LedgerListView(ObjectListView):
    queryset = Ledger.objects.select_related("unit")
    template_name = "ledger/ledger_list.html"
    extra_context = {"page_title": gettext_lazy("Work ledgers")}

    def get_filterset(self):
        class All:
            def __init__(self, qs):
                self.qs = qs

        return All(self.get_queryset())

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        items = Item.objects.for_user(self.request.user)
        on = today()
        counts = {
            row["ledger"]: row
            for row in items.order_by()
            .values("ledger")
            .annotate(
                n=Count("pk"),
                done=Count("pk", filter=Q(state=ItemState.DONE)),
                overdue=Count("pk", filter=~Q(state=ItemState.DONE) & Q(long_term=False, deadline__lt=on)),
            )
        }
        for ledger in ctx["object_list"]:
            ledger.counts = counts.get(ledger.pk, {"n": 0, "done": 0, "overdue": 0})
        ctx["can_create"] = is_bureau(self.request.user)
        return ctx


class ItemTableMixin:
    """A filtered, paged list of items shown as the ledger table (measures in rows)."""

    paginate_by = 20
    default_sort = "number"
    sort_fields = {
        "number": "number",
        "deadline": "deadline",
        "department": "lead_department_name",
        "progress": "progress",
    }
    nullable_sorts = frozenset({"deadline"})

    def get_filterset(self):
        return ItemFilterSet(self.request.GET or None, queryset=self.get_queryset(), user=self.request.user)

    def sort(self, qs):
        qs, key = super().sort(qs)
        return table_queryset(qs), key

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["object_list"] = decorate(list(ctx["object_list"]))
        return ctx


class LedgerDetailView(ItemTableMixin, ObjectListView):
    """The ledger as the bureau's table: grouped by problem, measures in rows, owners and deadlines
    in columns."""

    queryset = Item.objects.all()
    template_name = "ledger/ledger_detail.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.ledger = get_object_or_404(
                Ledger.objects.for_user(request.user).select_related("unit"), pk=kwargs["pk"]
            )
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        return super().get_queryset().filter(ledger=self.ledger)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        ctx.update(
            ledger=self.ledger,
            page_title=self.ledger.name,
            can_edit=is_bureau(user) and Ledger.objects.writable_by(user).filter(pk=self.ledger.pk).exists(),
        )
        return ctx


class ItemListView(ItemTableMixin, ObjectListView):
    """Items across ledgers; with `mine`, the items that name the user or their department."""

    queryset = Item.objects.all()
    template_name = "ledger/item_list.html"
    mine = False

    def get_queryset(self):
        qs = super().get_queryset()
        if self.mine:
            user = self.request.user
            departments = list(user.departments.values_list("name", flat=True))
            condition = Q(pk__in=Item.objects.named_ids(user))
            if departments:
                condition |= Q(lead_department_name__in=departments)
            qs = qs.filter(condition)
        return qs

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(mine=self.mine, page_title=_("My items") if self.mine else _("Ledger items"))
        return ctx


class ItemDetailView(ObjectDetailView):
    queryset = Item.objects.select_related("ledger", "unit", "lead_department")
    template_name = "ledger/item_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        item, user = ctx["object"], self.request.user
        reports = list(item.reports.select_related("author", "department", "measure"))
        evidence = {}
        for report in reports:
            evidence[report.pk] = list(attachments_of(report))
            report.evidence = evidence[report.pk]
        can_report = not user.is_read_only and services_may_report(item, user)
        ctx.update(
            page_title=str(item),
            item=item,
            measures=list(item.measures.all()),
            reports=reports,
            situation_code=deadlines.situation(item),
            periods=deadlines.cadence_periods(item),
            notices=list(item.notices.select_related("issued_by", "replied_by")),
            reminders=list(item.reminders.all()[:20]),
            can_report=can_report,
            situation=Situation(deadlines.situation(item)).label,
            is_bureau=is_bureau(user) and not user.is_read_only,
            report_form=ReportForm(item=item),
            notice_form=NoticeForm(),
            reply_form=ReplyForm(),
            return_form=ReturnForm(),
            enterprises=list(item.enterprises.all()),
            targets=list(item.targets.select_related("indicator", "unit", "plan")),
        )
        return ctx


def services_may_report(item, user) -> bool:
    return Item.objects.writable_by(user).filter(pk=item.pk).exists()


class LedgerEditView(ObjectEditView):
    queryset = Ledger.objects.all()
    form_class = LedgerForm

    def check_create(self):
        require_bureau(self.request.user)

    def get_object(self):
        require_bureau(self.request.user)
        return super().get_object()

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["page_title"] = (
            _("New ledger") if ctx["creating"] else _("Edit %(object)s") % {"object": self.object}
        )
        return ctx

    def get_cancel_url(self):
        return self.object.get_absolute_url() if self.object.pk else reverse("ledger:index")


class ItemEditView(ObjectEditView):
    queryset = Item.objects.select_related("ledger")
    form_class = ItemForm

    def check_create(self):
        require_bureau(self.request.user)

    def get_object(self):
        require_bureau(self.request.user)
        return super().get_object()

    def new_instance(self):
        ledger = get_object_or_404(Ledger.objects.writable_by(self.request.user), pk=self.kwargs["ledger_pk"])
        return Item(ledger=ledger, unit=ledger.unit)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["page_title"] = (
            _("New item in %(ledger)s") % {"ledger": self.object.ledger}
            if ctx["creating"]
            else _("Edit %(object)s") % {"object": self.object}
        )
        return ctx

    def get_cancel_url(self):
        return self.object.get_absolute_url() if self.object.pk else self.object.ledger.get_absolute_url()


class ItemActionView(LoginRequiredMixin, View):
    """A POST on one item the user may see (reports, notices, returns)."""

    def item(self, write=True):
        manager = Item.objects
        visible = manager.for_user(self.request.user).filter(pk=self.kwargs["pk"])
        if write:
            item = manager.writable_by(self.request.user).filter(pk=self.kwargs["pk"]).first()
            if item is None:
                if visible.exists():
                    raise PermissionDenied(_("You may view this item but not report on it."))
                get_object_or_404(visible)
            return item
        return get_object_or_404(visible)

    def back(self, item, anchor=""):
        return redirect(item.get_absolute_url() + anchor)


class ReportCreateView(ItemActionView):
    def post(self, request, pk):
        item = self.item()
        form = ReportForm(request.POST, request.FILES, item=item)
        if not form.is_valid():
            for field, errors in form.errors.items():
                label = form.fields[field].label if field in form.fields else ""
                messages.error(request, f"{label}：{'；'.join(errors)}" if label else "；".join(errors))
            return self.back(item, "#report-form")
        try:
            with transaction.atomic(), acting_as(request.user):
                report = services.submit_report(
                    item,
                    request.user,
                    form.cleaned_data["text"],
                    percent=form.cleaned_data["percent"],
                    milestone=form.cleaned_data["milestone"],
                    measure=form.cleaned_data["measure"],
                )
                if form.cleaned_data["evidence"]:
                    attach(report, form.cleaned_data["evidence"], request.user)
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
            return self.back(item, "#report-form")
        messages.success(request, _("Progress report saved."))
        return self.back(item, f"#report-{report.pk}")


class ReportReturnView(LoginRequiredMixin, View):
    def post(self, request, pk):
        require_bureau(request.user)
        report = get_object_or_404(Report.objects.writable_by(request.user).select_related("item"), pk=pk)
        form = ReturnForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Say why the report is returned."))
            return redirect(report.item)
        with transaction.atomic(), acting_as(request.user):
            services.return_report(report, form.cleaned_data["reason"])
            notify(
                "ledger.report_returned",
                [report.author],
                title=_("Your progress report was returned: %(item)s") % {"item": report.item},
                body=form.cleaned_data["reason"],
                source=report.item,
                reason=_("You wrote this report."),
            )
        messages.success(request, _("Report returned."))
        return redirect(report.item)


class NoticeCreateView(ItemActionView):
    def post(self, request, pk):
        require_bureau(request.user)
        item = self.item()
        form = NoticeForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Write the demands and the working days to reply in (1–60)."))
            return self.back(item, "#notices")
        on = today()
        with transaction.atomic(), acting_as(request.user):
            count = SupervisionNotice.objects.filter(issued_on__year=on.year).count() + 1
            notice = SupervisionNotice.objects.create(
                item=item,
                number=f"督办〔{on.year}〕{count}号",
                issued_by=request.user,
                issued_on=on,
                content=form.cleaned_data["content"],
                due_date=add_working_days(on, form.cleaned_data["due_in"]),
            )
            recipients = deadlines.owners_of(item) + deadlines.leaders_of(item)
            if recipients:
                notify(
                    "ledger.notice",
                    recipients,
                    title=_("Supervision notice %(number)s: %(item)s")
                    % {"number": notice.number, "item": item},
                    body=notice.content,
                    source=item,
                    reason=_("You are named as responsible for this item in %(ledger)s.")
                    % {"ledger": item.ledger},
                )
        messages.success(request, _("Supervision notice %(number)s issued.") % {"number": notice.number})
        return self.back(item, f"#notice-{notice.pk}")


class NoticeReplyView(LoginRequiredMixin, View):
    def post(self, request, pk):
        notice = SupervisionNotice.objects.for_user(request.user).filter(pk=pk).select_related("item").first()
        if notice is None:
            raise Http404
        if not SupervisionNotice.objects.writable_by(request.user).filter(pk=pk).exists():
            raise PermissionDenied(_("You may view this item but not report on it."))
        form = ReplyForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Write the reply."))
            return redirect(notice.item)
        with transaction.atomic(), acting_as(request.user):
            notice.reply, notice.replied_by, notice.replied_on, notice.state = (
                form.cleaned_data["reply"],
                request.user,
                today(),
                NoticeState.REPLIED,
            )
            notice.save()
        messages.success(request, _("Reply saved."))
        return redirect(notice.get_absolute_url())


class LedgerExportView(ScopedMixin, View):
    queryset = Ledger.objects.all()

    def get(self, request, pk):
        ledger = self.get_object()
        kind = "docx" if request.GET.get("format") == "docx" else "xlsx"
        if kind == "docx":
            data, mime = (
                exporting.docx_bytes(ledger, request.user),
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            )
        else:
            data, mime = (
                exporting.xlsx_bytes(ledger, request.user),
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            )
        response = HttpResponse(data, content_type=mime)
        response["Content-Disposition"] = content_disposition_header(True, exporting.file_name(ledger, kind))
        return response


class LedgerImportView(LoginRequiredMixin, TemplateView):
    template_name = "ledger/import.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            require_bureau(request.user)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.setdefault("form", ImportForm(user=self.request.user))
        ctx["page_title"] = _("Import a ledger")
        ctx["columns"] = [names[0] for names in importing.COLUMNS.values()]
        return ctx

    def post(self, request):
        form = ImportForm(request.POST, request.FILES, user=request.user)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        upload = form.cleaned_data["file"]
        result = importing.import_ledger(
            upload.read(),
            upload.name,
            form.cleaned_data["name"],
            form.cleaned_data["unit"],
            request.user,
            kind=form.cleaned_data["kind"],
            year=form.cleaned_data["year"],
        )
        if result.errors:
            return self.render_to_response(self.get_context_data(form=form, errors=result.errors))
        messages.success(
            request,
            _("Imported %(n)s items into %(ledger)s.")
            % {"n": result.ledger.items.count(), "ledger": result.ledger},
        )
        for warning in result.warnings[:30]:
            messages.warning(request, warning)
        return redirect(result.ledger)


class CalendarView(LoginRequiredMixin, TemplateView):
    """Deadlines of a month on a calendar grid: item deadlines and supervision notices' reply dates."""

    template_name = "ledger/calendar.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        month = self.month()
        first = month
        last = dt.date(month.year, month.month, pycalendar.monthrange(month.year, month.month)[1])
        items = (
            Item.objects.for_user(self.request.user)
            .filter(long_term=False, deadline__gte=first, deadline__lte=last)
            .select_related("ledger")
        )
        notices = (
            SupervisionNotice.objects.for_user(self.request.user)
            .filter(due_date__gte=first, due_date__lte=last, state=NoticeState.OPEN)
            .select_related("item")
        )
        by_day: dict[dt.date, list] = {}
        on = today()
        for item in items.order_by("deadline", "number"):
            kind = "done" if item.state == ItemState.DONE else ("overdue" if item.deadline < on else "open")
            by_day.setdefault(item.deadline, []).append((kind, str(item), item.get_absolute_url()))
        for notice in notices:
            by_day.setdefault(notice.due_date, []).append(("notice", str(notice), notice.get_absolute_url()))
        weeks = [
            [(day, by_day.get(day, []), day.month == month.month) for day in week]
            for week in pycalendar.Calendar().monthdatescalendar(month.year, month.month)
        ]
        previous = (first - dt.timedelta(days=1)).replace(day=1)
        following = last + dt.timedelta(days=1)
        ctx.update(
            weeks=weeks,
            month=month,
            weekdays=[_("Mon"), _("Tue"), _("Wed"), _("Thu"), _("Fri"), _("Sat"), _("Sun")],
            today=on,
            page_title=_("Deadline calendar"),
            previous=f"{previous.year}-{previous.month:02d}",
            following=f"{following.year}-{following.month:02d}",
            month_label=f"{month.year}年{month.month}月",
            total=sum(len(v) for v in by_day.values()),
        )
        return ctx

    def month(self) -> dt.date:
        value = self.request.GET.get("month", "")
        try:
            year, month = (int(p) for p in value.split("-"))
            return dt.date(year, month, 1)
        except ValueError:
            return today().replace(day=1)


BOARD_COLUMNS = (
    Situation.OVERDUE,
    Situation.DUE_SOON,
    Situation.ON_TRACK,
    Situation.LONG_TERM,
    Situation.REQUESTED,
    Situation.DONE,
)


class BoardView(LoginRequiredMixin, TemplateView):
    """Items by where they stand, a column each (at most 50 shown per column, with the count)."""

    template_name = "ledger/board.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        filterset = ItemFilterSet(
            self.request.GET or None,
            queryset=Item.objects.for_user(self.request.user),
            user=self.request.user,
        )
        on, memo = today(), deadlines.WorkdayMemo()
        qs = filterset.qs.select_related("ledger").order_by("deadline", "number")
        columns = {s: [] for s in BOARD_COLUMNS}
        counts = dict.fromkeys(BOARD_COLUMNS, 0)
        for item in filter_situation(qs, "open").iterator(chunk_size=2000):
            s = deadlines.situation(item, on, memo)
            counts[s] += 1
            if len(columns[s]) < 50:
                columns[s].append(item)
        done = qs.filter(state=ItemState.DONE)
        counts[Situation.DONE] = done.count()
        columns[Situation.DONE] = list(done.order_by("-done_on")[:50])
        ctx.update(
            filterset=filterset,
            page_title=_("Board"),
            columns=[(Situation(s).label, s, columns[s], counts[s]) for s in BOARD_COLUMNS],
        )
        return ctx


class StatisticsView(LoginRequiredMixin, TemplateView):
    """Per lead department: items, closed, closed on time, overdue, average delay."""

    template_name = "ledger/statistics.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        if not Item.objects.all().visible_to_role(user):
            raise PermissionDenied(_("Your role has no access to these records."))
        items = Item.objects.for_user(user).filter(ledger__deleted_at__isnull=True)
        ledgers = Ledger.objects.for_user(user)
        ledger_id = self.request.GET.get("ledger", "")
        year = self.request.GET.get("year", "")
        if ledger_id.isdigit():
            items = items.filter(ledger_id=int(ledger_id))
        if year.isdigit():
            items = items.filter(Q(deadline__year=int(year)) | Q(long_term=True, ledger__year=int(year)))
        rows = stats.department_stats(items)
        ctx.update(
            rows=rows,
            total=stats.totals(rows),
            ledgers=ledgers,
            ledger_id=ledger_id,
            year=year,
            page_title=_("Statistics by department"),
            years=sorted(
                {
                    d.year
                    for d in Item.objects.for_user(user).exclude(deadline=None).dates("deadline", "year")
                },
                reverse=True,
            ),
            chart={
                "departments": [r.department for r in rows],
                "done_on_time": [r.done_on_time for r in rows],
                "overdue": [r.overdue for r in rows],
                "items": [r.items for r in rows],
            },
            chart_labels={"done_on_time": _("Closed on time"), "overdue": _("Overdue"), "items": _("Items")},
        )
        return ctx
