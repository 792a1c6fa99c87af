"""API of the party ledger, scoped like the pages: party staff of a unit see its rows; other roles
get 403 unless granted. Descriptions are Chinese (what /api/docs shows the bureau's developers)."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja import Field, FilterSchema, ModelSchema, Query, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate

from peiyu.core.api import Id, InputSchema, Pages, get_scoped, one_of, require_writable, responses
from peiyu.party import choices
from peiyu.party.access import reads_party
from peiyu.party.coverage import refresh
from peiyu.party.models import CoverageEntry, Organisation, UpdateWindow
from peiyu.party.snapshots import compare

router = Router(tags=["党建台账"])


def check_role(request):
    if not reads_party(request.auth):
        raise HttpError(403, _("Your role has no access to these records."))


class EntryOut(ModelSchema):
    enterprise_name: str = Field(..., alias="enterprise.name", description="企业名称")
    uscc: str = Field(..., alias="enterprise.uscc", description="统一社会信用代码")
    unit_name: str = Field(..., alias="unit.name", description="所属单位")

    class Meta:
        model = CoverageEntry
        fields = [
            "id",
            "enterprise",
            "unit",
            "employees",
            "party_members",
            "mobile_members",
            "operating",
            "coverage",
            "should_build",
        ]


class EntryFilter(FilterSchema):
    unit: Id | None = Field(None, description="单位 id（含下级）")
    coverage: one_of(choices.Coverage) | None = Field(
        None, description="覆盖方式：own 单独组建 / joint 联合覆盖 / work 仅工作覆盖 / gap 未覆盖"
    )
    should_build: bool | None = Field(None, description="只看应建未建")


class EntryIn(InputSchema):
    employees: int | None = Field(None, ge=0, le=10_000_000, description="从业人员数")
    party_members: int = Field(ge=0, le=10_000_000, description="党员数")
    mobile_members: int = Field(0, ge=0, le=10_000_000, description="未归入党组织的流动党员数")


@router.get("/coverage/", response=responses({200: list[EntryOut]}, 403), summary="两个覆盖台账")
@paginate(Pages)
def list_entries(request, filters: Query[EntryFilter]):
    check_role(request)
    qs = (
        CoverageEntry.objects.for_user(request.auth)
        .select_related("enterprise", "unit")
        .order_by("unit__path", "enterprise__name", "pk")
    )
    if filters.unit:
        qs = qs.filter(unit__path__contains=f"/{filters.unit}/")
    if filters.coverage:
        qs = qs.filter(coverage=filters.coverage)
    if filters.should_build is not None:
        qs = qs.filter(should_build=filters.should_build)
    return qs


@router.patch(
    "/coverage/{entry_id}/",
    response=responses({200: EntryOut}, 400, 403, 404),
    summary="更新企业的从业人员数与党员数",
)
def update_entry(request, entry_id: Id, data: EntryIn):
    check_role(request)
    entry = get_scoped(CoverageEntry.objects.select_related("enterprise", "unit"), request.auth, pk=entry_id)
    require_writable(CoverageEntry.objects, request.auth, entry)
    for name, value in data.dict().items():
        setattr(entry, name, value)
    try:
        entry.full_clean()
    except ValidationError as error:
        raise HttpError(422, "；".join(m for msgs in error.message_dict.values() for m in msgs)) from None
    entry.save()
    refresh([entry.enterprise_id])
    entry.refresh_from_db()
    return entry


class RatesOut(Schema):
    unit: int
    unit_name: str
    enterprises: int
    own: int
    joint: int
    work: int
    gap: int
    should_build: int
    organisation_rate: Decimal | None = Field(description="党的组织覆盖率（%）")
    single_rate: Decimal | None = Field(description="单独组建率（%）")
    work_rate: Decimal | None = Field(description="党的工作覆盖率（%）")


def rates_out(unit, r) -> dict:
    return dict(
        unit=unit.pk,
        unit_name=unit.name,
        enterprises=r.enterprises,
        own=r.own,
        joint=r.joint,
        work=r.work,
        gap=r.gap,
        should_build=r.should_build,
        organisation_rate=r.organisation_rate,
        single_rate=r.single_rate,
        work_rate=r.work_rate,
    )


@router.get("/rates/", response=responses({200: list[RatesOut]}, 403), summary="各单位两个覆盖率（计算得出）")
def unit_rates(request):
    check_role(request)
    from peiyu.party.views import rates_table

    rows, total = rates_table(request.auth)
    return [rates_out(unit, r) for unit, r in rows] + ([rates_out(*total)] if total else [])


class OrganisationOut(ModelSchema):
    unit_name: str = Field(..., alias="unit.name")
    enterprises: list[int] = Field(..., description="覆盖的企业 id")

    class Meta:
        model = Organisation
        fields = [
            "id",
            "name",
            "kind",
            "setup",
            "unit",
            "parent",
            "secretary",
            "formal_members",
            "probationary_members",
            "mobile_members_placed",
            "founded",
            "status",
        ]

    @staticmethod
    def resolve_enterprises(obj):
        return [e.pk for e in obj.enterprises.all()]


@router.get("/organisations/", response=responses({200: list[OrganisationOut]}, 403), summary="党组织")
@paginate(Pages)
def list_organisations(request):
    check_role(request)
    return (
        Organisation.objects.for_user(request.auth)
        .select_related("unit")
        .prefetch_related("enterprises")
        .order_by("unit__path", "name", "pk")
    )


@router.get(
    "/organisations/{org_id}/", response=responses({200: OrganisationOut}, 403, 404), summary="一个党组织"
)
def get_organisation(request, org_id: Id):
    check_role(request)
    return get_scoped(Organisation.objects.select_related("unit"), request.auth, pk=org_id)


class WindowOut(ModelSchema):
    class Meta:
        model = UpdateWindow
        fields = ["id", "year", "season", "opened_on", "due_on", "state", "closed_at"]


@router.get("/windows/", response=responses({200: list[WindowOut]}, 403), summary="3月、10月动态更新")
def list_windows(request):
    check_role(request)
    return list(UpdateWindow.objects.for_user(request.auth))


class ChangeOut(Schema):
    enterprise: int | None
    enterprise_name: str
    unit_name: str
    before: str | None
    after: str


class ComparisonOut(Schema):
    new_organisations: list[str]
    newly_covered: list[ChangeOut]
    gaps_cleared: list[ChangeOut]
    gaps_new: list[ChangeOut]


def _changes(pairs):
    return [
        dict(
            enterprise=now.enterprise_id,
            enterprise_name=now.enterprise_name,
            unit_name=now.unit_name,
            before=then.coverage if then else None,
            after=now.coverage,
        )
        for then, now in pairs
    ]


@router.get("/windows/compare/", response=responses({200: ComparisonOut}, 403, 404), summary="两次快照对比")
def compare_windows(request, a: Id, b: Id):
    check_role(request)
    closed = UpdateWindow.objects.for_user(request.auth).filter(state=choices.WindowState.CLOSED)
    earlier, later = get_scoped(closed, request.auth, pk=a), get_scoped(closed, request.auth, pk=b)
    result = compare(earlier, later, request.auth)
    return dict(
        new_organisations=[name for _pk, name, _u in result.new_organisations],
        newly_covered=_changes(result.newly_covered),
        gaps_cleared=_changes(result.gaps_cleared),
        gaps_new=_changes(result.gaps_new),
    )
