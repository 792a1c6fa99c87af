"""Problems found in a file: file-level errors that stop the reading, and cell-level problems that
name the sheet, the row as Excel numbers it, the column header, the value and what was expected."""

from dataclasses import dataclass

from django.utils.translation import gettext as _

ERROR = "error"
WARNING = "warning"


class SpreadsheetError(Exception):
    """The file cannot be read at all (not a spreadsheet, too large, a zip bomb…)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class ValueProblem(ValueError):
    """A cell value that cannot be parsed; the message says what was expected."""


@dataclass
class Problem:
    """One error or warning about a cell, a row, a column or a sheet."""

    message: str
    sheet: str = ""
    row: int | None = None
    column: str = ""
    value: str = ""
    severity: str = ERROR

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR

    def as_dict(self) -> dict:
        # dataclasses.asdict deep-copies every field: a hundred thousand problems took seconds
        return {"message": self.message, "sheet": self.sheet, "row": self.row, "column": self.column, "value": self.value,
                "severity": self.severity}

    def local_text(self) -> str:
        """The problem without its sheet and row: 「研发费用(万元)」“-5”: cannot be negative."""
        where = []
        if self.column:
            where.append(_("“%(column)s”") % {"column": self.column})
        if self.value != "":
            where.append(_("value “%(value)s”") % {"value": shorten(self.value)})
        return _("%(where)s: %(message)s") % {"where": " ".join(where), "message": self.message} if where else self.message

    def __str__(self) -> str:
        """The problem with its place: sheet “数据” row 12 “统一社会信用代码” value “9112…”: …"""
        where = []
        if self.sheet:
            where.append(_("sheet “%(sheet)s”") % {"sheet": self.sheet})
        if self.row is not None:
            where.append(_("row %(row)s") % {"row": self.row})
        text = self.local_text()
        return _("%(where)s: %(message)s") % {"where": " ".join(where), "message": text} if where else text


def shorten(value, limit: int = 40) -> str:
    text = str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"
