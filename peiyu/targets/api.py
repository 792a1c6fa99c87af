"""API of targets and assessment: plans, targets with progress and forecast, assessment results and
reported values — scoped exactly like the pages (a town sees its own targets only)."""

import datetime
from decimal import Decimal

from django.utils import timezone
from ninja import Field, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate

from peiyu.core.api import Date, Id, InputSchema, Pages, get_scoped, responses
from peiyu.core.workflows import TransitionNotAllowed
from peiyu.targets import scoring, services
from peiyu.targets.forms import ReportForm
from peiyu.targets.models import Plan, ReportedValue, Scheme, Target
from peiyu.targets.progress import progress_of

router = Router(tags=["目标与考核"])


class PlanOut(Schema):
    id: int
    code: str = Field(description="规划编号")
    name: str = Field(description="规划名称")
    issuer: str = Field(description="印发单位")
    unit: int = Field(description="所属单位 id", alias="unit_id")
    period: str = Field(description="期间代码：2025 或 2011..2015", alias="period_code")
    status: str = Field(description="状态：draft 草稿、active 执行中、closed 已结束")


class ForecastOut(Schema):
    value: Decimal = Field(description="年底预计值")
    low: Decimal | None = Field(description="90% 区间下限（历史不足两年时为空）")
    high: Decimal | None = Field(description="90% 区间上限")
    p_floor: float | None = Field(description="完成确保目标的概率（0–1）")
    p_stretch: float | None = Field(description="完成力争目标的概率（0–1）")
    month: int = Field(description="预测所用数据截至的月份")
    backtest_mape: float | None = Field(description="回测同月预测的平均绝对误差（%）")


class TargetOut(Schema):
    id: int
    plan: int = Field(description="规划 id")
    indicator: str = Field(description="指标代码")
    indicator_name: str = Field(description="指标名称")
    measure: str = Field(description="计量单位")
    unit: int = Field(description="单位 id")
    unit_name: str = Field(description="单位名称")
    parent: int | None = Field(description="上级目标 id（分解自）")
    period: str = Field(description="目标期间")
    baseline: Decimal | None = Field(description="基期值")
    floor: Decimal = Field(description="确保值")
    stretch: Decimal | None = Field(description="力争值")
    as_of: datetime.date = Field(description="进度截至日期")
    actual: Decimal | None = Field(description="实际值")
    completion: Decimal | None = Field(description="确保目标完成率（%）")
    stretch_completion: Decimal | None = Field(description="力争目标完成率（%）")
    elapsed: Decimal = Field(description="时间进度（按工作日，%）")
    elapsed_calendar: Decimal = Field(description="时间进度（按日历日，%）")
    gap: Decimal | None = Field(description="完成率减时间进度（百分点，负数为落后序时进度）")
    light: str = Field(description="红绿灯：green 正常、yellow 略落后、red 落后、grey 暂无数据")
    forecast: ForecastOut | None = Field(None, description="年底预测（仅年度目标）")


def target_out(p, with_forecast: bool) -> dict:
    f = services.forecast_for(p.target, p.as_of) if with_forecast else None
    t = p.target
    return {
        "id": t.pk,
        "plan": t.plan_id,
        "indicator": t.indicator.code,
        "indicator_name": t.indicator.name,
        "measure": t.indicator.unit,
        "unit": t.unit_id,
        "unit_name": t.unit.name,
        "parent": t.parent_id,
        "baseline": t.baseline,
        "floor": t.floor,
        "stretch": t.stretch,
        "period": t.period.code,
        "as_of": p.as_of,
        "actual": p.actual,
        "completion": p.completion,
        "stretch_completion": p.stretch_completion,
        "elapsed": p.elapsed,
        "elapsed_calendar": p.elapsed_calendar,
        "gap": p.gap,
        "light": p.light,
        "forecast": None
        if f is None
        else {
            "value": f.value,
            "low": f.low,
            "high": f.high,
            "p_floor": f.p_floor,
            "p_stretch": f.p_stretch,
            "month": f.month,
            "backtest_mape": f.mape,
        },
    }


@router.get("/plans", response=responses({200: list[PlanOut]}), summary="规划与年度计划")
@paginate(Pages, page_size=50)
def list_plans(request):
    return Plan.objects.for_user(request.auth).order_by("-period_code", "code")


@router.get("/plans/{plan_id}", response=responses({200: PlanOut}, 404), summary="一个规划")
def get_plan(request, plan_id: Id):
    return get_scoped(Plan.objects.all(), request.auth, pk=plan_id)


