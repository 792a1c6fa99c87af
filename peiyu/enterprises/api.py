"""API of the enterprise library: enterprises, enterprise years and qualifications, scoped like the
pages. The descriptions are Chinese because they are what /api/docs shows the bureau's developers."""

import datetime
from decimal import Decimal
from typing import Annotated

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, FilterSchema, ModelSchema, Query, Router
from ninja.errors import HttpError
from ninja.pagination import paginate

from peiyu.core.api import Date, Id, InputSchema, Pages, Year, get_scoped, one_of, require_writable, responses
from peiyu.core.choices import Role, UnitKind
from peiyu.core.codes import mask_phone
from peiyu.core.models import Unit
from peiyu.enterprises import choices
from peiyu.enterprises.filtersets import EnterpriseFilterSet
from peiyu.enterprises.forms import EnterpriseForm, QualificationForm
from peiyu.enterprises.models import Enterprise, EnterpriseYear, Qualification
from peiyu.enterprises.services import save_validated

router = Router(tags=["企业库"])


class EnterpriseOut(ModelSchema):
    unit_name: str = Field(..., alias="unit.name", description="所属单位名称")
    industry_name: str = Field(..., description="行业代码在 GB/T 4754-2017 中的名称（大类、中类或小类）")
    contact_phone: str = Field(description="联系电话（无权查看号码的角色看到的是 138****5678）")

    class Meta:
        model = Enterprise
        fields = [
            "id", "uscc", "name", "established", "registered_capital", "address", "unit", "park", "industry_code",
            "industry_section", "hitech_field", "emerging_industry", "contact_name", "contact_email", "status",
        ]

    @staticmethod
    def resolve_contact_phone(obj, context):
        user = context["request"].auth
        return obj.contact_phone if user.sees_phones else mask_phone(obj.contact_phone)


# Text fields accept "" to clear them; null is refused (they are never null in the database).
Text = Annotated[str, Field(max_length=255)]


class EnterpriseIn(InputSchema):
    uscc: str = Field(pattern=r"^[0-9A-Za-z]{18}$", description="统一社会信用代码（18 位，校验位按 GB 32100-2015 检查）")
    name: str = Field(min_length=1, max_length=200, description="企业名称")
    unit: Id = Field(description="所属单位 id（街道、乡镇或功能区）")
    park: Id | None = Field(None, description="所属园区 id，可为空")
    established: Date | None = Field(None, description="成立日期")
    registered_capital: Decimal | None = Field(None, description="注册资本（万元）")
    address: Text = Field("", description="地址")
    industry_code: str = Field("", max_length=5, description="国民经济行业代码（GB/T 4754-2017）")
    hitech_field: one_of(choices.HitechField, blank=True) = Field("", description="高新技术领域代码")
    emerging_industry: one_of(choices.EmergingIndustry, blank=True) = Field("", description="战略性新兴产业代码")
    contact_name: str = Field("", max_length=50, description="联系人")
    contact_phone: str = Field("", max_length=32, description="联系电话")
    contact_email: str = Field("", max_length=254, description="联系邮箱")
    status: one_of(choices.EnterpriseStatus) = Field("active", description="经营状态：active 正常、moved_out 迁出、deregistered 注销")


class EnterprisePatch(InputSchema):
    """Only the fields sent are changed; text fields are cleared with "", nullable ones with null."""

    name: str = Field(None, max_length=200, description="企业名称")
    unit: Id = Field(None, description="所属单位 id")
    park: Id | None = Field(None, description="所属园区 id；null 表示不属于园区")
    established: Date | None = Field(None, description="成立日期")
    registered_capital: Decimal | None = Field(None, description="注册资本（万元）")
    address: Text = Field(None, description="地址")
    industry_code: str = Field(None, max_length=5, description="国民经济行业代码（GB/T 4754-2017）")
    hitech_field: one_of(choices.HitechField, blank=True) = Field(None, description="高新技术领域代码")
    emerging_industry: one_of(choices.EmergingIndustry, blank=True) = Field(None, description="战略性新兴产业代码")
    contact_name: str = Field(None, max_length=50, description="联系人")
    contact_phone: str = Field(None, max_length=32, description="联系电话")
    contact_email: str = Field(None, max_length=254, description="联系邮箱")
    status: one_of(choices.EnterpriseStatus) = Field(None, description="经营状态")


