"""Pages of targets and assessment. Every page reads through the scoped querysets: a town official
sees only their own unit's targets, a leader reads everything of theirs, the bureau edits."""

import datetime as dt
from collections import Counter

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from peiyu.core.choices import Role
from peiyu.core.history import acting_as
from peiyu.core.models import Unit
from peiyu.core.periods import Period
from peiyu.core.views.generic import ObjectEditView, ScopedMixin
from peiyu.core.views.history import history_for
from peiyu.targets import decomposition, exports, services
from peiyu.targets.forms import (
    AdjustmentForm,
    BenchmarkForm,
    DecomposeForm,
    IndicatorForm,
    PlanForm,
    ReportForm,
    SchemeItemForm,
    TargetForm,
    check_weights,
    decimal_or_none,
)
from peiyu.targets.models import (
    Benchmark,
    Indicator,
    Plan,
    PlanStatus,
    ReportedValue,
    Scheme,
    Target,
    TargetComment,
)
from peiyu.targets.progress import progress_of


def is_bureau(user) -> bool:
    return user.is_superuser or user.role == Role.BUREAU


def as_of_param(request, plan=None) -> dt.date:
    """?as_of=YYYY-MM-DD, else today (clipped to the plan's period so a past plan reads at its end)."""
    try:
        day = dt.date.fromisoformat(request.GET.get("as_of", ""))
    except ValueError:
        day = timezone.localdate()
    if plan is not None:
        period = plan.period
        day = min(day, period.end)
    return day


def targets_of(plan, user):
    return (
        Target.objects.for_user(user)
        .filter(plan=plan)
        .select_related("indicator", "unit", "plan", "parent")
        .order_by("indicator__code", "unit__path")
    )


def words(forecast, target) -> str:
    """ "按当前趋势年底预计 1,850 家（1,760–1,940），完成确保目标概率 72%"."""
    from peiyu.targets.templatetags.targets import fmt

    unit = target.indicator.unit
    values = {"value": fmt(forecast.value, unit), "unit": unit}
    if forecast.low is None:
        text = (
            _("At the current trend the year ends at %(value)s %(unit)s (no interval: too little history)")
            % values
        )
    else:
        values.update(low=fmt(forecast.low, unit), high=fmt(forecast.high, unit))
        text = _("At the current trend the year ends at %(value)s %(unit)s (%(low)s–%(high)s)") % values
    if forecast.p_floor is not None:
        text += _(", probability of reaching the floor %(p)s%%") % {"p": round(forecast.p_floor * 100)}
    if forecast.p_stretch is not None:
        text += _(", the stretch %(p)s%%") % {"p": round(forecast.p_stretch * 100)}
    return text


# — leader dashboard (驾驶舱) ————————————————————————————————————————————————————————————————


class DashboardView(LoginRequiredMixin, TemplateView):
    template_name = "targets/dashboard.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        if user.role not in (Role.BUREAU, Role.UNIT, Role.LEADER) and not user.is_superuser:
            raise PermissionDenied(_("Your role has no access to these records."))
        plans = list(Plan.objects.for_user(user).exclude(status=PlanStatus.DRAFT))
        plan = pick_plan(self.request, plans)
        ctx.update(page_title=_("Targets at a glance"), plans=plans, plan=plan)
        if plan is None:
            return ctx
        as_of = as_of_param(self.request, plan)
        ctx.update(as_of=as_of, **dashboard_data(plan, user, as_of))
        return ctx


def pick_plan(request, plans):
    wanted = request.GET.get("plan", "")
    for plan in plans:
        if str(plan.pk) == wanted:
            return plan
    active = [p for p in plans if p.status == PlanStatus.ACTIVE]
    return (active or plans or [None])[0]


def scope_key(user) -> str:
    return "all" if user.is_superuser else f"{user.role}:{user.unit_id}"


def dashboard_data(plan, user, as_of) -> dict:
    """The dashboard's figures, cached per scope, plan and date under the data version."""
    key = f"targets:dashboard:{scope_key(user)}:{plan.pk}:{as_of}:{services.data_version()}"
    return services.cached(key, lambda: compute_dashboard(plan, user, as_of))


