"""Pages of the services app. Everything reads through the scoped querysets: an object outside the
user's scope is a 404, a role that may only read gets a 403 on every change."""

import io

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import IntegrityError, transaction
from django.db.models import Count, Q, Sum
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from peiyu.core.choices import Role
from peiyu.core.notifications.delivery import notify
from peiyu.core.views.generic import ObjectEditView
from peiyu.enterprises.choices import HitechField
from peiyu.enterprises.models import Enterprise
from peiyu.services import choices, exporting, forms, matching, policies, progress
from peiyu.services.importing import import_financing
from peiyu.services.models import (
    Diagnosis,
    EventAttendance,
    Financing,
    Introduction,
    Policy,
    Quota,
    ServiceEvent,
    TechPost,
)

PER_PAGE = 30
STAFF = {Role.BUREAU, Role.UNIT, Role.LEADER, Role.PARTY}


def is_staff(user) -> bool:
    return user.is_superuser or user.role in STAFF


def require_staff(user) -> None:
    if not is_staff(user):
        raise PermissionDenied(_("Your role has no access to these records."))


def require_writer(user) -> None:
    if user.is_read_only:
        raise PermissionDenied(_("Your role may not change these records."))


def _page(request, qs):
    page = Paginator(qs, PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return page, query.urlencode()


def _year(request, default: int) -> int:
    try:
        year = int(request.GET.get("year") or default)
    except ValueError:
        return default
    return year if 2000 <= year <= 2100 else default


def _scoped_units(user):
    return forms.scoped_units(user).order_by("code")


# ---- quotas ---------------------------------------------------------------------------------


@login_required
def quota_list(request):
    """Quotas with their progress period by period (服务指标完成情况)."""
    require_staff(request.user)
    this_year = timezone.localdate().year
    latest = (
        Quota.objects.for_user(request.user)
        .filter(year__lte=this_year)
        .order_by("-year")
        .values_list("year", flat=True)
        .first()
    )
    year = _year(request, latest or this_year)
    quotas = Quota.objects.for_user(request.user).filter(year=year).select_related("unit")
    unit = request.GET.get("unit")
    if unit and unit.isdigit():
        quotas = quotas.filter(unit_id=int(unit))
    rows = []
    for quota in quotas:
        cells = progress.quota_progress(quota)
        met, done = progress.months_met(cells)
        rows.append(
            {
                "quota": quota,
                "cells": cells,
                "met": met,
                "done": done,
                "total": sum((c.actual for c in cells), start=cells[0].actual * 0),
            }
        )
    years = sorted(
        set(Quota.objects.for_user(request.user).values_list("year", flat=True)) | {year}, reverse=True
    )
    return render(
        request,
        "services/quota_list.html",
        {
            "page_title": _("Service quotas and progress"),
            "rows": rows,
            "year": year,
            "years": years,
            "units": _scoped_units(request.user),
            "unit": unit or "",
            "can_edit": not request.user.is_read_only,
        },
    )


class QuotaEditView(ObjectEditView):
    queryset = Quota.objects.all()
    form_class = forms.QuotaForm

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["page_title"] = _("New service quota") if ctx["creating"] else _("Edit service quota")
        return ctx

    def get_cancel_url(self):
        return reverse("services:quotas")

    def get_success_url(self, obj):
        return f"{reverse('services:quotas')}?year={obj.year}"


# ---- events ---------------------------------------------------------------------------------


@login_required
def event_list(request):
    user = request.user
    if not is_staff(user) and user.role != Role.ENTERPRISE:
        raise PermissionDenied(_("Your role has no access to these records."))
    qs = (
        ServiceEvent.objects.for_user(user)
        .select_related("unit")
        .annotate(served=Count("attendances", distinct=True))
    )
    kind, month, q = (
        request.GET.get("kind", ""),
        request.GET.get("month", ""),
        request.GET.get("q", "").strip(),
    )
    if kind in choices.EventKind.values:
        qs = qs.filter(kind=kind)
    if q:
        qs = qs.filter(Q(topic__icontains=q) | Q(place__icontains=q))
    if len(month) == 7 and month[4] == "-" and month.replace("-", "").isdigit():
        year, number = int(month[:4]), int(month[5:])
        if 1 <= number <= 12:
            qs = qs.filter(date__year=year, date__month=number)
    page, query = _page(request, qs.order_by("-date", "-pk"))
    return render(
        request,
        "services/event_list.html",
        {
            "page_title": _("Service events"),
            "page_obj": page,
            "query": query,
            "kinds": choices.EventKind.choices,
            "kind": kind,
            "month": month,
            "q": q,
            "can_create": is_staff(user) and not user.is_read_only,
        },
    )


class EventEditView(ObjectEditView):
    queryset = ServiceEvent.objects.all()
    form_class = forms.EventForm

    def check_create(self):
        super().check_create()
        require_staff(self.request.user)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["page_title"] = _("New service event") if ctx["creating"] else _("Edit service event")
        if ctx["creating"]:
            ctx["cancel_url"] = reverse("services:events")
        return ctx


@login_required
def event_detail(request, pk: int):
    event = get_object_or_404(ServiceEvent.objects.for_user(request.user).select_related("unit"), pk=pk)
    can_edit = ServiceEvent.objects.writable_by(request.user).filter(pk=pk).exists() and is_staff(
        request.user
    )
    form = forms.CheckInForm()
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied(_("You may view this record but not change it."))
        form = forms.CheckInForm(request.POST)
        if form.is_valid():
            _check_in(request, event, form.cleaned_data["codes"])
            return redirect(event)
    attendances = event.attendances.select_related("enterprise", "enterprise__unit", "by")
    if request.user.role == Role.ENTERPRISE and not request.user.is_superuser:
        attendances = attendances.filter(enterprise__accounts=request.user)
    return render(
        request,
        "services/event_detail.html",
        {
            "page_title": event.topic,
            "object": event,
            "attendances": attendances,
            "form": form,
            "can_edit": can_edit,
            "signin_url": request.build_absolute_uri(reverse("services:sign-in", args=[event.signin_token])),
            "signin_open": event.signin_open(),
        },
    )


def _check_in(request, event, codes: list[str]) -> None:
    """Check enterprises in by credit code; codes outside the user's units are reported without
    saying whether such an enterprise exists."""
    found = {e.uscc: e for e in Enterprise.objects.writable_by(request.user).filter(uscc__in=codes)}
    added, already, unknown = 0, 0, []
    with transaction.atomic():
        for code in codes:
            enterprise = found.get(code)
            if enterprise is None:
                unknown.append(code)
                continue
            _row, created = EventAttendance.objects.get_or_create(
                event=event,
                enterprise=enterprise,
                defaults={"method": choices.CheckInMethod.CREDIT_CODE, "by": request.user},
            )
            added += created
            already += not created
    if added:
        messages.success(request, _("%(n)s enterprise(s) checked in.") % {"n": added})
    if already:
        messages.info(request, _("%(n)s enterprise(s) were already checked in.") % {"n": already})
    if unknown:
        messages.error(
            request,
            _("No enterprise in your units has the credit code %(codes)s.") % {"codes": "、".join(unknown)},
        )


@login_required
def event_qr(request, pk: int):
    """The sign-in QR code as SVG (staff who can see the event only)."""
    require_staff(request.user)
    event = get_object_or_404(ServiceEvent.objects.for_user(request.user), pk=pk)
    url = request.build_absolute_uri(reverse("services:sign-in", args=[event.signin_token]))
    out = io.BytesIO()
    segno.make(url, error="m").save(out, kind="svg", scale=6, border=2)
    return HttpResponse(out.getvalue(), content_type="image/svg+xml")


@login_required
def sign_in(request, token: str):
    """The page an enterprise user opens from the QR code: sign the user's own enterprise in, once,
    up to the end of the event day. Unknown tokens are a 404; the page never names other enterprises."""
    event = ServiceEvent.objects.filter(signin_token=token).select_related("unit").first()
    if event is None:
        raise Http404
    own = (
        list(Enterprise.objects.filter(accounts=request.user)) if request.user.role == Role.ENTERPRISE else []
    )
    context = {"page_title": _("Sign in to %(topic)s") % {"topic": event.topic}, "event": event, "own": own}
    if not event.signin_open():
        return render(request, "services/sign_in.html", {**context, "closed": True}, status=410)
    if not own:
        return render(request, "services/sign_in.html", {**context, "no_enterprise": True}, status=403)
    done = set(
        EventAttendance.objects.filter(event=event, enterprise__in=own).values_list(
            "enterprise_id", flat=True
        )
    )
    if request.method == "POST":
        chosen = next((e for e in own if str(e.pk) == request.POST.get("enterprise")), None)
        if chosen is None:
            raise PermissionDenied(_("You can sign in only your own enterprise."))
        if chosen.pk in done:
            messages.info(request, _("%(name)s has already signed in to this event.") % {"name": chosen.name})
        else:
            try:
                with transaction.atomic():
                    EventAttendance.objects.create(
                        event=event, enterprise=chosen, method=choices.CheckInMethod.QR, by=request.user
                    )
                messages.success(request, _("%(name)s has signed in. Thank you.") % {"name": chosen.name})
            except IntegrityError:
                messages.info(
                    request, _("%(name)s has already signed in to this event.") % {"name": chosen.name}
                )
        return redirect("services:sign-in", token=token)
    return render(request, "services/sign_in.html", {**context, "done": done})


# ---- financing ------------------------------------------------------------------------------


def _financing_qs(request):
    qs = Financing.objects.for_user(request.user).select_related("enterprise", "enterprise__unit")
    kind, year, q = request.GET.get("kind", ""), request.GET.get("year", ""), request.GET.get("q", "").strip()
    product = request.GET.get("product", "").strip()
    if kind in choices.FinancingKind.values:
        qs = qs.filter(kind=kind)
    if year.isdigit():
        qs = qs.filter(date__year=int(year))
    if product:
        qs = qs.filter(product__icontains=product)
    if q:
        qs = qs.filter(
            Q(enterprise__name__icontains=q)
            | Q(enterprise__uscc__startswith=q.upper())
            | Q(lender__icontains=q)
        )
    return qs.order_by("-date", "-pk")


@login_required
def financing_list(request):
    user = request.user
    if not is_staff(user) and user.role != Role.ENTERPRISE:
        raise PermissionDenied(_("Your role has no access to these records."))
    qs = _financing_qs(request)
    page, query = _page(request, qs)
    total = qs.aggregate(s=Sum("amount"), n=Count("pk"))
    return render(
        request,
        "services/financing_list.html",
        {
            "page_title": _("Financing services"),
            "page_obj": page,
            "query": query,
            "total": total,
            "kinds": choices.FinancingKind.choices,
            "kind": request.GET.get("kind", ""),
            "year": request.GET.get("year", ""),
            "q": request.GET.get("q", ""),
            "product": request.GET.get("product", ""),
            "can_create": is_staff(user) and not user.is_read_only,
        },
    )


@login_required
def financing_export(request):
    require_staff(request.user)
    data = exporting.financing_xlsx(_financing_qs(request))
    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = exporting.disposition("融资服务台账.xlsx")
    return response


class FinancingEditView(ObjectEditView):
    queryset = Financing.objects.all()
    form_class = forms.FinancingForm

    def check_create(self):
        super().check_create()
        require_staff(self.request.user)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["page_title"] = _("Record financing") if ctx["creating"] else _("Edit financing")
        ctx["cancel_url"] = reverse("services:financing")
        return ctx

    def get_success_url(self, obj):
        return reverse("services:financing")


@login_required
def financing_import(request):
    require_staff(request.user)
    require_writer(request.user)
    form = forms.FinancingImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        report = import_financing(
            upload.read(), upload.name, request.user, dry_run=form.cleaned_data["dry_run"]
        )
        if report.written:
            messages.success(request, _("%(n)s financing record(s) imported.") % {"n": report.created})
    return render(
        request,
        "services/financing_import.html",
        {"page_title": _("Import the bank's monthly file"), "form": form, "report": report},
    )


@login_required
def financing_template(request):
    require_staff(request.user)
    response = HttpResponse(
        exporting.financing_template(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = exporting.disposition("融资导入模板.xlsx")
    return response


# ---- technology board -----------------------------------------------------------------------


@login_required
def board(request):
    user = request.user
    qs = TechPost.objects.visible_to(user).select_related("enterprise", "unit")
    side, field, q = (
        request.GET.get("side", ""),
        request.GET.get("field", ""),
        request.GET.get("q", "").strip(),
    )
    if side in choices.PostSide.values:
        qs = qs.filter(side=side)
    if field in HitechField.values:
        qs = qs.filter(field=field)
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(description__icontains=q) | Q(keywords__icontains=q))
    page, query = _page(request, qs.order_by("-created", "-pk"))
    return render(
        request,
        "services/board.html",
        {
            "page_title": _("Technology demand and supply board"),
            "page_obj": page,
            "query": query,
            "side": side,
            "field": field,
            "q": q,
            "sides": choices.PostSide.choices,
            "fields": HitechField.choices,
            "can_create": not user.is_read_only,
        },
    )


class PostEditView(ObjectEditView):
    queryset = TechPost.objects.all()
    form_class = forms.TechPostForm

    def get_object(self):
        pk = self.kwargs["pk"]
        if (
            TechPost.objects.visible_to(self.request.user).filter(pk=pk).exists()
            and not self.get_queryset().filter(pk=pk).exists()
        ):
            raise PermissionDenied(_("You may view this record but not change it."))
        return super().get_object()

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["page_title"] = _("New post") if ctx["creating"] else _("Edit post")
        if ctx["creating"]:
            ctx["cancel_url"] = reverse("services:board")
        return ctx

    def get_form(self):
        form = super().get_form()
        if self.object.pk is None and self.request.method == "GET":
            side = self.request.GET.get("side")
            if side in choices.PostSide.values:
                form.initial["side"] = side
        return form


@login_required
def post_detail(request, pk: int):
    user = request.user
    post = get_object_or_404(TechPost.objects.visible_to(user).select_related("enterprise", "unit"), pk=pk)
    other = "supply" if post.side == "demand" else "demand"
    candidates = TechPost.objects.visible_to(user).filter(side=other).select_related("enterprise")
    found = matching.matches_for(post, candidates, top=8)
    can_edit = TechPost.objects.writable_by(user).filter(pk=pk).exists()
    can_introduce = is_staff(user) and not user.is_read_only
    lookup = "demand" if post.side == "demand" else "supply"
    intros = Introduction.objects.for_user(user) if is_staff(user) else Introduction.objects.none()
    intros = intros.filter(**{lookup: post}).select_related("demand", "supply")
    introduced = {i.supply_id if post.side == "demand" else i.demand_id for i in intros}
    return render(
        request,
        "services/post_detail.html",
        {
            "page_title": post.title,
            "object": post,
            "matches": found,
            "can_edit": can_edit,
            "can_introduce": can_introduce,
            "introductions": intros,
            "introduced": introduced,
        },
    )


@login_required
@require_POST
def introduce(request, pk: int, other: int):
    """Record that the bureau introduced this post to a post of the other side."""
    require_staff(request.user)
    require_writer(request.user)
    posts = TechPost.objects.visible_to(request.user)
    post = get_object_or_404(posts, pk=pk)
    partner = get_object_or_404(posts.exclude(side=post.side), pk=other)
    if not (TechPost.objects.writable_by(request.user).filter(pk__in=[post.pk, partner.pk]).exists()):
        raise PermissionDenied(_("You may view this record but not change it."))
    demand, supply = (post, partner) if post.side == "demand" else (partner, post)
    intro, created = Introduction.objects.get_or_create(
        demand=demand, supply=supply, defaults={"by": request.user}
    )
    if created:
        messages.success(request, _("The introduction is recorded."))
    return redirect("services:introduction", pk=intro.pk)


@login_required
def introduction_edit(request, pk: int):
    require_staff(request.user)
    intro = get_object_or_404(
        Introduction.objects.for_user(request.user).select_related("demand", "supply"), pk=pk
    )
    form = forms.IntroductionForm(request.POST or None, instance=intro)
    if request.method == "POST":
        require_writer(request.user)
        if form.is_valid():
            form.save()
            messages.success(request, _("Saved %(object)s.") % {"object": intro})
            return redirect(intro.demand)
        messages.error(request, _("Please correct the errors below."))
    return render(
        request,
        "services/introduction_edit.html",
        {"page_title": _("Introduction and outcome"), "form": form, "object": intro},
    )


# ---- policies -------------------------------------------------------------------------------


@login_required
def policy_list(request):
    user = request.user
    qs = Policy.objects.for_user(user).annotate(n_conditions=Count("conditions"))
    if user.role == Role.EXPERT and not user.is_superuser:
        raise PermissionDenied(_("Your role has no access to these records."))
    status, level, q = (
        request.GET.get("status", ""),
        request.GET.get("level", ""),
        request.GET.get("q", "").strip(),
    )
    if status in choices.PolicyStatus.values:
        qs = qs.filter(status=status)
    if level in choices.PolicyLevel.values:
        qs = qs.filter(level=level)
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(doc_number__icontains=q) | Q(issuer__icontains=q))
    page, query = _page(request, qs.order_by("-issued_on", "title"))
    return render(
        request,
        "services/policy_list.html",
        {
            "page_title": _("Policy library"),
            "page_obj": page,
            "query": query,
            "status": status,
            "level": level,
            "q": q,
            "statuses": choices.PolicyStatus.choices,
            "levels": choices.PolicyLevel.choices,
            "can_create": Policy.objects.writable_by(user).exists()
            or user.role == Role.BUREAU
            or user.is_superuser,
        },
    )


@login_required
def policy_edit(request, pk: int | None = None):
    if pk is None:
        if not (request.user.is_superuser or request.user.role == Role.BUREAU):
            raise PermissionDenied(_("Only bureau staff keep the policy library."))
        policy = Policy()
    else:
        get_object_or_404(Policy.objects.for_user(request.user), pk=pk)
        policy = Policy.objects.writable_by(request.user).filter(pk=pk).first()
        if policy is None:
            raise PermissionDenied(_("Only bureau staff keep the policy library."))
    form = forms.PolicyForm(request.POST or None, instance=policy)
    formset = forms.ConditionFormSet(request.POST or None, instance=policy, prefix="c")
    if request.method == "POST":
        if form.is_valid() and formset.is_valid():
            with transaction.atomic():
                policy = form.save()
                formset.instance = policy
                formset.save()
            messages.success(request, _("Saved %(object)s.") % {"object": policy})
            return redirect(policy)
        messages.error(request, _("Please correct the errors below."))
    return render(
        request,
        "services/policy_edit.html",
        {
            "page_title": _("New policy") if policy.pk is None else _("Edit policy"),
            "form": form,
            "formset": formset,
            "object": policy,
            "cancel_url": policy.get_absolute_url() if policy.pk else reverse("services:policies"),
        },
    )


@login_required
def policy_detail(request, pk: int):
    user = request.user
    policy = get_object_or_404(Policy.objects.for_user(user).prefetch_related("conditions"), pk=pk)
    conditions = [(c, policies.requirement(c)) for c in policy.conditions.all()]
    ctx = {
        "page_title": policy.title,
        "object": policy,
        "conditions": conditions,
        "can_edit": Policy.objects.writable_by(user).filter(pk=pk).exists(),
    }
    if is_staff(user):
        year = policies.reference_year()
        scope = Enterprise.objects.for_user(user)
        qualifies, near = policies.enterprises_for_policy(policy, scope, year)
        names = {e.pk: e for e in scope.filter(pk__in=[*qualifies, *near]).select_related("unit")}
        texts = [t for _c, t in conditions]
        ctx.update(
            year=year,
            qualifies=sorted((names[i] for i in qualifies if i in names), key=lambda e: e.name),
            near=sorted(
                ((names[i], [texts[k] for k in miss]) for i, miss in near.items() if i in names),
                key=lambda p: p[0].name,
            ),
        )
    elif user.role == Role.ENTERPRISE:
        own = Enterprise.objects.for_user(user)
        ctx["fits"] = [(e, next(iter(policies.policies_for_enterprise(e, [policy])), None)) for e in own]
    return render(request, "services/policy_detail.html", ctx)


@login_required
def policy_export(request, pk: int):
    """The 免申即享 push list: the enterprises in the user's units that qualify now."""
    require_staff(request.user)
    policy = get_object_or_404(Policy.objects.for_user(request.user).prefetch_related("conditions"), pk=pk)
    scope = Enterprise.objects.for_user(request.user)
    qualifies, near = policies.enterprises_for_policy(policy, scope)
    data = exporting.policy_push_xlsx(policy, scope, qualifies, near, request.user)
    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = exporting.disposition(f"{policy.title[:40]}-免申即享名单.xlsx")
    return response


@login_required
@require_POST
def policy_publish(request, pk: int):
    """Publish a draft and tell the accounts of every enterprise that qualifies (each user's own
    notification settings decide whether they hear of it)."""
    policy = Policy.objects.writable_by(request.user).filter(pk=pk).first()
    if policy is None:
        get_object_or_404(Policy.objects.for_user(request.user), pk=pk)
        raise PermissionDenied(_("Only bureau staff keep the policy library."))
    if policy.status == choices.PolicyStatus.PUBLISHED:
        messages.info(request, _("The policy is already published."))
        return redirect(policy)
    with transaction.atomic():
        policy.status = choices.PolicyStatus.PUBLISHED
        policy.published_at = timezone.now()
        policy.save(update_fields=["status", "published_at", "updated"])
        told = notify_matching(policy)
    messages.success(
        request,
        _("Published. %(n)s enterprise account(s) whose enterprise qualifies are notified.") % {"n": told},
    )
    return redirect(policy)


def notify_matching(policy) -> int:
    qualifies, _near = policies.enterprises_for_policy(policy, Enterprise.objects.all())
    from peiyu.core.models import User

    users = list(User.objects.filter(enterprises__in=qualifies, is_active=True).distinct())
    if users:
        notify(
            "services.policy",
            users,
            title=_("A policy you qualify for: %(title)s") % {"title": policy.title},
            body=policy.benefit,
            source=policy,
            reason=_("Your enterprise meets every condition of this policy."),
            url=reverse("services:policy", args=[policy.pk]),
        )
    return len(users)


# ---- an enterprise: its policies and its growth diagnosis ----------------------------------


@login_required
def my_policies(request):
    own = Enterprise.objects.for_user(request.user).first() if request.user.role == Role.ENTERPRISE else None
    if own is None:
        raise Http404
    return redirect("services:enterprise-policies", pk=own.pk)


@login_required
def enterprise_policies(request, pk: int):
    """可享受的政策: the published policies the enterprise meets, and those it nearly meets with what is missing."""
    enterprise = get_object_or_404(Enterprise.objects.for_user(request.user).select_related("unit"), pk=pk)
    published = Policy.objects.for_user(request.user).published().prefetch_related("conditions")
    year = policies.reference_year()
    fits = policies.policies_for_enterprise(enterprise, published, year)
    return render(
        request,
        "services/enterprise_policies.html",
        {
            "page_title": _("Policies for %(name)s") % {"name": enterprise.name},
            "object": enterprise,
            "year": year,
            "qualifies": [f for f in fits if f.qualifies],
            "near": [f for f in fits if not f.qualifies],
        },
    )


def _diagnosis_context(request, enterprise):
    from peiyu.evaluation.views.common import evaluate_all

    year = policies.reference_year()
    years = list(enterprise.years.order_by("-year").values_list("year", flat=True))
    figures_year = year if year in years else (years[0] if years else None)
    results = evaluate_all(enterprise, figures_year) if figures_year else []
    published = Policy.objects.for_user(request.user).published().prefetch_related("conditions")
    fits = policies.policies_for_enterprise(enterprise, published, year)
    demands = list(TechPost.objects.visible_to(request.user).filter(enterprise=enterprise, side="demand"))
    supplies = TechPost.objects.visible_to(request.user).filter(side="supply")
    demand_matches = [(d, matching.matches_for(d, supplies, top=3)) for d in demands]
    return {
        "object": enterprise,
        "year": figures_year,
        "results": results,
        "fits": fits,
        "demand_matches": demand_matches,
        "figures": enterprise.years.filter(year=figures_year).first() if figures_year else None,
    }


@login_required
def diagnosis(request, pk: int):
    """成长诊断: evaluation results and gaps, usable policies, supply for its demands, and the
    written diagnosis the bureau's staff complete."""
    require_staff(request.user)
    enterprise = get_object_or_404(Enterprise.objects.for_user(request.user).select_related("unit"), pk=pk)
    latest = Diagnosis.objects.filter(enterprise=enterprise).first()
    can_write = Enterprise.objects.writable_by(request.user).filter(pk=pk).exists()
    instance = latest or Diagnosis(
        enterprise=enterprise, author=request.user.full_name or request.user.username
    )
    form = forms.DiagnosisForm(request.POST or None, instance=instance)
    if request.method == "POST":
        if not can_write:
            raise PermissionDenied(_("You may view this record but not change it."))
        if form.is_valid():
            record = form.save(commit=False)
            record.enterprise = enterprise
            record.year = policies.reference_year()
            record.save()
            messages.success(request, _("The diagnosis is saved."))
            return redirect("services:diagnosis", pk=pk)
        messages.error(request, _("Please correct the errors below."))
    ctx = _diagnosis_context(request, enterprise)
    ctx.update(
        page_title=_("Growth diagnosis of %(name)s") % {"name": enterprise.name},
        form=form,
        diagnosis=latest,
        can_write=can_write,
    )
    return render(request, "services/diagnosis.html", ctx)


@login_required
def diagnosis_docx(request, pk: int):
    require_staff(request.user)
    enterprise = get_object_or_404(Enterprise.objects.for_user(request.user).select_related("unit"), pk=pk)
    ctx = _diagnosis_context(request, enterprise)
    data = exporting.diagnosis_docx(ctx, Diagnosis.objects.filter(enterprise=enterprise).first())
    return FileResponse(
        io.BytesIO(data),
        as_attachment=True,
        filename=f"{enterprise.name}-成长诊断.docx",
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
