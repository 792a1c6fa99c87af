"""Pages of the projects app. Every object is found through its scoped queryset (experts: only what
is assigned to them and declared), so another unit's or expert's object is a 404."""

import secrets

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Q, Sum
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from peiyu.core.choices import Role
from peiyu.core.history import acting_as
from peiyu.core.views.generic import ObjectEditView
from peiyu.core.workflows import TransitionNotAllowed
from peiyu.enterprises.models import Enterprise
from peiyu.projects import exports, services
from peiyu.projects.choices import AppState, ProjectLevel, ReserveStatus
from peiyu.projects.forms import (
    AffiliationForm,
    ApplicationForm,
    CallForm,
    DecisionForm,
    DrawForm,
    ExpertForm,
    ProgrammeForm,
    ProjectForm,
    ReserveProjectForm,
    ScoreForm,
    TrancheForm,
)
from peiyu.projects.models import (
    Application,
    ApplicationWorkflow,
    Call,
    Draw,
    DrawMember,
    Expert,
    Objection,
    Programme,
    Project,
    ReserveProject,
    Review,
    Tranche,
)


def is_bureau(user) -> bool:
    return user.is_superuser or user.role == Role.BUREAU


def require_bureau(user):
    if not is_bureau(user):
        raise PermissionDenied(_("Only bureau staff may do this."))


def bureau_call(user, pk) -> Call:
    """A call the user runs (bureau staff of its unit): others 404 or 403."""
    call = get_object_or_404(Call.objects.for_user(user).select_related("programme"), pk=pk)
    if not Call.objects.writable_by(user).filter(pk=pk).exists():
        raise PermissionDenied(_("Only bureau staff may do this."))
    return call


def own_enterprise(user):
    return Enterprise.objects.for_user(user).first() if user.role == Role.ENTERPRISE else None


def error_list(e: ValidationError) -> list[str]:
    if hasattr(e, "error_dict"):
        return [m for msgs in e.message_dict.values() for m in msgs]
    return list(e.messages)


# ---------------------------------------------------------------- calls


@login_required
def call_list(request):
    if request.user.role == Role.EXPERT and not request.user.is_superuser:
        return redirect("projects:review-list")
    calls = (
        Call.objects.for_user(request.user)
        .select_related("programme")
        .annotate(n=Count("applications", filter=~Q(applications__state=AppState.DRAFT)))
    )
    year = request.GET.get("year", "")
    if year.isdigit():
        calls = calls.filter(year=int(year))
    now = timezone.now()
    return render(
        request,
        "projects/call_list.html",
        {
            "page_title": _("Programmes and calls"),
            "calls": calls,
            "now": now,
            "is_bureau": is_bureau(request.user),
            "years": Call.objects.order_by("-year").values_list("year", flat=True).distinct(),
            "year": year,
            "programmes": Programme.objects.all(),
        },
    )


@login_required
def call_detail(request, pk):
    call = get_object_or_404(Call.objects.for_user(request.user).select_related("programme"), pk=pk)
    user = request.user
    ctx = {"page_title": call.title, "call": call, "is_bureau": is_bureau(user), "open": call.is_open()}
    enterprise = own_enterprise(user)
    if enterprise is not None:
        ctx["enterprise"] = enterprise
        ctx["eligibility"] = services.eligibility(call, enterprise)
        ctx["mine"] = Application.objects.for_user(user).filter(call=call)
    if user.role != Role.ENTERPRISE:
        apps = Application.objects.for_user(user).filter(call=call).exclude(state=AppState.DRAFT)
        ctx["state_counts"] = [
            (AppState(s).label, n)
            for s, n in apps.values_list("state").annotate(n=Count("pk")).order_by("state")
        ]
        ctx["committed"] = services.committed(call)
    ctx["unconfirmed"] = (call.eligibility or {}).get("unconfirmed", [])
    return render(request, "projects/call_detail.html", ctx)


# ---------------------------------------------------------------- applications


