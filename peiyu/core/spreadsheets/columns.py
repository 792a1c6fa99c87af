"""Columns an app can import, and parsing a sheet column by column into exact values.

Parsing is column-wise because that is where the time goes in a 100,000-row file: one parser per
column, a tight loop, and problems collected with the row number Excel shows and the header as
written in the file.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from math import floor

from django.utils.translation import gettext as _

from . import values as v
from .errors import ERROR, WARNING, Problem, ValueProblem
from .headers import HeaderMatch, cell_text
from .limits import Limit, check_limit
from .reading import Sheet
from .synonyms import SYNONYMS
from .units import YUAN_PER_UNIT, is_money_unit

TEXT, CODE, MONEY, SIGNED_MONEY, COUNT, YEAR, DATE, CHOICE, DECIMAL = (
    "text", "code", "money", "signed_money", "count", "year", "date", "choice", "decimal",
)
MONEY_KINDS = {MONEY, SIGNED_MONEY}
SKIP_ROW = re.compile(r"^(?:合计|总计|小计|总合计|本页合计|累计|示例|\(示例\)|【示例】|例:)")
NOTE_ROW = re.compile(r"^(?:注|说明|填表|备注|制表|审核|负责人)")
PROBLEM_VALUE_CHARS = 200  # a problem quotes at most this much of its cell (reports stay small)
SKIP_STARTS = frozenset("合总小本累示(（【例注说填备制审负")


@dataclass(frozen=True)
class Column:
    """One importable column: the model field it fills, its canonical Chinese header and unit, how
    its cells are parsed, and the width it gets in exports."""

    key: str
    header: str
    kind: str = TEXT
    unit: str = ""
    synonyms: tuple[str, ...] = ()
    parser: Callable | None = None
    width: int = 12
    limit: Limit | None = None  # what the model field can store (see limits.py)

    @property
    def title(self) -> str:
        return f"{self.header}({self.unit})" if self.unit else self.header

    def names(self) -> tuple[str, ...]:
        return (self.header, self.title, *self.synonyms, *SYNONYMS.get(self.header, ()))


@dataclass
class ParsedTable:
    """A sheet's data rows, parsed: `values[key][i]` is row i's value of a column (None when blank)."""

    sheet: str
    match: HeaderMatch
    numbers: list[int] = field(default_factory=list)
    values: dict[str, list] = field(default_factory=dict)
    raw: dict[str, list] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)
    row_problems: dict[int, list[Problem]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    skipped: int = 0

    def __len__(self) -> int:
        return len(self.numbers)

    @property
    def fatal(self) -> bool:
        return any(p.is_error for p in self.problems)

    def add(self, index: int, column: str, message: str, severity: str = ERROR) -> None:
        raw = self.raw.get(column, [])
        value = v.clean_text(raw[index])[:PROBLEM_VALUE_CHARS] if index < len(raw) else ""
        self.row_problems.setdefault(index, []).append(
            Problem(message, self.sheet, self.numbers[index], self.labels.get(column, column), value, severity)
        )

    def row_has_error(self, index: int) -> bool:
        return any(p.is_error for p in self.row_problems.get(index, ()))


def parse_table(sheet: Sheet, match: HeaderMatch, default_unit: str = "万元") -> ParsedTable:
    """Parse every known column of a sheet, skipping totals, example and note rows."""
    table = ParsedTable(sheet.name, match)
    rows, numbers = keep_data_rows(sheet, match, table)
    table.numbers = numbers
    width = max((len(row) for row in rows), default=0)
    if not rows:
        grid = []
    elif all(len(row) == width for row in rows):  # calamine gives every row the sheet's width
        grid = list(zip(*rows, strict=True))
    else:
        grid = list(zip(*(row + [""] * (width - len(row)) for row in rows), strict=True))
    money_unit = money_unit_of(match, default_unit, table)
    for position, column in match.columns.items():
        table.labels[column.key] = match.labels[position]
        raw = list(grid[position]) if position < len(grid) else [""] * len(rows)
        table.raw[column.key] = raw
        parse = parser_for(column, match.units.get(position) or money_unit, table)
        parsed = table.values[column.key] = parse_column(raw, parse, column.key, table)
        if column.limit is not None:
            check_limit(parsed, column.limit, column.key, table)
    return table


def keep_data_rows(sheet: Sheet, match: HeaderMatch, table: ParsedTable) -> tuple[list[list], list[int]]:
    rows, numbers = [], []
    positions = list(match.columns)
    first = positions[0] if positions else None
    starts = SKIP_STARTS
    for row, number in zip(sheet.rows[match.data_start :], sheet.numbers[match.data_start :], strict=True):
        # Most rows are plainly data: the first known column is filled and none of the first four
        # cells is text that could open a totals, example or note row. Only the others are checked.
        cell = row[first] if first is not None and first < len(row) else None
        plain = cell is not None and cell != "" and not (type(cell) is str and cell.isspace())
        if plain:
            for head in row[:4]:
                if type(head) is str and head and (head[0] in starts or head[0].isspace()):
                    plain = False
                    break
        if not plain and skip_row(row, positions):
            table.skipped += 1
            continue
        rows.append(row if type(row) is list else list(row))  # rows are only read from here on
        numbers.append(number)
    return rows, numbers


def skip_row(row: list, positions: list[int]) -> bool:
    """Totals (合计/总计/小计), template examples, notes under the table and rows with nothing in any
    known column are not data."""
    for cell in row[:4]:
        if type(cell) is str and cell and cell.lstrip()[:1] in SKIP_STARTS:
            text = "".join(v.clean_text(cell).split())
            if SKIP_ROW.match(text):
                return True
            if NOTE_ROW.match(text) and sum(1 for c in row if cell_text(c)) <= 2:
                return True
    width = len(row)
    for position in positions:
        if position < width:
            cell = row[position]
            if cell is not None and cell != "" and not (type(cell) is str and cell.isspace()):
                return False
    return True


def money_unit_of(match: HeaderMatch, default_unit: str, table: ParsedTable) -> str:
    if match.title_unit:
        return match.title_unit
    has_money = any(column.kind in MONEY_KINDS for position, column in match.columns.items() if position not in match.units)
    if has_money:
        table.problems.append(Problem(
            _("no money unit is declared in the title or the headers; amounts are read as %(unit)s") % {"unit": default_unit},
            table.sheet, severity=WARNING,
        ))
    return default_unit


def parser_for(column: Column, unit: str, table: ParsedTable) -> Callable:
    if column.kind in MONEY_KINDS:
        if not is_money_unit(unit):
            table.problems.append(Problem(
                _("unknown unit “%(unit)s”; amounts must be in 元, 千元, 万元 or 亿元") % {"unit": unit},
                table.sheet, column=table.labels[column.key],
            ))
            unit = "万元"
        return money_parser(YUAN_PER_UNIT[unit], column.kind == SIGNED_MONEY)
    return column.parser or PARSERS[column.kind]


def money_parser(factor: int, signed: bool) -> Callable:
    def parse(value):
        amount = v.parse_money(value, factor)
        if not signed and amount is not None and amount < 0:
            raise ValueProblem(_("cannot be negative"))
        return amount

    parse.factor, parse.signed = factor, signed
    return parse


PARSERS = {
    TEXT: v.parse_text, CODE: v.parse_code, COUNT: v.parse_count, YEAR: v.parse_year,
    DATE: v.parse_date, DECIMAL: v.parse_decimal, CHOICE: v.parse_text,
}


def parse_column(raw: list, parse: Callable, key: str, table: ParsedTable) -> list:
    """Parse one column. Numbers take an inline fast path (most cells of a large file are plain
    floats); other cells repeat a lot (units, codes, names of a five-year file), so each distinct
    value is parsed once."""
    if hasattr(parse, "factor"):
        return parse_money_column(raw, parse, key, table)
    if parse is v.parse_count:
        return parse_count_column(raw, key, table)
    memo, failed = {}, {}
    for value in dict.fromkeys(raw):  # each distinct value once, in the order first seen
        try:
            memo[value] = parse(value)
        except ValueProblem as problem:
            failed[value] = str(problem)
    if not failed:
        return [memo[value] for value in raw]
    out = []
    append = out.append
    for index, value in enumerate(raw):
        if value in memo:
            append(memo[value])
        else:
            append(None)
            table.add(index, key, failed[value])
    return out


HUGE = 1e15  # floats beyond this are not taken by the fast path (no amount is that many 万元)
_SLOW = object()  # marks a cell the comprehension left for the careful parser


def parse_money_column(raw: list, parse: Callable, key: str, table: ParsedTable) -> list:
    """Plain floats (most cells) are converted in one comprehension; the rest go through `parse`."""
    factor, signed = parse.factor, parse.signed
    slow = _SLOW
    if signed:
        out = [(floor(x * factor + 0.5) if x * factor >= 0 else -floor(0.5 - x * factor)) if type(x) is float and -HUGE < x < HUGE else slow
               for x in raw]
    else:
        # infinity, NaN and absurd amounts take the careful parser, which refuses or bounds them
        out = [floor(x * factor + 0.5) if type(x) is float and 0 <= x < HUGE else slow for x in raw]
    if slow in out:
        out = [plain_amount(x, factor) if y is slow and type(x) is str else y for y, x in zip(out, raw, strict=True)]
    return finish_column(out, raw, parse, key, table)


PLAIN_AMOUNT = re.compile(r"(\d{1,15})(?:\.(\d{1,4}))?")


def plain_amount(text: str, factor: int):
    """Whole yuan of a cell typed as a plain non-negative number ("1234.5", as CSV files give every
    amount), exactly as the careful parser rounds it (half up); anything else is left to it."""
    match = PLAIN_AMOUNT.fullmatch(text)
    if match is None:
        return _SLOW
    whole, fraction = match.groups()
    if not fraction:
        return int(whole) * factor
    scale = 10 ** len(fraction)
    quotient, remainder = divmod(int(whole + fraction) * factor, scale)
    return quotient + (2 * remainder >= scale)


def parse_count_column(raw: list, key: str, table: ParsedTable) -> list:
    """Counts repeat (a few hundred distinct values in 100,000 rows): each distinct plain float is
    converted once, then every cell is one dictionary look-up. Only floats are looked up, so a
    True or an int equal to a key still takes the careful parser."""
    slow = _SLOW
    whole = {x: int(x) for x in set(raw) if type(x) is float and x >= 0 and x.is_integer()}
    get = whole.get
    out = [get(x, slow) if type(x) is float else slow for x in raw]
    if slow in out:  # counts typed as digits (CSV files): int() of ASCII digits is exact
        out = [int(x) if y is slow and type(x) is str and x.isascii() and x.isdigit() else y for y, x in zip(out, raw, strict=True)]
    return finish_column(out, raw, v.parse_count, key, table)


def finish_column(out: list, raw: list, parse: Callable, key: str, table: ParsedTable) -> list:
    """Parse the cells the fast comprehension left, in row order, collecting their problems."""
    if _SLOW not in out:
        return out
    slow = _SLOW
    for index, value in enumerate(out):
        if value is not slow:
            continue
        try:
            out[index] = parse(raw[index])
        except ValueProblem as problem:
            out[index] = None
            table.add(index, key, str(problem))
    return out
