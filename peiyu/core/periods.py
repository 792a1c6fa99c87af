"""Reporting periods (报告期): a year, a quarter, a month or a span of months, each a closed range of
days with a Chinese label. Targets, snapshots, metrics and bulletins all speak of periods this way."""

import calendar
import re
from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _

_YEAR = re.compile(r"^(\d{4})$")
_QUARTER = re.compile(r"^(\d{4})-?Q([1-4])$", re.IGNORECASE)
_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_MONTHS = re.compile(r"^(\d{4})-(\d{1,2})\.\.(\d{4})-(\d{1,2})$")
_YEARS = re.compile(r"^(\d{4})\.\.(\d{4})$")


def month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


@dataclass(frozen=True, order=True)
class Period:
    start: date
    end: date  # inclusive: stock figures are read as of this day
    code: str  # "2025", "2025-Q3", "2025-07", "2025-01..2025-08", "2011..2015"

    @classmethod
    def year(cls, year: int) -> "Period":
        return cls(date(year, 1, 1), date(year, 12, 31), f"{year}")

    @classmethod
    def quarter(cls, year: int, quarter: int) -> "Period":
        first = 3 * quarter - 2
        return cls(date(year, first, 1), month_end(year, first + 2), f"{year}-Q{quarter}")

    @classmethod
    def month(cls, year: int, month: int) -> "Period":
        return cls(date(year, month, 1), month_end(year, month), f"{year}-{month:02d}")

    @classmethod
    def months(cls, year: int, first: int, end_year: int, last: int) -> "Period":
        return cls(
            date(year, first, 1), month_end(end_year, last), f"{year}-{first:02d}..{end_year}-{last:02d}"
        )

    @classmethod
    def years(cls, first: int, last: int) -> "Period":
        return cls(date(first, 1, 1), date(last, 12, 31), f"{first}..{last}")

    @classmethod
    def parse(cls, text: str) -> "Period":
        """Read "2025", "2025-Q3", "2025-07", "2025-01..2025-08" or "2011..2015"; a ValueError in
        Chinese says what was expected."""
        text = (text or "").strip()
        try:
            if m := _YEAR.match(text):
                return cls.year(int(m[1]))
            if m := _QUARTER.match(text):
                return cls.quarter(int(m[1]), int(m[2]))
            if m := _MONTH.match(text):
                return cls.month(int(m[1]), int(m[2]))
            if m := _MONTHS.match(text):
                period = cls.months(int(m[1]), int(m[2]), int(m[3]), int(m[4]))
                if period.start <= period.end:
                    return period
            if m := _YEARS.match(text):
                if int(m[1]) <= int(m[2]):
                    return cls.years(int(m[1]), int(m[2]))
        except ValueError:
            pass  # a month 13 and the like: the message below says what is expected
        raise ValueError(
            _(
                "“%(text)s” is not a period: write a year (2025), a quarter (2025-Q3), a month (2025-07), "
                "a span of months (2025-01..2025-08) or a span of years (2011..2015)."
            )
            % {"text": text}
        )

    @property
    def kind(self) -> str:
        if _YEAR.match(self.code):
            return "year"
        if _QUARTER.match(self.code):
            return "quarter"
        if _MONTH.match(self.code):
            return "month"
        return "span"

    @property
    def label(self) -> str:
        """The Chinese name used in reports: 2025年, 2025年第三季度, 2025年7月, 2025年1—8月, 2011—2015年."""
        s, e = self.start, self.end
        kind = self.kind
        if kind == "year":
            return f"{s.year}年"
        if kind == "quarter":
            return f"{s.year}年第{'一二三四'[(s.month - 1) // 3]}季度"
        if kind == "month":
            return f"{s.year}年{s.month}月"
        if s.month == 1 and e.month == 12 and e.day == 31:
            return f"{s.year}—{e.year}年"
        if s.year == e.year:
            return f"{s.year}年{s.month}—{e.month}月"
        return f"{s.year}年{s.month}月—{e.year}年{e.month}月"

    def same_period_last_year(self) -> "Period":
        """同期: the same span one year earlier (29 February becomes 28)."""

        def back(day: date) -> date:
            return day.replace(
                year=day.year - 1, day=min(day.day, calendar.monthrange(day.year - 1, day.month)[1])
            )

        code = re.sub(r"\d{4}", lambda m: str(int(m[0]) - 1), self.code)
        return Period(back(self.start), back(self.end), code)

    def __contains__(self, day: date) -> bool:
        return self.start <= day <= self.end

    def __str__(self) -> str:
        return self.label
