"""Cell values as people type them, made exact: full-width digits, thousands separators, spaces,
percentages, amounts with their unit, accounting negatives, Excel dates and serial numbers, and
dates written 2021-3-5, 2021/3/5, 2021年3月5日, 2021.03.05 or 20210305.

Each parser takes one raw cell (str, float, int, bool, date or datetime as calamine gives them) and
returns a Python value or None for a blank cell, or raises ValueProblem saying what was expected.
"""

import datetime
import math
import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils.translation import gettext as _

from ..text import strip_control
from .errors import ValueProblem
from .units import YUAN_PER_UNIT

# Cells that mean "nothing here" in government tables.
BLANKS = frozenset({"", "-", "--", "—", "——", "–", "/", "\\", "无数据", "空", "null", "none", "n/a", "#n/a"})
FORMULA_GUARD = re.compile(r"^'(?=[=+\-@\t\r])")
NUMBER = re.compile(r"^([+-]?)(\d+(?:\.\d*)?|\.\d+)(?:e([+-]?\d+))?$", re.IGNORECASE)
AMOUNT_UNIT = re.compile(r"(亿元|百万元|万元|千元|元)$")
COUNT_SUFFIX = re.compile(r"(人|件|项|个|家|名|次)$")
DATE_TEXT = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")
COMPACT_DATE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
YEAR_TEXT = re.compile(r"^(\d{4})\s*(?:年度?)?$")
MAX_EXPONENT = 40  # "1e400000" would make a 400,000-digit integer; nothing stored has more than 18 digits
EXCEL_EPOCH = datetime.date(1899, 12, 30)
# Excel day numbers from 1 January 1930 to 31 December 2099: beyond that a number is not a date.
SERIAL_RANGE = (10959, 73415)


def clean_text(value) -> str:
    """Text of a cell: NFKC (full-width letters, digits and punctuation become ASCII), no surrounding
    or doubled whitespace, no control characters, and no formula guard (the ' our exports put
    before = + - @)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = " ".join(strip_control(unicodedata.normalize("NFKC", str(value))).split())
    return FORMULA_GUARD.sub("", text)


def is_blank(value) -> bool:
    if value is None or value == "":
        return True
    return isinstance(value, str) and clean_text(value).lower() in BLANKS


def parse_text(value) -> str | None:
    if is_blank(value):
        return None
    return clean_text(value)


def parse_code(value) -> str | None:
    """A code (credit code, industry code, certificate number): text, upper case, no spaces.
    A code Excel turned into a large number has lost digits and is refused."""
    if is_blank(value):
        return None
    if isinstance(value, float):
        if not value.is_integer() or abs(value) >= 1e15:
            raise ValueProblem(_("was stored by Excel as a number and has lost digits; format the column as text and type it again"))
        value = int(value)
    return clean_text(value).replace(" ", "").upper()


def number_text(value) -> tuple[Decimal, str]:
    """A typed number and the unit written after it: "1,234.5万元" → (Decimal("1234.5"), "万元")."""
    text = clean_text(value).replace(",", "").replace(" ", "").replace("，", "")
    negative = text.startswith("(") and text.endswith(")")
    if negative:
        text = text[1:-1]
    unit = ""
    if text.endswith("%"):
        unit, text = "%", text[:-1]
    else:
        match = AMOUNT_UNIT.search(text) or COUNT_SUFFIX.search(text)
        if match:
            unit, text = match.group(1), text[: match.start()]
    match = NUMBER.match(text)
    if not match:
        raise ValueProblem(_("is not a number"))
    try:
        number = Decimal(text)
    except InvalidOperation as exc:
        raise ValueProblem(_("is not a number")) from exc
    if number.adjusted() > MAX_EXPONENT:
        raise ValueProblem(_("is far beyond any amount or count that can be stored"))
    return (-number if negative else number), unit


def parse_decimal(value) -> Decimal | None:
    """A plain number; "12%" becomes 0.12."""
    if is_blank(value):
        return None
    if isinstance(value, bool):
        raise ValueProblem(_("is not a number"))
    if isinstance(value, int | float):
        return Decimal(repr(value))
    number, unit = number_text(value)
    if unit == "%":
        return number / 100
    if unit:
        raise ValueProblem(_("is not a plain number (it carries the unit %(unit)s)") % {"unit": unit})
    return number


def round_half_up(x: float) -> int:
    return math.floor(x + 0.5) if x >= 0 else -math.floor(-x + 0.5)


def parse_money(value, yuan_per_unit: int = 10_000) -> int | None:
    """An amount in whole yuan, from a cell in the column's unit or with its own unit typed after it."""
    if type(value) is float:
        if not math.isfinite(value):
            raise ValueProblem(_("is not a finite number"))
        return round_half_up(value * yuan_per_unit)
    if is_blank(value):
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        return value * yuan_per_unit
    if isinstance(value, bool | datetime.date):
        raise ValueProblem(_("is not an amount"))
    number, unit = number_text(value)
    if unit == "%":
        raise ValueProblem(_("is a percentage, an amount is expected"))
    if unit and unit not in YUAN_PER_UNIT:
        raise ValueProblem(_("is not an amount"))
    factor = YUAN_PER_UNIT[unit] if unit else yuan_per_unit
    return int((number * factor).to_integral_value(ROUND_HALF_UP))


