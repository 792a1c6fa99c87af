"""API of the support programmes: vouchers, redemptions, post-subsidy results and commissioners'
service logs, scoped like the pages. Amounts are 万元 as exact decimal strings."""

import datetime
from decimal import Decimal
from typing import Annotated

from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate

from peiyu.core.api import Id, InputSchema, Pages, get_scoped, one_of, responses
from peiyu.enterprises.models import Enterprise
from peiyu.support import vouchers
from peiyu.support.choices import ServiceCategory, SubsidyState, VoucherState
from peiyu.support.models import Redemption, ServiceLog, SubsidyResult, Voucher, VoucherPolicy

router = Router(tags=["扶持政策"])


class VoucherOut(Schema):
    id: int
    number: str = Field(description="券号")
    policy: int = Field(alias="policy_id", description="创新券政策 id")
    enterprise: int = Field(alias="enterprise_id", description="企业 id")
    enterprise_name: str = Field(alias="enterprise.name", description="企业名称")
    category: str = Field(description="服务类别")
    face_value: Decimal = Field(description="面额（万元）")
    applied_on: datetime.date = Field(description="申领日期")
    expires_on: datetime.date | None = Field(description="有效期至（含当日）")
    state: str = Field(description="状态：issued 已发放、used 已使用、redeemed 已兑付、expired 已过期")


class RedemptionOut(Schema):
    id: int
    voucher: int = Field(alias="voucher_id")
    voucher_number: str = Field(alias="voucher.number", description="券号")
    enterprise_name: str = Field(alias="voucher.enterprise.name", description="企业名称")
    provider_name: str = Field(alias="voucher.contract.provider.name", description="服务机构")
    fee: Decimal = Field(description="服务合同金额（万元）")
    amount: Decimal = Field(description="兑付金额（万元）")
    provincial_amount: Decimal = Field(description="其中省级资金（万元）")
    local_amount: Decimal = Field(description="其中地方资金（万元）")
    redeemed_on: datetime.date = Field(description="兑付日期")
    reasons: list[str] = Field(description="计算依据")


class SubsidyOut(Schema):
    id: int
    policy: int = Field(alias="policy_id")
    enterprise: int = Field(alias="enterprise_id")
    enterprise_name: str = Field(alias="enterprise.name")
    rd: Decimal | None = Field(description="当年研发费用（万元）")
    rd_previous: Decimal | None = Field(description="上年研发费用（万元）")
    deduction_rd: Decimal | None = Field(description="加计扣除研发费用（万元）")
    base_award: Decimal = Field(description="基础补助（万元）")
    multiplier: Decimal = Field(description="称号倍数")
    amount: Decimal = Field(description="补助金额（万元）")
    eligible: bool
    state: str = Field(
        description="computed 已测算、confirmed 税务已确认、approved 已审定、paid 已拨付、clawed_back 已追回"
    )
    paid_on: datetime.date | None
    clawback_amount: Decimal | None
    reasons: list[str] = Field(description="计算依据")


class ServiceLogOut(Schema):
    id: int
    commissioner: int = Field(alias="assignment.commissioner_id")
    commissioner_name: str = Field(alias="assignment.commissioner.name")
    target_name: str = Field(alias="assignment.target_name", description="服务对象")
    date: datetime.date
    days: Decimal = Field(description="服务天数")
    kind: str = Field(
        description="training 培训、guidance 现场指导、demonstration 示范、commercialisation 成果转化"
    )
    trained: int = Field(description="培训人次")
    content: str


@router.get("/vouchers", response=responses({200: list[VoucherOut]}), summary="创新券列表")
@paginate(Pages, page_size=50)
def list_vouchers(
    request,
    policy: Annotated[Id | None, Field(description="政策 id")] = None,
    state: one_of(VoucherState, blank=True) = "",
    enterprise: Annotated[Id | None, Field(description="企业 id")] = None,
):
    qs = Voucher.objects.for_user(request.auth).select_related("enterprise").order_by("-applied_on", "-pk")
    if policy:
        qs = qs.filter(policy_id=policy)
    if state:
        qs = qs.filter(state=state)
    if enterprise:
        qs = qs.filter(enterprise_id=enterprise)
    return qs


@router.get("/vouchers/{voucher_id}", response=responses({200: VoucherOut}, 404), summary="一张创新券")
def get_voucher(request, voucher_id: Id):
    return get_scoped(Voucher.objects.select_related("enterprise"), request.auth, pk=voucher_id)


class VoucherIn(InputSchema):
    policy: Id = Field(description="创新券政策 id")
    enterprise: Id = Field(description="企业 id")
    category: one_of(ServiceCategory) = Field(description="服务类别")
    face_value: Decimal = Field(gt=0, max_digits=18, decimal_places=4, description="申领面额（万元）")
    legal_representative: str = Field("", max_length=50, description="法定代表人（与服务机构相同则不得使用）")
    purpose: str = Field("", max_length=255, description="用途")


@router.post(
    "/vouchers",
    response=responses({201: VoucherOut}, 400, 403, 404, 409),
    summary="申领创新券（先到先得；预算或年度额度不足等按规则拒绝时答 409 并说明原因）",
)
def apply_voucher(request, payload: VoucherIn):
    user = request.auth
    if user.is_read_only:
        raise HttpError(403, _("Your role may not create records."))
    policy = get_scoped(VoucherPolicy.objects, user, pk=payload.policy)
    enterprise = Enterprise.objects.writable_by(user).filter(pk=payload.enterprise).first()
    if enterprise is None:
        raise HttpError(404, _("Not found."))
    try:
        voucher = vouchers.apply(
            policy,
            enterprise,
            payload.category,
            payload.face_value,
            user,
            purpose=payload.purpose,
            legal_representative=payload.legal_representative,
        )
    except vouchers.VoucherRefused as exc:
        raise HttpError(409, "；".join(exc.messages)) from None
    return 201, voucher


@router.get("/redemptions", response=responses({200: list[RedemptionOut]}), summary="创新券兑付（公示）列表")
@paginate(Pages, page_size=50)
def list_redemptions(request, policy: Annotated[Id | None, Field(description="政策 id")] = None):
    qs = (
        Redemption.objects.for_user(request.auth)
        .select_related("voucher", "voucher__enterprise", "voucher__contract__provider")
        .order_by("-redeemed_on", "-pk")
    )
    return qs.filter(voucher__policy_id=policy) if policy else qs


@router.get("/subsidies", response=responses({200: list[SubsidyOut]}), summary="研发投入后补助测算与拨付清单")
@paginate(Pages, page_size=100)
def list_subsidies(
    request,
    policy: Annotated[Id | None, Field(description="政策 id")] = None,
    state: one_of(SubsidyState, blank=True) = "",
    eligible: bool | None = None,
):
    qs = SubsidyResult.objects.for_user(request.auth).select_related("enterprise").order_by("-amount", "pk")
    if policy:
        qs = qs.filter(policy_id=policy)
    if state:
        qs = qs.filter(state=state)
    if eligible is not None:
        qs = qs.filter(eligible=eligible)
    return qs


@router.get("/service-logs", response=responses({200: list[ServiceLogOut]}), summary="科技特派员服务记录")
@paginate(Pages, page_size=100)
def list_service_logs(
    request,
    year: Annotated[int | None, Field(ge=1900, le=2100, description="年度")] = None,
):
    qs = (
        ServiceLog.objects.for_user(request.auth)
        .select_related("assignment", "assignment__commissioner")
        .order_by("-date", "-pk")
    )
    if year:
        qs = qs.filter(date__year=year)
    return qs