@login_required
def application_create(request, pk):
    call = get_object_or_404(Call.objects.for_user(request.user), pk=pk)
    enterprise = own_enterprise(request.user)
    if enterprise is None:
        raise PermissionDenied(_("Only enterprise users apply."))
    if not call.is_open():
        messages.error(
            request,
            _("The call is not open: applications are accepted from %(open)s until %(close)s.")
            % {
                "open": call.opens_on.strftime("%Y年%m月%d日"),
                "close": timezone.localtime(call.closes_at).strftime("%Y年%m月%d日 %H:%M"),
            },
        )
        return redirect(call)
    check = services.eligibility(call, enterprise)
    if not check.eligible:
        messages.error(
            request, _("Your enterprise is not eligible: %(why)s") % {"why": "；".join(check.reasons)}
        )
        return redirect(call)
    app = Application(call=call, enterprise=enterprise, created_by=request.user)
    return _edit_application(request, app, call)


@login_required
def application_edit(request, pk):
    app = get_object_or_404(Application.objects.writable_by(request.user).select_related("call"), pk=pk)
    if request.user.role != Role.ENTERPRISE or not app.editable:
        raise PermissionDenied(_("Only a draft or a returned application can be changed, by its enterprise."))
    return _edit_application(request, app, app.call)


def _edit_application(request, app, call):
    form = ApplicationForm(request.POST or None, instance=app, call=call)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            app = form.save()
            if "submit" in request.POST:
                try:
                    with transaction.atomic():
                        services.submit(app, request.user)
                except (ValidationError, TransitionNotAllowed) as e:
                    for m in error_list(e) if isinstance(e, ValidationError) else [str(e)]:
                        messages.error(request, m)
                    messages.info(request, _("The draft is saved; it is not submitted."))
                    return redirect(app)
        messages.success(request, _("Submitted.") if app.state == AppState.SUBMITTED else _("Draft saved."))
        return redirect(app)
    if request.method == "POST":
        messages.error(request, _("Please correct the errors below."))
    return render(
        request,
        "projects/application_form.html",
        {
            "page_title": _("Application: %(call)s") % {"call": call.title},
            "form": form,
            "call": call,
            "app": app,
            "limit": services.amount_limit(call, app.total_investment),
        },
    )


@login_required
def application_list(request):
    user = request.user
    if user.role == Role.EXPERT and not user.is_superuser:
        return redirect("projects:review-list")
    apps = (
        Application.objects.for_user(user)
        .select_related("call", "enterprise", "enterprise__unit")
        .exclude(state=AppState.DRAFT)
    )
    state = request.GET.get("state")
    if state is None and user.role == Role.UNIT:
        state = AppState.SUBMITTED  # the unit check queue
    if state is None and user.role == Role.BUREAU:
        state = AppState.RECOMMENDED  # the formal check queue
    if state:
        apps = apps.filter(state=state)
    call_id = request.GET.get("call", "")
    if call_id.isdigit():
        apps = apps.filter(call_id=int(call_id))
    q = request.GET.get("q", "").strip()
    if q:
        apps = apps.filter(
            Q(title__icontains=q)
            | Q(enterprise__name__icontains=q)
            | Q(enterprise__uscc__startswith=q.upper())
        )
    page = Paginator(apps.order_by("submitted_at", "pk"), 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "projects/application_list.html",
        {
            "page_title": _("Unit check queue") if state == AppState.SUBMITTED else _("Applications"),
            "page_obj": page,
            "object_list": page.object_list,
            "query": query.urlencode(),
            "state": state or "",
            "states": AppState.choices,
            "calls": Call.objects.for_user(user),
            "call_id": call_id,
            "q": q,
        },
    )


def _readable_application(user, pk) -> Application:
    return get_object_or_404(
        Application.objects.readable_by(user).select_related("call", "call__programme", "enterprise"), pk=pk
    )


@login_required
def application_detail(request, pk):
    user = request.user
    if user.role == Role.EXPERT and not user.is_superuser:
        return redirect("projects:review-detail", pk=pk)
    app = _readable_application(user, pk)
    steps = [t for t in app.available_transitions(user) if t.name != "submit"]
    show_scores = is_bureau(user) or (app.call.results_published and user.role == Role.ENTERPRISE)
    answers = [
        (
            s.get("title", ""),
            [(f["label"], (app.answers or {}).get(f["name"], "")) for f in s.get("fields", [])],
        )
        for s in app.call.form_sections or []
    ]
    return render(
        request,
        "projects/application_detail.html",
        {
            "page_title": app.title,
            "app": app,
            "steps": steps,
            "needs_reason": ApplicationWorkflow.needs_reason,
            "answers": answers,
            "show_scores": show_scores,
            "is_bureau": is_bureau(user),
            "reviews": app.reviews.select_related("expert").order_by("expert__name")
            if is_bureau(user)
            else [],
            "can_edit": user.role == Role.ENTERPRISE and app.editable,
            "open": app.call.is_open(),
            "trail": trail_rows(app),
        },
    )