def compute_dashboard(plan, user, as_of) -> dict:
    targets = list(targets_of(plan, user))
    visible = {t.pk for t in targets}
    progress = progress_of(targets, as_of)
    top = [p for p in progress if p.target.parent_id is None or p.target.parent_id not in visible]
    children = [p for p in progress if p not in top and p.gap is not None]
    behind = sorted([p for p in children if p.behind], key=lambda p: p.gap)[:10]
    lights = Counter(p.light for p in top)
    on_schedule = sum(1 for p in top if p.light == "green")
    rows = []
    for p in top:
        f = services.forecast_for(p.target, as_of)
        rows.append({"p": p, "forecast": f, "words": words(f, p.target) if f else ""})
    scheme = Scheme.objects.for_user(user).filter(plan=plan).order_by("-year").first()
    ranking = []
    if scheme is not None:
        visible_units = set(
            Unit.objects.filter(pk__in=[t.unit_id for t in targets]).values_list("pk", flat=True)
        )
        ranking = [
            r
            for r in services.assessment(scheme, min(as_of, dt.date(scheme.year, 12, 31)))
            if r.unit.pk in visible_units
        ]
    return {
        "rows": rows,
        "behind": behind,
        "lights": dict(lights),
        "on_schedule": on_schedule,
        "on_schedule_share": round(100 * on_schedule / len(top), 1) if top else None,
        "scheme": scheme,
        "ranking": ranking[:15],
        "elapsed": top[0].elapsed if top else None,
    }


# — plans ————————————————————————————————————————————————————————————————————————————————


class PlanListView(LoginRequiredMixin, TemplateView):
    template_name = "targets/plan_list.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        plans = Plan.objects.for_user(self.request.user).select_related("unit")
        q, status = self.request.GET.get("q", "").strip(), self.request.GET.get("status", "")
        if q:
            plans = plans.filter(Q(name__icontains=q) | Q(code__icontains=q) | Q(issuer__icontains=q))
        if status in PlanStatus.values:
            plans = plans.filter(status=status)
        page = Paginator(plans.order_by("-period_code", "code"), 30).get_page(self.request.GET.get("page"))
        query = self.request.GET.copy()
        query.pop("page", None)
        ctx.update(
            page_title=_("Plans"),
            page_obj=page,
            q=q,
            status=status,
            statuses=PlanStatus.choices,
            query=query.urlencode(),
            can_edit=is_bureau(self.request.user),
        )
        return ctx


class PlanDetailView(ScopedMixin, TemplateView):
    queryset = Plan.objects.select_related("unit")
    template_name = "targets/plan_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        plan = self.get_object()
        user = self.request.user
        as_of = as_of_param(self.request, plan)
        indicator = self.request.GET.get("indicator", "")
        targets = targets_of(plan, user)
        if indicator.isdigit():
            targets = targets.filter(indicator_id=int(indicator))
        page = Paginator(targets, 60).get_page(self.request.GET.get("page"))
        query = self.request.GET.copy()
        query.pop("page", None)
        ctx.update(
            object=plan,
            plan=plan,
            page_title=plan.name,
            as_of=as_of,
            page_obj=page,
            query=query.urlencode(),
            progress=progress_of(page.object_list, as_of),
            indicators=Indicator.objects.filter(targets__plan=plan).distinct(),
            indicator=indicator,
            can_edit=Plan.objects.writable_by(user).filter(pk=plan.pk).exists(),
            schemes=Scheme.objects.for_user(user).filter(plan=plan),
            history=plan_history(plan, user),
            has_cadres=plan.cadre_targets.exists() and user.role != Role.UNIT,
        )
        return ctx


def plan_history(plan, user):
    """The plan's history lists its targets' changes too: shown only to who sees every target."""
    if Target.objects.for_user(user).filter(plan=plan).count() != plan.targets.count():
        return []
    return history_for(plan, user, 50)


class PlanEditView(ObjectEditView):
    queryset = Plan.objects.all()
    form_class = PlanForm
    extra_context = {"page_title": gettext_lazy("Plan")}

    def check_create(self):
        if not is_bureau(self.request.user):
            raise PermissionDenied(_("Only bureau staff set plans."))


# — targets ——————————————————————————————————————————————————————————————————————————————


