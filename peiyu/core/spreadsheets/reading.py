"""Reading .xlsx, .xls and .csv files into plain rows, safely.

Every file is sniffed by its first bytes (not its name), bounded in size, and, for .xlsx, checked
before python-calamine opens it: the declared unpacked size (zip bombs), every worksheet's last row
holding a value and its widest column (a value in row 1,000,000 would otherwise make calamine
allocate a dense grid of a million rows). Blank rows are dropped here; each kept row carries the
number Excel shows for it.
"""

import csv
import io
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

import python_calamine
from django.conf import settings
from django.utils.translation import gettext as _

from .errors import SpreadsheetError

XLSX, XLS, CSV = "xlsx", "xls", "csv"
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
CHUNK = 1 << 20
# Widest column that may hold a value: BZ (78 columns). Wider grids are refused, not read.
MAX_COLUMN_LETTERS = "BZ"
WIDE_CELL = re.compile(rb'r="(?:[C-Z][A-Z]|[A-Z]{3})\d+"[^>]*(?<!/)>')
ROW_NUMBER = re.compile(rb'\br="(\d+)"')
VALUE_TAGS = (b"<v>", b"<v ", b":v>", b"<is>", b":is>")
TAIL_WINDOW = 1 << 16
EXCEL_ROWS = 1_048_576  # the most rows a worksheet has: the only row limit on a local file


def max_rows() -> int:
    return int(getattr(settings, "PEIYU_IMPORT_MAX_ROWS", 150_000))


def max_bytes() -> int:
    return int(getattr(settings, "PEIYU_UPLOAD_MAX_BYTES", 20 * 1024 * 1024))


def max_unpacked_bytes() -> int:
    return int(getattr(settings, "PEIYU_IMPORT_MAX_UNPACKED_BYTES", 400 * 1024 * 1024))


@dataclass
class Sheet:
    """One sheet's non-blank rows and the Excel row number of each."""

    name: str
    rows: list[list] = field(default_factory=list)
    numbers: list[int] = field(default_factory=list)


def read_file(source: str | Path | bytes, name: str = "", local: bool = False) -> list[Sheet]:
    """All sheets of a file, whatever its name says it is. Raises SpreadsheetError with a message
    for the user when the file is not a spreadsheet, too large or unsafe. `local`: a file on the
    user's own disk (the command line), read without the upload's size and row limits; the
    zip-bomb and malformed-file guards stay."""
    data = source if isinstance(source, bytes) else None
    path = None if data is not None else Path(source)
    size = len(data) if data is not None else path.stat().st_size
    if size > max_bytes() and not local:
        raise SpreadsheetError(
            _("The file is %(size)s MB; at most %(limit)s MB can be imported at once. Split it into smaller files.")
            % {"size": megabytes(size), "limit": megabytes(max_bytes())}
        )
    if size == 0:
        raise SpreadsheetError(_("The file is empty."))
    head = data[:4096] if data is not None else path.open("rb").read(4096)
    kind = sniff(head)
    row_limit = EXCEL_ROWS if local else max_rows()
    if kind == CSV:
        return [read_csv(data if data is not None else path, name, row_limit)]
    handle = io.BytesIO(data) if data is not None else path
    if kind == XLSX:
        check_xlsx(handle, row_limit)
    return read_workbook(handle, row_limit)


def megabytes(size: int) -> str:
    """A size in MB as limits are set (1 MB = 1,048,576 bytes): "20", "31.7"."""
    return f"{size / (1 << 20):.1f}".removesuffix(".0")


def sniff(head: bytes) -> str:
    """The file's real format from its first bytes."""
    if head.startswith(b"PK\x03\x04"):
        return XLSX
    if head.startswith(OLE2_MAGIC):
        return XLS
    lowered = head.lower()
    if b"<html" in lowered or b"<table" in lowered or b"<?xml" in lowered:
        raise SpreadsheetError(
            _("This file is a web page or XML file with a spreadsheet name. Open it in Excel and save it as .xlsx.")
        )
    if b"\x00" in head or not looks_like_text(head):
        raise SpreadsheetError(_("This file is not a spreadsheet. Upload an .xlsx, .xls or .csv file."))
    return CSV