def trail_rows(obj) -> list[dict]:
    """The recorded steps in words: when, who, which step, to which state, and the comment."""
    labels = {t.name: t.label for t in obj.workflow.transitions}
    return [
        {
            "time": s.time,
            "who": getattr(s.user, "full_name", "") or s.user_name,
            "step": labels.get(s.transition, ""),
            "to": obj.workflow.states(s.to_state).label,
            "comment": s.comment,
        }
        for s in obj.transition_trail()
    ]


@login_required
@require_POST
def application_step(request, pk, step):
    user = request.user
    app = get_object_or_404(Application.objects.for_user(user).select_related("call"), pk=pk)
    comment = request.POST.get("comment", "").strip()
    if step in ApplicationWorkflow.needs_reason and not comment:
        messages.error(request, _("Give the reason: the enterprise reads it to amend the application."))
        return redirect(app)
    try:
        if step == "submit":
            services.submit(app, user)
        else:
            app.apply_transition(step, user, comment=comment)
    except ValidationError as e:
        for m in error_list(e):
            messages.error(request, m)
        return redirect(app)
    except TransitionNotAllowed as e:
        messages.error(request, str(e))
        return redirect(app)
    if step in ApplicationWorkflow.needs_reason:
        from peiyu.core.notifications import notify

        notify(
            "projects.returned",
            app.enterprise.accounts.all(),
            title=_("Application returned: %(title)s") % {"title": app.title},
            body=comment,
            source=app,
            reason=_("You applied to %(call)s") % {"call": app.call.title},
        )
    messages.success(request, _("Done: %(state)s.") % {"state": app.get_state_display()})
    return redirect(request.POST.get("next") or app.get_absolute_url())


# ---------------------------------------------------------------- draws


@login_required
def draws(request, pk):
    call = bureau_call(request.user, pk)
    groups = list(
        call.applications.filter(state=AppState.ACCEPTED)
        .values("review_group")
        .annotate(n=Count("pk"))
        .order_by("review_group")
    )
    form = DrawForm(request.POST or None)
    if request.method == "POST" and "group_by_field" in request.POST:
        with acting_as(request.user):
            n = services.group_by_field(call)
        messages.success(request, _("%(n)s applications put into groups by technical field.") % {"n": n})
        return redirect("projects:draws", pk=call.pk)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        seed = d["seed"] if d["seed"] is not None else secrets.randbelow(10**9)
        constraints = {"min_fields": {"F": d["min_finance"]}, "max_same_employer": d["max_same_employer"]}
        try:
            if d["group"]:
                records = [services.run_draw(call, d["group"], d["size"], seed, constraints, request.user)]
            else:
                records = services.run_all_draws(call, d["size"], seed, constraints, request.user)
        except ValidationError as e:
            for m in error_list(e):
                messages.error(request, m)
        else:
            messages.success(request, _("Drawn with seed %(seed)s.") % {"seed": seed})
            return redirect(records[0] if len(records) == 1 else reverse("projects:draws", args=[call.pk]))
    return render(
        request,
        "projects/draws.html",
        {
            "page_title": _("Expert draw: %(call)s") % {"call": call.title},
            "call": call,
            "groups": groups,
            "form": form,
            "draws": call.draws.prefetch_related("members__expert"),
        },
    )


@login_required
def draw_detail(request, pk):
    record = get_object_or_404(Draw.objects.select_related("call", "created_by"), pk=pk)
    bureau_call(request.user, record.call_id)
    experts = {e.pk: e for e in Expert.objects.filter(pk__in=[x["expert"] for x in record.excluded])}
    avoided = [
        (experts.get(x["expert"]), services.avoidance_reason(x["reason"]), x.get("applicant", ""))
        for x in record.excluded
    ]
    apps = record.call.applications.filter(
        review_group=record.group, state__in=(AppState.ACCEPTED, AppState.APPROVED, AppState.NOT_APPROVED)
    ).select_related("enterprise")
    return render(
        request,
        "projects/draw_detail.html",
        {
            "page_title": _("Draw result: %(group)s") % {"group": record.group},
            "draw": record,
            "members": record.members.select_related("expert", "replaces__expert"),
            "avoided": avoided,
            "apps": apps,
        },
    )


