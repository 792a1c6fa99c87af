"""API of the evaluation app (mounted by the lead at /api/evaluation/): rule sets, stored results,
the live evaluation of an enterprise, and the ad-hoc evaluation of posted figures. Everything is
scoped like the pages: `request.auth` sees its unit's enterprises (or its own enterprise), and an
enterprise outside the scope is a 404."""

import datetime
from decimal import Decimal
from typing import Annotated

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate

from peiyu.core.api import Date, Id, InputSchema, Pages, Year, get_scoped, responses
from peiyu.core.models import Unit
from peiyu.enterprises.models import Enterprise
from peiyu.evaluation.dbframes import input_for
from peiyu.evaluation.gaps import evaluate_with_gaps
from peiyu.evaluation.inputs import EXTRAS, YEAR_FIELDS, EvaluationInput, YearFigures
from peiyu.evaluation.models import EvaluationResult, RuleSet, applicable_rulesets


class RuleSetOut(Schema):
    id: int
    code: str
    version: str
    name: str
    official: bool
    is_active: bool
    source_document: str
    effective: dict
    unconfirmed: list


class ResultOut(Schema):
    enterprise: int
    uscc: str
    name: str
    year: int
    ruleset: str
    version: str
    eligible: bool | None
    route: str
    route_code: str
    score_min: int | None
    score_max: int | None
    indicators: dict
    failed: list
    computed_at: datetime.datetime


class EvaluateIn(InputSchema):
    """Figures to evaluate without storing anything: `years` maps a year to its figures (field names
    of the enterprise year, money in 万元 as decimal strings); `extras` are the evaluation inputs."""

    ruleset: str = Field(max_length=64, description="评价规则代码，可带版本：tech-sme-2022 或 tech-sme-2022@1")
    year: Year = Field(description="评价年度")
    years: dict[Year, dict[str, Decimal | int | None]] = Field(description="各年度的指标：{年度: {字段: 值}}")
    name: str = ""
    uscc: str = ""
    established: Date | None = None
    industry_code: str = ""
    hitech_field: str = ""
    emerging_industry: str = ""
    extras: dict[str, Decimal | int | bool | None] = {}


def _ruleset_out(record: RuleSet) -> dict:
    return {
        "id": record.pk, "code": record.code, "version": record.version, "name": record.name, "official": record.official,
        "is_active": record.is_active, "source_document": record.source.get("document", ""),
        "effective": record.data.get("effective", {}), "unconfirmed": record.unconfirmed,
    }


def _result_out(result: EvaluationResult) -> dict:
    e = result.enterprise
    return {
        "enterprise": e.pk, "uscc": e.uscc, "name": e.name, "year": result.year, "ruleset": result.ruleset.code,
        "version": result.ruleset.version, "eligible": result.eligible, "route": result.route, "route_code": result.route_code,
        "score_min": result.score_min, "score_max": result.score_max, "indicators": result.indicators,
        "failed": result.failed, "computed_at": result.computed_at,
    }


def _record(spec: str) -> RuleSet:
    RuleSet.objects.sync_official()
    code, _at, version = spec.partition("@")
    found = RuleSet.objects.filter(code=code, **({"version": version} if version else {"is_active": True})).first()
    if found is None:
        raise HttpError(404, _("No rule set %(code)s.") % {"code": spec})
    return found


def build_router() -> Router:
    """The evaluation endpoints on a new Router (tests mount their own copy)."""
    router = Router(tags=["评价"])

    @router.get("/rulesets", response=responses({200: list[RuleSetOut]}), summary="评价规则及其版本")
    def list_rulesets(request):
        RuleSet.objects.sync_official()
        return [_ruleset_out(r) for r in RuleSet.objects.all()]

    @router.get("/rulesets/{ruleset_id}", response=responses({200: dict}, 404), summary="一个评价规则版本的完整数据")
    def get_ruleset(request, ruleset_id: Id):
        return get_object_or_404(RuleSet, pk=ruleset_id).data

    @router.get("/results", response=responses({200: list[ResultOut]}, 404), summary="已保存的评价结果（权限范围内）")
    @paginate(Pages, page_size=100)
    def list_results(request, year: Annotated[Year | None, Field(description="年度")] = None,
                     ruleset: Annotated[str | None, Field(max_length=64, description="规则代码，可带 @版本")] = None,
                     unit: Annotated[Id | None, Field(description="单位 id：含下级单位")] = None,
                     eligible: Annotated[bool | None, Field(description="true 只列符合条件的")] = None):
        qs = EvaluationResult.objects.for_user(request.auth).select_related("enterprise", "ruleset").order_by("pk")
        if year is not None:
            qs = qs.filter(year=year)
        if ruleset:
            code, _at, version = ruleset.partition("@")
            qs = qs.filter(ruleset__code=code, **({"ruleset__version": version} if version else {}))
        if unit is not None:
            ids = Unit.objects.subtree_ids(get_object_or_404(Unit, pk=unit))
            qs = qs.filter(enterprise__unit_id__in=ids) | qs.filter(enterprise__park_id__in=ids)
        if eligible is not None:
            qs = qs.filter(eligible=eligible)
        return [_result_out(r) for r in qs]

    @router.get("/enterprises/{enterprise_id}", response=responses({200: list[dict]}, 404), summary="按使用中的全部规则即时评价一家企业")
    def evaluate_enterprise(request, enterprise_id: Id, year: Year):
        enterprise = get_scoped(Enterprise.objects, request.auth, pk=enterprise_id)
        inp = input_for(enterprise, year, years=4)
        if inp is None:
            raise HttpError(404, _("No figures for %(year)s.") % {"year": year})
        applicable = applicable_rulesets(enterprise.unit, datetime.date(year + 1, 1, 1))  # figures of Y serve Y + 1
        return [evaluate_with_gaps(r.parsed, inp).to_json() for r in applicable]

    @router.post("/evaluate", response=responses({200: dict}, 400, 404), summary="评价提交的指标（不保存）")
    def evaluate_posted(request, payload: EvaluateIn):
        record = _record(payload.ruleset)
        return evaluate_with_gaps(record.parsed, _posted_input(payload)).to_json()

    return router


def _posted_input(payload: EvaluateIn) -> EvaluationInput:
    unknown = {k for fig in payload.years.values() for k in fig if k not in YEAR_FIELDS} | (set(payload.extras) - set(EXTRAS))
    if unknown:
        raise HttpError(422, _("Unknown fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    if payload.year not in payload.years:
        raise HttpError(422, _("No figures for %(year)s.") % {"year": payload.year})
    return EvaluationInput(
        year=payload.year, years={y: YearFigures.from_mapping(f) for y, f in payload.years.items()}, uscc=payload.uscc,
        name=payload.name, established=payload.established, industry_code=payload.industry_code,
        hitech_field=payload.hitech_field, emerging_industry=payload.emerging_industry, extras=dict(payload.extras),
    )


router = build_router()
