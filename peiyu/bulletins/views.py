"""Pages of the bulletins app: the archive, generation (a job), a bulletin as a page with its
downloads and publishing, reported figures, template wording, and the leaders' cockpit.
Every page reads through the scoped querysets; an object outside the user's scope is a 404."""

from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views import View

from peiyu.bulletins import dashboard, services, tasks
from peiyu.bulletins.forms import GenerateForm, ReportedInputForm, TemplateWordingForm, slot_labels
from peiyu.bulletins.models import Bulletin, BulletinState, BulletinTemplate, ReportedInput
from peiyu.bulletins.shipped import INPUT_LABELS, ensure_shipped
from peiyu.core.choices import Role
from peiyu.core.periods import Period

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
READERS = {Role.BUREAU, Role.UNIT, Role.LEADER}
WRITERS = {Role.BUREAU, Role.UNIT}


def require(user, roles) -> None:
    if not (user.is_superuser or user.role in roles):
        raise PermissionDenied(_("Your role does not give access to bulletins."))


def attachment(content: bytes, name: str, content_type: str) -> HttpResponse:
    response = HttpResponse(bytes(content), content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename*=utf-8''{quote(name)}"
    return response


class BulletinListView(LoginRequiredMixin, View):
    """The archive: every bulletin the user may see, filtered by template, state and text."""

    def get(self, request):
        require(request.user, READERS)
        ensure_shipped()
        found = (
            Bulletin.objects.for_user(request.user)
            .select_related("unit", "template")
            .defer("docx", "xlsx", "snapshot", "frozen_template")
        )
        if request.user.role == Role.LEADER and not request.user.is_superuser:
            found = found.filter(state=BulletinState.PUBLISHED)
        q = request.GET.get("q", "").strip()
        if q:
            found = found.filter(Q(title__icontains=q) | Q(unit__name__icontains=q) | Q(period__icontains=q))
        if request.GET.get("template"):
            found = found.filter(template__code=request.GET["template"])
        if request.GET.get("state") in BulletinState.values:
            found = found.filter(state=request.GET["state"])
        page = Paginator(found, 25).get_page(request.GET.get("page"))
        for bulletin in page.object_list:
            bulletin.period_label = Period.parse(bulletin.period).label
        return render(
            request,
            "bulletins/bulletin_list.html",
            {
                "page_title": _("Statistical bulletins"),
                "page_obj": page,
                "query": request.GET,
                "templates": BulletinTemplate.objects.all(),
                "states": BulletinState.choices,
                "may_generate": request.user.is_superuser or request.user.role in WRITERS,
            },
        )


class GenerateView(LoginRequiredMixin, View):
    def form(self, request, data=None):
        ensure_shipped()
        return GenerateForm(
            data,
            units=services.units_for(request.user),
            initial={
                "template": BulletinTemplate.objects.filter(
                    code=request.GET.get("template", "quarterly")
                ).first(),
                "period": request.GET.get("period", ""),
            },
        )

    def get(self, request):
        require(request.user, WRITERS)
        return render(
            request,
            "bulletins/generate.html",
            {"page_title": _("Generate a bulletin"), "form": self.form(request)},
        )

    def post(self, request):
        require(request.user, WRITERS)
        form = self.form(request, request.POST)
        if not form.is_valid():
            return render(
                request, "bulletins/generate.html", {"page_title": _("Generate a bulletin"), "form": form}
            )
        services.check_may_generate(request.user, form.cleaned_data["unit"])
        job = tasks.start(
            form.cleaned_data["template"],
            form.cleaned_data["unit"],
            Period.parse(form.cleaned_data["period"]),
            request.user,
        )
        job.refresh_from_db()
        if job.state == "done" and job.result.get("bulletin"):
            return redirect("bulletins:bulletin-detail", job.result["bulletin"])
        return redirect("job-detail", job.pk)


def visible_bulletin(request, pk) -> Bulletin:
    require(request.user, READERS)
    found = Bulletin.objects.for_user(request.user)
    if request.user.role == Role.LEADER and not request.user.is_superuser:
        found = found.filter(state=BulletinState.PUBLISHED)
    return get_object_or_404(found.select_related("unit", "template"), pk=pk)


class BulletinDetailView(LoginRequiredMixin, View):
    def get(self, request, pk):
        bulletin = visible_bulletin(request, pk)
        doc = services.document_of(bulletin)
        charts = [b for s in doc["sections"] for b in s["blocks"] if b["type"] == "chart"]
        for i, chart in enumerate(charts):
            chart["dom_id"] = f"chart-{i}"
        inputs = [
            {
                "label": INPUT_LABELS.get(k, k),
                "value": v["value"].rstrip("0").rstrip("."),
                "source": v["source"],
            }
            for k, v in doc["inputs"].items()
        ]
        return render(
            request,
            "bulletins/bulletin_detail.html",
            {
                "page_title": bulletin.title,
                "bulletin": bulletin,
                "doc": doc,
                "inputs": inputs,
                "charts": [
                    {k: c[k] for k in ("dom_id", "chart", "title", "labels", "values", "series")}
                    for c in charts
                ],
                "may_publish": bool(bulletin.available_transitions(request.user)),
                "generated_by": person(bulletin.generated_by),
            },
        )


def person(user) -> str:
    if user is None:
        return _("the system")
    return user.get_full_name() or user.get_username()


class BulletinFileView(LoginRequiredMixin, View):
    def get(self, request, pk, kind):
        if kind not in ("docx", "xlsx"):
            from django.http import Http404

            raise Http404
        bulletin = visible_bulletin(request, pk)
        if kind == "docx":
            return attachment(bulletin.docx, f"{bulletin.title}.docx", DOCX)
        return attachment(bulletin.xlsx, f"{bulletin.title}.xlsx", XLSX)


class PublishView(LoginRequiredMixin, View):
    def post(self, request, pk):
        require(request.user, WRITERS)
        bulletin = get_object_or_404(Bulletin.objects.writable_by(request.user), pk=pk)
        services.publish(bulletin, request.user, request.POST.get("comment", ""))
        messages.success(request, _("The bulletin is published; the leaders are notified."))
        return redirect(bulletin)


class InputListView(LoginRequiredMixin, View):
    """Reported figures (填报数) with their sources, by period; added and corrected here."""

    def get(self, request):
        require(request.user, READERS)
        found = ReportedInput.objects.for_user(request.user).select_related("unit", "entered_by")
        period = request.GET.get("period", "").strip()
        if period:
            found = found.filter(period=period)
        page = Paginator(found, 50).get_page(request.GET.get("page"))
        for row in page.object_list:
            row.label = INPUT_LABELS.get(row.key, row.key)
            row.value_text = f"{row.value:f}".rstrip("0").rstrip(".")
            row.period_label = Period.parse(row.period).label
        return render(
            request,
            "bulletins/input_list.html",
            {
                "page_title": _("Reported figures"),
                "page_obj": page,
                "query": request.GET,
                "may_edit": not request.user.is_read_only,
            },
        )


class InputEditView(LoginRequiredMixin, View):
    def get_object(self, request, pk):
        if pk is None:
            return None
        return get_object_or_404(ReportedInput.objects.writable_by(request.user), pk=pk)

    def get(self, request, pk=None):
        require(request.user, WRITERS)
        form = ReportedInputForm(
            instance=self.get_object(request, pk), units=services.units_for(request.user)
        )
        return render(
            request, "bulletins/input_edit.html", {"page_title": _("Reported figure"), "form": form}
        )

    def post(self, request, pk=None):
        require(request.user, WRITERS)
        instance = self.get_object(request, pk)
        form = ReportedInputForm(request.POST, instance=instance, units=services.units_for(request.user))
        if form.is_valid():
            row = form.save(commit=False)
            row.entered_by = request.user
            row.save()
            messages.success(request, _("The figure is saved."))
            return redirect("bulletins:input-list")
        return render(
            request, "bulletins/input_edit.html", {"page_title": _("Reported figure"), "form": form}
        )


class TemplateListView(LoginRequiredMixin, View):
    def get(self, request):
        require(request.user, READERS)
        ensure_shipped()
        return render(
            request,
            "bulletins/template_list.html",
            {
                "page_title": _("Bulletin templates"),
                "templates": BulletinTemplate.objects.all(),
                "may_edit": request.user.is_superuser or request.user.role == Role.BUREAU,
            },
        )


class TemplateEditView(LoginRequiredMixin, View):
    def check(self, request, pk):
        require(request.user, {Role.BUREAU})
        return get_object_or_404(BulletinTemplate, pk=pk)

    def get(self, request, pk):
        template = self.check(request, pk)
        return render(
            request,
            "bulletins/template_edit.html",
            {
                "page_title": template.name,
                "template": template,
                "form": TemplateWordingForm(template=template),
                "slots": slot_labels(template.body),
            },
        )

    def post(self, request, pk):
        template = self.check(request, pk)
        form = TemplateWordingForm(request.POST, template=template)
        if form.is_valid():
            try:
                form.save()
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("The template is saved."))
                return redirect("bulletins:template-list")
        return render(
            request,
            "bulletins/template_edit.html",
            {
                "page_title": template.name,
                "template": template,
                "form": form,
                "slots": slot_labels(template.body),
            },
        )


