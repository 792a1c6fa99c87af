"""GB/T 4754-2017 (国民经济行业分类) codes: checking an enterprise's industry code and naming it.

The code table is data (`data/gbt4754_2017.tsv`): every division, and the classes of the divisions
technology-based SMEs mostly fall in. Divisions marked complete there are checked class by class.
"""

from functools import cache
from pathlib import Path

from django.utils.translation import gettext as _

from peiyu.enterprises.choices import industry_section

TABLE = Path(__file__).parent / "data" / "gbt4754_2017.tsv"
SECTION_LETTERS = "ABCDEFGHIJKLMNOPQRST"


@cache
def _table() -> tuple[dict[str, str], frozenset[str]]:
    """Names by code (divisions and classes) and the divisions whose classes are all listed."""
    names, complete = {}, set()
    for line in TABLE.read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        key, value = line.split("\t")
        if key == "complete":
            complete.add(value)
        else:
            names[key] = value
    return names, frozenset(complete)


def split_code(code: str) -> tuple[str, str]:
    """("C", "3841") from "C3841"; the letter is empty when none was written."""
    raw = code.strip().upper()
    letter = raw[0] if raw and raw[0] in SECTION_LETTERS else ""
    return letter, raw[len(letter):]


def industry_code_error(code: str) -> str | None:
    """Why `code` is not a GB/T 4754-2017 code (2 to 4 digits, optionally after the section
    letter), or None when it is one."""
    letter, digits = split_code(code)
    if not (digits.isdigit() and 2 <= len(digits) <= 4):
        return _("An industry code is 2 to 4 digits (optionally after the section letter), e.g. 3841 or C3841.")
    names, complete = _table()
    division = digits[:2]
    if division not in names:
        return _("%(code)s is not a GB/T 4754-2017 code: there is no division %(division)s.") % {"code": code.strip(), "division": division}
    section = industry_section(digits)
    if letter and letter != section:
        return _("Division %(division)s (%(name)s) belongs to section %(section)s, not %(letter)s.") % {
            "division": division, "name": names[division], "section": section, "letter": letter,
        }
    if division in complete and len(digits) > 2 and not any(c.startswith(digits) for c in names if len(c) == 4):
        return _("%(code)s is not a class of GB/T 4754-2017 division %(division)s (%(name)s).") % {
            "code": digits, "division": division, "name": names[division],
        }
    return None


def industry_name(code: str) -> str:
    """The name of the class (小类) when the table lists it, else of its division (大类)."""
    _letter, digits = split_code(code)
    names, _complete = _table()
    return names.get(digits) or names.get(digits[:2], "")
