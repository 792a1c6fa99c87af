"""API of the projects app (/api/projects/): calls, applications (scoped; experts see only what is
assigned to them and declared), scores (bureau staff only) and decisions. Experts are admitted
here, unlike the enterprise-data endpoints, so that an expert asking for another application gets a
404 like on the pages."""

import datetime
from decimal import Decimal

from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate
from ninja.security import HttpBearer, SessionAuth

from peiyu.core.api import Id, Pages, responses
from peiyu.core.choices import Role
from peiyu.core.models import ApiToken
from peiyu.projects import services
from peiyu.projects.models import Application, Call


class ProjectTokenAuth(HttpBearer):
    def authenticate(self, request, token):
        user = ApiToken.objects.authenticate(token)
        if user is not None:
            request.user = user
        return user


class ProjectSessionAuth(SessionAuth):
    pass


router = Router(tags=["项目与资金"], auth=[ProjectTokenAuth(), ProjectSessionAuth()])


class CallOut(Schema):
    id: int
    programme: str
    year: int
    title: str
    opens_on: datetime.date
    closes_at: datetime.datetime
    budget: Decimal | None
    funding_cap: Decimal | None
    funding_ratio: Decimal | None
    publicity_start: datetime.date | None
    publicity_end: datetime.date | None


class ApplicationOut(Schema):
    id: int
    call_id: int
    enterprise: str
    enterprise_uscc: str
    title: str
    state: str
    state_label: str
    total_investment: Decimal | None
    requested_amount: Decimal | None
    submitted_at: datetime.datetime | None
    score: Decimal | None = None
    proposed_amount: Decimal | None = None
    approved_amount: Decimal | None = None


class ScoreOut(Schema):
    application_id: int
    expert: str
    declared: bool
    excused: bool
    scores: dict
    total: Decimal | None
    comment: str


class DecisionOut(Schema):
    application_id: int
    enterprise: str
    title: str
    rank: int
    score: Decimal | None
    proposed_amount: Decimal | None
    approved_amount: Decimal | None
    state: str


def _call_out(c: Call) -> CallOut:
    return CallOut(
        id=c.pk,
        programme=c.programme.name,
        year=c.year,
        title=c.title,
        opens_on=c.opens_on,
        closes_at=c.closes_at,
        budget=c.budget,
        funding_cap=c.funding_cap,
        funding_ratio=c.funding_ratio,
        publicity_start=c.publicity_start,
        publicity_end=c.publicity_end,
    )


def _app_out(a: Application, user) -> ApplicationOut:
    bureau = user.is_superuser or user.role == Role.BUREAU
    published = a.call.results_published and user.role == Role.ENTERPRISE
    out = ApplicationOut(
        id=a.pk,
        call_id=a.call_id,
        enterprise=a.enterprise.name,
        enterprise_uscc=a.enterprise.uscc,
        title=a.title,
        state=a.state,
        state_label=str(a.get_state_display()),
        total_investment=a.total_investment,
        requested_amount=a.requested_amount,
        submitted_at=a.submitted_at,
    )
    if bureau or published:
        out.score, out.proposed_amount, out.approved_amount = a.score, a.proposed_amount, a.approved_amount
    return out


def _bureau_call(user, call_id) -> Call:
    call = Call.objects.for_user(user).filter(pk=call_id).first()
    if call is None:
        raise Http404
    if not Call.objects.writable_by(user).filter(pk=call_id).exists():
        raise HttpError(403, _("Only bureau staff may do this."))
    return call


@router.get("/calls", response=responses({200: list[CallOut]}), summary="申报指南（批次）")
def list_calls(request, year: int | None = None):
    qs = Call.objects.for_user(request.auth).select_related("programme")
    if year is not None:
        qs = qs.filter(year=year)
    return [_call_out(c) for c in qs]


@router.get("/calls/{call_id}", response=responses({200: CallOut}, 404), summary="一个申报指南")
def get_call(request, call_id: Id):
    call = Call.objects.for_user(request.auth).select_related("programme").filter(pk=call_id).first()
    if call is None:
        raise Http404
    return _call_out(call)


@router.get("/applications", response=responses({200: list[ApplicationOut]}), summary="申报（权限范围内）")
@paginate(Pages, page_size=100)
def list_applications(request, call: Id | None = None, state: str | None = None):
    user = request.auth
    qs = Application.objects.readable_by(user).select_related("call", "enterprise").order_by("pk")
    if user.role != Role.ENTERPRISE:
        qs = qs.exclude(state="draft")
    if call is not None:
        qs = qs.filter(call_id=call)
    if state:
        qs = qs.filter(state=state)
    return [_app_out(a, user) for a in qs]


@router.get(
    "/applications/{application_id}", response=responses({200: ApplicationOut}, 404), summary="一项申报"
)
def get_application(request, application_id: Id):
    app = (
        Application.objects.readable_by(request.auth)
        .select_related("call", "enterprise")
        .filter(pk=application_id)
        .first()
    )
    if app is None:
        raise Http404
    return _app_out(app, request.auth)


@router.get(
    "/calls/{call_id}/scores",
    response=responses({200: list[ScoreOut]}, 403, 404),
    summary="专家评分（仅局科室）",
)
def call_scores(request, call_id: Id):
    call = _bureau_call(request.auth, call_id)
    from peiyu.projects.models import Review

    return [
        ScoreOut(
            application_id=r.application_id,
            expert=r.expert.name,
            declared=r.declared_at is not None,
            excused=r.excused,
            scores=r.scores,
            total=r.total,
            comment=r.comment,
        )
        for r in Review.objects.filter(application__call=call)
        .select_related("expert")
        .order_by("application_id", "expert__name")
    ]


@router.get(
    "/calls/{call_id}/decisions",
    response=responses({200: list[DecisionOut]}, 403, 404),
    summary="排名与立项决定",
)
def call_decisions(request, call_id: Id):
    user = request.auth
    call = Call.objects.for_user(user).filter(pk=call_id).first()
    if call is None:
        raise Http404
    bureau = Call.objects.writable_by(user).filter(pk=call_id).exists()
    if not bureau and not call.results_published:
        raise HttpError(403, _("The results are not published yet."))
    apps = services.ranking(call)
    if not bureau:
        apps = [a for a in apps if a.proposed_amount]
    return [
        DecisionOut(
            application_id=a.pk,
            enterprise=a.enterprise.name,
            title=a.title,
            rank=i,
            score=a.score,
            proposed_amount=a.proposed_amount,
            approved_amount=a.approved_amount,
            state=a.state,
        )
        for i, a in enumerate(apps, 1)
    ]
