"""API of the evaluation app (mounted by the lead at /api/evaluation/): rule sets, stored results,
the live evaluation of an enterprise, and the ad-hoc evaluation of posted figures. Everything is
scoped like the pages: `request.auth` sees its unit's enterprises (or its own enterprise), and an
enterprise outside the scope is a 404."""

import datetime
from decimal import Decimal

from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from ninja.errors import HttpError
from ninja.pagination import PageNumberPagination, paginate

from peiyu.core.api import get_scoped
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


class EvaluateIn(Schema):
    """Figures to evaluate without storing anything: `years` maps a year to its figures (field names
    of the enterprise year, money in 万元 as decimal strings); `extras` are the evaluation inputs."""

    ruleset: str
    year: int
    years: dict[int, dict[str, Decimal | int | None]]
    name: str = ""
    uscc: str = ""
    established: datetime.date | None = None
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
    code, _, version = spec.partition("@")
    found = RuleSet.objects.filter(code=code, **({"version": version} if version else {"is_active": True})).first()
    if found is None:
        raise HttpError(404, f"no rule set {spec}")
    return found


def build_router() -> Router:
    """The evaluation endpoints on a new Router (tests mount their own copy)."""
    router = Router(tags=["evaluation"])

    @router.get("/rulesets", response=list[RuleSetOut], summary="Rule sets and their versions")
    def list_rulesets(request):
        RuleSet.objects.sync_official()
        return [_ruleset_out(r) for r in RuleSet.objects.all()]

    @router.get("/rulesets/{int:ruleset_id}", response=dict, summary="One rule set version, as its data")
    def get_ruleset(request, ruleset_id: int):
        return get_object_or_404(RuleSet, pk=ruleset_id).data

    @router.get("/results", response=list[ResultOut], summary="Stored results in the caller's scope")
    @paginate(PageNumberPagination, page_size=100)
    def list_results(request, year: int | None = None, ruleset: str | None = None, unit: int | None = None,
                     eligible: bool | None = None):
        qs = EvaluationResult.objects.for_user(request.auth).select_related("enterprise", "ruleset").order_by("pk")
        if year is not None:
            qs = qs.filter(year=year)
        if ruleset:
            code, _, version = ruleset.partition("@")
            qs = qs.filter(ruleset__code=code, **({"ruleset__version": version} if version else {}))
        if unit is not None:
            ids = Unit.objects.subtree_ids(get_object_or_404(Unit, pk=unit))
            qs = qs.filter(enterprise__unit_id__in=ids) | qs.filter(enterprise__park_id__in=ids)
        if eligible is not None:
            qs = qs.filter(eligible=eligible)
        return [_result_out(r) for r in qs]

    @router.get("/enterprises/{int:enterprise_id}", response=list[dict], summary="Live evaluation of an enterprise by every rule set in use")
    def evaluate_enterprise(request, enterprise_id: int, year: int):
        enterprise = get_scoped(Enterprise.objects, request.auth, pk=enterprise_id)
        inp = input_for(enterprise, year, years=4)
        if inp is None:
            raise HttpError(404, f"no figures for {year}")
        applicable = applicable_rulesets(enterprise.unit, datetime.date(year + 1, 1, 1))  # figures of Y serve Y + 1
        return [evaluate_with_gaps(r.parsed, inp).to_json() for r in applicable]

    @router.post("/evaluate", response=dict, summary="Evaluate posted figures (nothing is stored)")
    def evaluate_posted(request, payload: EvaluateIn):
        record = _record(payload.ruleset)
        return evaluate_with_gaps(record.parsed, _posted_input(payload)).to_json()

    return router


def _posted_input(payload: EvaluateIn) -> EvaluationInput:
    unknown = {k for fig in payload.years.values() for k in fig if k not in YEAR_FIELDS} | (set(payload.extras) - set(EXTRAS))
    if unknown:
        raise HttpError(422, f"unknown fields: {', '.join(sorted(unknown))}")
    if payload.year not in payload.years:
        raise HttpError(422, f"no figures for {payload.year}")
    return EvaluationInput(
        year=payload.year, years={y: YearFigures.from_mapping(f) for y, f in payload.years.items()}, uscc=payload.uscc,
        name=payload.name, established=payload.established, industry_code=payload.industry_code,
        hitech_field=payload.hitech_field, emerging_industry=payload.emerging_industry, extras=dict(payload.extras),
    )


router = build_router()
