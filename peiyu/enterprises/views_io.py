"""Pages for spreadsheets in and out: upload → preview → commit, import batches with undo,
template downloads and exports of the filtered enterprise list."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, UserPassesTestMixin
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.generic import TemplateView

from peiyu.core import jobs
from peiyu.core.models import ImportBatch, ObjectChange, Unit
from peiyu.core.spreadsheets import uploads
from peiyu.core.spreadsheets.reading import megabytes
from peiyu.core.spreadsheets.report import STATUSES
from peiyu.core.spreadsheets.undo import UndoConflict
from peiyu.enterprises import exporting, importing, tasks
from peiyu.enterprises.models import Enterprise


class ImportAccess(LoginRequiredMixin, UserPassesTestMixin):
    """Bureau and unit staff import; undo is for bureau staff (see importing.can_*)."""

    def test_func(self):
        return importing.can_import(self.request.user)


class ImportForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("File (.xlsx, .xls or .csv)"))
    kind = forms.ChoiceField(label=gettext_lazy("Kind of data"), required=False, choices=[
        ("", gettext_lazy("Recognise from the headers")),
        (importing.YEARS, gettext_lazy("Enterprise years")),
        (importing.QUALIFICATIONS, gettext_lazy("Qualifications")),
    ])
    year = forms.IntegerField(label=gettext_lazy("Year for rows without one"), required=False, min_value=1949, max_value=2100)
    unit = forms.ModelChoiceField(label=gettext_lazy("Unit for new enterprises without one"), queryset=Unit.objects.none(), required=False)
    strict = forms.BooleanField(label=gettext_lazy("Strict: write nothing if any row has an error"), required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        units = Unit.objects.all()
        if not user.is_superuser and user.unit_id:
            units = units.filter(path__startswith=user.unit.path)
        self.fields["unit"].queryset = units
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-check-input" if isinstance(field, forms.BooleanField) else "form-control form-control-sm"

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.PEIYU_UPLOAD_MAX_BYTES:
            raise forms.ValidationError(too_large_message())
        return upload


def too_large_message() -> str:
    return _("The file is larger than %(limit)s MB; split it into smaller files.") % {"limit": megabytes(settings.PEIYU_UPLOAD_MAX_BYTES)}


def options_for(upload: uploads.Upload, user, dry_run: bool) -> importing.ImportOptions:
    chosen = upload.meta["options"]
    unit = Unit.objects.filter(pk=chosen.get("unit")).first() if chosen.get("unit") else None
    return importing.ImportOptions(user=user, kind=chosen.get("kind") or None, year=chosen.get("year"), unit=unit,
                                   strict=chosen.get("strict", False), dry_run=dry_run)


def start_import(upload: uploads.Upload, user, dry_run: bool) -> None:
    """Check (dry run) or commit an uploaded file as a job (enterprises.tasks.import_file)."""
    stage = "preview" if dry_run else "commit"
    upload.meta["stage"] = stage
    upload.save_meta()
    jobs.start(tasks.IMPORT, user, {"token": upload.token, "dry_run": dry_run, "file_name": upload.meta["file_name"]},
               key=f"{upload.token}-{stage}")


class BatchListView(ImportAccess, TemplateView):
    template_name = "enterprises/io/batch_list.html"

    def get_context_data(self, **kwargs):
        page = Paginator(importing.visible_batches(self.request.user).select_related("user"), 30).get_page(self.request.GET.get("page"))
        for batch in page:
            batch.kind_label = importing.kind_label(batch.kind)
        return super().get_context_data(page_obj=page, query="", page_title=_("Data import"), **kwargs)


@method_decorator(csrf_exempt, name="dispatch")
class ImportNewView(ImportAccess, View):
    """The upload form. The size limit is enforced while the file arrives (before CSRF reads the
    body), so an oversized upload is refused without being stored."""

    template_name = "enterprises/io/import_form.html"

    def get(self, request):
        return self.show(ImportForm(user=request.user))

    def show(self, form, status=200, error=""):
        context = {"form": form, "page_title": _("New import"), "limit_mb": megabytes(settings.PEIYU_UPLOAD_MAX_BYTES), "upload_error": error}
        return render(self.request, self.template_name, context, status=status)

    def post(self, request):
        request.upload_handlers.insert(0, uploads.SizeLimitHandler(request, settings.PEIYU_UPLOAD_MAX_BYTES))
        if request.POST is not None and getattr(request, "upload_too_large", False):
            return self.show(ImportForm(user=request.user), status=413, error=too_large_message())
        return csrf_protect(self.accept)(request)

    def accept(self, request):
        form = ImportForm(request.POST, request.FILES, user=request.user)
        if not form.is_valid():
            return self.show(form, status=400)
        data = form.cleaned_data
        options = {"kind": data["kind"], "year": data["year"], "unit": data["unit"].pk if data["unit"] else None, "strict": data["strict"]}
        upload = uploads.save(data["file"], request.user, options)
        start_import(upload, request.user, dry_run=True)
        return redirect("import-preview", token=upload.token)


class ImportPreviewView(ImportAccess, TemplateView):
    """Progress while checking; then every row with its status, filterable, and the commit button."""

    template_name = "enterprises/io/import_preview.html"

    def get(self, request, *args, **kwargs):
        upload = uploads.load(kwargs["token"], request.user)
        stage = upload.meta.get("stage", "preview")
        state = jobs.state(f"{upload.token}-{stage}") or {}
        if state.get("state") == jobs.RUNNING:
            return render(request, "enterprises/io/progress.html", {"state": state, "page_title": upload.meta["file_name"],
                                                                     "poll_url": reverse("import-progress", args=[upload.token])})
        if stage == "commit" and state.get("state") == jobs.DONE and state["result"].get("batch"):
            return redirect("import-batch", pk=state["result"]["batch"])
        if stage == "commit" and state.get("state") == jobs.DONE:
            messages.error(request, _("Nothing was written: strict mode and the file has errors."))
        if state.get("state") == jobs.FAILED:
            messages.error(request, state.get("error") or _("The import failed."))
        return super().get(request, upload=upload, **kwargs)

    def get_context_data(self, upload, **kwargs):
        report = upload.report() or {"counts": {}, "rows": [], "errors": [], "warnings": [], "sheets": []}
        status = self.request.GET.get("status", "")
        rows = [row for row in report["rows"] if row["status"] == status] if status in STATUSES else report["rows"]
        page = Paginator(rows, 100).get_page(self.request.GET.get("page"))
        file_problems = [p for p in report["errors"] + report["warnings"] if p["row"] is None]
        for sheet in report["sheets"]:
            sheet["kind_label"] = importing.kind_label(sheet["kind"])
        return super().get_context_data(
            upload=upload, report=report, page_obj=page, rejected_kinds=rejected_kinds(report.get("rejected", [])), status=status, statuses=STATUSES, file_problems=file_problems,
            query=f"status={status}" if status else "", page_title=_("Preview of %(file)s") % {"file": upload.meta["file_name"]},
            can_commit=bool(report["counts"].get("new") or report["counts"].get("changed")) and not (upload.meta["options"].get("strict") and report["errors"]),
            **kwargs,
        )


class ImportProgressView(ImportAccess, View):
    """The HTMX fragment polled by the progress page; asks the page to reload when the job ends."""

    def get(self, request, token):
        upload = uploads.load(token, request.user)
        state = jobs.state(f"{upload.token}-{upload.meta.get('stage', 'preview')}") or {}
        if state.get("state") != jobs.RUNNING:
            response = HttpResponse("")
            response["HX-Refresh"] = "true"
            return response
        return render(request, "enterprises/io/_progress.html", {"state": state})


class ImportCommitView(ImportAccess, View):
    def post(self, request, token):
        upload = uploads.load(token, request.user)
        if upload.claim("commit"):
            start_import(upload, request.user, dry_run=False)
        # a second commit of the same preview (double click, two tabs) follows the first one's progress
        return redirect("import-preview", token=upload.token)


def visible_batch(user, pk) -> ImportBatch:
    """A batch the user may see, else 404 (a batch of another unit's enterprises is not theirs to know)."""
    return get_object_or_404(importing.visible_batches(user), pk=pk)


class BatchDetailView(ImportAccess, TemplateView):
    template_name = "enterprises/io/batch_detail.html"

    def get_context_data(self, **kwargs):
        batch = visible_batch(self.request.user, kwargs["pk"])
        changes = ObjectChange.objects.filter(batch=str(batch.id)).select_related("content_type").order_by("pk")
        page = Paginator(changes, 100).get_page(self.request.GET.get("page"))
        for change in page:
            change.field_titles = field_titles(change)
        return super().get_context_data(batch=batch, page_obj=page, query="", can_undo=importing.can_undo(self.request.user, batch),
                                        kind_label=importing.kind_label(batch.kind), rejected_kinds=rejected_kinds(batch.rejected),
                                        page_title=_("Import of %(file)s") % {"file": batch.file_name}, **kwargs)


def field_titles(change: ObjectChange) -> str:
    """The changed fields by their names in the interface language, not their codes."""
    model = change.content_type.model_class()
    titles = []
    before = change.before or {}
    # a created record lists what it was given, not every field left empty
    names = [name for name in change.changed_fields if before.get(name) is not None or (change.after or {}).get(name) not in (None, "")]
    for name in names:
        try:
            field = model._meta.get_field(name.removesuffix("_id"))
        except Exception:  # a field since removed from the model: its stored name is all there is
            titles.append(name)
        else:
            titles.append(str(field.verbose_name))
    return "、".join(titles)


def rejected_kinds(rejected: list[dict]) -> list[tuple[str, str, int]]:
    """(kind, label, number of rows) for each kind of data with rejected rows."""
    counts: dict[str, int] = {}
    for row in rejected or ():
        counts[row["kind"]] = counts.get(row["kind"], 0) + 1
    return [(kind, importing.kind_label(kind), count) for kind, count in counts.items()]


class BatchUndoView(ImportAccess, View):
    def post(self, request, pk):
        batch = visible_batch(request.user, pk)
        if not importing.can_undo(request.user, batch):
            raise PermissionDenied
        try:
            count = importing.undo(batch, request.user)
        except UndoConflict as conflict:
            messages.error(request, conflict.message)
        else:
            messages.success(request, _("The import was undone: %(count)s records restored or removed.") % {"count": count})
        return redirect("import-batch", pk=batch.pk)


class BatchRejectedView(ImportAccess, View):
    """The rows a committed import rejected, as a template to fix and import again."""

    def get(self, request, pk, kind):
        return rejected_response(visible_batch(request.user, pk).rejected, kind)


class PreviewRejectedView(ImportAccess, View):
    """The rows a preview found in error, as a template to fix before committing anything."""

    def get(self, request, token, kind):
        report = uploads.load(token, request.user).report() or {}
        return rejected_response(report.get("rejected", []), kind)


def rejected_response(rejected: list[dict], kind: str) -> FileResponse:
    if kind not in (importing.YEARS, importing.QUALIFICATIONS) or not any(row["kind"] == kind for row in rejected):
        raise Http404
    return FileResponse(exporting.rejected_file(rejected, kind), as_attachment=True, filename=exporting.rejected_name(kind))


class TemplateDownloadView(ImportAccess, View):
    def get(self, request, kind):
        if kind not in (importing.YEARS, importing.QUALIFICATIONS):
            raise Http404
        return FileResponse(exporting.template_file(kind), as_attachment=True, filename=exporting.template_name(kind))


class EnterpriseExportView(LoginRequiredMixin, View):
    """The filtered enterprise list as .xlsx or .csv: a job (enterprises.tasks.export_enterprises)
    whose page shows progress and then the download."""

    def get(self, request):
        if not Enterprise.objects.visible_to_role(request.user):
            raise PermissionDenied(_("Your role has no access to these records."))
        extension = "csv" if request.GET.get("format") == "csv" else "xlsx"
        job = tasks.start_export(request.GET, request.user, extension)
        return redirect("job-detail", pk=job.pk)
