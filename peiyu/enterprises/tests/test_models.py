import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from peiyu.core.testing import make_enterprise, make_year
from peiyu.enterprises.choices import industry_section
from peiyu.enterprises.models import Enterprise, EnterpriseYear, Qualification

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("revenue", "band", "stage"),
    [
        ("0", 1, 1),
        ("499.9999", 1, 1),
        ("500", 2, 2),  # exactly 500万 is 500万–1亿 and 成长期
        ("500.0001", 2, 2),
        ("9999.9999", 2, 2),
        ("10000", 3, 3),  # exactly 1亿 is 1–3亿 and 壮大期
        ("29999.9999", 3, 3),
        ("30000", 4, 3),
        ("99999.9999", 4, 3),
        ("100000", 5, 3),
        ("2500000", 5, 3),
        (None, None, None),
    ],
)
def test_band_and_stage_are_derived_at_the_boundaries(units, revenue, band, stage):
    e = make_enterprise(units["town_a"])
    y = make_year(e, revenue=Decimal(revenue) if revenue is not None else None, total_costs=None, rd_expense=None)
    y.refresh_from_db()
    assert (y.revenue_band, y.stage) == (band, stage)


def test_band_follows_a_changed_revenue(units):
    y = make_year(make_enterprise(units["town_a"]), revenue=Decimal("499"))
    EnterpriseYear.objects.filter(pk=y.pk).update(revenue=Decimal("10000"))
    y.refresh_from_db()
    assert y.revenue_band == 3


@pytest.mark.parametrize(
    ("code", "section"),
    [("3841", "C"), ("C3841", "C"), ("0111", "A"), ("0511", "A"), ("0610", "B"), ("1310", "C"), ("4390", "C"), ("4411", "D"),
     ("6511", "I"), ("7320", "M"), ("97", "T"), ("98", ""), ("", ""), ("x", "")],
)
def test_industry_section(code, section):
    assert industry_section(code) == section


def test_section_and_initials_are_kept_on_save(units):
    e = make_enterprise(units["town_a"], "华东科技有限公司", industry_code="6513")
    assert (e.industry_section, e.name_initials) == ("I", "hdkjyxgs")
    assert list(Enterprise.objects.search("hdkj")) == [e]
    assert list(Enterprise.objects.search("HDKJ")) == [e]
    assert list(Enterprise.objects.search(e.uscc[:10])) == [e]
    assert list(Enterprise.objects.search("东科")) == [e]
    assert list(Enterprise.objects.search("xyz")) == []


@pytest.mark.parametrize(
    ("fields", "bad_field"),
    [
        ({"employees": 10, "tech_staff": 11}, "tech_staff"),
        ({"employees": 10, "college_staff": 11}, "college_staff"),
        ({"revenue": Decimal("100"), "hitech_revenue": Decimal("100.0001")}, "hitech_revenue"),
        ({"rd_expense": Decimal("50"), "total_costs": Decimal("40")}, "rd_expense"),
        ({"rd_expense": Decimal("50"), "rd_expense_domestic": Decimal("51"), "total_costs": Decimal("90")}, "rd_expense_domestic"),
        ({"revenue": Decimal("-1")}, "revenue"),
        ({"year": 1900}, "year"),
    ],
)
def test_impossible_figures_are_refused(units, fields, bad_field):
    y = EnterpriseYear(enterprise=make_enterprise(units["town_a"]), **{"year": 2024, **fields})
    with pytest.raises(ValidationError) as exc:
        y.full_clean()
    assert bad_field in exc.value.message_dict


def test_negative_profit_and_net_assets_are_allowed(units):
    y = EnterpriseYear(enterprise=make_enterprise(units["town_a"]), year=2024, profit=Decimal("-12.5"), net_assets=Decimal("-3"))
    y.full_clean()


def test_qualification_validity_defaults_and_current(units):
    e = make_enterprise(units["town_a"])
    hitech = Qualification.objects.create(enterprise=e, kind="hitech", granted_on=datetime.date(2023, 11, 6))
    sme = Qualification.objects.create(enterprise=e, kind="tech_sme", granted_on=datetime.date(2025, 4, 1))
    gazelle = Qualification.objects.create(enterprise=e, kind="gazelle", granted_on=datetime.date(2025, 1, 1))
    assert hitech.valid_until == datetime.date(2026, 11, 5)
    assert sme.valid_until == datetime.date(2025, 12, 31)
    assert gazelle.valid_until is None
    on = datetime.date(2026, 11, 5)
    assert set(Qualification.objects.current(on)) == {hitech, gazelle}
    assert hitech.is_current(on) and not hitech.is_current(datetime.date(2026, 11, 6))
    assert list(Enterprise.objects.with_qualification("hitech", on)) == [e]
    assert list(Enterprise.objects.with_qualification("tech_sme", on)) == []


def test_leap_day_certificate(units):
    q = Qualification.objects.create(enterprise=make_enterprise(units["town_a"]), kind="hitech", granted_on=datetime.date(2024, 2, 29))
    assert q.valid_until == datetime.date(2027, 2, 28)


def test_soft_delete_hides_enterprise_and_its_years(units):
    e = make_enterprise(units["town_a"])
    make_year(e)
    e.soft_delete()
    assert not Enterprise.objects.filter(pk=e.pk).exists()
    assert Enterprise.all_objects.filter(pk=e.pk).exists()
    assert not EnterpriseYear.objects.alive().filter(enterprise=e).exists()
    e.restore()
    assert Enterprise.objects.filter(pk=e.pk).exists()
