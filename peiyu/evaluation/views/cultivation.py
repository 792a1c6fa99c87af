"""Cultivation pools, alert lists and what-if simulation: staff pages over the user's scope."""

from fractions import Fraction

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _

from peiyu.core.models import Unit
from peiyu.enterprises.models import Enterprise
from peiyu.evaluation import alerts, params, pools, whatif
from peiyu.evaluation.exports import alerts_xlsx, pools_xlsx
from peiyu.evaluation.models import RuleSet, applicable_rulesets
from peiyu.evaluation.views.common import latest_year, require_staff, year_param

DEFAULT_MARGIN = 20  # percent


PAGE_SIZE = 25
MARGINS = (10, 20, 30, 50)


def _margin(request) -> int:
    try:
        return max(0, min(90, int(request.GET.get("margin", DEFAULT_MARGIN))))
    except ValueError:
        return DEFAULT_MARGIN


def _units(user):
    """The units a user may filter by: their own subtree (everything for an administrator)."""
    units = Unit.objects.all()
    if not user.is_superuser and user.unit_id:
        units = units.filter(path__startswith=user.unit.path)
    return list(units)


def _chosen_ids(request, units) -> tuple[set[int] | None, dict]:
    """Enterprise ids matching the search and unit filter (None when neither is given)."""
    q = request.GET.get("q", "").strip()[:100]
    unit = next((u for u in units if str(u.pk) == request.GET.get("unit")), None)
    filters = {"q": q, "unit": unit}
    if not q and unit is None:
        return None, filters
    qs = Enterprise.objects.for_user(request.user)
    if q:
        qs = qs.search(q)
    if unit is not None:
        ids = Unit.objects.subtree_ids(unit)
        qs = qs.filter(Q(unit_id__in=ids) | Q(park_id__in=ids))
    return set(qs.values_list("pk", flat=True)), filters


def _pool_context(request):
    year = year_param(request, latest_year(request.user))
    margin = _margin(request)
    gazelle = request.GET.get("gazelle", "")
    found = pools.pools(request.user, year, Fraction(margin, 100), {"gazelle": gazelle}) if year else []
    units = _units(request.user)
    ids, filters = _chosen_ids(request, units)
    for pool in found:
        pool.found, pool.over = pools.narrow(pool.found, ids), pools.narrow(pool.over, ids)
    kind = pools.OVER_CEILING if request.GET.get("kind") == pools.OVER_CEILING else pools.CULTIVABLE
    return {"year": year, "margin": margin, "margins": sorted({*MARGINS, margin}), "gazelle": gazelle, "pools": found,
            "gazelles": pools.candidates("gazelle", year) if year else [], "units": units, "kind": kind, **filters}


@login_required
def pool_list(request):
    """One pool at a time (a tab per ladder step), a page of explained rows."""
    require_staff(request.user)
    ctx = _pool_context(request)
    found = ctx["pools"]
    pool = next((p for p in found if p.step.code == request.GET.get("step")), found[0] if found else None)
    if pool is not None:
        listed = pool.listed(ctx["kind"])
        page = Paginator(range(listed.height), PAGE_SIZE).get_page(request.GET.get("page"))
        start = page.start_index() - 1 if listed.height else 0
        pool.rows = pools.explain(pool.step, listed.slice(start, PAGE_SIZE), ctx["year"])
        query = request.GET.copy()
        query.pop("page", None)
        ctx.update(page_obj=page, query=query.urlencode())
    step_query = request.GET.copy()
    for name in ("step", "page", "kind"):
        step_query.pop(name, None)
    ctx.update(pool=pool, page_title=_("Cultivation pools"), step_query=step_query.urlencode())
    return render(request, "evaluation/pools.html", ctx)


@login_required
def pool_export(request):
    """Every pool in full, with the same filters as the page (no paging)."""
    require_staff(request.user)
    ctx = _pool_context(request)
    for pool in ctx["pools"]:
        pool.rows = pools.explain(pool.step, pool.found, ctx["year"])
        pool.over_rows = pools.explain(pool.step, pool.over, ctx["year"])
    response = HttpResponse(pools_xlsx(ctx["pools"], ctx["year"], ctx["margin"]),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="pools-{ctx["year"]}.xlsx"'
    return response


ALERTS_PER_PAGE = 50


def _alerts(request):
    """The alert lists of the user's scope, the one chosen (?list=) and its rows after ?q= and ?unit=."""
    year = year_param(request, latest_year(request.user))
    today = timezone.localdate()
    lists = alerts.all_alerts(request.user, year, today) if year else [alerts.expiring(request.user, today)]
    chosen = next((a for a in lists if a.code == request.GET.get("list")), None)
    chosen = chosen or next((a for a in lists if a.available and a.rows), lists[0])
    units = Unit.objects.filter(path__startswith=request.user.unit.path) if request.user.unit_id else Unit.objects.all()
    units = list(units.order_by("path"))
    unit = next((u for u in units if str(u.pk) == request.GET.get("unit")), None)
    rows = alerts.matching(chosen.rows, request.GET.get("q", ""), set(Unit.objects.subtree_ids(unit)) if unit else None)
    return {"year": year, "today": today, "lists": lists, "chosen": chosen, "rows": rows, "units": units, "unit": unit,
            "q": request.GET.get("q", "")}


@login_required
def alert_list(request):
    require_staff(request.user)
    ctx = _alerts(request)
    page = Paginator(ctx["rows"], ALERTS_PER_PAGE).get_page(request.GET.get("page"))
    for row in page.object_list:
        row.days_left = alerts.days_left(row, ctx["today"])
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "evaluation/alerts.html", {**ctx, "page_title": _("Alert lists"), "page_obj": page, "query": query.urlencode(),
                                                      "export_query": query.urlencode()})


@login_required
def alert_export(request):
    """The chosen list as filtered on the page, as .xlsx (phones masked for roles that do not see them)."""
    require_staff(request.user)
    ctx = _alerts(request)
    content = alerts_xlsx(ctx["chosen"], ctx["rows"], ctx["year"], ctx["today"], request.user)
    response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="alerts-{ctx["chosen"].code}-{ctx["today"].isoformat()}.xlsx"'
    return response


@login_required
def what_if(request):
    """Change thresholds or points of a rule set and see, without saving, who would qualify."""
    require_staff(request.user)
    records = applicable_rulesets(request.user.unit)  # what applies here and now, never another region's rules
    pk = request.GET.get("ruleset") or request.POST.get("ruleset")
    record = get_object_or_404(RuleSet, pk=pk) if pk else records[0]
    year = year_param(request, latest_year(request.user))
    simulation, errors, changed_list = None, [], []
    values = request.POST if request.method == "POST" else request.GET if "simulate" in request.GET else {}
    if values and year:
        changed, errors = params.apply(record.data, values)
        if not errors:
            simulation = whatif.simulate(request.user, record.data, changed, year)
            changed_list = params.changes(record.data, changed)
    return render(request, "evaluation/whatif.html", {
        "page_title": _("What-if simulation"), "records": records, "record": record, "year": year, "values": values,
        "params": params.parameters(record.data), "simulation": simulation, "errors": errors, "changed": changed_list,
    })


