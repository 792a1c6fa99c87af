"""GB/T 4754-2017 (国民经济行业分类) codes: checking an enterprise's industry code and naming it.

The code table is data (`data/gbt4754_2017.tsv`): every section, division, group and class of the
standard. An enterprise's code is a division (2 digits), group (3) or class (4), optionally after its
section letter, and it must exist in the table at every level it names.
"""

from functools import cache
from pathlib import Path

from django.utils.translation import gettext as _

from peiyu.enterprises.choices import industry_section

TABLE = Path(__file__).parent / "data" / "gbt4754_2017.tsv"
SECTION_LETTERS = "ABCDEFGHIJKLMNOPQRST"
# Codes listed in an error message; a division has up to 9 groups and a group up to 9 classes.
LIST_SEPARATOR = "、"


@cache
def industry_table() -> dict[str, str]:
    """Names by code: sections ("C"), divisions ("38"), groups ("382") and classes ("3823")."""
    names = {}
    for line in TABLE.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            code, name = line.split("\t")
            names[code] = name
    return names


def split_code(code: str) -> tuple[str, str]:
    """("C", "3841") from "C3841"; the letter is empty when none was written."""
    raw = code.strip().upper()
    letter = raw[0] if raw and raw[0] in SECTION_LETTERS else ""
    return letter, raw[len(letter):]


def _children(parent: str) -> str:
    """The codes one level below `parent`, as a list for a message ("3821、3822、…")."""
    return LIST_SEPARATOR.join(sorted(c for c in industry_table() if len(c) == len(parent) + 1 and c.startswith(parent)))


def industry_code_error(code: str) -> str | None:
    """Why `code` is not a GB/T 4754-2017 division, group or class (2 to 4 digits, optionally after
    the section letter), naming what the standard has instead; None when it is one."""
    letter, digits = split_code(code)
    if not (digits.isdigit() and 2 <= len(digits) <= 4):
        return _("An industry code is 2 to 4 digits (optionally after the section letter), e.g. 3841 or C3841.")
    names = industry_table()
    division, group = digits[:2], digits[:3]
    if division not in names:
        return _("%(code)s is not a GB/T 4754-2017 code: there is no division %(division)s (divisions run from 01 to 97).") % {
            "code": code.strip(), "division": division,
        }
    section = industry_section(digits)
    if letter and letter != section:
        return _("Division %(division)s (%(name)s) belongs to section %(section)s, not %(letter)s.") % {
            "division": division, "name": names[division], "section": section, "letter": letter,
        }
    if len(digits) >= 3 and group not in names:
        return _("%(code)s is not a GB/T 4754-2017 code: division %(division)s (%(name)s) has no group %(group)s; its groups are %(groups)s.") % {
            "code": digits, "division": division, "name": names[division], "group": group, "groups": _children(division),
        }
    if len(digits) == 4 and digits not in names:
        return _("%(code)s is not a GB/T 4754-2017 class: the classes of group %(group)s (%(name)s) are %(classes)s.") % {
            "code": digits, "group": group, "name": names[group], "classes": _children(group),
        }
    return None


def industry_name(code: str) -> str:
    """The standard's name of the division, group or class `code` names; empty for a code that is not
    in the standard (one stored before codes were checked)."""
    _letter, digits = split_code(code)
    return industry_table().get(digits, "")
