"""Jobs and periodic tasks of the support programmes: exports, and the daily voucher expiry."""

from django.conf import settings
from django.http import QueryDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from peiyu.core import jobs
from peiyu.support import exporting, vouchers


@jobs.periodic("expire-vouchers", gettext_lazy("Expire unused innovation vouchers"), minute="5", hour="0")
def expire_vouchers():
    """Daily just after midnight (Beijing time): issued vouchers past their last valid day lapse."""
    n = vouchers.expire_due()
    return _("%(n)s vouchers expired") % {"n": n}


def export_summary(job) -> str:
    return _("%(rows)s rows") % {"rows": job.result.get("rows", 0)}


@jobs.kind(exporting.EXPORT, gettext_lazy("Support programme export"), summary=export_summary)
def export_table(job, progress):
    if job.user is None or not job.user.is_active:
        raise jobs.JobError(_("The user who started this job no longer has an active account."))
    query = QueryDict(mutable=True)
    for name, values in job.params.get("query", {}).items():
        query.setlist(name, values)
    table = job.params["table"]
    export = exporting.SupportExport(table, query, job.user)
    path = job.output_path(".xlsx")
    rows = export.write_xlsx(str(path), progress)
    job.result_file = str(path.relative_to(settings.MEDIA_ROOT))
    job.result_name = f"{exporting.TABLES[table].title}.xlsx"
    progress("writing", rows, rows)
    return {"rows": rows}