@login_required
@require_POST
def member_decline(request, pk):
    member = get_object_or_404(DrawMember.objects.select_related("draw", "expert"), pk=pk)
    bureau_call(request.user, member.draw.call_id)
    try:
        fresh = services.decline(member, request.POST.get("reason", ""), request.user)
    except ValidationError as e:
        for m in error_list(e):
            messages.error(request, m)
    else:
        messages.success(
            request,
            _("%(old)s declined; %(new)s was drawn in their place.")
            % {"old": member.expert, "new": fresh.expert},
        )
    return redirect(member.draw)


# ---------------------------------------------------------------- review (experts)


def _expert(user) -> Expert:
    expert = Expert.objects.filter(user=user).first() if user.is_authenticated else None
    if expert is None:
        raise Http404
    return expert


@login_required
def review_list(request):
    user = request.user
    if user.role != Role.EXPERT:
        raise PermissionDenied(_("This page is for reviewers."))
    expert = Expert.objects.filter(user=user).first()
    reviews = (
        (
            Review.objects.filter(expert=expert, member__declined=False)
            .select_related("application__call", "application__enterprise")
            .order_by("application__call", "application__pk")
        )
        if expert
        else Review.objects.none()
    )
    return render(
        request,
        "projects/review_list.html",
        {"page_title": _("My reviews"), "reviews": reviews, "expert": expert},
    )


@login_required
def review_detail(request, pk):
    """An expert's page for one assigned application: the conflict declaration first, then the score sheet."""
    expert = _expert(request.user)
    review = get_object_or_404(
        Review.objects.select_related("application__call", "application__enterprise"),
        application_id=pk,
        expert=expert,
        member__declined=False,
    )
    app, call = review.application, review.application.call
    form = None
    if review.declared_at and not review.excused:
        form = ScoreForm(request.POST or None, call=call, review=review)
        if request.method == "POST" and form.is_valid():
            try:
                services.save_review(review, form.scores(), form.cleaned_data["comment"])
            except ValidationError as e:
                for m in error_list(e):
                    messages.error(request, m)
            else:
                messages.success(request, _("Scores saved."))
                return redirect("projects:review-list")
    answers = (
        [
            (
                s.get("title", ""),
                [(f["label"], (app.answers or {}).get(f["name"], "")) for f in s.get("fields", [])],
            )
            for s in call.form_sections or []
        ]
        if review.declared_at and not review.excused
        else []
    )
    return render(
        request,
        "projects/review_detail.html",
        {
            "page_title": _("Review: %(title)s") % {"title": app.title},
            "review": review,
            "app": app,
            "call": call,
            "form": form,
            "answers": answers,
        },
    )


@login_required
@require_POST
def review_declare(request, pk):
    expert = _expert(request.user)
    review = get_object_or_404(Review, application_id=pk, expert=expert, member__declined=False)
    if review.declared_at is None:
        if request.POST.get("conflict") == "yes":
            review.excused = True
            review.conflict_note = request.POST.get("note", "")[:200]
        review.declared_at = timezone.now()
        review.save()
    if review.excused:
        messages.info(request, _("You declared a conflict and are excused from this application."))
        return redirect("projects:review-list")
    return redirect("projects:review-detail", pk=pk)


# ---------------------------------------------------------------- ranking, decision, publicity


