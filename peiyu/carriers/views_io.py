"""Carrier spreadsheets: export of the filtered list, the template, and import (upload → preview →
commit, all or nothing)."""

from urllib.parse import quote

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, UserPassesTestMixin
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from peiyu.carriers import exporting, importing
from peiyu.carriers.filtersets import CarrierFilterSet
from peiyu.carriers.models import Carrier
from peiyu.core.spreadsheets import uploads
from peiyu.core.spreadsheets.reading import megabytes

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_response(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response


class CarrierExportView(LoginRequiredMixin, View):
    """The list as filtered on the page, through the same scoped queryset."""

    def get(self, request):
        if not Carrier.objects.visible_to_role(request.user):
            raise PermissionDenied(_("Your role has no access to these records."))
        filterset = CarrierFilterSet(
            request.GET or None, queryset=Carrier.objects.for_user(request.user), user=request.user
        )
        content = exporting.export_xlsx(filterset.qs, request.user)
        return xlsx_response(content, f"创新载体-{timezone.localdate():%Y%m%d}.xlsx")


class ImportAccess(LoginRequiredMixin, UserPassesTestMixin):
    def test_func(self):
        return importing.can_import(self.request.user)


class TemplateView(ImportAccess, View):
    def get(self, request):
        return xlsx_response(exporting.template_xlsx(), "创新载体导入模板.xlsx")


class ImportForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("File (.xlsx, .xls or .csv)"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.PEIYU_UPLOAD_MAX_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(limit)s MB; split it into smaller files.")
                % {"limit": megabytes(settings.PEIYU_UPLOAD_MAX_BYTES)}
            )
        return upload


class ImportView(ImportAccess, View):
    template_name = "carriers/import_form.html"

    def get(self, request):
        return render(request, self.template_name, {"form": ImportForm(), "page_title": _("Import carriers")})

    def post(self, request):
        form = ImportForm(request.POST, request.FILES)
        if not form.is_valid():
            return render(
                request, self.template_name, {"form": form, "page_title": _("Import carriers")}, status=400
            )
        upload = uploads.save(form.cleaned_data["file"], request.user, {"kind": "carriers"})
        plan = importing.check_file(upload.path, upload.meta["file_name"], request.user)
        upload.save_report(plan.as_dict())
        return redirect("carriers:carrier-import-preview", token=upload.token)


class ImportPreviewView(ImportAccess, View):
    """Every row with its status and problems; the commit re-checks the file and writes it whole."""

    def get(self, request, token):
        upload = uploads.load(token, request.user)
        report = upload.report() or {"counts": {}, "rows": [], "errors": []}
        counts = report["counts"]
        return render(
            request,
            "carriers/import_preview.html",
            {
                "upload": upload,
                "report": report,
                "page_title": _("Preview of %(file)s") % {"file": upload.meta["file_name"]},
                "file_errors": [e for e in report["errors"] if e["row"] is None],
                "can_commit": not report["errors"] and (counts.get("new") or counts.get("changed")),
            },
        )

    def post(self, request, token):
        upload = uploads.load(token, request.user)
        if not upload.claim("commit"):
            messages.info(request, _("This file is already being imported."))
            return redirect("carriers:carrier-list")
        plan = importing.check_file(upload.path, upload.meta["file_name"], request.user)
        if plan.errors:  # the data changed since the preview: show the new findings
            upload.release("commit")
            upload.save_report(plan.as_dict())
            messages.error(request, _("Nothing was written: the file has errors."))
            return redirect("carriers:carrier-import-preview", token=token)
        count = importing.commit(plan, request.user)
        messages.success(request, _("Imported %(count)s carriers.") % {"count": count})
        return redirect("carriers:carrier-list")
