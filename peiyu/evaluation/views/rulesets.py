"""Rule sets: the list, one rule set with its source and UNCONFIRMED notes, and — for bureau staff —
copying one into a local version with changed thresholds or points, and choosing the version in use."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from peiyu.evaluation import params, rules
from peiyu.evaluation.models import RuleSet, platform_units
from peiyu.evaluation.views.common import is_bureau, is_staff, require_bureau

STATUS_ORDER = ["in_use", "unused", "not_yet", "history", "other_region"]  # what applies here first


@login_required
def index(request):
    RuleSet.objects.sync_official()
    units = [request.user.unit] if request.user.unit_id else platform_units()
    year = timezone.localdate().year
    records = list(RuleSet.objects.select_related("based_on"))
    for record in records:
        record.here = record.status(units, year)
    records.sort(key=lambda r: (STATUS_ORDER.index(r.here), r.code, r.version))
    return render(request, "evaluation/index.html", {
        "page_title": _("Evaluation"), "records": records, "can_edit": is_bureau(request.user), "is_staff": is_staff(request.user),
    })


@login_required
def detail(request, pk: int):
    record = get_object_or_404(RuleSet, pk=pk)
    return render(request, "evaluation/ruleset_detail.html", {
        "page_title": rules.localized(record.name), "record": record, "rs": record.parsed, "data": record.data,
        "params": params.parameters(record.data), "can_edit": is_bureau(request.user),
        "changes": params.changes(record.based_on.data, record.data) if record.based_on else [],
    })


@login_required
def copy(request, pk: int):
    """Copy a rule set with changed numbers into a new local version (the original is kept)."""
    require_bureau(request.user)
    record = get_object_or_404(RuleSet, pk=pk)
    values = request.POST if request.method == "POST" else {}
    changed, errors = params.apply(record.data, values) if values else (record.data, [])
    if request.method == "POST" and not errors:
        version = record.next_local_version()
        data = dict(changed, version=version)
        copy = RuleSet.objects.create(
            code=record.code, version=version, name=record.name, data=data, based_on=record, region=record.region,
            note=request.POST.get("note", "")[:255], created_by=request.user,
        )
        if request.POST.get("activate"):
            copy.activate()
        messages.success(request, _("Saved %(name)s as local version %(version)s.") % {"name": record.name, "version": version})
        return redirect("evaluation:ruleset", pk=copy.pk)
    for label in errors:
        messages.error(request, _("Not a valid value: %(label)s") % {"label": label})
    return render(request, "evaluation/ruleset_copy.html", {
        "page_title": _("Copy %(name)s") % {"name": record.name}, "record": record,
        "params": params.parameters(record.data), "values": values,
    })


@login_required
@require_POST
def activate(request, pk: int):
    require_bureau(request.user)
    record = get_object_or_404(RuleSet, pk=pk)
    record.activate()
    messages.success(request, _("%(name)s version %(version)s is now in use.") % {"name": record.name, "version": record.version})
    return redirect("evaluation:ruleset", pk=pk)
