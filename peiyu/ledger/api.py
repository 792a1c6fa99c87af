"""API of the work ledger: ledgers, items (with measures and owners), progress reports and the
statistics per department, scoped like the pages. Descriptions are Chinese: /api/docs shows them to
the bureau's developers."""

from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Field, ModelSchema, Query, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate

from peiyu.core.api import Id, InputSchema, Pages, get_scoped, responses
from peiyu.core.history import acting_as
from peiyu.ledger import deadlines, services, stats
from peiyu.ledger.filtersets import ItemFilterSet
from peiyu.ledger.models import Item, Ledger, Report

router = Router(tags=["工作台账"])


class LedgerOut(ModelSchema):
    unit_name: str = Field(..., alias="unit.name", description="所属单位")

    class Meta:
        model = Ledger
        fields = [
            "id",
            "name",
            "kind",
            "status",
            "year",
            "unit",
            "source",
            "remind_before_days",
            "escalate_after_days",
        ]


class MeasureOut(Schema):
    position: int = Field(description="序号")
    text: str = Field(description="解决措施")
    progress: int = Field(description="进度（%）")


class ItemOut(ModelSchema):
    ledger_name: str = Field(..., alias="ledger.name", description="所属台账")
    situation: str = Field(
        description="当前状况：on_track 正常、due_soon 即将到期、overdue 已逾期、requested 申请办结、done 已销号、long_term 长期"
    )
    measures: list[MeasureOut] = Field(description="解决措施（按顺序）")
    unmatched_names: list[str] = Field(description="未匹配到账号或科室、按原文保留的姓名/部门")

    class Meta:
        model = Item
        fields = [
            "id",
            "ledger",
            "unit",
            "number",
            "category",
            "problem",
            "manifestations",
            "goal",
            "source",
            "leaders_text",
            "departments_text",
            "persons_text",
            "lead_department_name",
            "deadline",
            "long_term",
            "cadence",
            "state",
            "progress",
            "last_report_on",
            "done_on",
        ]

    @staticmethod
    def resolve_situation(obj):
        return deadlines.situation(obj)

    @staticmethod
    def resolve_measures(obj):
        return list(obj.measures.all())

    @staticmethod
    def resolve_unmatched_names(obj):
        return [n for n in obj.unmatched.split("、") if n]


class ReportOut(ModelSchema):
    author_name: str = Field(description="报告人")

    class Meta:
        model = Report
        fields = [
            "id",
            "item",
            "measure",
            "reported_on",
            "text",
            "percent",
            "milestone",
            "is_lead",
            "status",
            "return_reason",
        ]

    @staticmethod
    def resolve_author_name(obj):
        return str(obj.author)


class ReportIn(InputSchema):
    text: str = Field(min_length=1, max_length=5000, description="完成情况")
    percent: int | None = Field(None, ge=0, le=100, description="进度（0–100）")
    milestone: str = Field("", max_length=200, description="节点/里程碑")
    measure: int | None = Field(None, ge=1, le=99, description="措施序号；为空表示事项整体")


class ItemFilters(Schema):
    q: str | None = Field(None, description="检索：问题、措施或姓名")
    ledger: Id | None = Field(None, description="台账 id")
    department: Id | None = Field(None, description="科室 id（牵头或配合）")
    person: Id | None = Field(None, description="用户 id（被列为责任领导或责任人）")
    situation: str | None = Field(
        None, description="open / overdue / due_week / requested / done / long_term"
    )


class DepartmentStatOut(Schema):
    department: str = Field(description="牵头部门")
    items: int = Field(description="事项数")
    long_term: int = Field(description="长期事项")
    done: int = Field(description="已销号")
    done_on_time: int = Field(description="按期销号")
    overdue: int = Field(description="逾期未完成")
    on_time_rate: float | None = Field(description="按期完成率（%）")
    average_delay: float | None = Field(description="平均延误天数（自然日）")


@router.get("/ledgers", response=responses({200: list[LedgerOut]}), summary="台账列表")
@paginate(Pages)
def list_ledgers(request):
    return Ledger.objects.for_user(request.auth).select_related("unit").order_by("-year", "name", "pk")


@router.get("/items", response=responses({200: list[ItemOut]}), summary="事项列表（可筛选）")
@paginate(Pages)
def list_items(request, filters: Query[ItemFilters]):
    data = {k: v for k, v in filters.dict().items() if v not in (None, "")}
    filterset = ItemFilterSet(data or None, queryset=Item.objects.for_user(request.auth), user=request.auth)
    if data and not filterset.is_valid():
        raise HttpError(422, "；".join(f"{k}: {'、'.join(v)}" for k, v in filterset.errors.items()))
    return (
        filterset.qs.select_related("ledger")
        .prefetch_related("measures")
        .order_by("ledger_id", "number", "pk")
    )


@router.get("/items/{item_id}", response=responses({200: ItemOut}, 404), summary="一个事项")
def get_item(request, item_id: Id):
    return get_scoped(
        Item.objects.select_related("ledger").prefetch_related("measures"), request.auth, pk=item_id
    )


@router.get(
    "/items/{item_id}/reports", response=responses({200: list[ReportOut]}, 404), summary="事项的进展报告"
)
def item_reports(request, item_id: Id):
    item = get_scoped(Item.objects.all(), request.auth, pk=item_id)
    return list(item.reports.select_related("author"))


@router.post(
    "/items/{item_id}/reports", response=responses({201: ReportOut}, 400, 403, 404, 422), summary="报送进展"
)
def add_report(request, item_id: Id, payload: ReportIn):
    user = request.auth
    item = get_scoped(Item.objects.all(), user, pk=item_id)
    if not Item.objects.writable_by(user).filter(pk=item.pk).exists():
        raise HttpError(403, _("You may view this item but not report on it."))
    measure = None
    if payload.measure is not None:
        measure = item.measures.filter(position=payload.measure).first()
        if measure is None:
            raise HttpError(422, _("The item has no measure %(n)s.") % {"n": payload.measure})
    with transaction.atomic(), acting_as(user):
        report = services.submit_report(
            item, user, payload.text, percent=payload.percent, milestone=payload.milestone, measure=measure
        )
    return 201, report


@router.get("/statistics", response=responses({200: list[DepartmentStatOut]}, 404), summary="按牵头部门统计")
def statistics(request, ledger: Id | None = None, year: int | None = Query(None, ge=1900, le=2100)):
    items = Item.objects.for_user(request.auth)
    if ledger is not None:
        if not Ledger.objects.for_user(request.auth).filter(pk=ledger).exists():
            raise Http404
        items = items.filter(ledger_id=ledger)
    if year is not None:
        items = items.filter(deadline__year=year)
    return [
        DepartmentStatOut(
            department=r.department,
            items=r.items,
            long_term=r.long_term,
            done=r.done,
            done_on_time=r.done_on_time,
            overdue=r.overdue,
            on_time_rate=r.on_time_rate,
            average_delay=r.average_delay,
        )
        for r in stats.department_stats(items)
    ]
