"""Official code formats: the unified social credit code (GB 32100-2015) and its embedded
organisation code (GB 11714-1997). Codes are text end to end, never numbers."""

import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

USCC_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # no I, O, S, V, Z
USCC_WEIGHTS = [pow(3, i, 31) for i in range(17)]  # 1, 3, 9, 27, 19, 26, … 28
ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2]
_VALUE = {c: i for i, c in enumerate(USCC_CHARSET)}


def uscc_check_char(first17: str) -> str:
    """Position-18 check character: 31 − (Σ Cᵢ·Wᵢ mod 31), with 31 written as 0."""
    total = sum(_VALUE[c] * w for c, w in zip(first17, USCC_WEIGHTS, strict=True))
    return USCC_CHARSET[(31 - total % 31) % 31]


def org_check_char(first8: str) -> str:
    """GB 11714 check of the organisation code: letters count by alphabet position (A=10 … Z=35)."""
    total = sum(int(c, 36) * w for c, w in zip(first8, ORG_WEIGHTS, strict=True))
    value = 11 - total % 11
    return {10: "X", 11: "0"}.get(value, str(value))


@dataclass(frozen=True)
class UsccProblem:
    message: str
    expected: str = ""


def uscc_problem(code: str) -> UsccProblem | None:
    """What is wrong with a credit code, or None when it is valid. Lower case is refused, not fixed,
    because a code typed in lower case usually has other transcription errors too."""
    if len(code) != 18:
        return UsccProblem(_("must be 18 characters, got %(n)d") % {"n": len(code)})
    bad = sorted({c for c in code if c not in USCC_CHARSET})
    if bad:
        if any(c.islower() for c in bad):
            return UsccProblem(_("letters must be upper case"), code.upper())
        return UsccProblem(_("contains characters not allowed in a credit code: %(chars)s (I, O, S, V, Z are never used)") % {"chars": "".join(bad)})
    if not code[2:8].isdigit():
        return UsccProblem(_("positions 3–8 must be the 6-digit administrative division code"))
    expected = uscc_check_char(code[:17])
    if code[17] != expected:
        return UsccProblem(_("wrong check character, it should be %(char)s") % {"char": expected}, code[:17] + expected)
    return None


def uscc_org_code_warning(code: str) -> str | None:
    """A warning (not an error) when the embedded organisation code fails its own check; legacy
    registrations carry such codes, so they are flagged for review rather than refused."""
    body = code[8:17]
    if re.fullmatch(r"[0-9A-Z]{8}[0-9X]", body) and org_check_char(body[:8]) != body[8]:
        return _("the embedded organisation code fails its check (expected %(char)s)") % {"char": org_check_char(body[:8])}
    return None


def validate_uscc(code: str) -> None:
    problem = uscc_problem(code)
    if problem:
        raise ValidationError(_("Invalid unified social credit code %(code)s: %(problem)s") % {"code": code, "problem": problem.message}, code="uscc")


TECH_SME_NUMBER = re.compile(r"^\d{4}\d{6}[A-Z]\d{7}$")


def tech_sme_number_warning(number: str) -> str | None:
    """The registration-number format is not officially published (UNCONFIRMED); numbers that do not
    fit the observed pattern (year + division code + letter + 7 digits) are flagged, not refused."""
    if number and not TECH_SME_NUMBER.match(number):
        return _("does not match the usual pattern of year + division code + letter + 7 digits (format unconfirmed, please check)")
    return None


def mask_phone(phone: str) -> str:
    """Hide the middle of a phone number: 13812345678 → 138****5678."""
    digits = phone.strip()
    if len(digits) < 7:
        return "*" * len(digits)
    return digits[:3] + "*" * (len(digits) - 7) + digits[-4:]


# A mainland mobile number (optionally after +86), a landline with its area code (optionally with an
# extension), or a 400/800 service number. Spaces and hyphens between the parts are allowed.
PHONE_PATTERNS = (
    re.compile(r"^(\+?86[- ]?)?1[3-9]\d{9}$"),
    re.compile(r"^\(?0\d{2,3}\)?[- ]?[1-9]\d{6,7}([- ]?(转|ext\.?|#)?\d{1,6})?$"),
    re.compile(r"^[48]00[- ]?\d{3}[- ]?\d{4}$"),
)


def phone_error(phone: str) -> str | None:
    """Why `phone` is not a phone number one can call, or None."""
    value = phone.strip().replace(" ", "") if phone else ""
    if not value or any(p.match(value) for p in PHONE_PATTERNS):
        return None
    return _("Enter a mobile number (11 digits starting with 13–19) or a landline with its area code, e.g. 022-84371234.")


def validate_phone(phone: str) -> None:
    if error := phone_error(phone):
        raise ValidationError(error, code="phone")