class TargetDetailView(ScopedMixin, TemplateView):
    queryset = Target.objects.select_related("indicator", "unit", "plan", "parent__unit")
    template_name = "targets/target_detail.html"

    def post(self, request, *args, **kwargs):
        """A comment by anyone who sees the target and is not read-only."""
        target = self.get_object()
        text = request.POST.get("comment", "").strip()
        if request.user.is_read_only:
            raise PermissionDenied(_("Your role may only read."))
        if text:
            TargetComment.objects.create(target=target, user=request.user, text=text[:2000])
            messages.success(request, _("Comment added."))
        return redirect(target)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        target = self.get_object()
        user = self.request.user
        as_of = as_of_param(self.request, target.plan)
        p = services.progress_as_reported([target], as_of)[0]
        f = services.forecast_for(target, as_of)
        children = list(
            Target.objects.for_user(user).filter(parent=target).select_related("indicator", "unit", "plan")
        )
        months = range(1, 13) if target.indicator.source == "reported" else (3, 6, 9, 12)
        history = services.monthly_history(target, as_of, months) if target.period.kind == "year" else {}
        reports = ReportedValue.objects.for_user(user).filter(
            indicator=target.indicator,
            unit=target.unit,
            period_end__range=(target.period.start, target.period.end),
        )
        ctx.update(
            object=target,
            target=target,
            page_title=str(target),
            as_of=as_of,
            p=p,
            forecast=f,
            forecast_words=words(f, target) if f else "",
            children=progress_of(children, as_of),
            snapshots=target.snapshots.all(),
            reports=reports[:24],
            comments=target.comments.select_related("user")[:50],
            chart=chart_data(target, history),
            history=history_for(target, user, 50),
            benchmarks=Benchmark.objects.filter(indicator=target.indicator)[:12],
            can_edit=Target.objects.writable_by(user).filter(pk=target.pk).exists(),
            can_comment=not user.is_read_only,
        )
        return ctx


def chart_data(target, history) -> dict:
    year = target.period.end.year
    series = [
        {
            "name": str(y),
            "data": [None if history[y].get(m) is None else float(history[y][m]) for m in range(1, 13)],
        }
        for y in sorted(history)
        if y >= year - 2
    ]
    return {
        "months": [f"{m}月" for m in range(1, 13)],
        "series": series,
        "floor": float(target.floor),
        "stretch": float(target.stretch) if target.stretch is not None else None,
        "labels": {"floor": _("Floor"), "stretch": _("Stretch")},
    }


class TargetEditView(ObjectEditView):
    queryset = Target.objects.select_related("plan")
    form_class = TargetForm
    extra_context = {"page_title": gettext_lazy("Target")}

    def check_create(self):
        if not is_bureau(self.request.user):
            raise PermissionDenied(_("Only bureau staff set targets."))

    def new_instance(self):
        plan = get_object_or_404(Plan.objects.writable_by(self.request.user), pk=self.kwargs["plan_pk"])
        return Target(plan=plan)

    def get_cancel_url(self):
        return self.object.get_absolute_url() if self.object.pk else self.object.plan.get_absolute_url()

    def post(self, request, *args, **kwargs):
        form = self.get_form()
        if not form.is_valid():
            messages.error(request, _("Please correct the errors below."))
            return self.render_to_response(self.get_context_data(form=form))
        with transaction.atomic():
            obj = form.save()
            leader, person = form.cleaned_data.get("leader"), form.cleaned_data.get("person")
            if leader or person:
                obj.set_responsibility(leaders=[leader] if leader else [], persons=[person] if person else [])
        messages.success(request, _("Saved %(object)s.") % {"object": obj})
        return redirect(obj)


class UnitTargetsView(LoginRequiredMixin, TemplateView):
    """One unit's targets in a plan, each with its progress and forecast."""

    template_name = "targets/unit_targets.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        plan = get_object_or_404(Plan.objects.for_user(user), pk=self.kwargs["plan_pk"])
        targets = targets_of(plan, user).filter(unit_id=self.kwargs["unit_pk"])
        if not targets:
            raise Http404
        unit = targets[0].unit
        as_of = as_of_param(self.request, plan)
        rows = []
        for p in progress_of(targets, as_of):
            f = services.forecast_for(p.target, as_of)
            rows.append({"p": p, "forecast": f, "words": words(f, p.target) if f else ""})
        ctx.update(
            page_title=_("%(unit)s · targets") % {"unit": unit}, plan=plan, unit=unit, rows=rows, as_of=as_of
        )
        return ctx


