"""Landing pages for the roles whose work is not the bureau's dashboard: party-building staff (a
read-only summary of the technology enterprises in their units, the ground their party work covers)
and enterprise users (their own enterprise)."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import Count, Sum
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from peiyu.core.models import Unit
from peiyu.enterprises.choices import QualificationKind
from peiyu.enterprises.models import Enterprise, EnterpriseYear, Qualification


class PartyHomeView(LoginRequiredMixin, TemplateView):
    """Party-building staff: per unit, how many technology enterprises there are and how many people
    they employ (latest year with figures), read-only, each unit linked to its enterprise list."""

    template_name = "enterprises/home_party.html"
    extra_context = {"page_title": _("Party-building workbench")}

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        years = EnterpriseYear.objects.alive().for_user(user)
        year = years.order_by("-year").values_list("year", flat=True).first()
        rows = unit_summary(user, year)
        ctx.update(year=year, rows=rows, totals=_totals(rows))
        return ctx


def unit_summary(user, year) -> list[dict]:
    """One row per unit owning enterprises in the user's scope, largest workforce first."""
    enterprises = Enterprise.objects.for_user(user).values("unit").annotate(n=Count("pk")).order_by()
    counts = {row["unit"]: row["n"] for row in enterprises}
    figures = {
        row["enterprise__unit"]: row
        for row in EnterpriseYear.objects.alive().for_user(user).filter(year=year)
        .values("enterprise__unit")
        .annotate(reporting=Count("pk"), employees=Sum("employees"), college=Sum("college_staff"))
        .order_by()
    }
    hitech = {
        row["enterprise__unit"]: row["n"]
        for row in Qualification.objects.current().for_user(user).filter(kind=QualificationKind.HITECH)
        .filter(enterprise__deleted_at__isnull=True)
        .values("enterprise__unit").annotate(n=Count("enterprise", distinct=True)).order_by()
    }
    names = dict(Unit.objects.filter(pk__in=counts).values_list("pk", "name"))
    rows = []
    for unit_id, n in counts.items():
        row = figures.get(unit_id, {})
        rows.append({
            "unit_id": unit_id, "name": names.get(unit_id, ""), "enterprises": n, "hitech": hitech.get(unit_id, 0),
            "reporting": row.get("reporting", 0), "employees": row.get("employees"), "college": row.get("college"),
        })
    return sorted(rows, key=lambda r: (-(r["employees"] or 0), r["name"]))


def _totals(rows) -> dict:
    def total(key):
        values = [r[key] for r in rows if r[key] is not None]
        return sum(values) if values else None

    return {key: total(key) for key in ("enterprises", "hitech", "reporting", "employees", "college")}


class EnterpriseHomeView(LoginRequiredMixin, TemplateView):
    """An enterprise user lands on their enterprise; an account not yet linked to one is told so."""

    template_name = "enterprises/home_enterprise.html"
    extra_context = {"page_title": _("My enterprise")}

    def get(self, request, *args, **kwargs):
        own = Enterprise.objects.for_user(request.user).order_by("pk").first()
        if own:
            return redirect(own)
        return super().get(request, *args, **kwargs)