@login_required
def ranking(request, pk):
    call = bureau_call(request.user, pk)
    proposal = services.proposal(call, services.light_ranking(call))
    if call.decided_at:
        current = dict(
            call.applications.filter(proposed_amount__isnull=False).values_list("pk", "proposed_amount")
        )
    else:
        current = dict(proposal)
    page = Paginator(services.ranked(call), 100).get_page(request.GET.get("page"))
    shown = services.with_review_counts(list(page.object_list))
    form = DecisionForm(
        request.POST or None, apps=[a for a in shown if a.state == AppState.ACCEPTED], initial_amounts=current
    )
    if request.method == "POST" and "decide" in request.POST:
        if form.is_valid():
            # The amounts typed on this page replace those of its rows; other pages keep theirs.
            amounts = {k: v for k, v in current.items() if k not in {a.pk for a in form.apps}}
            amounts.update(form.amounts())
            try:
                services.decide(call, amounts, request.user)
            except ValidationError as e:
                for m in error_list(e):
                    messages.error(request, m)
            else:
                messages.success(request, _("Decision saved."))
                return redirect(request.get_full_path())
        else:
            messages.error(request, _("Amounts must be numbers in 10k yuan."))
    typed = form.data if form.is_bound else {}
    fields = {
        a.pk: typed.get(f"a_{a.pk}", format(current[a.pk].normalize(), "f") if a.pk in current else "")
        for a in form.apps
    }
    errors = {a.pk for a in form.apps if form.is_bound and form.errors.get(f"a_{a.pk}")}
    labels = {value: str(label) for value, label in AppState.choices}
    rows = [
        {
            "app": a,
            "state": labels[a.state],
            "rank": i,
            "proposed": proposal.get(a.pk),
            "field": a.pk in fields,
            "typed": fields.get(a.pk, ""),
            "invalid": a.pk in errors,
            "flagged": a.score_spread is not None and a.score_spread > call.spread_limit,
            "reviews": a.n_reviews,
        }
        for i, a in enumerate(shown, page.start_index())
    ]
    return render(
        request,
        "projects/ranking.html",
        {
            "page_title": _("Ranking: %(call)s") % {"call": call.title},
            "call": call,
            "rows": rows,
            "form": form,
            "page_obj": page,
            "query": "",
            "listed": call.applications.filter(proposed_amount__isnull=False).select_related("enterprise")
            if call.publicity_start
            else [],
            "proposed_total": sum(proposal.values()),
            "committed": services.committed(call),
            "objections": call.objections.select_related("application"),
            "today": timezone.localdate(),
        },
    )


@login_required
@require_POST
def publish(request, pk):
    call = bureau_call(request.user, pk)
    try:
        services.publish(call, timezone.localdate(), request.user)
    except ValidationError as e:
        for m in error_list(e):
            messages.error(request, m)
    else:
        messages.success(
            request,
            _("Publicity started; it ends on %(end)s.")
            % {"end": call.publicity_end.strftime("%Y年%m月%d日")},
        )
    return redirect("projects:ranking", pk=call.pk)


@login_required
@require_POST
def approve(request, pk):
    call = bureau_call(request.user, pk)
    try:
        projects = services.approve(call, request.user)
    except (ValidationError, TransitionNotAllowed) as e:
        for m in error_list(e) if isinstance(e, ValidationError) else [str(e)]:
            messages.error(request, m)
    else:
        messages.success(request, _("%(n)s projects approved.") % {"n": len(projects)})
    return redirect("projects:ranking", pk=call.pk)


@login_required
@require_POST
def objection_add(request, pk):
    call = bureau_call(request.user, pk)
    text, raised_by = request.POST.get("text", "").strip(), request.POST.get("raised_by", "").strip()
    if not text or not raised_by:
        messages.error(request, _("Write who raised the objection and what it says."))
    else:
        app = call.applications.filter(pk=request.POST.get("application") or 0).first()
        with acting_as(request.user):
            Objection.objects.create(
                call=call,
                application=app,
                raised_by=raised_by,
                text=text,
                handling=request.POST.get("handling", ""),
            )
        messages.success(request, _("Objection recorded."))
    return redirect("projects:ranking", pk=call.pk)


def publicity(request, pk):
    """The public page of a call's list (公示): no sign-in needed, shown only once publicity started."""
    call = get_object_or_404(Call.objects.select_related("programme"), pk=pk, publicity_start__isnull=False)
    apps = (
        call.applications.filter(proposed_amount__isnull=False)
        .select_related("enterprise", "enterprise__unit")
        .order_by("-score", "pk")
    )
    return render(
        request,
        "projects/publicity.html",
        {
            "page_title": _("Publicity: %(call)s") % {"call": call.title},
            "call": call,
            "apps": apps,
            "total": sum(a.proposed_amount for a in apps),
            "ended": timezone.localdate() > call.publicity_end,
        },
    )


def _download(call_or_none, fmt, builder, name):
    data, content_type, ext = builder(fmt)
    from urllib.parse import quote

    from django.http import HttpResponse

    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename*=utf-8''{quote(name + ext)}"
    return response


@login_required
def ranking_export(request, pk, fmt):
    call = bureau_call(request.user, pk)
    return _download(call, fmt, lambda f: exports.review_summary(call, f), f"{call.title}-评审汇总")


# ---------------------------------------------------------------- funding and delivery


