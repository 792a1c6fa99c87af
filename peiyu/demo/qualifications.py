"""Qualifications of the demo enterprises: the 2009 tech-SME registrations and the hi-tech and
小巨人 titles of 2008–2010, then current ones (2023–2026) for the enterprises still operating."""

import datetime
import random
from decimal import Decimal

from peiyu.enterprises.choices import QualificationKind as Kind
from peiyu.enterprises.choices import QualificationLevel as Level
from peiyu.enterprises.models import Qualification, default_valid_until

D = datetime.date
HITECH_BATCHES = {
    "past": (D(2008, 12, 5), D(2009, 6, 18), D(2009, 11, 20), D(2010, 8, 24), D(2010, 12, 10)),
    "recent": (
        D(2023, 11, 15),
        D(2023, 12, 12),
        D(2024, 11, 5),
        D(2024, 12, 10),
        D(2025, 6, 20),
        D(2025, 10, 28),
    ),
}
TECH_SME_BATCHES = {
    2009: (D(2009, 4, 15), D(2009, 7, 15), D(2009, 10, 20), D(2009, 12, 10)),
    2025: (D(2025, 3, 28), D(2025, 5, 30), D(2025, 7, 25), D(2025, 9, 26)),
    2026: (D(2026, 3, 27), D(2026, 4, 30), D(2026, 6, 26)),
}
# Tech-SME evaluation excludes firms above 500 staff or 2亿元 revenue (国科发政〔2017〕115号).
SME_REVENUE, SME_STAFF = Decimal(20000), 500


class Issuer:
    """Builds unsaved qualifications with unique numbers; validity comes from the model's rule
    where it has one, else it is given."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.used: set[str] = set()
        self.items: list[Qualification] = []

    def number(self, pattern: str, low: int, high: int) -> str:
        while (number := pattern % self.rng.randrange(low, high)) in self.used:
            pass
        self.used.add(number)
        return number

    def grant(self, enterprise, kind, level, granted, number="", valid_until=None, note=""):
        valid_until = valid_until or default_valid_until(kind, granted)
        self.items.append(
            Qualification(
                enterprise=enterprise,
                kind=kind,
                level=level,
                number=number,
                granted_on=granted,
                valid_until=valid_until,
                note=note,
            )
        )


def three_years(granted: datetime.date) -> datetime.date:
    return default_valid_until(Kind.HITECH, granted)


def first_batch_after(batches, day: datetime.date):
    return next((b for b in batches if b >= day), None)


def tech_sme(issuer: Issuer, enterprise, year: int) -> None:
    after = max(enterprise.established + datetime.timedelta(days=30), D(year, 1, 1))
    granted = first_batch_after(TECH_SME_BATCHES[year], after)
    if granted:
        number = issuer.number(f"{year}120110A%07d", 1, 10**7)
        issuer.grant(
            enterprise, Kind.TECH_SME, Level.CITY if year < 2017 else Level.PROVINCIAL, granted, number
        )


def hitech(issuer: Issuer, enterprise, era: str) -> None:
    """A certificate from one of the era's batches, at least a year after the founding."""
    batches = [b for b in HITECH_BATCHES[era] if b > enterprise.established + datetime.timedelta(days=366)]
    if batches:
        granted = issuer.rng.choice(batches)
        number = issuer.number(f"GR{granted.year}12%06d", 1, 4000)
        issuer.grant(enterprise, Kind.HITECH, Level.NATIONAL, granted, number)


def past(issuer: Issuer, rows: list[tuple], hitech_count: int = 70, giants: int = 30) -> None:
    """2009 registrations for all; hi-tech certificates for the most research-intensive; 小巨人
    (2010) for part of the enterprises with revenue over 1亿元. `rows` are (enterprise, 2009 figures)."""
    for enterprise, _ in rows:
        tech_sme(issuer, enterprise, 2009)
    for enterprise, _ in _best(issuer.rng, rows, _research_score)[:hitech_count]:
        hitech(issuer, enterprise, "past")
    large = [(e, row) for e, row in rows if row["revenue"] >= 10000]
    for enterprise, _ in _best(issuer.rng, large, lambda row: float(row["revenue"]) / 1e5)[:giants]:
        little_giant(issuer, enterprise, D(2010, issuer.rng.choice((6, 9)), issuer.rng.randint(1, 28)))


