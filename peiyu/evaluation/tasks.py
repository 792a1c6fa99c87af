"""Jobs of the evaluation app: a database evaluation (the batch engine over a jurisdiction, results
stored with the rule set version) runs in a worker, or in the command line's own process."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from peiyu.core import jobs

EVALUATE = "evaluation"


def evaluation_summary(job) -> str:
    r = job.result
    return _("%(code)s v%(version)s, %(year)s: %(n)s enterprises evaluated and stored — %(yes)s eligible, %(no)s not eligible, "
             "%(pending)s depending on expert scores") % r if r else ""


@jobs.kind(EVALUATE, gettext_lazy("Evaluation"), summary=evaluation_summary)
def evaluate_and_store(job, progress):
    """params: rules ("code" or "code@version"), year, unit (a unit code, optional). A job started by a
    user covers that user's enterprises; one from the command line covers all of them."""
    from peiyu.core.models import Unit
    from peiyu.enterprises.models import Enterprise
    from peiyu.evaluation.models import RuleSet
    from peiyu.evaluation.services import evaluate_and_store, ruleset_record

    params = job.params
    try:
        record = ruleset_record(params["rules"])
    except RuleSet.DoesNotExist as exc:
        raise jobs.JobError(_("no rule set %(spec)s") % {"spec": params["rules"]}) from exc
    enterprises = Enterprise.objects.for_user(job.user) if job.user else Enterprise.objects.all()
    if params.get("unit"):
        unit = Unit.objects.filter(code=params["unit"]).first()
        if unit is None:
            raise jobs.JobError(_("no unit with code %(code)s") % {"code": params["unit"]})
        ids = Unit.objects.subtree_ids(unit)
        enterprises = enterprises.filter(unit_id__in=ids) | enterprises.filter(park_id__in=ids)
    progress("evaluating", 0, 1)
    frame = evaluate_and_store(record, params["year"], enterprises, user=job.user)
    progress("evaluating", 1, 1)
    eligible = frame["eligible"]
    counts = {"n": frame.height, "yes": int(eligible.sum()), "pending": eligible.null_count(), "code": record.code,
              "version": record.version, "year": params["year"]}
    counts["no"] = counts["n"] - counts["yes"] - counts["pending"]
    return counts
