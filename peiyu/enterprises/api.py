"""API of the enterprise library: enterprises and enterprise years, scoped like the pages."""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from ninja import Field, FilterSchema, ModelSchema, Query, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import PageNumberPagination, paginate

from peiyu.core.api import get_scoped, require_writable
from peiyu.core.choices import Role, UnitKind
from peiyu.core.codes import mask_phone
from peiyu.core.models import Unit
from peiyu.enterprises.filtersets import EnterpriseFilterSet
from peiyu.enterprises.forms import EnterpriseForm
from peiyu.enterprises.models import Enterprise, EnterpriseYear
from peiyu.enterprises.services import save_validated

router = Router(tags=["enterprises"])


class EnterpriseOut(ModelSchema):
    unit_name: str = Field(..., alias="unit.name")
    industry_name: str = Field(..., description="行业代码在 GB/T 4754-2017 中的名称（大类、中类或小类）")
    contact_phone: str

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


class EnterpriseIn(Schema):
    uscc: str
    name: str
    unit: int
    park: int | None = None
    established: datetime.date | None = None
    registered_capital: Decimal | None = None
    address: str = ""
    industry_code: str = ""
    hitech_field: str = ""
    emerging_industry: str = ""
    contact_name: str = ""
    contact_phone: str = ""
    contact_email: str = ""
    status: str = "active"


class EnterprisePatch(Schema):
    name: str | None = None
    unit: int | None = None
    park: int | None = None
    established: datetime.date | None = None
    registered_capital: Decimal | None = None
    address: str | None = None
    industry_code: str | None = None
    hitech_field: str | None = None
    emerging_industry: str | None = None
    contact_name: str | None = None
    contact_phone: str | None = None
    contact_email: str | None = None
    status: str | None = None


class EnterpriseFilters(FilterSchema):
    q: str | None = None
    unit: int | None = None
    year: int | None = None
    band: int | None = None
    stage: int | None = None
    qualification: str | None = None
    industry_section: str | None = None
    hitech_field: str | None = None
    emerging_industry: str | None = None
    status: str | None = None


YEAR_FIELDS = [f.name for f in EnterpriseYear._meta.concrete_fields if f.name not in {"id", "enterprise", "created", "updated", "revenue_band", "stage"}]


class EnterpriseYearOut(ModelSchema):
    enterprise_id: int
    revenue_band: int | None
    stage: int | None

    class Meta:
        model = EnterpriseYear
        fields = ["id", *YEAR_FIELDS]


class EnterpriseYearIn(ModelSchema):
    enterprise: int

    class Meta:
        model = EnterpriseYear
        fields = YEAR_FIELDS
        fields_optional = [f for f in YEAR_FIELDS if f != "year"]


class EnterpriseYearPatch(ModelSchema):
    class Meta:
        model = EnterpriseYear
        fields = [f for f in YEAR_FIELDS if f != "year"]
        fields_optional = "__all__"


def _unit_in_scope(user, unit_id: int | None, current: int | None, park: bool) -> Unit | None:
    """The unit (or park) to assign: unchanged values always pass; a new one must lie in the user's
    subtree and be of the right kind."""
    if unit_id is None:
        return None
    unit = get_object_or_404(Unit, pk=unit_id)
    if unit_id == current:
        return unit
    if (unit.kind == UnitKind.PARK) != park:
        raise HttpError(422, "园区请填在 park 字段 / a park goes in `park`, other units in `unit`")
    if not user.is_superuser and not (user.unit_id and unit.is_within(user.unit)):
        raise HttpError(403, "不能把企业放到本单位以外 / unit outside your jurisdiction")
    return unit


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
        raise HttpError(422, "; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items())) from exc
    return obj


@router.get("/enterprises", response=list[EnterpriseOut], summary="List enterprises (same filters as the list page)")
@paginate(PageNumberPagination, page_size=50)
def list_enterprises(request, filters: Query[EnterpriseFilters]):
    params = {k: v for k, v in filters.dict().items() if v is not None}
    qs = Enterprise.objects.for_user(request.auth).select_related("unit").order_by("name", "pk")
    return EnterpriseFilterSet(params, queryset=qs, user=request.auth).qs


@router.get("/enterprises/{int:enterprise_id}", response=EnterpriseOut)
def get_enterprise(request, enterprise_id: int):
    return get_scoped(Enterprise.objects.select_related("unit"), request.auth, pk=enterprise_id)


@router.post("/enterprises", response={201: EnterpriseOut})
def create_enterprise(request, payload: EnterpriseIn):
    user = request.auth
    if user.is_read_only or (not user.is_superuser and user.role == Role.ENTERPRISE):
        raise HttpError(403, "无权新建企业 / not allowed to create enterprises")
    return 201, _save(Enterprise(), payload.dict(), user)


@router.patch("/enterprises/{int:enterprise_id}", response=EnterpriseOut)
def update_enterprise(request, enterprise_id: int, payload: EnterprisePatch):
    obj = get_scoped(Enterprise.objects, request.auth, pk=enterprise_id)
    require_writable(Enterprise.objects, request.auth, obj)
    data = payload.dict(exclude_unset=True)
    if request.auth.role == Role.ENTERPRISE and not request.auth.is_superuser:
        refused = sorted(set(data) - EnterpriseForm.self_service_fields)
        if refused:
            raise HttpError(403, f"企业用户不能修改这些字段 / enterprise users may not change: {', '.join(refused)}")
    return _save(obj, data, request.auth)


@router.get("/enterprise-years", response=list[EnterpriseYearOut])
@paginate(PageNumberPagination, page_size=100)
def list_enterprise_years(request, enterprise: int | None = None, year: int | None = None):
    qs = EnterpriseYear.objects.alive().for_user(request.auth).order_by("enterprise_id", "year")
    if enterprise is not None:
        qs = qs.filter(enterprise_id=enterprise)
    if year is not None:
        qs = qs.filter(year=year)
    return qs


@router.get("/enterprise-years/{int:year_id}", response=EnterpriseYearOut)
def get_enterprise_year(request, year_id: int):
    return get_scoped(EnterpriseYear.objects.alive(), request.auth, pk=year_id)


@router.post("/enterprise-years", response={201: EnterpriseYearOut})
def create_enterprise_year(request, payload: EnterpriseYearIn):
    data = payload.dict()
    enterprise = get_scoped(Enterprise.objects, request.auth, pk=data.pop("enterprise"))
    require_writable(Enterprise.objects, request.auth, enterprise)
    return 201, _save(EnterpriseYear(enterprise=enterprise), data, request.auth)


@router.patch("/enterprise-years/{int:year_id}", response=EnterpriseYearOut)
def update_enterprise_year(request, year_id: int, payload: EnterpriseYearPatch):
    obj = get_scoped(EnterpriseYear.objects.alive(), request.auth, pk=year_id)
    require_writable(EnterpriseYear.objects, request.auth, obj)
    return _save(obj, payload.dict(exclude_unset=True), request.auth)
