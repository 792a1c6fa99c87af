"""Pure rules: trimmed mean, amounts against caps and ratios, the publicity period in working days."""

import datetime
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError

from peiyu.projects import services
from peiyu.projects.tests.conftest import make_call


@pytest.mark.parametrize(
    ("scores", "expected"),
    [
        ([], None),
        (["80"], D("80.00")),
        # 4 scores: below the trimming threshold, the plain mean
        (["60", "70", "80", "95"], D("76.25")),
        # 5 scores: drop 95 and 60 → mean of 70, 80, 85
        (["60", "70", "80", "85", "95"], D("78.33")),
        # 7 scores: drop one highest (99) and one lowest (50) → (70+72+75+80+88)/5
        (["50", "70", "72", "75", "80", "88", "99"], D("77.00")),
        # ties at the edges: only one of each is dropped
        (["70", "70", "80", "90", "90"], D("80.00")),
        # half up at the second decimal: (80 + 80.5 + 81) / 3 = 80.5; (80 + 80 + 80.01)/3 = 80.0033 → 80.00
        (["0", "80", "80.5", "81", "100"], D("80.50")),
        (["79", "80", "80", "80.01", "81"], D("80.00")),
    ],
)
def test_trimmed_mean(scores, expected):
    assert services.trimmed_mean([D(s) for s in scores], trim_from=5) == expected


def test_trimming_threshold_is_configurable():
    scores = [D(s) for s in ("60", "70", "80", "95")]
    assert services.trimmed_mean(scores, trim_from=4) == D("75.00")  # drops 95 and 60
    assert services.trimmed_mean(scores, trim_from=0) == D("76.25")  # never trims


def test_spread():
    assert services.spread([D("60"), D("95"), D("80")]) == D("35")
    assert services.spread([]) is None


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("requested", "investment", "ok"),
    [
        ("100", "400", True),  # at the cap (100) and under 30 % of 400 (120)
        ("100.0001", "400", False),  # one yuan over the cap
        ("90", "300", True),  # exactly 30 % of 300
        ("90.0001", "300", False),  # over the ratio
        ("500", "400", False),  # more than the total investment
        ("0", "400", False),
    ],
)
def test_requested_amount_limits(units, requested, investment, ok):
    call = make_call(units["district"], funding_cap=D("100"), funding_ratio=D("30"))
    if ok:
        services.check_request(call, D(requested), D(investment))
    else:
        with pytest.raises(ValidationError) as e:
            services.check_request(call, D(requested), D(investment))
        assert "requested_amount" in e.value.message_dict


@pytest.mark.django_db
def test_limit_message_is_in_wan_with_two_decimals(units):
    call = make_call(units["district"], funding_cap=D("100"), funding_ratio=D("30"))
    with pytest.raises(ValidationError) as e:
        services.check_request(call, D("95"), D("300"))
    assert "90.00万元" in e.value.message_dict["requested_amount"][0]


@pytest.mark.django_db
def test_publicity_period_counts_working_days_over_national_day(units):
    """5 working days from Monday 29 September 2025: 29, 30 September, then the holiday (1–8 October),
    9, 10 and Saturday 11 October, a make-up working day."""
    call = make_call(units["district"], publicity_days=5, publicity_start=datetime.date(2025, 9, 29))
    assert call.publicity_end == datetime.date(2025, 10, 11)


@pytest.mark.django_db
def test_publicity_period_in_an_ordinary_week(units):
    call = make_call(
        units["district"], publicity_days=7, publicity_start=datetime.date(2025, 11, 3)
    )  # a Monday
    assert call.publicity_end == datetime.date(2025, 11, 11)  # Mon–Fri, then Mon 10 and Tue 11


@pytest.mark.django_db
def test_form_errors_name_the_field(units):
    call = make_call(units["district"])
    errors = services.form_errors(call, {"summary": "x", "team_size": "十二", "self_funding": "-1"})
    assert errors["innovation"] == "“主要创新点” is required." or "主要创新点" in errors["innovation"]
    assert "项目组人数" in errors["team_size"]
    assert "self_funding" in errors