class DecomposeView(LoginRequiredMixin, TemplateView):
    """The decomposition editor: the child units of the target's unit with floor, stretch, weight,
    baseline and responsible person; a proposal by baseline share or evenly; the sum against the
    parent with the difference; saved only when it adds up."""

    template_name = "targets/decompose.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        visible = Target.objects.for_user(request.user).filter(pk=kwargs["pk"]).exists()
        self.target = (
            Target.objects.writable_by(request.user)
            .select_related("indicator", "unit", "plan")
            .filter(pk=kwargs["pk"])
            .first()
        )
        if self.target is None:
            if visible:
                raise PermissionDenied(_("You may view this record but not change it."))
            return get_object_or_404(Target, pk=0)
        return super().dispatch(request, *args, **kwargs)

    def child_units(self):
        return list(Unit.objects.filter(parent=self.target.unit).exclude(kind="park").order_by("code"))

    def rows_from_post(self, units):
        rows, errors = [], []
        people = {str(u.pk): u for u in people_for(self.target)}
        for unit in units:
            post = self.request.POST
            try:
                floor = decimal_or_none(post.get(f"floor-{unit.pk}"), _("floor"), unit)
                stretch = decimal_or_none(post.get(f"stretch-{unit.pk}"), _("stretch"), unit)
                weight = decimal_or_none(post.get(f"weight-{unit.pk}"), _("weight"), unit)
                baseline = decimal_or_none(post.get(f"baseline-{unit.pk}"), _("baseline"), unit)
            except ValidationError as exc:
                errors.extend(exc.messages)
                continue
            if floor is None and stretch is None and weight is None and baseline is None:
                continue
            rows.append(
                decomposition.Row(
                    unit, floor, stretch, weight, baseline, people.get(post.get(f"person-{unit.pk}", ""))
                )
            )
        return rows, errors

    def get(self, request, *args, **kwargs):
        units = self.child_units()
        existing = {c.unit_id: c for c in self.target.children.all()}
        rows = []
        for u in units:
            child = existing.get(u.pk)
            persons = child.responsibility.persons if child is not None and child.responsibility else []
            rows.append(
                decomposition.Row(
                    u,
                    getattr(child, "floor", None),
                    getattr(child, "stretch", None),
                    getattr(child, "weight", None),
                    getattr(child, "baseline", None),
                    persons[0] if persons else None,
                )
            )
        return self.render_to_response(self.context(rows, DecomposeForm(initial={"method": "manual"})))

    def post(self, request, *args, **kwargs):
        units = self.child_units()
        form = DecomposeForm(request.POST)
        rows, errors = self.rows_from_post(units)
        action = request.POST.get("action", "check")
        method = form.data.get("method", "manual")
        if not errors and action == "propose" and method in ("baseline", "even"):
            baselines = {r.unit.pk: r.baseline for r in rows if r.baseline is not None}
            try:
                proposed = decomposition.propose(self.target, units, method, baselines)
                for row in proposed:
                    row.weight = next((r.weight for r in rows if r.unit.pk == row.unit.pk), None)
                rows = proposed
            except ValidationError as exc:
                errors.extend(exc.messages)
        filled = [r for r in rows if r.floor is not None or r.stretch is not None]
        if not errors and action == "save":
            try:
                with acting_as(request.user):
                    decomposition.save(self.target, filled)
            except ValidationError as exc:
                errors.extend(exc.messages)
            else:
                messages.success(request, _("The target is split to %(n)d units.") % {"n": len(filled)})
                return redirect(self.target)
        by_unit = {r.unit.pk: r for r in rows}
        shown = [by_unit.get(u.pk) or decomposition.Row(u, None) for u in units]
        return self.render_to_response(self.context(shown, form, errors))

    def context(self, rows, form, errors=()):
        filled = [r for r in rows if r.floor is not None or r.stretch is not None]
        return self.get_context_data(
            target=self.target,
            rows=rows,
            form=form,
            errors=errors,
            people=people_for(self.target),
            check=decomposition.check(self.target, filled) if filled else None,
            page_title=_("Split %(target)s") % {"target": self.target},
        )


def people_for(target):
    from peiyu.core.models import User

    return list(
        User.objects.filter(is_active=True, role__in=[Role.UNIT, Role.BUREAU, Role.LEADER])
        .filter(Q(unit__path__startswith=target.unit.path) | Q(unit__isnull=True))
        .order_by("unit__path", "username")[:300]
    )


# — reported values ———————————————————————————————————————————————————————————————————————


class ReportListView(LoginRequiredMixin, TemplateView):
    template_name = "targets/report_list.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        if not ReportedValue.objects.visible_to_role(user):
            raise PermissionDenied(_("Your role has no access to these records."))
        reports = ReportedValue.objects.for_user(user).select_related("indicator", "unit", "submitted_by")
        state, indicator = self.request.GET.get("state", ""), self.request.GET.get("indicator", "")
        if state:
            reports = reports.filter(state=state)
        if indicator.isdigit():
            reports = reports.filter(indicator_id=int(indicator))
        page = Paginator(reports, 50).get_page(self.request.GET.get("page"))
        query = self.request.GET.copy()
        query.pop("page", None)
        ctx.update(
            page_title=_("Reported values"),
            page_obj=page,
            query=query.urlencode(),
            state=state,
            indicator=indicator,
            states=ReportedValue.workflow.states.choices,
            indicators=Indicator.objects.filter(source="reported"),
            can_report=not user.is_read_only,
        )
        return ctx


