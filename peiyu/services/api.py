"""API of the services app (/api/services/): events, financing, the technology board with its
matches, and policies matched both ways. Scoped exactly like the pages."""

import datetime
from decimal import Decimal
from typing import Annotated

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate

from peiyu.core.api import Id, Pages, Year, get_scoped, responses
from peiyu.core.choices import Role
from peiyu.enterprises.models import Enterprise
from peiyu.services import matching, policies
from peiyu.services.models import Financing, Policy, ServiceEvent, TechPost

STAFF = {Role.BUREAU, Role.UNIT, Role.LEADER, Role.PARTY}


class EventOut(Schema):
    id: int
    kind: str
    date: datetime.date
    unit: str
    topic: str
    place: str
    people: int
    enterprises: list[str] = Field(description="服务企业的统一社会信用代码（权限范围内）")


class FinancingOut(Schema):
    id: int
    uscc: str
    enterprise: str
    kind: str
    product: str
    lender: str
    amount: Decimal = Field(description="金额（万元）")
    date: datetime.date
    term_months: int | None


class PostOut(Schema):
    id: int
    side: str
    title: str
    field: str
    poster: str
    budget: Decimal | None
    deadline: datetime.date | None
    public: bool


class MatchOut(Schema):
    id: int
    title: str
    poster: str
    score: float
    reasons: list[str]


class PolicyOut(Schema):
    id: int
    title: str
    issuer: str
    doc_number: str
    level: str
    benefit: str
    status: str
    conditions: list[str]


class FitOut(Schema):
    policy: int
    title: str
    qualifies: bool
    missing: list[str]


class PolicyEnterprisesOut(Schema):
    year: int
    qualifies: list[str] = Field(description="符合条件的企业信用代码")
    near: dict[str, list[str]] = Field(description="接近符合的企业信用代码及尚缺条件")


def _staff(user) -> None:
    if not (user.is_superuser or user.role in STAFF):
        raise HttpError(403, _("Your role has no access to these records."))


def _policy_out(p) -> dict:
    return {
        "id": p.pk,
        "title": p.title,
        "issuer": p.issuer,
        "doc_number": p.doc_number,
        "level": p.level,
        "benefit": p.benefit,
        "status": p.status,
        "conditions": [policies.requirement(c) for c in p.conditions.all()],
    }


def build_router() -> Router:
    router = Router(tags=["科技服务"])

    @router.get("/events", response=responses({200: list[EventOut]}), summary="科技服务活动（权限范围内）")
    @paginate(Pages, page_size=100)
    def list_events(request, year: Annotated[Year | None, Field(description="年度")] = None):
        qs = ServiceEvent.objects.for_user(request.auth).select_related("unit").order_by("-date", "pk")
        if year is not None:
            qs = qs.filter(date__year=year)
        visible = Enterprise.objects.for_user(request.auth)
        return [
            {
                "id": e.pk,
                "kind": e.kind,
                "date": e.date,
                "unit": e.unit.name,
                "topic": e.topic,
                "place": e.place,
                "people": e.people,
                "enterprises": list(
                    e.attendances.filter(enterprise__in=visible).values_list("enterprise__uscc", flat=True)
                ),
            }
            for e in qs
        ]

    @router.get(
        "/financing", response=responses({200: list[FinancingOut]}), summary="融资服务记录（权限范围内）"
    )
    @paginate(Pages, page_size=100)
    def list_financing(request, year: Annotated[Year | None, Field(description="年度")] = None):
        qs = Financing.objects.for_user(request.auth).select_related("enterprise").order_by("-date", "pk")
        if year is not None:
            qs = qs.filter(date__year=year)
        return [
            {
                "id": f.pk,
                "uscc": f.enterprise.uscc,
                "enterprise": f.enterprise.name,
                "kind": f.kind,
                "product": f.product,
                "lender": f.lender,
                "amount": f.amount,
                "date": f.date,
                "term_months": f.term_months,
            }
            for f in qs
        ]

    @router.get(
        "/posts",
        response=responses({200: list[PostOut]}),
        summary="技术需求与成果供给（公开的及权限范围内的）",
    )
    @paginate(Pages, page_size=100)
    def list_posts(
        request,
        side: Annotated[
            str | None, Field(pattern="^(demand|supply)$", description="demand 需求 / supply 供给")
        ] = None,
    ):
        qs = TechPost.objects.visible_to(request.auth).select_related("enterprise").order_by("-created", "pk")
        if side:
            qs = qs.filter(side=side)
        return [
            {
                "id": p.pk,
                "side": p.side,
                "title": p.title,
                "field": p.field,
                "poster": p.poster,
                "budget": p.budget,
                "deadline": p.deadline,
                "public": p.public,
            }
            for p in qs
        ]

    @router.get(
        "/posts/{post_id}/matches",
        response=responses({200: list[MatchOut]}, 404),
        summary="一条需求（或供给）的匹配结果及理由",
    )
    def post_matches(request, post_id: Id):
        visible = TechPost.objects.visible_to(request.auth)
        post = get_object_or_404(visible, pk=post_id)
        other = "supply" if post.side == "demand" else "demand"
        found = matching.matches_for(post, visible.filter(side=other).select_related("enterprise"), top=10)
        return [
            {
                "id": m.post.pk,
                "title": m.post.title,
                "poster": m.post.poster,
                "score": m.score,
                "reasons": m.reasons,
            }
            for m in found
        ]

    @router.get("/policies", response=responses({200: list[PolicyOut]}), summary="政策库")
    @paginate(Pages, page_size=100)
    def list_policies(request):
        return [
            _policy_out(p)
            for p in Policy.objects.for_user(request.auth).prefetch_related("conditions").order_by("pk")
        ]

    @router.get(
        "/policies/{policy_id}/enterprises",
        response=responses({200: PolicyEnterprisesOut}, 403, 404),
        summary="政策找企业：符合与接近符合的企业（权限范围内）",
    )
    def policy_enterprises(request, policy_id: Id):
        _staff(request.auth)
        policy = get_object_or_404(
            Policy.objects.for_user(request.auth).prefetch_related("conditions"), pk=policy_id
        )
        scope = Enterprise.objects.for_user(request.auth)
        year = policies.reference_year()
        qualifies, near = policies.enterprises_for_policy(policy, scope, year)
        codes = dict(scope.filter(pk__in=[*qualifies, *near]).values_list("pk", "uscc"))
        texts = [policies.requirement(c) for c in policy.conditions.all()]
        return {
            "year": year,
            "qualifies": sorted(codes[i] for i in qualifies),
            "near": {codes[i]: [texts[k] for k in miss] for i, miss in near.items()},
        }

    @router.get(
        "/enterprises/{enterprise_id}/policies",
        response=responses({200: list[FitOut]}, 404),
        summary="企业可享受的政策（及接近符合的）",
    )
    def enterprise_policies(request, enterprise_id: Id):
        enterprise = get_scoped(Enterprise.objects, request.auth, pk=enterprise_id)
        published = Policy.objects.for_user(request.auth).published().prefetch_related("conditions")
        return [
            {
                "policy": f.policy.pk,
                "title": f.policy.title,
                "qualifies": f.qualifies,
                "missing": [c[0] for c in f.missing],
            }
            for f in policies.policies_for_enterprise(enterprise, published)
        ]

    return router


router = build_router()
