"""What a model field can store, as limits on parsed cells: a CharField's length, a DecimalField's
digits, an integer field's range. Derived from the fields themselves, so a migration that widens
a field widens the import with it; checked per cell so that one impossible value is an error in
its row (sheet, row, column, value, what fits) instead of infinity stored in SQLite or
PostgreSQL's NumericValueOutOfRange aborting the whole import."""

from dataclasses import dataclass

from django.db import models
from django.db.backends.base.operations import BaseDatabaseOperations
from django.utils.translation import gettext as _

from .units import YUAN_PER_WAN, wan_display

EXACT_DIGITS = 15


@dataclass(frozen=True)
class Limit:
    """Bounds of a parsed value: text length, or the lowest and highest number (amounts in whole
    yuan, as the money parser gives them)."""

    max_length: int | None = None
    low: int | None = None
    high: int | None = None
    money: bool = False

    def problem(self, value) -> str | None:
        """Why `value` cannot be stored, or None."""
        if self.max_length is not None:
            if type(value) is str and len(value) > self.max_length:
                return _("is %(length)s characters long; at most %(limit)s fit") % {"length": f"{len(value):,}", "limit": self.max_length}
            return None
        if value > self.high:
            return _("is too large; at most %(limit)s can be stored") % {"limit": self.show(self.high)}
        if value < self.low:
            return _("is too small; at least %(limit)s can be stored") % {"limit": self.show(self.low)}
        return None

    def show(self, number: int) -> str:
        return f"{wan_display(number)} 万元" if self.money else f"{number:,}"


def field_limit(field: models.Field, money: bool = False) -> Limit | None:
    """The limit of one model field; `money`: the import gives it in whole yuan and the field
    stores 万元."""
    if isinstance(field, models.DecimalField):
        # SQLite keeps a decimal as a float, which Django reads back to 15 significant digits: more
        # digits would come back rounded (and, near max_digits, not at all), so 15 is the bound
        # every backend stores exactly.
        digits = min(field.max_digits, EXACT_DIGITS)
        largest = 10**digits - 1  # in units of the last decimal place
        scale = YUAN_PER_WAN if money else 1
        high = largest * scale // 10**field.decimal_places
        return Limit(low=-high, high=high, money=money)
    if isinstance(field, models.IntegerField):
        # the ranges every backend stores (PostgreSQL's; SQLite's integers are wider), so a file
        # that checks on SQLite also imports on PostgreSQL
        low, high = BaseDatabaseOperations.integer_field_ranges[field.get_internal_type()]
        return Limit(low=low, high=high)
    if isinstance(field, models.CharField) and field.max_length:
        return Limit(max_length=field.max_length)
    return None


def check_limit(values: list, limit: Limit, key: str, table) -> None:
    """Set cells that cannot be stored to None, each with its problem in the table."""
    if limit.max_length is not None:
        longest = limit.max_length
        over = [index for index, value in enumerate(values) if value is not None and len(value) > longest]
    else:
        low, high = limit.low, limit.high
        over = [index for index, value in enumerate(values) if value is not None and not low <= value <= high]
    for index in over:
        table.add(index, key, limit.problem(values[index]))
        values[index] = None
