"""Importing a ledger from the table a bureau already keeps, in Word (.docx) or Excel (.xlsx), in
seed 004's layout: 存在问题 / 主要表现 / 解决措施 / 责任领导 / 责任部门 / 责任人 / 完成时限 (title rows
above the header, 序号, 整改目标 and progress columns optional). An item may span several rows, one per
measure: Word repeats a vertically merged cell's text in each row, Excel leaves it empty below the
first; either way a row whose 存在问题 is empty or the same as the row above adds a measure to the
item above. A measures cell with several paragraphs splits at 一是/二是… (or 1. 2. …); a first line
before them is the goal (整改目标).

The whole file is checked first; any error and nothing is written (each error names the row, the
column, the value and what was expected). Names that match no account or department are kept as
written, with a warning."""

import hashlib
import io
import re
import zipfile
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from peiyu.core.history import acting_as
from peiyu.core.models import ImportBatch, Unit
from peiyu.core.spreadsheets.errors import SpreadsheetError
from peiyu.core.spreadsheets.reading import read_file
from peiyu.core.text import strip_control
from peiyu.ledger import services
from peiyu.ledger.choices import LedgerKind
from peiyu.ledger.models import Item, Ledger

# Column → the headings bureaus write for it (the first is the one exports use).
COLUMNS = {
    "number": ("序号", "编号"),
    "problem": ("存在问题", "问题", "问题清单", "存在的问题"),
    "manifestations": ("主要表现", "具体表现", "表现"),
    "goal": ("整改目标", "目标"),
    "measures": ("解决措施", "整改措施", "措施", "工作措施"),
    "leaders": ("责任领导", "分管领导"),
    "departments": ("责任部门", "责任单位", "责任科室", "牵头部门"),
    "persons": ("责任人", "具体责任人"),
    "deadline": ("完成时限", "完成时间", "整改时限", "时限"),
}
REQUIRED = ("problem", "measures", "departments", "deadline")
INLINE_ENUMERATION = re.compile(r"(?<=[。；;])\s*(?=[二三四五六七八九十]+是)")
ENUMERATED = re.compile(
    r"^\s*([一二三四五六七八九十]+是|[一二三四五六七八九十]+[、.．]|\d+[、.．)）]|[（(]\d+[)）])"
)


@dataclass
class ParsedItem:
    row: int
    number: int
    problem: str
    manifestations: str
    goal: str
    measures: list[str]
    leaders: str
    departments: str
    persons: str
    deadline: services.Deadline


@dataclass
class Parsed:
    items: list[ParsedItem] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def split_measure_cell(text: str) -> tuple[str, list[str]]:
    """(goal, measures) from one 解决措施 cell. A cell whose line breaks were lost still splits
    before 二是, 三是 … when a sentence ends before them."""
    text = INLINE_ENUMERATION.sub("\n", str(text))
    lines = services.split_measures(text)
    if not lines:
        return "", []
    if not any(ENUMERATED.match(line) for line in lines):
        return (lines[0], lines[1:]) if len(lines) > 1 else ("", lines)
    goal_lines, measures = [], []
    for line in lines:
        if ENUMERATED.match(line):
            measures.append(line)
        elif measures:
            measures[-1] += "\n" + line
        else:
            goal_lines.append(line)
    return "\n".join(goal_lines), measures


def read_rows(data: bytes, name: str) -> list[tuple[int, list[str]]]:
    """(row number, cell texts) of the file's first table (Word) or first sheet with a header (Excel)."""
    if is_docx(data):
        return docx_rows(data)
    sheets = read_file(data, name)
    for sheet in sheets:
        rows = [(n, [cell_text(v) for v in row]) for n, row in zip(sheet.numbers, sheet.rows, strict=True)]
        if find_header(rows) is not None:
            return rows
    return (
        [(n, [cell_text(v) for v in row]) for n, row in zip(sheets[0].numbers, sheets[0].rows, strict=True)]
        if sheets
        else []
    )


def is_docx(data: bytes) -> bool:
    if not data.startswith(b"PK"):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "word/document.xml" in archive.namelist()
    except zipfile.BadZipFile:
        return False


def docx_rows(data: bytes) -> list[tuple[int, list[str]]]:
    """Every row of every table, in order; merged cells repeat their text (python-docx's view)."""
    import docx

    document = docx.Document(io.BytesIO(data))
    rows, number = [], 0
    for table in document.tables:
        for row in table.rows:
            number += 1
            rows.append(
                (number, [cell_text("\n".join(p.text for p in cell.paragraphs)) for cell in row.cells])
            )
    return rows


def cell_text(value) -> str:
    """A cell as written, line breaks kept (a measures cell holds several); control characters and
    doubled spaces go. Date cells stay dates for parse_deadline."""
    if value is None:
        return ""
    if hasattr(value, "year") and hasattr(value, "month"):
        return value
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    lines = (" ".join(strip_control(line).split()) for line in str(value).replace("\r", "\n").split("\n"))
    return "\n".join(line for line in lines if line)


def find_header(rows) -> tuple[int, dict[str, int]] | None:
    """The index of the header row and each column's position."""
    for index, (_n, cells) in enumerate(rows[:20]):
        found = {}
        for position, text in enumerate(cells):
            heading = re.sub(r"\s+", "", str(text))
            for key, names in COLUMNS.items():
                if key not in found and heading in names:
                    found[key] = position
        if "problem" in found and "measures" in found:
            return index, found
    return None