class EnterpriseFilters(FilterSchema):
    q: str | None = Field(None, max_length=100, description="名称、信用代码或拼音首字母（hdkj 找到 华东科技）")
    unit: Id | None = Field(None, description="单位 id：该单位及其下级单位的企业")
    year: Year | None = Field(None, description="年度（营收规模、发展阶段按该年度的数据）；默认最新年度")
    band: int | None = Field(None, ge=1, le=5, description="营收规模档位 1–5")
    stage: int | None = Field(None, ge=1, le=3, description="发展阶段：1 初创期、2 成长期、3 壮大期")
    qualification: one_of(choices.QualificationKind) | None = Field(None, description="持有的有效资质，如 hitech、tech_sme")
    industry_section: one_of(choices.IndustrySection) | None = Field(None, description="行业门类字母，如 C")
    hitech_field: one_of(choices.HitechField) | None = Field(None, description="高新技术领域代码")
    emerging_industry: one_of(choices.EmergingIndustry) | None = Field(None, description="战略性新兴产业代码")
    status: one_of(choices.EnterpriseStatus) | None = Field(None, description="经营状态")


YEAR_FIELDS = [f.name for f in EnterpriseYear._meta.concrete_fields if f.name not in {"id", "enterprise", "created", "updated", "revenue_band", "stage"}]


class EnterpriseYearOut(ModelSchema):
    enterprise_id: int = Field(description="企业 id")
    revenue_band: int | None = Field(description="营收规模档位（由营业收入计算）")
    stage: int | None = Field(description="发展阶段（由营业收入计算）")

    class Meta:
        model = EnterpriseYear
        fields = ["id", *YEAR_FIELDS]


class EnterpriseYearIn(InputSchema, ModelSchema):
    enterprise: Id = Field(description="企业 id")
    year: Year

    class Meta:
        model = EnterpriseYear
        fields = YEAR_FIELDS
        fields_optional = [f for f in YEAR_FIELDS if f != "year"]


class EnterpriseYearPatch(InputSchema, ModelSchema):
    class Meta:
        model = EnterpriseYear
        fields = [f for f in YEAR_FIELDS if f != "year"]
        fields_optional = "__all__"


class QualificationOut(ModelSchema):
    enterprise_id: int = Field(description="企业 id")
    enterprise_name: str = Field(..., alias="enterprise.name", description="企业名称")
    kind_name: str = Field(description="资质名称")
    is_current: bool = Field(description="今天是否在有效期内")

    class Meta:
        model = Qualification
        fields = ["id", "kind", "level", "number", "granted_on", "valid_until", "note"]

    @staticmethod
    def resolve_kind_name(obj):
        return obj.get_kind_display()

    @staticmethod
    def resolve_is_current(obj):
        return obj.is_current()


KINDS = "、".join(f"{value}（{label}）" for value, label in choices.QualificationKind.choices)


class QualificationIn(InputSchema):
    enterprise: Id = Field(description="企业 id")
    kind: one_of(choices.QualificationKind) = Field(description=f"资质类型：{KINDS}")
    level: one_of(choices.QualificationLevel, blank=True) = Field("", description="级别：national、provincial、city、district，可为空")
    number: str = Field("", max_length=64, description="证书编号或入库登记编号")
    granted_on: Date | None = Field(None, description="认定（发证、入库）日期")
    valid_until: Date | None = Field(None, description="有效期至；为空时按官方有效期（高企 3 年，科技型中小企业当年年底）")
    note: str = Field("", max_length=255, description="备注")


class QualificationPatch(InputSchema):
    """Only the fields sent are changed."""

    kind: one_of(choices.QualificationKind) = Field(None, description="资质类型")
    level: one_of(choices.QualificationLevel, blank=True) = Field(None, description="级别")
    number: str = Field(None, max_length=64, description="证书编号或入库登记编号")
    granted_on: Date | None = Field(None, description="认定日期")
    valid_until: Date | None = Field(None, description="有效期至；null 表示按官方有效期")
    note: str = Field(None, max_length=255, description="备注")


class QualificationFilters(FilterSchema):
    q: str | None = Field(None, max_length=100, description="企业名称、信用代码或拼音首字母")
    enterprise: Id | None = Field(None, description="企业 id")
    unit: Id | None = Field(None, description="单位 id：该单位及其下级单位企业的资质")
    kind: one_of(choices.QualificationKind) | None = Field(None, description="资质类型，如 hitech")
    level: one_of(choices.QualificationLevel) | None = Field(None, description="级别")
    current: bool | None = Field(None, description="true 只列有效期内的资质，false 只列已过期或未生效的")
    year: Year | None = Field(None, description="只列该年年底有效的资质")


