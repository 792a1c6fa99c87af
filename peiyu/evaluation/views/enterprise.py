"""An enterprise's evaluation page, and self-evaluation (自评) for enterprise users."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from peiyu.enterprises.models import Enterprise, EnterpriseYear
from peiyu.enterprises.services import save_validated
from peiyu.evaluation.dbframes import input_for
from peiyu.evaluation.forms import ExtrasForm, FiguresForm
from peiyu.evaluation.inputs import YEAR_FIELDS, EvaluationInput, YearFigures
from peiyu.evaluation.views.common import evaluate_all, is_staff, year_param

SELF_PER_PAGE = 30
FIRST_YEAR = 1949  # the enterprise library's bounds for a year of figures


def last_year() -> int:
    return timezone.localdate().year + 1


def _years_of(enterprise) -> list[int]:
    return list(enterprise.years.order_by("-year").values_list("year", flat=True))


@login_required
def enterprise(request, pk: int):
    """Every rule set's result for one enterprise and year (404 outside the user's scope)."""
    obj = get_object_or_404(Enterprise.objects.for_user(request.user).select_related("unit"), pk=pk)
    years = _years_of(obj)
    year = year_param(request, years[0] if years else None)
    results = evaluate_all(obj, year) if year else []
    return render(request, "evaluation/enterprise.html", {
        "page_title": _("Evaluation of %(name)s") % {"name": obj.name}, "object": obj, "year": year, "years": years,
        "results": results,
    })


@login_required
def self_list(request):
    """The enterprises a user may self-evaluate: an enterprise user's own (straight to it when one)."""
    qs = Enterprise.objects.for_user(request.user).select_related("unit").order_by("name")
    if not request.GET and qs[:2].count() == 1:
        return redirect("evaluation:self-enterprise", pk=qs.get().pk)
    q = request.GET.get("q", "").strip()
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(uscc__icontains=q) | Q(name_initials__icontains=q.lower()))
    page = Paginator(qs, SELF_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "evaluation/self_list.html", {"page_title": _("Self-evaluation"), "page_obj": page, "q": q,
                                                         "query": query.urlencode(), "is_staff": is_staff(request.user)})


def _figures_instance(obj, year: int):
    row = obj.years.filter(year=year).first()
    return row or EnterpriseYear(enterprise=obj, year=year)


@login_required
def self_evaluation(request, pk: int):
    """Enter or confirm the year's figures and inputs, see the result and the gap, print it."""
    obj = get_object_or_404(Enterprise.objects.for_user(request.user), pk=pk)
    years = _years_of(obj)
    year = year_param(request, years[0] if years else timezone.localdate().year - 1)
    if not FIRST_YEAR <= year <= last_year():
        return _bad_year(request, obj, year)
    instance = _figures_instance(obj, year)
    posted = request.method == "POST"
    figures = FiguresForm(request.POST if posted else None, instance=instance, prefix="f")
    extras = ExtrasForm(request.POST if posted else None, prefix="x")
    can_save = Enterprise.objects.writable_by(request.user).filter(pk=obj.pk).exists()
    results = []
    if posted and figures.is_valid() and extras.is_valid():
        if request.POST.get("save") and can_save:
            try:
                save_validated(figures.save(commit=False))
                messages.success(request, _("The figures of %(year)s are saved.") % {"year": year})
            except ValidationError as exc:
                messages.error(request, "; ".join(exc.messages))
        results = evaluate_all(obj, year, inp=_input(obj, year, figures.instance, extras.extras()))
    elif not posted and instance.pk:
        results = evaluate_all(obj, year)
    return render(request, "evaluation/self.html", {
        "page_title": _("Self-evaluation of %(name)s") % {"name": obj.name}, "object": obj, "year": year,
        "figures": figures, "extras": extras, "results": results, "can_save": can_save, "years": years,
    })


def _bad_year(request, obj, year: int) -> HttpResponse:
    """A year no figures can exist for (the library accepts 1949 to this year) is the user's mistake: 400, in words."""
    return render(request, "evaluation/bad_year.html", {
        "page_title": _("Self-evaluation of %(name)s") % {"name": obj.name}, "object": obj, "year": year,
        "last_year": last_year(),
    }, status=400)


def _input(obj, year: int, row, extras: dict):
    """The stored input with this year's figures replaced by the ones entered."""
    base = input_for(obj, year, years=4, extras=extras) if obj.years.filter(year=year).exists() else None
    entered = YearFigures(**{f: getattr(row, f) for f in YEAR_FIELDS})
    if base is None:
        return EvaluationInput(year=year, years={year: entered}, uscc=obj.uscc, name=obj.name, established=obj.established,
                               industry_code=obj.industry_code, hitech_field=obj.hitech_field,
                               emerging_industry=obj.emerging_industry, extras=extras)
    return base.replace(years={**base.years, year: entered})