def _funded(user):
    return (
        Project.objects.for_user(user)
        .select_related("call__programme", "enterprise", "enterprise__unit")
        .prefetch_related("tranches")
    )


@login_required
def funding(request):
    user = request.user
    if user.role == Role.EXPERT and not user.is_superuser:
        raise PermissionDenied(_("Your role has no access to these records."))
    projects = _funded(user)
    year = request.GET.get("year", "")
    if year.isdigit():
        projects = projects.filter(call__year=int(year))
    programme = request.GET.get("programme", "")
    if programme.isdigit():
        projects = projects.filter(call__programme_id=int(programme))
    projects = list(projects.order_by("call__year", "call__programme__name", "pk"))
    totals = exports.funding_totals(projects)
    return render(
        request,
        "projects/funding.html",
        {
            "page_title": _("Funding list"),
            "projects": projects,
            "totals": totals,
            "year": year,
            "programme": programme,
            "programmes": Programme.objects.all(),
            "years": Call.objects.order_by("-year").values_list("year", flat=True).distinct(),
            "query": request.GET.urlencode(),
            "today": timezone.localdate(),
        },
    )


@login_required
def funding_export(request, fmt):
    user = request.user
    if user.role == Role.EXPERT and not user.is_superuser:
        raise PermissionDenied(_("Your role has no access to these records."))
    projects = _funded(user)
    year = request.GET.get("year", "")
    if year.isdigit():
        projects = projects.filter(call__year=int(year))
    programme = request.GET.get("programme", "")
    if programme.isdigit():
        projects = projects.filter(call__programme_id=int(programme))
    projects = list(projects.order_by("call__year", "call__programme__name", "pk"))
    return _download(None, fmt, lambda f: exports.funding_list(projects, f), "资金拨付清单")


@login_required
def project_detail(request, pk):
    project = get_object_or_404(_funded(request.user), pk=pk)
    writable = is_bureau(request.user) and Project.objects.writable_by(request.user).filter(pk=pk).exists()
    form = ProjectForm(request.POST or None, instance=project) if writable else None
    tranche_form = TrancheForm(prefix="t") if writable else None
    if request.method == "POST" and writable:
        if "tranche" in request.POST:
            tranche_form = TrancheForm(request.POST, prefix="t")
            if tranche_form.is_valid():
                try:
                    services.add_tranche(
                        project,
                        tranche_form.cleaned_data["amount"],
                        tranche_form.cleaned_data["planned_on"],
                        tranche_form.cleaned_data["condition"],
                        request.user,
                    )
                except ValidationError as e:
                    for m in error_list(e):
                        messages.error(request, m)
                else:
                    messages.success(request, _("Tranche added."))
                    return redirect(project)
        elif form.is_valid():
            with transaction.atomic(), acting_as(request.user):
                form.save()
            messages.success(request, _("Saved."))
            return redirect(project)
    return render(
        request,
        "projects/project_detail.html",
        {
            "page_title": project.title,
            "project": project,
            "form": form,
            "tranche_form": tranche_form,
            "writable": writable,
            "tranches": project.tranches.all(),
            "left": project.approved_amount - project.planned,
            "today": timezone.localdate(),
        },
    )


@login_required
@require_POST
def tranche_paid(request, pk):
    tranche = get_object_or_404(Tranche.objects.writable_by(request.user).select_related("project"), pk=pk)
    require_bureau(request.user)
    if tranche.paid_on is None:
        with acting_as(request.user):
            tranche.paid_on = timezone.localdate()
            tranche.save()
        messages.success(request, _("Tranche %(n)s marked paid.") % {"n": tranche.number})
    return redirect(tranche.project)


# ---------------------------------------------------------------- expert library


@login_required
def expert_list(request):
    require_bureau(request.user)
    experts = (
        Expert.objects.for_user(request.user).annotate(n_aff=Count("affiliations")).order_by("name", "pk")
    )
    q = request.GET.get("q", "").strip()
    if q:
        experts = experts.filter(Q(name__icontains=q) | Q(employer__icontains=q) | Q(subfield__icontains=q))
    field = request.GET.get("field", "")
    if field:
        experts = experts.filter(field=field)
    from peiyu.projects.choices import ExpertField

    page = Paginator(experts, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "projects/expert_list.html",
        {
            "page_title": _("Expert library"),
            "page_obj": page,
            "object_list": page.object_list,
            "q": q,
            "field": field,
            "fields": ExpertField.choices,
            "query": query.urlencode(),
        },
    )