def _unit_in_scope(user, unit_id: int | None, current: int | None, park: bool) -> Unit | None:
    """The unit (or park) to assign: unchanged values always pass; a new one must lie in the user's
    subtree and be of the right kind."""
    if unit_id is None:
        return None
    unit = get_object_or_404(Unit, pk=unit_id)
    if unit_id == current:
        return unit
    if (unit.kind == UnitKind.PARK) != park:
        raise HttpError(422, _("A park goes in the park field; other units in the unit field."))
    if not user.is_superuser and not (user.unit_id and unit.is_within(user.unit)):
        raise HttpError(403, _("You cannot place an enterprise in a unit outside your jurisdiction."))
    return unit


def _invalid(exc: ValidationError) -> HttpError:
    return HttpError(422, "; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items()))


def _save(obj, data: dict, user):
    if "unit" in data:
        data["unit"] = _unit_in_scope(user, data["unit"], getattr(obj, "unit_id", None), park=False)
    if "park" in data:
        data["park"] = _unit_in_scope(user, data["park"], getattr(obj, "park_id", None), park=True)
    for key, value in data.items():
        setattr(obj, key, value)
    try:
        save_validated(obj)
    except ValidationError as exc:
        raise _invalid(exc) from exc
    return obj


def _filtered(filterset):
    if "unit" in filterset.errors:  # unknown, or outside the user's jurisdiction
        raise Http404
    if not filterset.is_valid():
        raise HttpError(422, "; ".join(f"{k}: {' '.join(v)}" for k, v in filterset.errors.items()))
    return filterset.qs


@router.get("/enterprises", response=responses({200: list[EnterpriseOut]}, 404), summary="企业列表（筛选条件与企业库列表页相同）")
@paginate(Pages, page_size=50)
def list_enterprises(request, filters: Query[EnterpriseFilters]):
    params = {k: v for k, v in filters.dict().items() if v is not None}
    qs = Enterprise.objects.for_user(request.auth).select_related("unit").order_by("name", "pk")
    return _filtered(EnterpriseFilterSet(params, queryset=qs, user=request.auth))


@router.get("/enterprises/{enterprise_id}", response=responses({200: EnterpriseOut}, 404), summary="企业详情")
def get_enterprise(request, enterprise_id: Id):
    return get_scoped(Enterprise.objects.select_related("unit"), request.auth, pk=enterprise_id)


@router.post("/enterprises", response=responses({201: EnterpriseOut}, 400, 403, 404), summary="新建企业")
def create_enterprise(request, payload: EnterpriseIn):
    user = request.auth
    if user.is_read_only or (not user.is_superuser and user.role == Role.ENTERPRISE):
        raise HttpError(403, _("You may not create enterprises."))
    return 201, _save(Enterprise(), payload.dict(), user)


@router.patch("/enterprises/{enterprise_id}", response=responses({200: EnterpriseOut}, 400, 403, 404),
              summary="修改企业（只改传入的字段；企业用户只能改联系人、地址等自助字段）")
def update_enterprise(request, enterprise_id: Id, payload: EnterprisePatch):
    obj = get_scoped(Enterprise.objects, request.auth, pk=enterprise_id)
    require_writable(Enterprise.objects, request.auth, obj)
    data = payload.dict(exclude_unset=True)
    if request.auth.role == Role.ENTERPRISE and not request.auth.is_superuser:
        refused = sorted(set(data) - EnterpriseForm.self_service_fields)
        if refused:
            raise HttpError(403, _("Enterprise users may not change: %(fields)s") % {"fields": ", ".join(refused)})
    return _save(obj, data, request.auth)


@router.get("/enterprise-years", response=responses({200: list[EnterpriseYearOut]}), summary="年度指标列表")
@paginate(Pages, page_size=100)
def list_enterprise_years(request, enterprise: Annotated[Id | None, Field(description="企业 id")] = None,
                          year: Annotated[Year | None, Field(description="年度")] = None):
    qs = EnterpriseYear.objects.alive().for_user(request.auth).order_by("enterprise_id", "year")
    if enterprise is not None:
        qs = qs.filter(enterprise_id=enterprise)
    if year is not None:
        qs = qs.filter(year=year)
    return qs


@router.get("/enterprise-years/{year_id}", response=responses({200: EnterpriseYearOut}, 404), summary="一个年度的指标")
def get_enterprise_year(request, year_id: Id):
    return get_scoped(EnterpriseYear.objects.alive(), request.auth, pk=year_id)


@router.post("/enterprise-years", response=responses({201: EnterpriseYearOut}, 400, 403, 404), summary="新增年度指标")
def create_enterprise_year(request, payload: EnterpriseYearIn):
    data = payload.dict()
    enterprise = get_scoped(Enterprise.objects, request.auth, pk=data.pop("enterprise"))
    require_writable(Enterprise.objects, request.auth, enterprise)
    return 201, _save(EnterpriseYear(enterprise=enterprise), data, request.auth)


@router.patch("/enterprise-years/{year_id}", response=responses({200: EnterpriseYearOut}, 400, 403, 404), summary="修改年度指标（只改传入的字段）")
def update_enterprise_year(request, year_id: Id, payload: EnterpriseYearPatch):
    obj = get_scoped(EnterpriseYear.objects.alive(), request.auth, pk=year_id)
    require_writable(EnterpriseYear.objects, request.auth, obj)
    return _save(obj, payload.dict(exclude_unset=True), request.auth)


@router.get("/qualifications", response=responses({200: list[QualificationOut]}, 404), summary="资质列表")
@paginate(Pages, page_size=100)
def list_qualifications(request, filters: Query[QualificationFilters]):
    qs = Qualification.objects.for_user(request.auth).filter(enterprise__deleted_at__isnull=True)
    f = filters
    if f.q:
        qs = qs.filter(enterprise__in=Enterprise.objects.search(f.q))
    if f.enterprise is not None:
        qs = qs.filter(enterprise_id=f.enterprise)
    if f.unit is not None:
        ids = Unit.objects.subtree_ids(get_object_or_404(Unit, pk=f.unit))
        qs = qs.filter(Q(enterprise__unit_id__in=ids) | Q(enterprise__park_id__in=ids))
    if f.kind:
        qs = qs.filter(kind=f.kind)
    if f.level:
        qs = qs.filter(level=f.level)
    if f.year is not None:
        qs = qs.current(datetime.date(f.year, 12, 31))
    if f.current is not None:
        current = Qualification.objects.current().values("pk")
        qs = qs.filter(pk__in=current) if f.current else qs.exclude(pk__in=current)
    return qs.select_related("enterprise").order_by("enterprise__name", "kind", "-granted_on", "pk")


@router.get("/qualifications/{qualification_id}", response=responses({200: QualificationOut}, 404), summary="资质详情")
def get_qualification(request, qualification_id: Id):
    return get_scoped(Qualification.objects.filter(enterprise__deleted_at__isnull=True).select_related("enterprise"),
                      request.auth, pk=qualification_id)


def _check_qualification_writer(user):
    """As on the pages: qualifications are recorded by the bureau or the unit, not by enterprises."""
    if user.role == Role.ENTERPRISE and not user.is_superuser:
        raise HttpError(403, _("Qualifications are recorded by the bureau or the unit."))


def _save_qualification(obj: Qualification, data: dict) -> Qualification:
    """Validated by the page's form, so the API and the pages apply the same rules (dates in order,
    the official validity when none is given)."""
    fields = QualificationForm._meta.fields
    current = {name: getattr(obj, name) for name in fields} if obj.pk else {}
    form = QualificationForm(data={k: "" if v is None else v for k, v in {**current, **data}.items()}, instance=obj)
    if not form.is_valid():
        raise HttpError(422, "; ".join(f"{k}: {' '.join(v)}" for k, v in form.errors.items()))
    try:
        return save_validated(form.save(commit=False))
    except ValidationError as exc:
        raise _invalid(exc) from exc


@router.post("/qualifications", response=responses({201: QualificationOut}, 400, 403, 404), summary="新增资质")
def create_qualification(request, payload: QualificationIn):
    _check_qualification_writer(request.auth)
    data = payload.dict()
    enterprise = get_scoped(Enterprise.objects, request.auth, pk=data.pop("enterprise"))
    require_writable(Enterprise.objects, request.auth, enterprise)
    return 201, _save_qualification(Qualification(enterprise=enterprise), data)


@router.patch("/qualifications/{qualification_id}", response=responses({200: QualificationOut}, 400, 403, 404),
              summary="修改资质（只改传入的字段）")
def update_qualification(request, qualification_id: Id, payload: QualificationPatch):
    _check_qualification_writer(request.auth)
    obj = get_scoped(Qualification.objects.filter(enterprise__deleted_at__isnull=True), request.auth, pk=qualification_id)
    require_writable(Qualification.objects, request.auth, obj)
    return _save_qualification(obj, payload.dict(exclude_unset=True))
