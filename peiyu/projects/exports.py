"""The review summary and the funding list as .xlsx (XlsxWriter) and .docx (python-docx), in the
layout the bureau files: title, 万元 with two decimals, a totals row."""

import io
import re
from collections import OrderedDict
from decimal import ROUND_HALF_UP, Decimal

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from peiyu.projects import services

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ZERO = Decimal(0)


def two(value) -> str:
    return "" if value is None else f"{Decimal(value).quantize(Decimal('0.01'), ROUND_HALF_UP):,}"


def _safe(value):
    """Text that a spreadsheet would read as a formula is written as text."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


def review_rows(call) -> tuple[list[str], list[list]]:
    apps = services.ranking(call)
    head = [
        _("Rank"),
        _("Enterprise"),
        _("Project title"),
        _("Unit"),
        _("Reviews"),
        _("Score"),
        _("Spread"),
        _("Requested (10k yuan)"),
        _("Proposed (10k yuan)"),
        _("State"),
    ]
    rows = []
    for i, a in enumerate(apps, 1):
        n = sum(1 for r in a.reviews.all() if r.submitted_at and not r.excused)
        rows.append(
            [
                i,
                a.enterprise.name,
                a.title,
                str(a.enterprise.unit),
                n,
                a.score,
                a.score_spread,
                a.requested_amount,
                a.proposed_amount,
                str(a.get_state_display()),
            ]
        )
    return head, rows


def funding_totals(projects) -> list[dict]:
    """Per year and programme: the call budgets, approved, planned in tranches and paid — all exact."""
    groups: OrderedDict = OrderedDict()
    for p in projects:
        key = (p.call.year, p.call.programme.name)
        g = groups.setdefault(
            key,
            {
                "year": key[0],
                "programme": key[1],
                "calls": {},
                "approved": ZERO,
                "planned": ZERO,
                "paid": ZERO,
                "n": 0,
            },
        )
        g["calls"][p.call_id] = p.call.budget or ZERO
        g["approved"] += p.approved_amount or ZERO
        g["planned"] += p.planned
        g["paid"] += p.paid
        g["n"] += 1
    out = []
    for g in groups.values():
        g["budget"] = sum(g.pop("calls").values(), ZERO)
        g["left"] = g["budget"] - g["approved"]
        out.append(g)
    return out


def funding_rows(projects) -> tuple[list[str], list[list]]:
    head = [
        _("Year"),
        _("Programme"),
        _("Enterprise"),
        _("Project title"),
        _("Approved (10k yuan)"),
        _("Planned in tranches (10k yuan)"),
        _("Paid (10k yuan)"),
        _("Unpaid (10k yuan)"),
        _("State"),
    ]
    rows = [
        [
            p.call.year,
            p.call.programme.name,
            p.enterprise.name,
            p.title,
            p.approved_amount,
            p.planned,
            p.paid,
            p.approved_amount - p.paid,
            str(p.get_state_display()),
        ]
        for p in projects
    ]
    return head, rows


def _xlsx(title: str, head: list, rows: list, money_cols: set[int], total_cols: set[int]) -> bytes:
    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet(re.sub(r"[\[\]:*?/\\]", "", title)[:31])
    bold = book.add_format({"bold": True})
    money = book.add_format({"num_format": "#,##0.00"})
    head_fmt = book.add_format({"bold": True, "bg_color": "#E8EEF7", "border": 1, "text_wrap": True})
    sheet.write(0, 0, title, book.add_format({"bold": True, "font_size": 14}))
    sheet.write(
        1,
        0,
        _("Exported on %(date)s · money in 10k yuan")
        % {"date": timezone.localdate().strftime("%Y年%m月%d日")},
    )
    for c, h in enumerate(head):
        sheet.write(3, c, h, head_fmt)
        sheet.set_column(c, c, 22 if c in money_cols else 16)
    for r, row in enumerate(rows, 4):
        for c, v in enumerate(row):
            if v is None:
                continue
            if isinstance(v, Decimal):
                sheet.write_number(r, c, float(v), money if c in money_cols else None)
            else:
                sheet.write(r, c, _safe(v))
    total_row = len(rows) + 4
    sheet.write(total_row, 0, _("Total"), bold)
    for c in total_cols:
        sheet.write_number(total_row, c, float(sum((row[c] or ZERO for row in rows), ZERO)), money)
    sheet.freeze_panes(4, 0)
    book.close()
    return buffer.getvalue()


def _docx(title: str, head: list, rows: list, money_cols: set[int], total_cols: set[int]) -> bytes:
    from docx import Document
    from docx.shared import Pt

    doc = Document()
    doc.add_heading(title, level=1)
    doc.add_paragraph(
        _("Exported on %(date)s · money in 10k yuan")
        % {"date": timezone.localdate().strftime("%Y年%m月%d日")}
    )
    table = doc.add_table(rows=1, cols=len(head))
    table.style = "Table Grid"
    for c, h in enumerate(head):
        table.rows[0].cells[c].text = h
    for row in rows:
        cells = table.add_row().cells
        for c, v in enumerate(row):
            cells[c].text = two(v) if isinstance(v, Decimal) else ("" if v is None else str(v))
    cells = table.add_row().cells
    cells[0].text = _("Total")
    for c in total_cols:
        cells[c].text = two(sum((row[c] or ZERO for row in rows), ZERO))
    for row in table.rows:
        for cell in row.cells:
            for p in cell.paragraphs:
                for run in p.runs:
                    run.font.size = Pt(9)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def _render(fmt, title, head, rows, money_cols, total_cols):
    if fmt == "xlsx":
        return _xlsx(title, head, rows, money_cols, total_cols), XLSX, ".xlsx"
    if fmt == "docx":
        return _docx(title, head, rows, money_cols, total_cols), DOCX, ".docx"
    raise Http404


def review_summary(call, fmt: str):
    head, rows = review_rows(call)
    return _render(fmt, _("Review summary: %(call)s") % {"call": call.title}, head, rows, {7, 8}, {7, 8})


def funding_list(projects, fmt: str):
    head, rows = funding_rows(projects)
    return _render(fmt, _("Funding list"), head, rows, {4, 5, 6, 7}, {4, 5, 6, 7})
