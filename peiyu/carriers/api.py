"""API of the carrier registry, scoped like the pages: list, detail, create and update."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, FilterSchema, ModelSchema, Query, Router
from ninja.errors import HttpError
from ninja.pagination import paginate

from peiyu.carriers.choices import CarrierKind, CarrierLevel, CarrierStatus, CentreScope
from peiyu.carriers.filtersets import CarrierFilterSet
from peiyu.carriers.models import Carrier
from peiyu.carriers.views import can_write
from peiyu.core.api import Date, Id, InputSchema, Pages, get_scoped, one_of, require_writable, responses
from peiyu.core.models import Unit
from peiyu.enterprises.models import Enterprise

router = Router(tags=["创新载体"])
KINDS = "、".join(f"{value}（{label}）" for value, label in CarrierKind.choices)


class CarrierOut(ModelSchema):
    unit_name: str = Field(..., alias="unit.name", description="所属单位名称")
    kind_name: str = Field(description="载体类型名称")
    level_name: str = Field(description="级别名称")
    enterprise_id: int | None = Field(description="依托企业 id")
    incubated_ids: list[int] = Field(description="在孵企业 id（只列调用者有权查看的企业）")
    incubated_total: int = Field(description="在孵企业总数（库内 + 库外）")

    class Meta:
        model = Carrier
        fields = [
            "id",
            "name",
            "kind",
            "level",
            "centre_scope",
            "industry",
            "operator",
            "unit",
            "address",
            "recognised_on",
            "recognised_by",
            "document_number",
            "area",
            "incubated_other",
            "status",
            "revoked_on",
            "note",
        ]

    @staticmethod
    def resolve_kind_name(obj):
        return obj.kind_label

    @staticmethod
    def resolve_level_name(obj):
        return obj.get_level_display()

    @staticmethod
    def resolve_incubated_ids(obj, context):
        if hasattr(obj, "visible_links"):  # prefetched by the list
            return sorted(e.pk for e in obj.visible_links)
        visible = Enterprise.objects.for_user(context["request"].auth).values("pk")
        return sorted(obj.incubated.filter(pk__in=visible).values_list("pk", flat=True))

    @staticmethod
    def resolve_incubated_total(obj):
        linked = len(obj.all_links) if hasattr(obj, "all_links") else obj.incubated.count()
        return linked + obj.incubated_other


class CarrierIn(InputSchema):
    name: str = Field(min_length=1, max_length=200, description="载体名称（未删除的载体中唯一）")
    kind: one_of(CarrierKind) = Field(description=f"载体类型：{KINDS}")
    level: one_of(CarrierLevel) = Field(
        description="级别：national 国家级、provincial 省级、city 市级、district 区级"
    )
    unit: Id = Field(description="所属单位 id")
    centre_scope: one_of(CentreScope, blank=True) = Field(
        "", description="生产力促进中心类别：general 综合、industry 行业"
    )
    industry: str = Field("", max_length=100, description="行业生产力促进中心服务的行业")
    operator: str = Field("", max_length=200, description="运营主体")
    enterprise: Id | None = Field(
        None, description="依托企业 id（企业研发中心、工程技术研究中心、重点实验室必填）"
    )
    address: str = Field("", max_length=255, description="地址")
    recognised_on: Date | None = Field(None, description="认定日期")
    recognised_by: str = Field("", max_length=100, description="认定部门")
    document_number: str = Field("", max_length=100, description="认定文号")
    area: Decimal | None = Field(None, ge=0, max_digits=12, decimal_places=2, description="面积（平方米）")
    incubated: list[Id] = Field([], description="在孵企业 id（企业库中的企业）")
    incubated_other: int = Field(0, ge=0, le=1_000_000, description="库外在孵企业数")
    status: one_of(CarrierStatus) = Field(
        "operating", description="状态：operating 运营中、building 建设中、revoked 已撤销"
    )
    revoked_on: Date | None = Field(None, description="撤销日期（已撤销时必填）")
    note: str = Field("", max_length=2000, description="备注")


class CarrierPatch(InputSchema):
    """Only the fields sent are changed."""

    name: str = Field(None, min_length=1, max_length=200)
    kind: one_of(CarrierKind) = Field(None)
    level: one_of(CarrierLevel) = Field(None)
    unit: Id = Field(None)
    centre_scope: one_of(CentreScope, blank=True) = Field(None)
    industry: str = Field(None, max_length=100)
    operator: str = Field(None, max_length=200)
    enterprise: Id | None = Field(None)
    address: str = Field(None, max_length=255)
    recognised_on: Date | None = Field(None)
    recognised_by: str = Field(None, max_length=100)
    document_number: str = Field(None, max_length=100)
    area: Decimal | None = Field(None, ge=0, max_digits=12, decimal_places=2)
    incubated: list[Id] = Field(None)
    incubated_other: int = Field(None, ge=0, le=1_000_000)
    status: one_of(CarrierStatus) = Field(None)
    revoked_on: Date | None = Field(None)
    note: str = Field(None, max_length=2000)


class CarrierFilters(FilterSchema):
    q: str | None = Field(None, max_length=100, description="名称或运营主体")
    kind: one_of(CarrierKind) | None = Field(None, description="载体类型")
    level: one_of(CarrierLevel) | None = Field(None, description="级别")
    unit: Id | None = Field(None, description="单位 id：该单位及其下级单位的载体")
    year: int | None = Field(None, ge=1949, le=2100, description="认定年度")
    status: one_of(CarrierStatus) | None = Field(None, description="状态")


def _save(obj: Carrier, data: dict, user) -> Carrier:
    if "unit" in data:
        unit = get_object_or_404(Unit, pk=data["unit"])
        if (
            unit.pk != obj.unit_id
            and not user.is_superuser
            and not (user.unit_id and unit.is_within(user.unit))
        ):
            raise HttpError(403, _("You cannot place a carrier in a unit outside your jurisdiction."))
        data["unit"] = unit
    if "enterprise" in data:
        data["enterprise"] = (
            _enterprises([data["enterprise"]], user, keep={obj.enterprise_id})[0]
            if data["enterprise"]
            else None
        )
    incubated = _enterprises(data.pop("incubated"), user, keep=set()) if "incubated" in data else None
    for key, value in data.items():
        setattr(obj, key, value)
    try:
        with transaction.atomic():
            obj.full_clean()
            obj.save()
            if incubated is not None:
                obj.incubated.set(incubated)
    except ValidationError as exc:
        raise HttpError(422, "; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items())) from exc
    return obj


def _enterprises(ids: list[int], user, keep: set) -> list[Enterprise]:
    """Enterprises by id among those the user sees (an unchanged link is kept as it is)."""
    found = {e.pk: e for e in Enterprise.objects.filter(pk__in=[i for i in ids if i in keep])}
    found |= {e.pk: e for e in Enterprise.objects.for_user(user).filter(pk__in=ids)}
    missing = [str(i) for i in ids if i not in found]
    if missing:
        raise HttpError(
            404, _("No enterprise within your jurisdiction has id %(ids)s.") % {"ids": "、".join(missing)}
        )
    return [found[i] for i in ids]


@router.get(
    "/carriers",
    response=responses({200: list[CarrierOut]}, 403, 404),
    summary="创新载体列表（筛选条件与列表页相同）",
)
@paginate(Pages, page_size=50)
def list_carriers(request, filters: Query[CarrierFilters]):
    if not Carrier.objects.visible_to_role(request.auth):
        raise HttpError(403, _("Your role has no access to these records."))
    params = {k: v for k, v in filters.dict().items() if v is not None}
    qs = Carrier.objects.for_user(request.auth).select_related("unit").order_by("name", "pk")
    filterset = CarrierFilterSet(params, queryset=qs, user=request.auth)
    if "unit" in filterset.errors:
        raise HttpError(404, _("No such unit within your jurisdiction."))
    user = request.auth
    return filterset.qs.prefetch_related(
        Prefetch("incubated", Enterprise.objects.for_user(user).only("pk"), to_attr="visible_links"),
        Prefetch("incubated", Enterprise.objects.only("pk"), to_attr="all_links"),
    )


@router.get("/carriers/{carrier_id}", response=responses({200: CarrierOut}, 404), summary="创新载体详情")
def get_carrier(request, carrier_id: Id):
    return get_scoped(Carrier.objects.select_related("unit"), request.auth, pk=carrier_id)


@router.post("/carriers", response=responses({201: CarrierOut}, 400, 403, 404), summary="新建创新载体")
def create_carrier(request, payload: CarrierIn):
    if not can_write(request.auth):
        raise HttpError(403, _("Your role may not create carriers."))
    return 201, _save(Carrier(), payload.dict(), request.auth)


@router.patch(
    "/carriers/{carrier_id}",
    response=responses({200: CarrierOut}, 400, 403, 404),
    summary="修改创新载体（只改传入的字段）",
)
def update_carrier(request, carrier_id: Id, payload: CarrierPatch):
    obj = get_scoped(Carrier.objects, request.auth, pk=carrier_id)
    if not can_write(request.auth):
        raise HttpError(403, _("You may not change this object."))
    require_writable(Carrier.objects, request.auth, obj)
    return _save(obj, payload.dict(exclude_unset=True), request.auth)