class CockpitView(LoginRequiredMixin, View):
    """领导驾驶舱: one period's headline figures, ranking, trends and the archived bulletins."""

    def get(self, request):
        require(request.user, READERS)
        unit = request.user.unit or services.units_for(request.user).filter(kind="district").first()
        if unit is None:
            raise PermissionDenied(_("Your account has no unit."))
        try:
            period = Period.parse(request.GET.get("period") or str(dashboard.latest_year(unit)))
        except ValueError as error:
            messages.error(request, str(error))
            period = Period.parse(str(dashboard.latest_year(unit)))
        archive = (
            Bulletin.objects.for_user(request.user)
            .filter(state=BulletinState.PUBLISHED)
            .defer("docx", "xlsx", "snapshot", "frozen_template")[:10]
        )
        for bulletin in archive:
            bulletin.period_label = Period.parse(bulletin.period).label
        return render(
            request,
            "bulletins/cockpit.html",
            {
                "page_title": _("Leaders' cockpit"),
                "unit": unit,
                "period": period,
                "headlines": dashboard.headlines(unit, period),
                "ranking": dashboard.ranking(unit, period),
                "archive": archive,
                "chart_data": chart_data(dashboard.trend(unit, period), dashboard.ranking(unit, period)),
            },
        )


def chart_data(trend: dict, ranking: list) -> dict:
    return {
        **trend,
        "labels": {"count": pgettext("count", "Enterprises"), "revenue": _("Revenue (100 million yuan)")},
        "ranking": {"labels": [r["name"] for r in ranking], "values": [int(r["count"]) for r in ranking]},
    }


__all__ = ["reverse"]