class ReportEditView(ObjectEditView):
    queryset = ReportedValue.objects.all()
    form_class = ReportForm
    extra_context = {"page_title": gettext_lazy("Reported value")}

    def get_cancel_url(self):
        return self.object.get_absolute_url() if self.object.pk else reverse("targets:report-list")

    def get_object(self):
        obj = super().get_object()
        if obj.state == "accepted" and not self.request.user.is_superuser:
            raise PermissionDenied(_("An accepted value can no longer be changed."))
        return obj


class ReportDetailView(ScopedMixin, TemplateView):
    queryset = ReportedValue.objects.select_related("indicator", "unit", "submitted_by")
    template_name = "targets/report_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        obj = self.get_object()
        ctx.update(
            object=obj,
            page_title=str(obj),
            history=history_for(obj, self.request.user, 50),
            can_edit=obj.state != "accepted"
            and ReportedValue.objects.writable_by(self.request.user).filter(pk=obj.pk).exists(),
        )
        return ctx


# — assessment ————————————————————————————————————————————————————————————————————————————


class SchemeDetailView(ScopedMixin, TemplateView):
    """The scheme and its ranking; leaders drill from a unit into its indicators."""

    queryset = Scheme.objects.select_related("plan", "unit")
    template_name = "targets/scheme_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        scheme = self.get_object()
        user = self.request.user
        items = list(scheme.items.select_related("indicator"))
        visible = set(
            Target.objects.for_user(user).filter(plan=scheme.plan).values_list("unit_id", flat=True)
        )
        results = [
            r
            for r in services.assessment(scheme, as_of_param(self.request, scheme.plan))
            if r.unit.pk in visible
        ]
        chosen = self.request.GET.get("unit", "")
        detail = next((r for r in results if str(r.unit.pk) == chosen), None)
        ctx.update(
            object=scheme,
            scheme=scheme,
            page_title=scheme.name,
            items=items,
            results=results,
            detail=detail,
            detail_rows=[(i, detail.items.get(i.indicator_id)) for i in items] if detail else [],
            weight_total=sum((i.weight for i in items), 0),
            can_edit=is_bureau(user),
            item_form=SchemeItemForm(),
            adjustment_form=AdjustmentForm(user=user),
            adjustments=scheme.adjustments.select_related("unit"),
        )
        return ctx

    def post(self, request, *args, **kwargs):
        """Bureau staff add an indicator (weights must come to 100 to rank) or an adjustment."""
        scheme = self.get_object()
        if (
            not is_bureau(request.user)
            or not Scheme.objects.writable_by(request.user).filter(pk=scheme.pk).exists()
        ):
            raise PermissionDenied(_("Only bureau staff set assessment schemes."))
        kind = request.POST.get("kind")
        form = (
            SchemeItemForm(request.POST)
            if kind == "item"
            else AdjustmentForm(request.POST, user=request.user)
        )
        if form.is_valid():
            with transaction.atomic(), acting_as(request.user):
                obj = form.save(commit=False)
                obj.scheme = scheme
                obj.save()
            messages.success(request, _("Saved."))
        else:
            for field, errors in form.errors.items():
                for e in errors:
                    messages.error(
                        request, f"{form.fields[field].label if field in form.fields else ''} {e}".strip()
                    )
        return redirect(scheme)


def scheme_export(request, pk, fmt):
    if fmt not in ("xlsx", "docx"):
        raise Http404
    scheme = get_object_or_404(Scheme.objects.for_user(request.user), pk=pk)
    visible = set(
        Target.objects.for_user(request.user).filter(plan=scheme.plan).values_list("unit_id", flat=True)
    )
    results = [r for r in services.assessment(scheme) if r.unit.pk in visible]
    items = list(scheme.items.select_related("indicator"))
    if fmt == "docx":
        body, mime = exports.scheme_docx(scheme, items, results), exports.DOCX
    else:
        body, mime = exports.scheme_xlsx(scheme, items, results), exports.XLSX
    response = HttpResponse(body, content_type=mime)
    response["Content-Disposition"] = exports.disposition(f"{scheme.name}.{fmt}")
    return response


