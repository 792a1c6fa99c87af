"""Writing .xlsx and .csv files people can open, forward and import again.

- Cells from user data that start with = + - @ (or a tab or carriage return) are never formulas:
  in .xlsx they are written as text with Excel's hidden quote prefix; in .csv they get a leading
  apostrophe, which the importer removes again.
- .xlsx is written by XlsxWriter in constant-memory mode: rows go to disk as they come, so 100,000
  rows take the same memory as 100.
- .csv is UTF-8 with a BOM so Excel opens Chinese text correctly, produced in chunks for streaming.
"""

import csv
import datetime
import io
from decimal import Decimal

import xlsxwriter

from . import columns as kinds

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
NUMBER_FORMATS = {kinds.MONEY: "#,##0.00##", kinds.SIGNED_MONEY: "#,##0.00##", kinds.COUNT: "0", kinds.YEAR: "0", kinds.DECIMAL: "General"}


def csv_safe(text: str) -> str:
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        text = format(value.normalize(), "f")
        return text if "." in text or "E" not in text else str(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, str):
        return csv_safe(value)
    return str(value)


def csv_chunks(columns, rows, rows_per_chunk: int = 1000):
    """The header and rows as UTF-8 chunks with a BOM first."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write("\ufeff")
    writer.writerow([column.title for column in columns])
    for count, row in enumerate(rows, 1):
        writer.writerow([csv_text(value) for value in row])
        if count % rows_per_chunk == 0:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode("utf-8")


class XlsxTable:
    """One sheet in the template layout: a title row, the header row, then data; frozen header,
    filters, widths and number formats per column."""

    def __init__(self, target, columns, title: str, sheet_name: str, notes: list[str] | None = None):
        self.book = xlsxwriter.Workbook(target, {"constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False,
                                                 "strings_to_numbers": False, "in_memory": not isinstance(target, str)})
        self.columns = columns
        self.sheet = self.book.add_worksheet(sheet_name[:31])
        self.notes = notes
        self.row = 0
        self.formats = self.make_formats()
        self.start(title)

    def make_formats(self) -> dict:
        book = self.book
        formats = {kind: book.add_format({"num_format": fmt}) for kind, fmt in NUMBER_FORMATS.items()}
        formats.update({
            "date": book.add_format({"num_format": "yyyy-mm-dd"}),
            "text": book.add_format({"num_format": "@"}),
            "guarded": book.add_format({"num_format": "@", "quote_prefix": True}),
            "title": book.add_format({"bold": True, "font_size": 14}),
            "header": book.add_format({"bold": True, "text_wrap": True, "valign": "vcenter", "align": "center", "bg_color": "#E7F3EF", "border": 1}),
        })
        return formats

    def start(self, title: str) -> None:
        sheet = self.sheet
        for position, column in enumerate(self.columns):
            sheet.set_column(position, position, column.width, self.formats["text"] if column.kind in (kinds.CODE, kinds.TEXT) else None)
        sheet.set_row(0, 24)
        sheet.write_string(0, 0, title, self.formats["title"])
        sheet.set_row(1, 36)
        for position, column in enumerate(self.columns):
            sheet.write_string(1, position, column.title, self.formats["header"])
        sheet.freeze_panes(2, 1)
        self.row = 2

    def write(self, values: list) -> None:
        sheet, formats, row = self.sheet, self.formats, self.row
        for position, (column, value) in enumerate(zip(self.columns, values, strict=True)):
            if value is None or value == "":
                continue
            if isinstance(value, str):
                sheet.write_string(row, position, value, formats["guarded"] if value.startswith(FORMULA_STARTS) else formats["text"])
            elif isinstance(value, datetime.date):
                sheet.write_datetime(row, position, datetime.datetime.combine(value, datetime.time()), formats["date"])
            else:
                sheet.write_number(row, position, float(value), formats.get(column.kind))
        self.row += 1

    def close(self) -> None:
        if self.columns:
            self.sheet.autofilter(1, 0, max(self.row - 1, 1), len(self.columns) - 1)
        if self.notes:
            notes = self.book.add_worksheet(self.notes[0])
            notes.set_column(0, 0, 100)
            for number, line in enumerate(self.notes[1:]):
                notes.write_string(number, 0, line)
        self.book.close()
