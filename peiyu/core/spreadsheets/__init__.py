"""Spreadsheets in and out: reading real government files, recognising their headers and units,
parsing their values, writing safe .xlsx and .csv files, and the bulk machinery imports stand on.

The package knows nothing about enterprises: an app describes its columns with `Column` and gets
back parsed, column-wise values with every problem located by sheet, row and column.
"""

from .columns import Column, ParsedTable, parse_table
from .errors import Problem, SpreadsheetError
from .headers import HeaderMatch, find_header
from .reading import Sheet, read_file

__all__ = [
    "Column",
    "HeaderMatch",
    "ParsedTable",
    "Problem",
    "Sheet",
    "SpreadsheetError",
    "find_header",
    "parse_table",
    "read_file",
]
