"""API of the bulletins app: the archive of bulletins (listed, read as text, downloaded as .docx
and .xlsx) scoped like the pages, and generation of a new one. Descriptions are Chinese: they are
what /api/docs shows the bureau's developers."""

from datetime import datetime
from urllib.parse import quote

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate

from peiyu.bulletins import services
from peiyu.bulletins.models import Bulletin, BulletinState, BulletinTemplate
from peiyu.core.api import Id, Pages, get_scoped, responses
from peiyu.core.choices import Role
from peiyu.core.models import Unit
from peiyu.core.periods import Period

router = Router(tags=["统计公报"])
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class BulletinOut(Schema):
    id: int
    title: str = Field(description="公报标题")
    template: str = Field(description="模板代码（quarterly 季度统计公报，status 发展现状）")
    unit: int = Field(description="单位 id")
    unit_name: str = Field(description="单位名称")
    period: str = Field(description="报告期代码（2025-Q3、2009、2025-01..2025-08）")
    period_label: str = Field(description="报告期中文名称")
    state: str = Field(description="状态：draft 草稿，published 已发布，withdrawn 已撤回")
    created: datetime
    published_at: datetime | None = None


class BulletinText(BulletinOut):
    sections: list[dict] = Field(description="各部分：标题与段落、表格（文字）、图表数据")


class GenerateIn(Schema):
    template: str = Field(description="模板代码：quarterly 或 status")
    period: str = Field(description="报告期：年度 2009、季度 2025-Q3 或月份区间 2025-01..2025-08")
    unit: Id | None = Field(None, description="单位 id；省略时为本人所属单位")


def out(b: Bulletin) -> dict:
    return {
        "id": b.pk,
        "title": b.title,
        "template": b.template.code,
        "unit": b.unit_id,
        "unit_name": b.unit.name,
        "period": b.period,
        "period_label": Period.parse(b.period).label,
        "state": b.state,
        "created": b.created,
        "published_at": b.published_at,
    }


def visible(user):
    if not (user.is_superuser or user.role in (Role.BUREAU, Role.UNIT, Role.LEADER)):
        raise HttpError(403, _("Your role does not give access to bulletins."))
    found = Bulletin.objects.for_user(user).select_related("unit", "template").defer("docx", "xlsx")
    if user.role == Role.LEADER and not user.is_superuser:
        found = found.filter(state=BulletinState.PUBLISHED)
    return found


@router.get("/bulletins", response=responses({200: list[BulletinOut]}, 403), summary="公报档案列表")
@paginate(Pages, page_size=50)
def list_bulletins(request, template: str | None = None, period: str | None = None):
    found = visible(request.auth).defer("snapshot", "frozen_template")
    if template:
        found = found.filter(template__code=template)
    if period:
        found = found.filter(period=period)
    return [out(b) for b in found]


@router.get(
    "/bulletins/{bulletin_id}",
    response=responses({200: BulletinText}, 403, 404),
    summary="公报全文（文字与表格）",
)
def get_bulletin(request, bulletin_id: Id):
    bulletin = get_scoped(visible(request.auth), request.auth, pk=bulletin_id)
    return {**out(bulletin), "sections": services.document_of(bulletin)["sections"]}


def _file(request, bulletin_id, field, extension, content_type):
    bulletin = get_scoped(visible(request.auth).defer(None), request.auth, pk=bulletin_id)
    response = HttpResponse(bytes(getattr(bulletin, field)), content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename*=utf-8''{quote(bulletin.title + extension)}"
    return response


@router.get(
    "/bulletins/{bulletin_id}/docx", response=responses({200: None}, 403, 404), summary="下载公报 Word 文档"
)
def get_docx(request, bulletin_id: Id):
    return _file(request, bulletin_id, "docx", ".docx", DOCX)


@router.get(
    "/bulletins/{bulletin_id}/xlsx", response=responses({200: None}, 403, 404), summary="下载公报 Excel 表格"
)
def get_xlsx(request, bulletin_id: Id):
    return _file(request, bulletin_id, "xlsx", ".xlsx", XLSX)


@router.post(
    "/bulletins",
    response=responses({201: BulletinOut}, 400, 403, 404),
    summary="生成公报（冻结并归档为草稿）",
)
def generate(request, payload: GenerateIn):
    user = request.auth
    if not (user.is_superuser or user.role in (Role.BUREAU, Role.UNIT)):
        raise HttpError(403, _("Only bureau and unit staff generate bulletins."))
    template_obj = BulletinTemplate.objects.filter(code=payload.template).first()
    if template_obj is None:
        raise HttpError(400, _("There is no template “%(code)s”.") % {"code": payload.template})
    try:
        period = Period.parse(payload.period)
    except ValueError as error:
        raise HttpError(400, str(error)) from None
    unit = services.units_for(user).filter(pk=payload.unit).first() if payload.unit else user.unit
    if unit is None:
        raise HttpError(404, _("There is no such unit in your scope."))
    if not Unit.objects.filter(pk=unit.pk).exists():
        raise HttpError(404, _("There is no such unit in your scope."))
    try:
        bulletin = services.generate(template_obj, unit, period, user)
    except PermissionDenied as error:
        raise HttpError(403, str(error)) from None
    return 201, out(bulletin)
