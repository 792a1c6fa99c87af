import pytest
from django.utils import translation

from peiyu.core.codes import (
    mask_phone,
    org_check_char,
    tech_sme_number_warning,
    uscc_check_char,
    uscc_org_code_warning,
    uscc_problem,
)


@pytest.fixture(autouse=True)
def english():
    """Messages are checked in English here; the Chinese wording is the catalogue's business."""
    with translation.override("en"):
        yield


@pytest.mark.parametrize(
    "code",
    [
        "91350100M000100Y43",  # the standard's own example, corrected (rules §W C1)
        "91512081MA62K0260E",  # C2
        "11320000MB151840XJ",  # C3
        "9131000063159284XQ",  # wrongly reported invalid elsewhere; it passes
    ],
)
def test_valid_codes(code):
    assert uscc_problem(code) is None


def test_check_char_arithmetic_from_worked_example():
    # Σ = 1640, 1640 mod 31 = 28, 31 − 28 = 3
    assert uscc_check_char("91350100M000100Y4") == "3"


def test_printed_example_with_z_is_invalid_and_names_the_right_char():
    problem = uscc_problem("91350100M000100Y4Z")
    assert problem is not None
    assert "Z" in problem.message or problem.expected  # Z is never a valid character
    assert uscc_problem("91350100M000100Y44").expected == "91350100M000100Y43"


def test_check_value_31_becomes_zero():
    # Find a body whose sum is ≡ 0 (mod 31): its check char must be "0", never out of range.
    for n in range(10000):
        body = f"91120110MA{n:07d}"
        if uscc_check_char(body) == "0":
            assert uscc_problem(body + "0") is None
            return
    pytest.fail("no body with check value 0 found")


@pytest.mark.parametrize(
    ("code", "fragment"),
    [
        ("91512081ma62k0260e", "upper case"),
        ("91512081MA62K0260", "18 characters"),
        ("91512081MA62K0260EE", "18 characters"),
        ("", "18 characters"),
        ("91512081MI62K0260E", "I, O, S, V, Z"),
        ("91512081MO62K0260E", "I, O, S, V, Z"),
        ("91512081MS62K0260E", "I, O, S, V, Z"),
        ("91512081MV62K0260E", "I, O, S, V, Z"),
        ("91512081MZ62K0260E", "I, O, S, V, Z"),
        ("915A2081MA62K0260E", "positions 3–8"),
        ("91512081MA62K0260F", "should be E"),
    ],
)
def test_invalid_codes_say_why(code, fragment):
    problem = uscc_problem(code)
    assert problem is not None and fragment in problem.message


def test_lower_case_suggests_the_upper_case_form():
    assert uscc_problem("91512081ma62k0260e").expected == "91512081MA62K0260E"


@pytest.mark.parametrize(("body", "check"), [("MA62K026", "0"), ("MB151840", "X"), ("63159284", "X"), ("M000100Y", "4")])
def test_organisation_code_check(body, check):
    assert org_check_char(body) == check


def test_organisation_code_failure_is_a_warning_only():
    good = "91512081MA62K0260E"
    assert uscc_org_code_warning(good) is None
    body = "91120110MA1234567"  # org-code check of MA123456 is not 7
    code = body + uscc_check_char(body)
    assert uscc_problem(code) is None
    assert "organisation code" in uscc_org_code_warning(code)


def test_tech_sme_number_pattern_is_only_flagged():
    assert tech_sme_number_warning("2024341181A8020396") is None
    assert tech_sme_number_warning("2024-0001") is not None
    assert tech_sme_number_warning("") is None


@pytest.mark.parametrize(("phone", "masked"), [("13812345678", "138****5678"), ("022-84371234", "022*****1234"), ("12345", "*****")])
def test_mask_phone(phone, masked):
    assert mask_phone(phone) == masked
