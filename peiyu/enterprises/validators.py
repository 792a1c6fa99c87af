"""Checks of enterprise data shared by the form and the API (through the model's validators and
`clean`) and by spreadsheet imports (through `enterprise_errors`), so all three refuse the same
values with the same words."""

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from peiyu.core.codes import phone_error
from peiyu.enterprises.industries import industry_code_error


def validate_industry_code(code: str) -> None:
    if code and (error := industry_code_error(code)):
        raise ValidationError(error, code="industry_code")


def validate_not_future(day: datetime.date) -> None:
    if day and day > timezone.localdate():
        raise ValidationError(_("The date %(day)s is in the future.") % {"day": day.isoformat()}, code="future")


def enterprise_errors(values: dict) -> dict[str, str]:
    """Problems of an enterprise's own columns (industry code, phone, date established), by field
    name, for importers that build enterprises without the model's `full_clean`."""
    checks = {
        "industry_code": lambda v: industry_code_error(v) if v else None,
        "contact_phone": phone_error,
        "established": lambda v: _future_error(v),
    }
    errors = {}
    for name, check in checks.items():
        value = values.get(name)
        if value not in (None, "") and (error := check(value)):
            errors[name] = error
    return errors


def _future_error(day) -> str | None:
    try:
        validate_not_future(day)
    except ValidationError as exc:
        return exc.messages[0]
    return None