def scheme_weights_ok(scheme) -> str:
    try:
        check_weights(scheme.items.all())
    except ValidationError as exc:
        return exc.messages[0]
    return ""


def plan_export(request, pk):
    plan = get_object_or_404(Plan.objects.for_user(request.user), pk=pk)
    as_of = as_of_param(request, plan)
    body = exports.progress_xlsx(plan, progress_of(targets_of(plan, request.user), as_of), as_of)
    response = HttpResponse(body, content_type=exports.XLSX)
    response["Content-Disposition"] = exports.disposition(f"{plan.name}-{as_of:%Y%m%d}.xlsx")
    return response


# — cadres, benchmarks, catalogue ————————————————————————————————————————————————————————


class CadreView(LoginRequiredMixin, TemplateView):
    template_name = "targets/cadres.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        if not (user.is_superuser or user.role in (Role.BUREAU, Role.LEADER)):
            raise PermissionDenied(_("Your role has no access to these records."))
        plan = get_object_or_404(Plan.objects.for_user(user), pk=self.kwargs["plan_pk"])
        rows = services.cadre_credit(plan, as_of_param(self.request, plan))
        ctx.update(
            page_title=_("Cadre targets · %(plan)s") % {"plan": plan},
            plan=plan,
            rows=rows,
            delivered=sum(r["delivered"] for r in rows),
            total=len(rows),
        )
        return ctx


class BenchmarkView(LoginRequiredMixin, TemplateView):
    template_name = "targets/benchmarks.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        groups = {}
        for b in Benchmark.objects.select_related("indicator"):
            groups.setdefault((b.indicator, b.year), []).append(b)
        table = []
        for (indicator, year), rows in groups.items():
            own = next((r for r in rows if r.is_own), None)
            table.append(
                {
                    "indicator": indicator,
                    "year": year,
                    "own": own,
                    "peers": [
                        (r, None if own is None else own.value - r.value) for r in rows if not r.is_own
                    ],
                }
            )
        ctx.update(
            page_title=_("Peer benchmarks"),
            table=table,
            form=BenchmarkForm() if is_bureau(self.request.user) else None,
        )
        return ctx

    def post(self, request, *args, **kwargs):
        if not is_bureau(request.user):
            raise PermissionDenied(_("Only bureau staff enter benchmarks."))
        form = BenchmarkForm(request.POST)
        if form.is_valid():
            with acting_as(request.user):
                form.save()
            messages.success(request, _("Saved."))
        else:
            messages.error(request, "；".join(e for errors in form.errors.values() for e in errors))
        return redirect("targets:benchmarks")


class IndicatorListView(LoginRequiredMixin, TemplateView):
    template_name = "targets/indicator_list.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        from peiyu.core import metrics

        names = {m.code: m.label for m in metrics.all_metrics()}
        indicators = Indicator.objects.all()
        q = self.request.GET.get("q", "").strip()
        if q:
            indicators = indicators.filter(Q(name__icontains=q) | Q(code__icontains=q))
        ctx.update(
            page_title=_("Indicator catalogue"),
            indicators=[(i, names.get(i.metric_code, "")) for i in indicators],
            q=q,
            can_edit=is_bureau(self.request.user),
        )
        return ctx


class IndicatorEditView(ObjectEditView):
    queryset = Indicator.objects.all()
    form_class = IndicatorForm
    extra_context = {"page_title": gettext_lazy("Indicator")}

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not is_bureau(request.user):
            raise PermissionDenied(_("Only bureau staff edit the catalogue."))
        return super().dispatch(request, *args, **kwargs)

    def get_object(self):
        return get_object_or_404(Indicator, pk=self.kwargs["pk"])

    def get_cancel_url(self):
        return reverse("targets:indicator-list")

    def get_success_url(self, obj):
        return reverse("targets:indicator-list")


def snapshot_retake(request, plan_pk):
    """Bureau staff re-take the snapshots of a period for a plan's targets (recorded in history)."""
    if request.method != "POST":
        return redirect("targets:plan-detail", plan_pk)
    plan = get_object_or_404(Plan.objects.writable_by(request.user), pk=plan_pk)
    try:
        period = Period.parse(request.POST.get("period", ""))
        taken, _kept = services.take_snapshots(period, request.user, retake=True, plan=plan)
    except ValueError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request, _("%(n)d snapshots re-taken for %(period)s.") % {"n": taken, "period": period.label}
        )
    return redirect(plan)
