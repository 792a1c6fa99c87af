"""Working days over the statutory calendar (chinesecalendar) and the bureau's declared days, on
real dates: Spring Festival 2026 (15–23 February off; Saturdays 14 and 28 February worked) and
National Day 2026 (1–7 October off; Sunday 20 September and Saturday 10 October worked; the
Mid-Autumn Festival 25–27 September)."""

import datetime as dt

import pytest

from peiyu.core.models import DeclaredDay
from peiyu.core.workdays import Period, PeriodKind, add_working_days, is_working_day, working_days_between
from peiyu.core.workdays.calendar import CalendarOutOfRange

D = dt.date


@pytest.mark.django_db
class TestSpringFestival2026:
    def test_make_up_saturdays_are_working_days_and_the_holiday_is_not(self):
        assert is_working_day(D(2026, 2, 14))  # Saturday, make-up day
        assert not is_working_day(D(2026, 2, 16))  # Monday, New Year's Eve holiday
        assert is_working_day(D(2026, 2, 28))  # Saturday, make-up day
        assert not is_working_day(D(2026, 3, 1))  # an ordinary Sunday

    def test_adding_working_days_jumps_the_holiday(self):
        assert add_working_days(D(2026, 2, 13), 1) == D(2026, 2, 14)
        assert add_working_days(D(2026, 2, 14), 1) == D(2026, 2, 24)
        assert add_working_days(D(2026, 2, 13), 6) == D(2026, 2, 28)
        assert add_working_days(D(2026, 2, 13), 0) == D(2026, 2, 13)

    def test_counting_between_dates(self):
        # 14th (make-up), 24th–27th, 28th (make-up); 15th–23rd off
        assert working_days_between(D(2026, 2, 13), D(2026, 2, 28)) == 6
        assert working_days_between(D(2026, 2, 28), D(2026, 2, 13)) == -6
        assert working_days_between(D(2026, 2, 15), D(2026, 2, 23)) == 0

    def test_2025_spring_festival(self):
        # 28 Jan – 4 Feb 2025 off; Sunday 26 January and Saturday 8 February worked
        assert is_working_day(D(2025, 1, 26)) and is_working_day(D(2025, 2, 8))
        assert add_working_days(D(2025, 1, 27), 1) == D(2025, 2, 5)


@pytest.mark.django_db
class TestNationalDay2026:
    def test_adding_working_days_jumps_golden_week(self):
        assert add_working_days(D(2026, 9, 30), 1) == D(2026, 10, 8)
        assert add_working_days(D(2026, 9, 19), 1) == D(2026, 9, 20)  # Sunday make-up day

    def test_counting_across_golden_week(self):
        # 20 Sep (make-up Sunday), 21–24 Sep (25th is Mid-Autumn), 28–30 Sep, 8–9 Oct,
        # 10 Oct (make-up Saturday)
        assert not is_working_day(D(2026, 9, 25))
        assert working_days_between(D(2026, 9, 18), D(2026, 10, 10)) == 11

    def test_the_two_functions_agree(self):
        start = D(2026, 9, 25)
        for n in range(0, 30):
            assert working_days_between(start, add_working_days(start, n)) == n


@pytest.mark.django_db
def test_declared_days_override_the_statutory_calendar():
    DeclaredDay.objects.create(date=D(2026, 2, 24), is_working_day=False, reason="区里调休")
    DeclaredDay.objects.create(date=D(2026, 3, 1), is_working_day=True, reason="迎检加班")
    assert not is_working_day(D(2026, 2, 24))
    assert add_working_days(D(2026, 2, 14), 1) == D(2026, 2, 25)
    assert working_days_between(D(2026, 2, 27), D(2026, 3, 2)) == 3  # 28 Feb, 1 Mar, 2 Mar


@pytest.mark.django_db
def test_a_year_without_published_holidays_is_an_error_not_a_guess():
    with pytest.raises(CalendarOutOfRange):
        add_working_days(D(2040, 1, 1), 3)


class TestPeriods:
    def test_quarter_of_a_date_with_bounds_and_label(self):
        q = Period.containing(D(2026, 8, 15), PeriodKind.QUARTER)
        assert (q.start, q.end) == (D(2026, 7, 1), D(2026, 9, 30))
        assert q.label == "2026年第3季度"
        assert D(2026, 9, 30) in q and D(2026, 10, 1) not in q

    def test_month_half_and_year(self):
        m = Period.containing(D(2024, 2, 10), PeriodKind.MONTH)
        assert (m.start, m.end, m.label) == (D(2024, 2, 1), D(2024, 2, 29), "2024年2月")
        h = Period.containing(D(2026, 7, 1), PeriodKind.HALF_YEAR)
        assert (h.start, h.end, h.label) == (D(2026, 7, 1), D(2026, 12, 31), "2026年下半年")
        y = Period(2026, PeriodKind.YEAR)
        assert (y.start, y.end, y.label) == (D(2026, 1, 1), D(2026, 12, 31), "2026年")

    def test_next_and_previous_cross_the_year(self):
        q4 = Period(2026, PeriodKind.QUARTER, 4)
        assert q4.next() == Period(2027, PeriodKind.QUARTER, 1)
        assert Period(2027, PeriodKind.QUARTER, 1).previous() == q4
        assert Period(2026, PeriodKind.MONTH, 12).next().label == "2027年1月"

    def test_english_labels(self):
        from django.utils import translation

        with translation.override("en"):
            assert Period(2026, PeriodKind.QUARTER, 3).label == "Q3 2026"
            assert Period(2026, PeriodKind.HALF_YEAR, 1).label == "H1 2026"

    def test_bad_index_is_refused(self):
        with pytest.raises(ValueError):
            Period(2026, PeriodKind.QUARTER, 5)