@login_required
def expert_detail(request, pk):
    require_bureau(request.user)
    expert = get_object_or_404(Expert.objects.for_user(request.user), pk=pk)
    form = AffiliationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with acting_as(request.user):
            form.instance.expert = expert
            form.save()
        messages.success(request, _("Affiliation added."))
        return redirect("projects:expert-detail", pk=pk)
    return render(
        request,
        "projects/expert_detail.html",
        {
            "page_title": expert.name,
            "expert": expert,
            "form": form,
            "affiliations": expert.affiliations.all(),
            "members": expert.draws.select_related("draw__call").order_by("-pk")[:20],
        },
    )


class ExpertEditView(ObjectEditView):
    queryset = Expert.objects.all()
    form_class = ExpertForm

    def check_create(self):
        require_bureau(self.request.user)

    def get_success_url(self, obj):
        from django.urls import reverse

        return reverse("projects:expert-detail", args=[obj.pk])

    def get_cancel_url(self):
        from django.urls import reverse

        return reverse("projects:expert-list")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["page_title"] = _("New expert") if self.object.pk is None else _("Edit expert")
        return ctx


# ---------------------------------------------------------------- project library and reserve


@login_required
def reserve_list(request):
    user = request.user
    if user.role in (Role.EXPERT, Role.PARTY) and not user.is_superuser:
        raise PermissionDenied(_("Your role has no access to these records."))
    rows = ReserveProject.objects.for_user(user).select_related("enterprise")
    for name in ("level", "status", "field", "batch"):
        value = request.GET.get(name, "")
        if value:
            rows = rows.filter(**{name: value})
    year = request.GET.get("year", "")
    if year.isdigit():
        rows = rows.filter(year=int(year))
    q = request.GET.get("q", "").strip()
    if q:
        rows = rows.filter(
            Q(title__icontains=q) | Q(enterprise__name__icontains=q) | Q(plan_name__icontains=q)
        )
    summary = rows.values("level", "status").annotate(
        n=Count("pk"), requested=Sum("amount_requested"), approved=Sum("amount_approved")
    )
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    from peiyu.enterprises.choices import HitechField

    return render(
        request,
        "projects/reserve_list.html",
        {
            "page_title": _("Project library and reserve"),
            "page_obj": page,
            "object_list": page.object_list,
            "query": query.urlencode(),
            "summary": [
                {
                    **s,
                    "level_label": ProjectLevel(s["level"]).label,
                    "status_label": ReserveStatus(s["status"]).label,
                }
                for s in summary.order_by("level", "status")
            ],
            "levels": ProjectLevel.choices,
            "statuses": ReserveStatus.choices,
            "fields": HitechField.choices,
            "batches": ReserveProject.objects.for_user(user)
            .order_by("-batch")
            .values_list("batch", flat=True)
            .distinct(),
            "params": request.GET,
            "can_edit": user.role in (Role.BUREAU, Role.UNIT) or user.is_superuser,
        },
    )


class ReserveEditView(ObjectEditView):
    queryset = ReserveProject.objects.all()
    form_class = ReserveProjectForm

    def check_create(self):
        if self.request.user.is_read_only or self.request.user.role == Role.ENTERPRISE:
            raise PermissionDenied(_("Your role may not create records."))

    def get_success_url(self, obj):
        from django.urls import reverse

        return reverse("projects:reserve-list")

    def get_cancel_url(self):
        return self.get_success_url(None)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["page_title"] = _("Project library and reserve")
        return ctx


class ProgrammeEditView(ObjectEditView):
    queryset = Programme.objects.all()
    form_class = ProgrammeForm

    def check_create(self):
        require_bureau(self.request.user)

    def get_success_url(self, obj):
        return reverse("projects:call-list")

    def get_cancel_url(self):
        return reverse("projects:call-list")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["page_title"] = _("Programme")
        return ctx


class CallEditView(ObjectEditView):
    queryset = Call.objects.all()
    form_class = CallForm

    def check_create(self):
        require_bureau(self.request.user)

    def get_cancel_url(self):
        return self.object.get_absolute_url() if self.object.pk else reverse("projects:call-list")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["page_title"] = _("New call") if self.object.pk is None else _("Edit call")
        return ctx