def looks_like_text(head: bytes) -> bool:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            head.decode(encoding)
            return True
        except UnicodeDecodeError as exc:
            if exc.start > len(head) - 4:  # a character cut at the end of the sample
                return True
    return False


def check_xlsx(handle, row_limit: int) -> None:
    """Refuse zip bombs and sheets whose grid would be huge before calamine reads anything."""
    try:
        archive = zipfile.ZipFile(handle)
    except zipfile.BadZipFile as exc:
        raise SpreadsheetError(_("The file is damaged: it is not a valid .xlsx workbook.")) from exc
    with archive:
        names = set(archive.namelist())
        if "xl/workbook.xml" not in names:
            raise SpreadsheetError(_("This is a zip archive but not an Excel workbook. Upload an .xlsx, .xls or .csv file."))
        declared = sum(info.file_size for info in archive.infolist())
        if declared > max_unpacked_bytes():
            raise SpreadsheetError(
                _("The workbook unpacks to %(size)s MB, more than the %(limit)s MB allowed (a compressed bomb or a file with far too much data).")
                % {"size": declared // 1_000_000, "limit": max_unpacked_bytes() // 1_000_000}
            )
        for info in archive.infolist():
            if info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml"):
                scan_worksheet(archive, info, row_limit)
            elif info.filename == "xl/sharedStrings.xml":
                drain(archive, info)


def drain(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
    """Read an entry through, which checks its CRC, so a lying size header is caught."""
    try:
        with archive.open(info) as stream:
            while stream.read(CHUNK):
                pass
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError) as exc:
        raise SpreadsheetError(_("The file is damaged: it is not a valid .xlsx workbook.")) from exc


def scan_worksheet(archive: zipfile.ZipFile, info: zipfile.ZipInfo, row_limit: int) -> None:
    """Stream one worksheet's XML to find the last row that holds a value and any value beyond the
    widest allowed column. Rows are counted with C-speed byte searches; only the row holding a
    chunk's last value is parsed."""
    last_value_row = 0
    rows_before = 0  # row number reached before the current chunk
    tail = b""
    try:
        with archive.open(info) as stream:
            while True:
                chunk = stream.read(CHUNK)
                buf = tail + chunk
                cut = len(buf) if not chunk else max(0, len(buf) - 4096)
                position = last_value_tag(buf, cut)
                if position >= 0:
                    last_value_row = max(last_value_row, row_at(buf, position, rows_before))
                start = buf.rfind(b"row ", 0, cut)
                if start >= 0:
                    rows_before = row_at(buf, start + 4, rows_before)
                found = WIDE_CELL.search(buf, 0, cut)
                if found:
                    raise SpreadsheetError(
                        _("A sheet has data beyond column %(column)s. Delete the far-right cells or copy only the table into a new workbook.")
                        % {"column": MAX_COLUMN_LETTERS}
                    )
                if last_value_row > row_limit + 100:
                    raise too_many_rows(last_value_row, row_limit)
                if not chunk:
                    break
                tail = buf[cut:]
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError) as exc:
        raise SpreadsheetError(_("The file is damaged: it is not a valid .xlsx workbook.")) from exc


def last_value_tag(buf: bytes, cut: int) -> int:
    """Position of the last value tag before `cut`, or -1. Values sit every few dozen bytes, so the
    block's last 64 KB nearly always hold one: tags absent from the file (most of VALUE_TAGS) are
    then not searched for through the whole megabyte. Any tag found there is later than every tag
    before it, so the answer is the same as searching the whole block."""
    start = max(0, cut - TAIL_WINDOW)
    position = max(buf.rfind(tag, start, cut) for tag in VALUE_TAGS)
    if position >= 0 or start == 0:
        return position
    return max(buf.rfind(tag, 0, start + 8) for tag in VALUE_TAGS)


def row_at(buf: bytes, position: int, rows_before: int) -> int:
    """Number of the row open at `position`: from its r attribute, or by counting row tags when
    the writer left the attribute out."""
    start = max(buf.rfind(b"<row", 0, position), buf.rfind(b":row", 0, position))
    if start < 0:
        return rows_before
    end = buf.find(b">", start)
    number = ROW_NUMBER.search(buf, start, end if end > 0 else len(buf))
    if number:
        return int(number.group(1))
    return rows_before + buf.count(b"<row", 0, position) + buf.count(b":row", 0, position)


