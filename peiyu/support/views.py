"""Pages of the support programmes. Every page reads through the scoped querysets (core's generic
views); the voucher and subsidy steps call the services, which check the rules."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Q, Sum
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from peiyu.core import jobs
from peiyu.core.choices import Role
from peiyu.core.history import acting_as
from peiyu.core.views.generic import ObjectDetailView, ObjectEditView, ObjectListView, ScopedMixin
from peiyu.support import commissioners, forms, subsidy, vouchers
from peiyu.support.choices import SubsidyState, VoucherState
from peiyu.support.filtersets import (
    CommissionerFilterSet,
    RedemptionFilterSet,
    ServiceLogFilterSet,
    SubsidyResultFilterSet,
    VoucherFilterSet,
)
from peiyu.support.models import (
    Assignment,
    Commissioner,
    CommissionerScheme,
    CommissionerTeam,
    Fund,
    Outcome,
    ProviderService,
    Redemption,
    ServiceLog,
    ServiceProvider,
    SubsidyPolicy,
    SubsidyResult,
    Voucher,
    VoucherPolicy,
)


def is_bureau(user) -> bool:
    return user.is_superuser or user.role == Role.BUREAU


class BureauCreateMixin:
    def check_create(self):
        if not is_bureau(self.request.user):
            raise PermissionDenied(_("Only bureau staff maintain policies and registries."))


class IndexView(LoginRequiredMixin, TemplateView):
    template_name = "support/index.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        if not (user.is_superuser or user.uses_enterprise_data):
            raise PermissionDenied(_("Your role has no access to these records."))
        mine = Voucher.objects.for_user(user)
        ctx.update(
            page_title=_("Support programmes"),
            voucher_policies=VoucherPolicy.objects.for_user(user)[:5],
            subsidy_policies=SubsidyPolicy.objects.for_user(user)[:5],
            voucher_counts=dict(mine.values_list("state").annotate(n=Count("pk")).order_by()),
            redeemed=Redemption.objects.for_user(user).aggregate(n=Count("pk"), s=Sum("amount")),
            paid=SubsidyResult.objects.for_user(user)
            .filter(state=SubsidyState.PAID)
            .aggregate(n=Count("pk"), s=Sum("amount")),
            commissioners=Commissioner.objects.for_user(user).count()
            if user.role != Role.ENTERPRISE
            else None,
            is_bureau=is_bureau(user),
            is_enterprise=user.role == Role.ENTERPRISE and not user.is_superuser,
        )
        return ctx


# — voucher policies and providers ——————————————————————————————————————————————————


class VoucherPolicyListView(ObjectListView):
    queryset = VoucherPolicy.objects.select_related("unit")
    template_name = "support/voucherpolicy_list.html"
    extra_context = {"page_title": gettext_lazy("Voucher policies")}

    def get_filterset(self):
        return _Plain(self.get_queryset())


class _Plain:
    """A list without filters."""

    def __init__(self, qs):
        self.qs = qs
        self.form = None


class VoucherPolicyDetailView(ObjectDetailView):
    queryset = VoucherPolicy.objects.select_related("unit")
    template_name = "support/voucherpolicy_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        policy = ctx["object"]
        user = self.request.user
        states = dict(
            Voucher.objects.filter(policy=policy)
            .values_list("state")
            .annotate(s=Sum("face_value"))
            .order_by()
        )
        taken = vouchers.committed(policy)
        ctx.update(
            page_title=policy.name,
            shares=policy.shares.all(),
            states=states,
            committed=taken,
            remaining=policy.total_budget - taken,
            monthly=vouchers.monthly_use(policy),
            used_percent=int(taken * 100 / policy.total_budget) if policy.total_budget else 0,
            can_edit=VoucherPolicy.objects.writable_by(user).filter(pk=policy.pk).exists(),
            redeemed=Redemption.objects.filter(voucher__policy=policy).aggregate(
                n=Count("pk"), s=Sum("amount"), p=Sum("provincial_amount"), loc=Sum("local_amount")
            ),
        )
        return ctx


class VoucherPolicyEditView(BureauCreateMixin, ObjectEditView):
    queryset = VoucherPolicy.objects.all()
    form_class = forms.VoucherPolicyForm
    extra_context = {"page_title": gettext_lazy("Voucher policy")}


class ProviderListView(ObjectListView):
    queryset = ServiceProvider.objects.annotate(n_services=Count("services"))
    template_name = "support/provider_list.html"
    extra_context = {"page_title": gettext_lazy("Service providers")}

    def get_filterset(self):
        qs = self.get_queryset()
        q = self.request.GET.get("q", "").strip()
        if q:
            qs = qs.filter(Q(name__icontains=q) | Q(uscc__startswith=q.upper()))
        return _Plain(qs.order_by("name"))

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["can_create"] = is_bureau(self.request.user)
        return ctx


class ProviderDetailView(ObjectDetailView):
    queryset = ServiceProvider.objects.all()
    template_name = "support/provider_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        p = ctx["object"]
        ctx.update(
            page_title=p.name,
            services=p.services.all(),
            can_edit=ServiceProvider.objects.writable_by(self.request.user).filter(pk=p.pk).exists(),
            contracts=Redemption.objects.for_user(self.request.user)
            .filter(voucher__contract__provider=p)
            .aggregate(n=Count("pk"), s=Sum("amount")),
        )
        return ctx


class ProviderEditView(BureauCreateMixin, ObjectEditView):
    queryset = ServiceProvider.objects.all()
    form_class = forms.ServiceProviderForm
    extra_context = {"page_title": gettext_lazy("Service provider")}


class ProviderServiceAddView(BureauCreateMixin, ObjectEditView):
    queryset = ProviderService.objects.all()
    form_class = forms.ProviderServiceForm
    extra_context = {"page_title": gettext_lazy("Provider service")}

    def new_instance(self):
        provider = get_object_or_404(
            ServiceProvider.objects.writable_by(self.request.user), pk=self.kwargs["provider_pk"]
        )
        return ProviderService(provider=provider)

    def get_success_url(self, obj):
        return obj.provider.get_absolute_url()

    def get_cancel_url(self):
        return self.object.provider.get_absolute_url()


# — vouchers —————————————————————————————————————————————————————————————————————————


class VoucherListView(ObjectListView):
    queryset = Voucher.objects.select_related("enterprise", "enterprise__unit", "policy", "redemption")
    filterset_class = VoucherFilterSet
    template_name = "support/voucher_list.html"
    sort_fields = {
        "number": "number",
        "enterprise": "enterprise__name",
        "applied": "applied_on",
        "face": "face_value",
        "expires": "expires_on",
    }
    default_sort = "-applied"
    extra_context = {"page_title": gettext_lazy("Innovation vouchers")}

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["can_apply"] = not self.request.user.is_read_only
        return ctx


class VoucherDetailView(ObjectDetailView):
    queryset = Voucher.objects.select_related("enterprise", "policy", "applicant")
    template_name = "support/voucher_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        v, user = ctx["object"], self.request.user
        writable = Voucher.objects.writable_by(user).filter(pk=v.pk).exists()
        contract = getattr(v, "contract", None)
        ctx.update(
            page_title=_("Voucher %(number)s") % {"number": v.number},
            contract=contract,
            redemption=getattr(v, "redemption", None),
            share=v.policy.share_for(v.category),
            can_use=writable and v.state == VoucherState.ISSUED,
            can_redeem=writable and is_bureau(user) and v.state == VoucherState.USED,
            use_form=ctx.get("use_form")
            or forms.VoucherUseForm(voucher=v, initial={"invoice_date": timezone.localdate()}),
            days_left=(v.expires_on - timezone.localdate()).days
            if v.state == VoucherState.ISSUED and v.expires_on
            else None,
        )
        return ctx


class VoucherApplyView(ScopedMixin, TemplateView):
    queryset = Voucher.objects.all()
    template_name = "support/voucher_apply.html"
    extra_context = {"page_title": gettext_lazy("Apply for an innovation voucher")}

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and request.user.is_read_only:
            raise PermissionDenied(_("Your role may not create records."))
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.setdefault(
            "form", forms.VoucherApplyForm(user=self.request.user, initial=self.request.GET.dict())
        )
        return ctx

    def post(self, request, *args, **kwargs):
        form = forms.VoucherApplyForm(request.POST, user=request.user)
        if form.is_valid():
            data = form.cleaned_data
            try:
                voucher = vouchers.apply(
                    data["policy"],
                    data["enterprise"],
                    data["category"],
                    data["face_value"],
                    request.user,
                    purpose=data["purpose"],
                    legal_representative=data["legal_representative"],
                )
            except vouchers.VoucherRefused as exc:
                for message in exc.messages:
                    form.add_error(None, message)
            else:
                messages.success(
                    request,
                    _("Voucher %(number)s issued, valid until %(date)s.")
                    % {"number": voucher.number, "date": voucher.expires_on.strftime("%Y年%m月%d日")},
                )
                return redirect(voucher)
        messages.error(request, _("Please correct the errors below."))
        return self.render_to_response(self.get_context_data(form=form))


class VoucherUseView(VoucherDetailView):
    queryset = Voucher.objects.select_related("enterprise", "policy")
    template_name = "support/voucher_detail.html"
    write = True

    def post(self, request, *args, **kwargs):
        voucher = self.get_object()
        form = forms.VoucherUseForm(request.POST, voucher=voucher)
        if form.is_valid():
            d = form.cleaned_data
            try:
                vouchers.use(
                    voucher,
                    d["provider"],
                    d["fee"],
                    d["invoice_date"],
                    request.user,
                    service=d["service"],
                    persons=d["persons"],
                    contract_number=d["contract_number"],
                    mandatory_testing=d["mandatory_testing"],
                    invoice_number=d["invoice_number"],
                )
            except vouchers.VoucherRefused as exc:
                for message in exc.messages:
                    form.add_error(None, message)
            else:
                messages.success(request, _("The voucher is used on the contract."))
                return redirect(voucher)
        messages.error(request, _("Please correct the errors below."))
        return self.render_to_response(self.get_context_data(use_form=form))


class VoucherRedeemView(ObjectDetailView):
    queryset = Voucher.objects.all()
    write = True

    def post(self, request, *args, **kwargs):
        voucher = self.get_object()
        if not is_bureau(request.user):
            raise PermissionDenied(_("Only bureau staff redeem vouchers."))
        try:
            r = vouchers.redeem(voucher, request.user)
        except vouchers.VoucherRefused as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Redeemed: %(amount)s 10k yuan.") % {"amount": f"{r.amount:,.2f}"})
        return redirect(voucher)


class RedemptionListView(ObjectListView):
    """The 公示 list: redemptions with enterprise, provider, fee and subsidy."""

    queryset = Redemption.objects.select_related(
        "voucher", "voucher__enterprise", "voucher__policy", "voucher__contract__provider"
    )
    filterset_class = RedemptionFilterSet
    template_name = "support/redemption_list.html"
    sort_fields = {"date": "redeemed_on", "amount": "amount", "enterprise": "voucher__enterprise__name"}
    default_sort = "-date"
    extra_context = {"page_title": gettext_lazy("Redemptions for public notice")}

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["totals"] = ctx["filterset"].qs.aggregate(
            n=Count("pk"),
            fee=Sum("fee"),
            s=Sum("amount"),
            p=Sum("provincial_amount"),
            loc=Sum("local_amount"),
        )
        return ctx


# — R&D post-subsidy —————————————————————————————————————————————————————————————————


class SubsidyPolicyListView(VoucherPolicyListView):
    queryset = SubsidyPolicy.objects.select_related("unit").annotate(
        n_eligible=Count("results", filter=Q(results__eligible=True)), total=Sum("results__amount")
    )
    template_name = "support/subsidypolicy_list.html"
    extra_context = {"page_title": gettext_lazy("R&D post-subsidy policies")}


class SubsidyPolicyDetailView(ObjectDetailView):
    queryset = SubsidyPolicy.objects.select_related("unit")
    template_name = "support/subsidypolicy_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        policy, user = ctx["object"], self.request.user
        results = SubsidyResult.objects.for_user(user).filter(policy=policy)
        form = forms.WhatIfForm(self.request.GET or None)
        what_if = None
        if self.request.GET and form.is_valid() and any(v is not None for v in form.cleaned_data.values()):
            what_if = subsidy.what_if(policy, **form.cleaned_data)
        ctx.update(
            page_title=policy.name,
            tiers=policy.tiers.all(),
            what_if_form=form,
            what_if=what_if,
            by_state=results.values("state").annotate(n=Count("pk"), s=Sum("amount")).order_by("state"),
            summary=results.aggregate(
                n=Count("pk"), eligible=Count("pk", filter=Q(eligible=True)), s=Sum("amount")
            ),
            can_edit=SubsidyPolicy.objects.writable_by(user).filter(pk=policy.pk).exists(),
        )
        return ctx


class SubsidyPolicyEditView(BureauCreateMixin, ObjectEditView):
    queryset = SubsidyPolicy.objects.all()
    form_class = forms.SubsidyPolicyForm
    extra_context = {"page_title": gettext_lazy("R&D post-subsidy policy")}


class SubsidyComputeView(ObjectDetailView):
    queryset = SubsidyPolicy.objects.all()
    write = True

    def post(self, request, *args, **kwargs):
        policy = self.get_object()
        summary = subsidy.compute_policy(policy, request.user)
        messages.success(
            request,
            _("Computed %(n)s enterprises: %(eligible)s eligible, %(total)s 10k yuan in all.")
            % {
                "n": summary["enterprises"],
                "eligible": summary["eligible"],
                "total": f"{summary['total']:,.2f}",
            },
        )
        return redirect(reverse("support:subsidy-list") + f"?policy={policy.pk}&eligible=true")


class SubsidyListView(ObjectListView):
    queryset = SubsidyResult.objects.select_related("enterprise", "enterprise__unit", "policy")
    filterset_class = SubsidyResultFilterSet
    template_name = "support/subsidy_list.html"
    sort_fields = {"amount": "amount", "enterprise": "enterprise__name", "rd": "rd"}
    default_sort = "-amount"
    extra_context = {"page_title": gettext_lazy("R&D post-subsidy list")}

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["totals"] = ctx["filterset"].qs.aggregate(n=Count("pk"), s=Sum("amount"))
        return ctx


SUBSIDY_STEP_FIELDS = {
    "confirm": ["tax_confirmation", "deduction_rd", "comment"],
    "approve": ["comment"],
    "pay": ["paid_on", "comment"],
    "claw_back": ["clawback_amount", "clawback_reason", "comment"],
}


class SubsidyDetailView(ObjectDetailView):
    queryset = SubsidyResult.objects.select_related("enterprise", "policy")
    template_name = "support/subsidy_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        r, user = ctx["object"], self.request.user
        writable = SubsidyResult.objects.writable_by(user).filter(pk=r.pk).exists()
        steps = [
            t for t in r.workflow.transitions if r.state in t.source_states and writable and is_bureau(user)
        ]
        if r.state == SubsidyState.APPROVED or not r.eligible:
            steps = [t for t in steps if t.name != "approve" or r.eligible]
        step_forms = ctx.get("step_forms") or {
            t.name: forms.SubsidyStepForm(prefix=t.name, step=t.name, result=r) for t in steps
        }
        ctx.update(
            page_title=f"{r.enterprise} · {r.policy}",
            steps=[(t, step_forms[t.name], SUBSIDY_STEP_FIELDS[t.name]) for t in steps],
            trail=[
                (t, getattr(r.workflow.get(t.transition), "label", t.transition))
                for t in r.transition_trail()
            ],
        )
        return ctx


class SubsidyStepView(SubsidyDetailView):
    write = True

    def post(self, request, *args, **kwargs):
        result = self.get_object()
        step = kwargs["step"]
        if step not in SUBSIDY_STEP_FIELDS:
            raise Http404
        if step == "approve" and not result.eligible:
            raise PermissionDenied(_("An enterprise without a post-subsidy cannot be approved."))
        form = forms.SubsidyStepForm(request.POST, prefix=step, step=step, result=result)
        if not form.is_valid():
            messages.error(request, _("Please correct the errors below."))
            return self.render_to_response(self.get_context_data(step_forms={step: form}))
        d = form.cleaned_data
        with transaction.atomic(), acting_as(request.user):
            for name in SUBSIDY_STEP_FIELDS[step]:
                if name != "comment" and d.get(name) not in (None, ""):
                    setattr(result, name, d[name])
            result.save()
            result.apply_transition(step, request.user, comment=d.get("comment", ""))
        messages.success(request, _("Recorded."))
        return redirect(result)


# — commissioners ————————————————————————————————————————————————————————————————————


def scheme_for(unit):
    """The commissioner scheme of the unit or the nearest unit above it."""
    ids = [int(p) for p in unit.path.strip("/").split("/") if p] if unit else []
    schemes = {s.unit_id: s for s in CommissionerScheme.objects.filter(unit_id__in=ids)}
    for pk in reversed(ids):
        if pk in schemes:
            return schemes[pk]
    return CommissionerScheme.objects.first()


class CommissionerListView(ObjectListView):
    queryset = Commissioner.objects.select_related("unit", "team")
    filterset_class = CommissionerFilterSet
    template_name = "support/commissioner_list.html"
    sort_fields = {"name": "name", "sending_unit": "sending_unit", "level": "level"}
    default_sort = "name"
    extra_context = {"page_title": gettext_lazy("S&T commissioners")}

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        year = timezone.localdate().year
        figures = commissioners.year_figures([c.pk for c in ctx["object_list"]], year)
        scheme = scheme_for(self.request.user.unit)
        ctx.update(
            year=year,
            scheme=scheme,
            can_create=not self.request.user.is_read_only,
            rows=[(c, figures.get(c.pk)) for c in ctx["object_list"]],
            teams=CommissionerTeam.objects.for_user(self.request.user).annotate(n=Count("members")),
        )
        return ctx


class CommissionerDetailView(ObjectDetailView):
    queryset = Commissioner.objects.select_related("unit", "team", "account")
    template_name = "support/commissioner_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        c, user = ctx["object"], self.request.user
        requested = self.request.GET.get("year", "")
        year = (
            int(requested)
            if requested.isdigit() and 2000 <= int(requested) <= 2100
            else timezone.localdate().year
        )
        scheme = c.team.scheme if c.team else scheme_for(c.unit)
        ctx.update(
            page_title=c.name,
            year=year,
            scheme=scheme,
            assignments=c.assignments.select_related("enterprise"),
            logs=ServiceLog.objects.filter(assignment__commissioner=c).select_related("assignment")[:50],
            outcomes=c.outcomes.select_related("enterprise"),
            funds=c.funds.all(),
            assessment=commissioners.assessment(c, year, scheme) if scheme else None,
            can_edit=Commissioner.objects.writable_by(user).filter(pk=c.pk).exists(),
        )
        return ctx


class CommissionerEditView(ObjectEditView):
    queryset = Commissioner.objects.all()
    form_class = forms.CommissionerForm
    extra_context = {"page_title": gettext_lazy("Commissioner")}


class TeamDetailView(ObjectDetailView):
    queryset = CommissionerTeam.objects.select_related("scheme", "leader", "unit")
    template_name = "support/team_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        team = ctx["object"]
        ctx.update(
            page_title=team.name,
            members=team.members.all(),
            problems=commissioners.team_problems(team),
            can_edit=CommissionerTeam.objects.writable_by(self.request.user).filter(pk=team.pk).exists(),
        )
        return ctx


class TeamEditView(ObjectEditView):
    queryset = CommissionerTeam.objects.all()
    form_class = forms.TeamForm
    extra_context = {"page_title": gettext_lazy("Commissioner team")}


class _CommissionerChildAdd(ObjectEditView):
    def new_instance(self):
        commissioner = get_object_or_404(
            Commissioner.objects.writable_by(self.request.user), pk=self.kwargs["commissioner_pk"]
        )
        return self.queryset.model(commissioner=commissioner)

    def get_success_url(self, obj):
        return obj.commissioner.get_absolute_url()

    def get_cancel_url(self):
        return self.object.commissioner.get_absolute_url()


class AssignmentAddView(_CommissionerChildAdd):
    queryset = Assignment.objects.all()
    form_class = forms.AssignmentForm
    extra_context = {"page_title": gettext_lazy("Assignment")}


class OutcomeAddView(_CommissionerChildAdd):
    queryset = Outcome.objects.all()
    form_class = forms.OutcomeForm
    extra_context = {"page_title": gettext_lazy("Outcome")}


class ServiceLogListView(ObjectListView):
    queryset = ServiceLog.objects.select_related("assignment", "assignment__commissioner")
    filterset_class = ServiceLogFilterSet
    template_name = "support/servicelog_list.html"
    sort_fields = {"date": "date", "days": "days"}
    default_sort = "-date"
    extra_context = {"page_title": gettext_lazy("Commissioner service logs")}


def visible_logs(user):
    """Logs a user sees: those of their units, and a commissioner's own (see ServiceLogQuerySet)."""
    return ServiceLog.objects.for_user(user)