def parse(data: bytes, name: str) -> Parsed:
    parsed = Parsed()
    try:
        rows = read_rows(data, name)
    except SpreadsheetError as exc:
        parsed.errors.append(exc.message)
        return parsed
    header = find_header(rows)
    if header is None:
        parsed.errors.append(
            _(
                "No header row found: the table needs the columns 存在问题 and 解决措施 (and 责任部门, 完成时限)."
            )
        )
        return parsed
    index, columns = header
    missing = [COLUMNS[key][0] for key in REQUIRED if key not in columns]
    if missing:
        parsed.errors.append(_("The table lacks the columns %(names)s.") % {"names": "、".join(missing)})
        return parsed
    groups: list[list[tuple[int, dict]]] = []
    previous = None
    for number, cells in rows[index + 1 :]:
        values = {key: (cells[pos] if pos < len(cells) else "") for key, pos in columns.items()}
        problem = str(values["problem"])
        if not any(str(v).strip() for v in values.values()) or problem in COLUMNS["problem"]:
            continue
        if groups and (not problem or problem == previous):
            groups[-1].append((number, values))
        else:
            groups.append([(number, values)])
            previous = problem
    for position, group in enumerate(groups, start=1):
        item = parse_group(group, position, parsed.errors)
        if item is not None:
            parsed.items.append(item)
    if not groups:
        parsed.errors.append(_("The table has a header but no items."))
    return parsed


def parse_group(group, position: int, errors: list[str]) -> ParsedItem | None:
    row, first = group[0]

    def first_of(key):
        return next((str(v[key]).strip() for _n, v in group if key in v and str(v[key]).strip()), "")

    def problem_at(column_key, message, value=""):
        errors.append(
            _("Row %(row)s, column “%(column)s”: “%(value)s” — %(message)s")
            % {"row": row, "column": COLUMNS[column_key][0], "value": value, "message": message}
        )

    cells = []
    for _n, values in group:
        text = str(values["measures"]).strip()
        if text and (not cells or cells[-1] != text):  # a merged measures cell repeats itself
            cells.append(text)
    goal, measures = split_measure_cell("\n".join(cells))
    goal = first_of("goal") or goal
    if not measures:
        problem_at("measures", _("an item needs at least one measure."))
    departments = first_of("departments")
    if not departments:
        problem_at(
            "departments", _("an item needs a lead department (the first responsible department listed).")
        )
    raw_deadline = next((v["deadline"] for _n, v in group if v.get("deadline") not in ("", None)), "")
    try:
        deadline = services.parse_deadline(raw_deadline)
    except ValueError as exc:
        problem_at("deadline", str(exc), raw_deadline)
        deadline = None
    number_text = first_of("number")
    number = int(number_text) if number_text.isdigit() else position
    if deadline is None or not measures or not departments:
        return None
    return ParsedItem(
        row=row,
        number=number,
        problem=first["problem"],
        manifestations=first_of("manifestations"),
        goal=goal,
        measures=measures,
        leaders=first_of("leaders"),
        departments=departments,
        persons=first_of("persons"),
        deadline=deadline,
    )


@dataclass
class ImportResult:
    ledger: Ledger | None
    errors: list[str]
    warnings: list[str]


def import_ledger(
    data: bytes, file_name: str, name: str, unit: Unit, user=None, kind=LedgerKind.RECTIFICATION, year=None
) -> ImportResult:
    """Check the whole file, then write the ledger and its items in one transaction (or nothing)."""
    parsed = parse(data, file_name)
    if not name.strip():
        parsed.errors.append(_("Give the ledger a name."))
    elif Ledger.objects.filter(unit=unit, name=name.strip()).exists():
        parsed.errors.append(_("The unit already has a ledger named “%(name)s”.") % {"name": name})
    if parsed.errors:
        return ImportResult(None, parsed.errors, [])
    warnings = []
    with transaction.atomic():
        batch = ImportBatch.objects.create(
            kind="ledger",
            user=user,
            user_name=user.get_username() if user else "",
            unit=unit,
            file_name=file_name[:255],
            file_sha256=hashlib.sha256(data).hexdigest(),
            counts={"items": len(parsed.items)},
        )
        with acting_as(user, batch=str(batch.pk)):
            ledger = Ledger.objects.create(
                name=name.strip(), unit=unit, kind=kind, year=year, source=file_name[:200]
            )
            for p in parsed.items:
                warnings += save_parsed(ledger, p)
        batch.report = {"warnings": warnings}
        batch.save(update_fields=["report"])
    return ImportResult(ledger, [], warnings)


def save_parsed(ledger: Ledger, p: ParsedItem) -> list[str]:
    owners = services.match_owners(ledger.unit, p.leaders, p.departments, p.persons)
    item = Item(
        ledger=ledger,
        unit=ledger.unit,
        number=p.number,
        problem=p.problem,
        manifestations=p.manifestations,
        goal=p.goal,
        deadline=p.deadline.date,
        deadline_text=p.deadline.text,
        long_term=p.deadline.long_term,
        cadence=services.default_cadence() if p.deadline.long_term else "",
    )
    services.apply_owners(item, owners)
    item.save()
    services.save_responsibility(item, owners)
    services.set_measures(item, p.measures)
    return [_("Row %(row)s: %(warning)s") % {"row": p.row, "warning": w} for w in owners.warnings()]
