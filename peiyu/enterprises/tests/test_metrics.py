from datetime import date
from decimal import Decimal

import pytest

from peiyu.core import metrics
from peiyu.core.periods import Period
from peiyu.core.testing import make_enterprise, make_year
from peiyu.enterprises.models import Qualification

Y2024 = Period.parse("2024")


@pytest.fixture
def firms(units):
    a1 = make_enterprise(units["town_a"], "甲一", established=date(2015, 1, 1), emerging_industry="1")
    a2 = make_enterprise(units["town_a"], "甲二", park=units["park_a"], established=date(2024, 6, 1))
    b1 = make_enterprise(units["town_b"], "乙一")
    gone = make_enterprise(units["town_b"], "乙二")
    make_year(a1, 2024, revenue=Decimal("600"), hitech_revenue=Decimal("300"), rd_expense=Decimal("30"))
    make_year(a2, 2024, revenue=Decimal("400"), rd_expense=Decimal("50"))
    make_year(b1, 2024, revenue=Decimal("20000"), rd_expense=Decimal("100"))
    make_year(gone, 2024, revenue=Decimal("99999"))
    gone.delete()  # deleted softly: never counted
    Qualification.objects.create(
        enterprise=a1, kind="tech_sme", granted_on=date(2024, 3, 1), valid_until=date(2024, 12, 31)
    )
    Qualification.objects.create(
        enterprise=b1, kind="tech_sme", granted_on=date(2023, 3, 1), valid_until=date(2023, 12, 31)
    )
    return {"a1": a1, "a2": a2, "b1": b1}


def values(code, units, period=Y2024, **params):
    return metrics.get(code).values(units, period, **params)


def test_counts_fold_subtrees_and_parks(units, firms):
    asked = [units["district"], units["town_a"], units["town_b"], units["park_a"]]
    got = values("enterprises.count", asked)
    assert [got[u.pk] for u in asked] == [3, 2, 1, 1]  # the park's firm counts once for its town


def test_an_enterprise_not_yet_established_is_not_counted(units, firms):
    assert values("enterprises.count", [units["town_a"]], Period.parse("2023"))[units["town_a"].pk] == 1


def test_qualification_must_be_in_force_at_the_period_end(units, firms):
    d = units["district"]
    assert values("enterprises.count", [d], qualification="tech_sme")[d.pk] == 1  # b1's expired in 2023
    assert (
        values("enterprises.count", [d], Period.parse("2023"), qualification="tech_sme")[d.pk] == 1
    )  # b1 then
    assert values("enterprises.count", [d], Period.parse("2025-Q1"), qualification="tech_sme")[d.pk] == 0


def test_bands_stages_and_filters(units, firms):
    d = units["district"]
    assert values("enterprises.count", [d], band="2")[d.pk] == 1  # 600万 is 500万–1亿
    assert values("enterprises.count", [d], stage="3")[d.pk] == 1  # 2亿 is 壮大期
    assert values("enterprises.count", [d], emerging="yes")[d.pk] == 1
    assert values("enterprises.count", [d], in_park="yes")[d.pk] == 1


def test_new_enterprises_and_first_grants_within_the_period(units, firms):
    d = units["district"]
    assert values("enterprises.new", [d])[d.pk] == 1  # a2, established June 2024
    assert values("enterprises.new", [d], qualification="tech_sme")[d.pk] == 1  # a1's first grant
    Qualification.objects.create(enterprise=firms["b1"], kind="tech_sme", granted_on=date(2024, 5, 1))
    assert values("enterprises.new", [d], qualification="tech_sme")[d.pk] == 1  # b1 was granted before


def test_sums_and_ratios_of_year_figures(units, firms):
    d, a = units["district"], units["town_a"]
    assert values("enterprises.revenue", [d, a]) == {d.pk: Decimal("21000"), a.pk: Decimal("1000")}
    assert values("enterprises.rd_intensity", [a])[a.pk] == Decimal(8)  # 80 ÷ 1000
    assert values("enterprises.hitech_share", [a])[a.pk] == Decimal(30)
    assert values("enterprises.share_in_parks", [a])[a.pk] == Decimal(50)
    assert round(values("enterprises.share_emerging", [d])[d.pk], 4) == Decimal("33.3333")


def test_an_empty_unit_has_no_ratio_rather_than_zero(units, firms):
    park = units["park_a"]
    assert values("enterprises.rd_intensity", [park], Period.parse("2020"))[park.pk] is None
    assert values("enterprises.revenue", [park], Period.parse("2020"))[park.pk] == 0


def test_a_typo_in_a_parameter_is_refused(units, firms):
    with pytest.raises(ValueError):
        values("enterprises.count", [units["district"]], qualifcation="tech_sme")