class ServiceLogDetailView(LoginRequiredMixin, TemplateView):
    template_name = "support/servicelog_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        log = get_object_or_404(
            visible_logs(self.request.user).select_related("assignment__commissioner"), pk=kwargs["pk"]
        )
        ctx.update(
            object=log, page_title=_("Service on %(date)s") % {"date": log.date.strftime("%Y年%m月%d日")}
        )
        return ctx


class ServiceLogAddView(LoginRequiredMixin, TemplateView):
    """Log a service: a commissioner for their own assignments; bureau and unit staff for any
    assignment they may change."""

    template_name = "core/object_edit.html"

    def assignments(self):
        user = self.request.user
        own = commissioners.assignments_of(user)
        if user.is_superuser or user.role in (Role.BUREAU, Role.UNIT):
            return (Assignment.objects.writable_by(user) | own).distinct().select_related("commissioner")
        if not own.exists():
            raise PermissionDenied(_("Only commissioners and staff in charge log services."))
        return own

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        initial = {"date": timezone.localdate(), "assignment": self.request.GET.get("assignment")}
        ctx.setdefault(
            "form",
            forms.ServiceLogForm(initial=initial, assignments=self.assignments(), user=self.request.user),
        )
        ctx.update(page_title=_("Log a service"), cancel_url=reverse("support:my-assignments"))
        return ctx

    def post(self, request, *args, **kwargs):
        form = forms.ServiceLogForm(request.POST, assignments=self.assignments(), user=request.user)
        if not form.is_valid():
            messages.error(request, _("Please correct the errors below."))
            return self.render_to_response(self.get_context_data(form=form))
        with transaction.atomic(), acting_as(request.user):
            log = form.save(commit=False)
            log.logged_by = request.user
            log.save()
        messages.success(request, _("Service logged."))
        return redirect(log)