@router.get(
    "/plans/{plan_id}/targets",
    response=responses({200: list[TargetOut]}, 404),
    summary="规划的目标及进度（可含年底预测）",
)
@paginate(Pages, page_size=100)
def plan_targets(request, plan_id: Id, as_of: Date = None, unit: Id = None, forecast: bool = False):
    plan = get_scoped(Plan.objects.all(), request.auth, pk=plan_id)
    as_of = min(as_of or timezone.localdate(), plan.period.end)
    targets = (
        Target.objects.for_user(request.auth).filter(plan=plan).select_related("indicator", "unit", "plan")
    )
    if unit is not None:
        targets = targets.filter(unit_id=unit)
    return [
        target_out(p, forecast) for p in progress_of(targets.order_by("indicator__code", "unit__path"), as_of)
    ]


@router.get(
    "/targets/{target_id}", response=responses({200: TargetOut}, 404), summary="一个目标的进度与年底预测"
)
def get_target(request, target_id: Id, as_of: Date = None):
    target = get_scoped(
        Target.objects.select_related("indicator", "unit", "plan"), request.auth, pk=target_id
    )
    as_of = min(as_of or timezone.localdate(), target.period.end)
    return target_out(services.progress_as_reported([target], as_of)[0], True)


class ItemScoreOut(Schema):
    indicator: str
    points: Decimal
    bonus: Decimal
    actual: Decimal | None


class ResultOut(Schema):
    rank: int = Field(description="名次（同分同名次）")
    unit: int
    unit_name: str
    subtotal: Decimal = Field(description="指标得分合计")
    adjustments: Decimal = Field(description="加减分合计")
    total: Decimal = Field(description="总分（一票否决时为 0）")
    vetoed: bool = Field(description="是否被一票否决")
    items: list[ItemScoreOut]


@router.get(
    "/schemes/{scheme_id}/results",
    response=responses({200: list[ResultOut]}, 404),
    summary="年度考核得分与排名",
)
def scheme_results(request, scheme_id: Id, as_of: Date = None):
    scheme = get_scoped(Scheme.objects.select_related("plan"), request.auth, pk=scheme_id)
    visible = set(
        Target.objects.for_user(request.auth).filter(plan=scheme.plan).values_list("unit_id", flat=True)
    )
    codes = {i.indicator_id: i.indicator.code for i in scheme.items.select_related("indicator")}
    return [
        {
            "rank": r.rank,
            "unit": r.unit.pk,
            "unit_name": r.unit.name,
            "subtotal": r.subtotal,
            "adjustments": r.adjustment_total,
            "total": r.total,
            "vetoed": r.vetoed,
            "items": [
                {"indicator": codes[pk], "points": s.points, "bonus": s.bonus, "actual": p.actual}
                for pk, (s, p) in r.items.items()
            ],
        }
        for r in scoring.assess(scheme, as_of)
        if r.unit.pk in visible
    ]


class ReportOut(Schema):
    id: int
    indicator: str = Field(alias="indicator.code")
    unit: int = Field(alias="unit_id")
    period: str = Field(alias="period_code")
    value: Decimal
    measure: str
    state: str = Field(description="submitted 已报送、accepted 已采纳、returned 已退回")


class ReportIn(InputSchema):
    indicator: Id = Field(description="指标 id（填报类指标）")
    unit: Id = Field(description="单位 id")
    period: str = Field(max_length=20, description="期间：2025-07（1–7 月累计）、2025-Q3 或 2025")
    value: Decimal = Field(description="数值")
    measure: str = Field(max_length=8, description="计量单位，须与指标一致，如 亿元")
    note: str = Field("", max_length=200)


@router.get("/reports", response=responses({200: list[ReportOut]}), summary="填报值")
@paginate(Pages, page_size=100)
def list_reports(request):
    return (
        ReportedValue.objects.for_user(request.auth).select_related("indicator").order_by("-period_end", "pk")
    )


@router.post(
    "/reports", response=responses({201: ReportOut}, 400, 403, 422), summary="报送一个填报值（进入审核）"
)
def create_report(request, payload: ReportIn):
    user = request.auth
    if user.is_read_only:
        raise HttpError(403, "您的角色只能查看 / your role may only read")
    data = payload.dict()
    form = ReportForm({**data, "period_code": data.pop("period")}, user=user)
    if not form.is_valid():
        raise HttpError(
            422,
            "；".join(
                f"{form.fields[k].label if k in form.fields else k}：{'；'.join(v)}"
                for k, v in form.errors.items()
            ),
        )
    return 201, form.save()


@router.post(
    "/reports/{report_id}/{step}",
    response=responses({200: ReportOut}, 400, 403, 404),
    summary="审核：accept 采纳、return 退回（附原因）、resubmit 重新报送",
)
def review_report(request, report_id: Id, step: str, comment: str = ""):
    report = get_scoped(ReportedValue.objects.select_related("indicator"), request.auth, pk=report_id)
    if not ReportedValue.objects.writable_by(request.auth).filter(pk=report.pk).exists():
        raise HttpError(403, "您的角色只能查看 / your role may only read")
    try:
        report.apply_transition(step, request.auth, comment=comment)
    except TransitionNotAllowed as refusal:
        raise HttpError(403, str(refusal)) from None
    return report
