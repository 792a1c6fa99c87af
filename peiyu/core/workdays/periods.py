"""Reporting periods the bureau counts in: month, quarter, half-year and year, with their first and
last days and the label the bureau writes ("2026年第3季度")."""

import datetime as dt
from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


class PeriodKind(models.TextChoices):
    MONTH = "month", gettext_lazy("Month")
    QUARTER = "quarter", gettext_lazy("Quarter")
    HALF_YEAR = "half", gettext_lazy("Half-year")
    YEAR = "year", gettext_lazy("Year")


MONTHS_PER = {PeriodKind.MONTH: 1, PeriodKind.QUARTER: 3, PeriodKind.HALF_YEAR: 6, PeriodKind.YEAR: 12}


@dataclass(frozen=True, order=True)
class Period:
    """One period: `index` counts from 1 within the year (month 1–12, quarter 1–4, half 1–2, year 1)."""

    year: int
    kind: PeriodKind
    index: int = 1

    def __post_init__(self):
        object.__setattr__(self, "kind", PeriodKind(self.kind))
        if not 1 <= self.index <= 12 // MONTHS_PER[self.kind]:
            raise ValueError(f"{self.kind} index {self.index} out of range")

    @classmethod
    def containing(cls, day: dt.date, kind: PeriodKind) -> "Period":
        return cls(day.year, kind, (day.month - 1) // MONTHS_PER[PeriodKind(kind)] + 1)

    @property
    def first_month(self) -> int:
        return (self.index - 1) * MONTHS_PER[self.kind] + 1

    @property
    def start(self) -> dt.date:
        return dt.date(self.year, self.first_month, 1)

    @property
    def end(self) -> dt.date:
        return self.next().start - dt.timedelta(days=1)

    def next(self) -> "Period":
        last = 12 // MONTHS_PER[self.kind]
        return Period(self.year + 1, self.kind, 1) if self.index == last else Period(self.year, self.kind, self.index + 1)

    def previous(self) -> "Period":
        last = 12 // MONTHS_PER[self.kind]
        return Period(self.year - 1, self.kind, last) if self.index == 1 else Period(self.year, self.kind, self.index - 1)

    def __contains__(self, day: dt.date) -> bool:
        return self.start <= day <= self.end

    @property
    def label(self) -> str:
        """"2026年3月", "2026年第3季度", "2026年上半年", "2026年" (English: "March 2026", "Q3 2026" …)."""
        values = {"year": self.year, "n": self.index}
        if self.kind == PeriodKind.MONTH:
            return _("%(year)d-%(n)02d (month)") % values
        if self.kind == PeriodKind.QUARTER:
            return _("Q%(n)d %(year)d") % values
        if self.kind == PeriodKind.HALF_YEAR:
            return (_("H1 %(year)d") if self.index == 1 else _("H2 %(year)d")) % values
        return _("Year %(year)d") % values

    def __str__(self):
        return self.label