class MyAssignmentsView(LoginRequiredMixin, TemplateView):
    """A signed-in commissioner's assignments, this year's service time and their logs."""

    template_name = "support/my_assignments.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        commissioner = Commissioner.objects.filter(account=user).first()
        year = timezone.localdate().year
        ctx.update(page_title=_("My commissioner services"), commissioner=commissioner, year=year)
        if commissioner:
            scheme = commissioner.team.scheme if commissioner.team else scheme_for(commissioner.unit)
            ctx.update(
                assignments=commissioners.assignments_of(user),
                logs=ServiceLog.objects.filter(assignment__commissioner=commissioner).select_related(
                    "assignment"
                )[:50],
                check=commissioners.service_check(commissioner, year, scheme) if scheme else None,
            )
        return ctx


class FundListView(ObjectListView):
    queryset = Fund.objects.select_related("commissioner", "unit")
    template_name = "support/fund_list.html"
    extra_context = {"page_title": gettext_lazy("Commissioner funds")}

    def get_filterset(self):
        return _Plain(self.get_queryset().order_by("-year", "pk"))


class FundEditView(ObjectEditView):
    queryset = Fund.objects.all()
    form_class = forms.FundForm
    extra_context = {"page_title": gettext_lazy("Commissioner funds")}

    def get_success_url(self, obj):
        return reverse("support:fund-list")

    def get_cancel_url(self):
        return reverse("support:fund-list")


# — exports ——————————————————————————————————————————————————————————————————————————


class ExportView(LoginRequiredMixin, TemplateView):
    """Start an export job of one of the support tables with the list's filters."""

    def get(self, request, *args, **kwargs):
        from peiyu.support import exporting

        table = kwargs["table"]
        if table not in exporting.TABLES:
            raise Http404
        model = exporting.TABLES[table].model
        if not model.objects.visible_to_role(request.user):
            raise PermissionDenied(_("Your role has no access to these records."))
        query = {k: v for k, v in request.GET.lists() if k not in ("page", "sort")}
        job = jobs.start(exporting.EXPORT, request.user, {"table": table, "query": query})
        return redirect("job-detail", job.pk)
