"""Finding the header row of a real file: below title rows, possibly two rows deep (a merged group
header over its sub-columns), with units in brackets and known synonyms."""

import re
import unicodedata
from dataclasses import dataclass, field

from .units import COUNT_UNITS, YUAN_PER_UNIT, declared_unit

SCAN_ROWS = 30
UNIT_SUFFIX = re.compile(r"[(\[【]([^()\[\]【】]*)[)\]】]$")
BARE_MONEY_UNIT = re.compile(r"(亿元|百万元|万元|千元)$")
NOTE_PREFIX = re.compile(r"^(?:其中|含)[:：]?")
TOTAL_WORDS = frozenset({"合计", "总额", "小计", "总计", "计", "总数", "小计数"})
MARKS = "*★※#"


def normalise_header(text) -> tuple[str, str]:
    """A header cell as a lookup key and its unit: "营业收入\\n（单位：万元）" → ("营业收入", "万元")."""
    name, unit = split_unit(text)
    return NOTE_PREFIX.sub("", name).replace(":", "").lower(), unit


def split_unit(text) -> tuple[str, str]:
    """Header text without spaces and its trailing bracketed unit, if any."""
    name = "".join(unicodedata.normalize("NFKC", str(text)).split()).strip(MARKS)
    unit = ""
    while match := UNIT_SUFFIX.search(name):
        found = unit_in(match.group(1))
        if found is None:
            break
        unit = unit or found
        name = name[: match.start()]
    return name, unit


def unit_in(text: str) -> str | None:
    """The unit written inside brackets, or None when the brackets hold something else."""
    text = re.sub(r"^(?:金额)?单位[:：]?", "", text)
    if text in YUAN_PER_UNIT or text in COUNT_UNITS:
        return text
    if text.endswith("元") and len(text) <= 5:  # 美元, 港元, 元/吨…: a money unit we cannot convert
        return text
    return None


@dataclass
class HeaderMatch:
    """Where the header is and which file column holds which known column."""

    row: int  # index in Sheet.rows of the (first) header row
    depth: int  # 1, or 2 for a merged two-row header
    columns: dict[int, object] = field(default_factory=dict)  # file column index → Column
    labels: dict[int, str] = field(default_factory=dict)  # file column index → header as written
    units: dict[int, str] = field(default_factory=dict)
    ignored: list[str] = field(default_factory=list)
    title_unit: str | None = None
    title: str = ""

    @property
    def data_start(self) -> int:
        return self.row + self.depth

    @property
    def keys(self) -> set[str]:
        return {column.key for column in self.columns.values()}


class HeaderIndex:
    """Every known name of every column, normalised."""

    def __init__(self, columns):
        self.lookup = {}
        for column in columns:
            for name in column.names():
                self.lookup.setdefault(normalise_header(name)[0], column)

    def find(self, text: str):
        key, unit = normalise_header(text)
        column = self.lookup.get(key)
        if column is None and (match := BARE_MONEY_UNIT.search(key)):
            column = self.lookup.get(key[: match.start()])
            unit = unit or match.group(1)
        return column, unit


def cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def match_labels(labels: list[list[str]], index: HeaderIndex, row: int, depth: int) -> HeaderMatch:
    """Map each file column to the first of its candidate labels that names a known column."""
    match = HeaderMatch(row=row, depth=depth)
    for position, candidates in enumerate(labels):
        if not candidates:
            continue
        for text in candidates:
            column, unit = index.find(text)
            if column is not None:
                break
        if column is None or column.key in match.keys:
            match.ignored.append(candidates[-1] if depth == 2 else candidates[0])
            continue
        written = text
        match.columns[position] = column
        match.labels[position] = written
        if unit:
            match.units[position] = unit
    return match


def single_labels(cells: list) -> list[list[str]]:
    return [[text] if (text := cell_text(cell)) else [] for cell in cells]


def double_labels(top: list, bottom: list) -> list[list[str]]:
    """Labels of a two-row header: a group header spans the sub-columns to its right."""
    labels, group = [], ""
    for position in range(max(len(top), len(bottom))):
        upper = cell_text(top[position]) if position < len(top) else ""
        lower = cell_text(bottom[position]) if position < len(bottom) else ""
        group = upper or group
        if not lower:
            labels.append([upper] if upper else [])
            continue
        if not group:
            labels.append([lower])
            continue
        base, unit = split_unit(group)
        lower_base, lower_unit = split_unit(lower)
        suffix = f"({lower_unit or unit})" if (lower_unit or unit) else ""
        candidates = [base + NOTE_PREFIX.sub("", lower_base) + suffix, lower_base + suffix]
        if lower_base in TOTAL_WORDS:
            candidates.append(base + suffix)
        labels.append(candidates)
    return labels


def find_header(rows: list[list], columns, key: str) -> HeaderMatch | None:
    """The best header among the first rows: the one naming most known columns, including the
    key column. Two-row headers win only when they name more columns than either row alone."""
    index = HeaderIndex(columns)
    scanned = rows[:SCAN_ROWS]
    singles = [match_labels(single_labels(cells), index, row, 1) for row, cells in enumerate(scanned)]
    best = None
    for row, single in enumerate(singles):
        options = [single]
        if row + 1 < len(scanned):
            double = match_labels(double_labels(scanned[row], scanned[row + 1]), index, row, 2)
            if len(double.columns) > max(len(single.columns), len(singles[row + 1].columns)):
                options.append(double)
        for option in options:
            if key in option.keys and (best is None or len(option.columns) > len(best.columns)):
                best = option
    if best is not None:
        describe_title(best, rows)
    return best


def describe_title(match: HeaderMatch, rows: list[list]) -> None:
    """Title text and a unit declared above the data ("单位:元"), in any cell of the title or header rows."""
    titles = []
    for cells in rows[: match.data_start]:
        for cell in cells:
            if isinstance(cell, str) and cell.strip():
                unit = declared_unit(cell)
                if unit and match.title_unit is None:
                    match.title_unit = unit
                if len(titles) < 1 and cells is not rows[match.row]:
                    titles.append(cell.strip())
    match.title = titles[0] if titles else ""
