"""Exporting a ledger as .xlsx and .docx in the layout the bureau files (seed 004's columns, one row
per measure, the item's cells merged down its rows) with progress columns. The export reads
through the user's scope and imports back as the same ledger."""

import io

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from peiyu.ledger.choices import ReportStatus
from peiyu.ledger.deadlines import situation
from peiyu.ledger.models import Item, Measure, Report

HEADINGS = (
    "序号",
    "存在问题",
    "主要表现",
    "整改目标",
    "解决措施",
    "责任领导",
    "责任部门",
    "责任人",
    "完成时限",
    "进展情况",
    "完成进度",
    "状态",
)
ITEM_COLUMNS = (0, 1, 2, 3, 5, 6, 7, 8, 10, 11)  # merged down an item's rows
WIDTHS = (6, 28, 40, 24, 50, 10, 18, 10, 12, 40, 10, 12)


def deadline_cell(item: Item) -> str:
    if item.long_term:
        return "长期"
    if item.deadline_text:
        return item.deadline_text
    d = item.deadline
    return f"{d.year}.{d.month}.{d.day}" if d else ""


def export_items(ledger, user):
    standing = Report.objects.filter(status=ReportStatus.SUBMITTED).order_by("-reported_on", "-pk")
    return (
        Item.objects.for_user(user)
        .filter(ledger=ledger)
        .select_related("ledger")
        .order_by("number", "pk")
        .prefetch_related(
            Prefetch("measures", queryset=Measure.objects.order_by("position")),
            Prefetch("reports", queryset=standing),
        )
    )


def table_rows(ledger, user) -> list[list[list[str]]]:
    """Each item as its rows (one per measure), each row the cells of HEADINGS."""
    out = []
    for item in export_items(ledger, user):
        measures = list(item.measures.all()) or [None]
        reports = list(item.reports.all())
        state = situation(item)
        from peiyu.ledger.choices import Situation

        rows = []
        for measure in measures:
            latest = next((r for r in reports if measure is not None and r.measure_id == measure.pk), None)
            latest = latest or next((r for r in reports if r.measure_id is None), None)
            rows.append(
                [
                    str(item.number),
                    item.problem,
                    item.manifestations,
                    item.goal,
                    measure.text if measure else "",
                    item.leaders_text,
                    item.departments_text,
                    item.persons_text,
                    deadline_cell(item),
                    latest.text if latest else "",
                    f"{item.progress}%",
                    str(Situation(state).label),
                ]
            )
        out.append(rows)
    return out


def xlsx_bytes(ledger, user) -> bytes:
    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(
        buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
    )
    sheet = book.add_worksheet(_("Ledger")[:31])
    title = book.add_format({"bold": True, "font_size": 14, "align": "center"})
    head = book.add_format(
        {
            "bold": True,
            "border": 1,
            "align": "center",
            "valign": "vcenter",
            "bg_color": "#E8F0EC",
            "text_wrap": True,
        }
    )
    cell = book.add_format({"border": 1, "valign": "top", "text_wrap": True})
    sheet.merge_range(0, 0, 0, len(HEADINGS) - 1, ledger.name, title)
    for col, (heading, width) in enumerate(zip(HEADINGS, WIDTHS, strict=True)):
        sheet.write_string(1, col, heading, head)
        sheet.set_column(col, col, width)
    row = 2
    for rows in table_rows(ledger, user):
        for offset, values in enumerate(rows):
            for col, value in enumerate(values):
                if col in ITEM_COLUMNS and len(rows) > 1:
                    if offset == 0:
                        sheet.merge_range(row, col, row + len(rows) - 1, col, value, cell)
                else:
                    sheet.write_string(row + offset, col, value, cell)
        row += len(rows)
    sheet.freeze_panes(2, 0)
    book.close()
    return buffer.getvalue()


def docx_bytes(ledger, user) -> bytes:
    import docx
    from docx.enum.section import WD_ORIENT
    from docx.shared import Pt

    document = docx.Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = section.page_height, section.page_width
    heading = document.add_heading(ledger.name, level=1)
    heading.alignment = 1
    groups = table_rows(ledger, user)
    table = document.add_table(rows=1 + sum(len(g) for g in groups), cols=len(HEADINGS))
    table.style = "Table Grid"
    for col, text in enumerate(HEADINGS):
        table.cell(0, col).text = text
        for run in table.cell(0, col).paragraphs[0].runs:
            run.bold = True
    row = 1
    for rows in groups:
        for offset, values in enumerate(rows):
            for col, value in enumerate(values):
                if col in ITEM_COLUMNS and offset > 0:
                    continue
                table.cell(row + offset, col).text = value
        if len(rows) > 1:
            for col in ITEM_COLUMNS:
                table.cell(row, col).merge(table.cell(row + len(rows) - 1, col))
        row += len(rows)
    for r in table.rows:
        for c in r.cells:
            for p in c.paragraphs:
                for run in p.runs:
                    run.font.size = Pt(9)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def file_name(ledger, extension: str) -> str:
    return f"{ledger.name}.{extension}"
