"""The leaders' cockpit (领导驾驶舱) for one period: headline figures of the user's unit, its units
ranked, five-year trends, and the archived bulletins — all read from the metric registry."""

from decimal import Decimal

from peiyu.bulletins import engine, numbers
from peiyu.core import metrics
from peiyu.core.periods import Period

HEADLINES = (
    ("enterprises.count", {}, "科技型中小企业", "count", "家"),
    ("enterprises.new", {"qualification": "tech_sme"}, "本期新入库", "count", "家"),
    ("enterprises.count", {"qualification": "hitech"}, "高新技术企业", "count", "家"),
    ("enterprises.revenue", {}, "销售收入", "yi", ""),
    ("enterprises.rd_expense", {}, "研发费用", "yi", ""),
    ("enterprises.rd_intensity", {}, "研发投入强度", "pct", ""),
)


def value(code, unit, period, **params):
    return metrics.get(code).value(unit, period, **params)


def headlines(unit, period: Period) -> list[dict]:
    last = period.same_period_last_year()
    out = []
    for code, params, label, fmt, measure in HEADLINES:
        now, before = value(code, unit, period, **params), value(code, unit, last, **params)
        change = (
            numbers.change_percent(now, before)
            if fmt != "pct"
            else (None if now is None or before is None else now - before)
        )
        out.append(
            {
                "label": label,
                "text": numbers.render(now, fmt, 2 if fmt == "pct" else None, measure),
                "change": numbers.growth(change) if fmt != "pct" else numbers.points(change, 2),
                "down": change is not None and change < 0,
            }
        )
    return out


def ranking(unit, period: Period) -> list[dict]:
    children = engine.children_of(unit)
    counts = metrics.get("enterprises.count").values(children, period)
    revenue = metrics.get("enterprises.revenue").values(children, period)
    rd = metrics.get("enterprises.rd_expense").values(children, period)
    rows = [
        {
            "name": u.name,
            "count": counts.get(u.pk) or Decimal(0),
            "revenue": revenue.get(u.pk),
            "rd": rd.get(u.pk),
        }
        for u in children
    ]
    rows.sort(key=lambda r: -r["count"])
    scores = {i: r["count"] for i, r in enumerate(rows)}
    for i, row in enumerate(rows):
        row["rank"] = int(engine.rank_among(scores, i))
        row["revenue_text"] = numbers.column_text(row["revenue"], "yi")
        row["rd_text"] = numbers.column_text(row["rd"], "yi")
        row["intensity"] = numbers.pct(metrics.ratio(row["rd"], row["revenue"]), 2)
    return rows


def trend(unit, period: Period, years: int = 6) -> dict:
    end = period.end.year
    out = {"years": [], "count": [], "revenue": []}
    for year in range(end - years + 1, end + 1):
        p = Period.year(year)
        out["years"].append(str(year))
        revenue = value("enterprises.revenue", unit, p, year=year)
        # a year without figures stays a gap (null), not a fall to zero
        out["count"].append(
            numbers.cell(value("enterprises.count", unit, p, year=year), "count") if revenue else None
        )
        out["revenue"].append(numbers.cell(revenue, "yi") if revenue else None)
    return out


def latest_year(unit) -> int:
    """The latest year with enterprise figures (the cockpit opens on it)."""
    from django.db.models import Max

    from peiyu.enterprises.models import EnterpriseYear

    return EnterpriseYear.objects.aggregate(last=Max("year"))["last"] or Period.parse("2025").end.year
