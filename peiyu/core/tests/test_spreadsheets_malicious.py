"""Malicious or broken files get a clear error within seconds, before anything large is allocated:
not a spreadsheet, a zip bomb, a value a million rows down, a million empty rows, far-right data,
a file over the size limit."""

import io
import time
import zipfile

import pytest
from django.utils import translation

from peiyu.core.spreadsheets import SpreadsheetError, read_file

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    "</Types>"
)
ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)
WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="数据" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
    "</Relationships>"
)
SHEET_HEAD = '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
SHEET_TAIL = "</sheetData></worksheet>"


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def workbook(rows_xml) -> bytes:
    """A minimal .xlsx whose only sheet has the given <row> elements (an iterable of str)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", ROOT_RELS)
        archive.writestr("xl/workbook.xml", WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        with archive.open("xl/worksheets/sheet1.xml", "w") as sheet:
            sheet.write(SHEET_HEAD.encode())
            for chunk in rows_xml:
                sheet.write(chunk.encode())
            sheet.write(SHEET_TAIL.encode())
    return buffer.getvalue()


def cell(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


HEADER = '<row r="1">' + cell("A1", "统一社会信用代码") + cell("B1", "企业名称") + "</row>"


def refused(data: bytes, name: str = "x.xlsx") -> str:
    started = time.monotonic()
    with pytest.raises(SpreadsheetError) as error:
        read_file(data, name)
    assert time.monotonic() - started < 5
    return error.value.message


def test_minimal_workbook_reads():
    [sheet] = read_file(workbook([HEADER, '<row r="2">' + cell("A2", "X") + "</row>"]))
    assert sheet.rows == [["统一社会信用代码", "企业名称"], ["X", ""]] and sheet.numbers == [1, 2]


def test_value_a_million_rows_down_is_refused_before_reading():
    message = refused(workbook([HEADER, '<row r="1000000">' + cell("A1000000", "x") + "</row>"]))
    assert "row 1,000,000" in message


def test_a_million_empty_formatted_rows_read_quickly():
    rows = (f'<row r="{n}"><c r="A{n}" s="0"/><c r="B{n}" s="0"/></row>' for n in range(2, 1_000_002))
    data = workbook([HEADER, *rows])
    started = time.monotonic()
    [sheet] = read_file(data)
    assert time.monotonic() - started < 5
    assert sheet.rows == [["统一社会信用代码", "企业名称"]]


def test_a_million_empty_csv_lines_are_skipped():
    started = time.monotonic()
    [sheet] = read_file("统一社会信用代码,企业名称\n".encode() + b",\n" * 1_000_000)
    assert time.monotonic() - started < 5 and len(sheet.rows) == 1


def test_zip_bomb_is_refused_from_its_declared_size():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", WORKBOOK)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            block = b"\0" * (1 << 22)
            for _ in range(128):  # 512 MB of zeros, about 0.5 MB packed
                sheet.write(block)
    data = buffer.getvalue()
    assert len(data) < 2_000_000
    assert "unpacks to 536 MB" in refused(data)


def test_data_far_to_the_right_is_refused():
    assert "beyond column BZ" in refused(workbook([HEADER, '<row r="2">' + cell("XFD2", "x") + "</row>"]))


def test_file_over_the_size_limit_is_refused_at_once(settings):
    settings.PEIYU_UPLOAD_MAX_BYTES = 20 * 1024 * 1024
    assert "at most 20 MB" in refused(b"a,b\n" * (50 * 1024 * 1024 // 4), "big.csv")


@pytest.mark.parametrize(("data", "expected"), [
    (b"%PDF-1.7\n\x00\x00binary", "not a spreadsheet"),
    (b"<html><body><table><tr><td>1</td></tr></table></body></html>", "web page"),
    (b"PK\x03\x04" + b"\x00" * 200, "damaged"),
    (b"", "empty"),
])
def test_not_a_spreadsheet(data, expected):
    assert expected in refused(data)


def test_zip_that_is_not_a_workbook():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "hello")
    assert "not an Excel workbook" in refused(buffer.getvalue())
