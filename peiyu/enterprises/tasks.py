"""Jobs of the enterprise library: exports of the filtered list and import checks and commits.
Both run in a worker (`peiyu worker`); the pages only start them and show their progress."""

from django.conf import settings
from django.http import QueryDict
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from peiyu.core import jobs
from peiyu.core.spreadsheets import uploads
from peiyu.enterprises import exporting, importing

EXPORT, IMPORT = "enterprise-export", "enterprise-import"


def owner(job):
    if job.user is None or not job.user.is_active:
        raise jobs.JobError(_("The user who started this job no longer has an active account."))
    return job.user


# — exports ————————————————————————————————————————————————————————————————————————————

def export_summary(job) -> str:
    return _("%(rows)s enterprises") % {"rows": job.result.get("rows", 0)}


@jobs.kind(EXPORT, gettext_lazy("Enterprise export"), summary=export_summary)
def export_enterprises(job, progress):
    """The list page's filter (its query string) as .xlsx or .csv, scoped to whoever started it."""
    query = QueryDict(mutable=True)
    for name, values in job.params.get("query", {}).items():
        query.setlist(name, values)
    export = exporting.EnterpriseExport(query, owner(job))
    extension = "csv" if job.params.get("format") == "csv" else "xlsx"
    path = job.output_path(f".{extension}")
    if extension == "csv":
        with path.open("wb") as out:
            for chunk in export.csv_chunks(progress):
                out.write(chunk)
    else:
        export.write_xlsx(str(path), progress)
    job.result_file = str(path.relative_to(settings.MEDIA_ROOT))
    job.result_name = export.file_name(extension)
    rows = export.count()
    progress("writing", rows, rows)
    return {"rows": rows}


def start_export(params, user, extension: str):
    query = {name: params.getlist(name) for name in params if name != "format"}
    return jobs.start(EXPORT, user, {"query": query, "format": extension})


# — imports ————————————————————————————————————————————————————————————————————————————

def import_summary(job) -> str:
    counts = job.result.get("counts", {})
    figures = {name: counts.get(name, 0) for name in ("rows", "new", "changed", "unchanged", "error")}
    if job.params.get("dry_run"):
        return _("%(rows)s rows checked: %(new)s new, %(changed)s changed, %(unchanged)s unchanged, %(error)s with errors") % figures
    if not job.result.get("written"):
        return _("nothing written")
    return _("%(new)s new and %(changed)s changed rows written, %(error)s rows with errors") % figures


def import_link(job):
    if job.result.get("batch"):
        return reverse("import-batch", args=[job.result["batch"]]), _("Import batch")
    return reverse("import-preview", args=[job.params["token"]]), _("Preview")


@jobs.kind(IMPORT, gettext_lazy("Import"), summary=import_summary, link=import_link)
def import_file(job, progress):
    """Check (dry run) or commit an uploaded file: one transaction, so a killed worker writes nothing."""
    from peiyu.enterprises.views_io import options_for

    user = owner(job)
    upload = uploads.load(job.params["token"], user)
    dry_run = job.params["dry_run"]
    try:
        report = importing.run_import(upload.path, upload.meta["file_name"], options_for(upload, user, dry_run),
                                      sha256=upload.meta["sha256"], progress=progress)
    except Exception:
        if not dry_run:
            upload.release("commit")  # nothing was written (one transaction): the commit may be tried again
        raise
    if dry_run:
        upload.save_report(report.as_dict())
    return {"batch": report.batch, "written": report.written, "failed": report.failed, "counts": report.counts}