def too_many_rows(rows: int, limit: int) -> SpreadsheetError:
    return SpreadsheetError(
        _("A sheet has data down to row %(rows)s; at most %(limit)s rows can be imported at once. Delete the empty or surplus rows, or split the file.")
        % {"rows": f"{rows:,}", "limit": f"{limit:,}"}
    )


def read_workbook(handle, row_limit: int) -> list[Sheet]:
    if not isinstance(handle, Path):
        handle.seek(0)
    try:
        book = (
            python_calamine.CalamineWorkbook.from_path(str(handle))
            if isinstance(handle, Path)
            else python_calamine.CalamineWorkbook.from_filelike(handle)
        )
    except python_calamine.PasswordError as exc:
        raise SpreadsheetError(_("The workbook is protected by a password. Remove the password and upload it again.")) from exc
    except Exception as exc:  # calamine raises several unrelated types for damaged files
        raise SpreadsheetError(_("The file could not be read as a spreadsheet (%(detail)s).") % {"detail": str(exc)[:120]}) from exc
    sheets = []
    for name in book.sheet_names:
        try:
            grid = book.get_sheet_by_name(name)
        except Exception as exc:
            raise SpreadsheetError(_("Sheet “%(sheet)s” could not be read (%(detail)s).") % {"sheet": name, "detail": str(exc)[:120]}) from exc
        sheets.append(sheet_from_rows(name, grid.iter_rows(), grid.start[0] + 1, row_limit))
    return sheets


def sheet_from_rows(name: str, rows, first_number: int = 1, row_limit: int | None = None) -> Sheet:
    """Keep non-blank rows with their Excel numbers; refuse sheets with too many of them."""
    sheet = Sheet(name)
    row_limit = max_rows() if row_limit is None else row_limit
    limit = row_limit + 100
    kept, numbers = sheet.rows, sheet.numbers
    for number, row in enumerate(rows, first_number):
        first = row[0] if row else None  # usually decides: the first cell of a data row is filled
        if (first is not None and first != "" and not (isinstance(first, str) and first.isspace())) or any(
            cell != "" and cell is not None and not (isinstance(cell, str) and cell.isspace()) for cell in row
        ):
            kept.append(row)
            numbers.append(number)
            if len(kept) > limit:
                raise too_many_rows(number, row_limit)
    return sheet


def read_csv(source: bytes | Path, name: str = "", row_limit: int | None = None) -> Sheet:
    """CSV in UTF-8 (with or without BOM) or GB18030, comma, tab or semicolon separated, read as a
    stream (a local file is never held in memory as bytes and text at once)."""
    sheet_name = Path(name).stem if name else "CSV"
    for encoding in ("utf-8-sig", "gb18030"):
        binary = io.BytesIO(source) if isinstance(source, bytes) else Path(source).open("rb")
        with io.TextIOWrapper(binary, encoding=encoding, newline="") as text:
            try:
                sample = text.read(65536)
                text.seek(0)
                try:
                    dialect = csv.Sniffer().sniff(sample, delimiters=",\t;")
                except csv.Error:
                    dialect = csv.excel
                reader = csv.reader(text, dialect)
                try:
                    return sheet_from_rows(sheet_name, reader, 1, row_limit)
                except csv.Error as exc:
                    raise csv_problem(reader.line_num + 1, exc) from exc
            except UnicodeDecodeError:
                continue
    raise SpreadsheetError(_("The CSV file is neither UTF-8 nor GB18030 text. Save it again as “CSV UTF-8”."))


def csv_problem(line: int, exc: csv.Error) -> SpreadsheetError:
    """A CSV the reader cannot parse, said in words (Python's csv module speaks only English)."""
    if "field larger than field limit" in str(exc):
        return SpreadsheetError(
            _("Line %(line)s of the CSV file has a cell of more than %(limit)s characters; it is not table data (an unclosed quote?).")
            % {"line": f"{line:,}", "limit": f"{csv.field_size_limit():,}"}
        )
    return SpreadsheetError(_("Line %(line)s of the CSV file cannot be read (a stray quote or a NUL character?).") % {"line": f"{line:,}"})