def parse_count(value) -> int | None:
    """A whole number of people, patents, standards…; never negative."""
    if type(value) is float:
        if not value.is_integer():
            raise ValueProblem(_("must be a whole number"))
        number = int(value)
    elif is_blank(value):
        return None
    elif isinstance(value, bool | datetime.date):
        raise ValueProblem(_("must be a whole number"))
    elif isinstance(value, int):
        number = value
    else:
        decimal, unit = number_text(value)
        if unit in {"%", *YUAN_PER_UNIT}:
            raise ValueProblem(_("must be a whole number"))
        if decimal != decimal.to_integral_value():
            raise ValueProblem(_("must be a whole number"))
        number = int(decimal)
    if number < 0:
        raise ValueProblem(_("cannot be negative"))
    return number


def parse_year(value) -> int | None:
    if is_blank(value):
        return None
    if isinstance(value, float | int) and not isinstance(value, bool) and float(value).is_integer():
        year = int(value)
    else:
        match = YEAR_TEXT.match(clean_text(value))
        if not match:
            raise ValueProblem(_("is not a year (expected e.g. 2023)"))
        year = int(match.group(1))
    if not 1949 <= year <= 2100:
        raise ValueProblem(_("is not a plausible year"))
    return year


def parse_date(value) -> datetime.date | None:
    """Excel dates, Excel day numbers, and dates typed in the four usual forms."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if is_blank(value):
        return None
    if isinstance(value, float | int) and not isinstance(value, bool):
        return serial_date(value)
    text = clean_text(value)
    match = DATE_TEXT.match(text) or COMPACT_DATE.match(text)
    if match:
        try:
            return datetime.date(*(int(part) for part in match.groups()))
        except ValueError as exc:
            raise ValueProblem(_("is not a valid date")) from exc
    if text.isdigit():
        return serial_date(int(text))
    raise ValueProblem(_("is not a date (expected e.g. 2021-03-05, 2021年3月5日 or 2021.03.05)"))


def serial_date(serial: float) -> datetime.date:
    if not SERIAL_RANGE[0] <= serial <= SERIAL_RANGE[1]:
        raise ValueProblem(_("is not a date (expected e.g. 2021-03-05, 2021年3月5日 or 2021.03.05)"))
    return EXCEL_EPOCH + datetime.timedelta(days=int(serial))


def choice_parser(labels: dict[str, object], expected: str):
    """A parser for a code list: accepts each code and each of its names (case and width ignored)."""
    table = {clean_text(label).replace(" ", "").lower(): code for label, code in labels.items()}

    def parse(value):
        if is_blank(value):
            return None
        key = clean_text(value).replace(" ", "").lower()
        if key in table:
            return table[key]
        raise ValueProblem(_("is not one of: %(expected)s") % {"expected": expected})

    return parse