def recent(issuer: Issuer, rows: list[tuple]) -> None:
    """Current titles from the 2024 and 2025 figures; `rows` are (enterprise, {year: figures})."""
    rng = issuer.rng
    for enterprise, years in rows:
        latest = years[2025]
        if latest["revenue"] < SME_REVENUE and latest["employees"] <= SME_STAFF:
            for year, share in ((2025, 0.85), (2026, 0.75)):
                if rng.random() < share:
                    tech_sme(issuer, enterprise, year)
    by_2024 = [(e, years[2024]) for e, years in rows]
    for enterprise, _ in _best(rng, by_2024, _research_score)[:130]:
        hitech(issuer, enterprise, "recent")
    large = [(e, row) for e, row in by_2024 if row["revenue"] >= 10000]
    for enterprise, _ in _best(rng, large, _research_score)[:25]:
        little_giant(issuer, enterprise, D(rng.choice((2024, 2025)), 6, rng.randint(1, 28)))
    _growth_titles(issuer, rows)


def _growth_titles(issuer: Issuer, rows: list[tuple]) -> None:
    """A few gazelles (fast growers), 专精特新 and 创新型 SMEs, and two national 小巨人."""
    rng = issuer.rng
    growth = [
        (e, {"growth": float(y[2025]["revenue"] / y[2024]["revenue"]), **y[2025]})
        for e, y in rows
        if y[2024]["revenue"] >= 1000
    ]
    for enterprise, _ in _best(rng, growth, lambda row: row["growth"])[:10]:
        granted = D(2025, 7, rng.randint(1, 28))
        issuer.grant(
            enterprise, Kind.GAZELLE, Level.CITY, granted, valid_until=D(2026, 12, 31), note="天津市瞪羚企业"
        )
    ranked = _best(rng, [(e, y[2025]) for e, y in rows], _research_score)
    for enterprise, _ in ranked[:2]:
        issuer.grant(
            enterprise,
            Kind.SPECIALIZED_GIANT,
            Level.NATIONAL,
            D(2024, 7, 12),
            note="国家级专精特新“小巨人”企业",
        )
    for enterprise, _ in ranked[2:17]:
        granted = D(rng.choice((2023, 2024, 2025)), 9, rng.randint(1, 28))
        issuer.grant(
            enterprise, Kind.SPECIALIZED_SME, Level.PROVINCIAL, granted, valid_until=three_years(granted)
        )
    for enterprise, _ in ranked[17:42]:
        granted = D(rng.choice((2023, 2024, 2025)), 5, rng.randint(1, 28))
        issuer.grant(
            enterprise, Kind.INNOVATIVE_SME, Level.PROVINCIAL, granted, valid_until=three_years(granted)
        )


def _research_score(row: dict) -> float:
    revenue = float(row["revenue"]) or 1
    tech = row["tech_staff"] / max(row["employees"], 1)
    return float(row["rd_expense"]) / revenue * 10 + float(row["hitech_revenue"]) / revenue + tech


def _best(rng: random.Random, rows: list[tuple], score) -> list[tuple]:
    """Rows ordered by score with some luck mixed in, best first (stable for equal keys)."""
    keyed = [(score(row) * rng.uniform(0.7, 1.3), i) for i, (_, row) in enumerate(rows)]
    return [rows[i] for _, i in sorted(keyed, key=lambda k: (-k[0], k[1]))]


def little_giant(issuer: Issuer, enterprise, granted) -> None:
    """A Tianjin 科技小巨人 title, city level, valid three years."""
    issuer.grant(enterprise, Kind.LITTLE_GIANT, Level.CITY, granted, valid_until=three_years(granted), note="天津市科技小巨人企业")
