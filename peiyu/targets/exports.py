"""The assessment as the bureau files it (.xlsx and .docx: 项目 / 指标 / 目标任务 / 标准分 / 评分方法 /
完成值 / 考核分, then the ranking) and a plan's progress table (.xlsx)."""

import io
from decimal import Decimal

import xlsxwriter
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from peiyu.targets.templatetags.targets import fmt

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def disposition(name: str) -> str:
    return content_disposition_header(True, name)


def rule_text(item) -> str:
    parts = [_("full points at the floor, in proportion below it")]
    if item.minimum:
        parts.append(_("zero below %(m)s%% of the floor") % {"m": f"{item.minimum.normalize():f}"})
    if item.bonus_cap:
        parts.append(
            _("bonus up to %(cap)s points at the stretch") % {"cap": f"{item.bonus_cap.normalize():f}"}
        )
    if item.veto:
        parts = [_("veto item: missing the floor zeroes the total")]
    return "；".join(parts)


def _text(value) -> str:
    """Cells are written as text (never formulas), numbers as numbers."""
    return "" if value is None else str(value)


def scheme_xlsx(scheme, items, results) -> bytes:
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True, "strings_to_formulas": False})
    title = book.add_format({"bold": True, "font_size": 14, "align": "center"})
    head = book.add_format(
        {"bold": True, "border": 1, "bg_color": "#E8F0F8", "align": "center", "text_wrap": True}
    )
    cell = book.add_format({"border": 1, "text_wrap": True})
    num = book.add_format({"border": 1, "num_format": "0.00"})
    sheet = book.add_worksheet(_("Scoring sheet"))
    columns = [_("No."), _("Indicator"), _("Unit of measure"), _("Standard points"), _("Scoring method")]
    sheet.merge_range(0, 0, 0, len(columns) - 1, scheme.name, title)
    for c, name in enumerate(columns):
        sheet.write_string(2, c, name, head)
    for r, item in enumerate(items, 3):
        sheet.write_number(r, 0, r - 2, cell)
        sheet.write_string(r, 1, item.indicator.name, cell)
        sheet.write_string(r, 2, item.indicator.unit, cell)
        sheet.write_number(r, 3, float(item.weight), num)
        sheet.write_string(r, 4, rule_text(item), cell)
    sheet.set_column(0, 0, 6)
    sheet.set_column(1, 1, 28)
    sheet.set_column(4, 4, 50)

    ranking = book.add_worksheet(_("Ranking"))
    header = [_("Rank"), _("Unit")]
    for item in items:
        header += [
            f"{item.indicator.name}{_(' target')}",
            f"{item.indicator.name}{_(' actual')}",
            f"{item.indicator.name}{_(' points')}",
        ]
    header += [_("Extra points and deductions"), _("Total"), _("Note")]
    ranking.merge_range(0, 0, 0, len(header) - 1, f"{scheme.name} · {_('Ranking')}", title)
    for c, name in enumerate(header):
        ranking.write_string(2, c, name, head)
    for r, result in enumerate(results, 3):
        ranking.write_number(r, 0, result.rank, cell)
        ranking.write_string(r, 1, result.unit.name, cell)
        c = 2
        for item in items:
            found = result.items.get(item.indicator_id)
            if found:
                score, p = found
                ranking.write_string(r, c, fmt(p.target.floor, item.indicator.unit), cell)
                ranking.write_string(r, c + 1, fmt(p.actual, item.indicator.unit), cell)
                ranking.write_number(r, c + 2, float(score.points), num)
            else:
                for k in range(3):
                    ranking.write_string(r, c + k, "—", cell)
            c += 3
        ranking.write_number(r, c, float(result.adjustment_total), num)
        ranking.write_number(r, c + 1, float(result.total), num)
        ranking.write_string(
            r, c + 2, _("vetoed") if result.vetoed else "；".join(a.reason for a in result.adjustments), cell
        )
    ranking.set_column(1, 1, 16)
    ranking.set_column(2, len(header), 12)
    book.close()
    return out.getvalue()


def scheme_docx(scheme, items, results) -> bytes:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    doc = Document()
    heading = doc.add_heading(scheme.name, level=1)
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    doc.add_paragraph(_("Scoring sheet"))
    table = doc.add_table(rows=1, cols=4)
    table.style = "Table Grid"
    for c, name in enumerate(
        [_("Indicator"), _("Unit of measure"), _("Standard points"), _("Scoring method")]
    ):
        table.rows[0].cells[c].text = name
    for item in items:
        row = table.add_row().cells
        row[0].text, row[1].text = item.indicator.name, item.indicator.unit
        row[2].text, row[3].text = f"{item.weight.normalize():f}", rule_text(item)
    doc.add_paragraph("")
    doc.add_paragraph(_("Ranking"))
    table = doc.add_table(rows=1, cols=4)
    table.style = "Table Grid"
    for c, name in enumerate([_("Rank"), _("Unit"), _("Total"), _("Note")]):
        table.rows[0].cells[c].text = name
    for result in results:
        row = table.add_row().cells
        row[0].text, row[1].text = str(result.rank), result.unit.name
        row[2].text = f"{result.total:.2f}"
        row[3].text = _("vetoed") if result.vetoed else "；".join(a.reason for a in result.adjustments)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def progress_xlsx(plan, progress, as_of) -> bytes:
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True, "strings_to_formulas": False})
    head = book.add_format({"bold": True, "border": 1, "bg_color": "#E8F0F8", "text_wrap": True})
    cell = book.add_format({"border": 1})
    sheet = book.add_worksheet(_("Progress"))
    sheet.write_string(0, 0, f"{plan.name}（{_('as of')} {as_of.year}年{as_of.month}月{as_of.day}日）")
    columns = [
        _("Indicator"),
        _("Unit"),
        _("Unit of measure"),
        _("Baseline"),
        _("Floor"),
        _("Stretch"),
        _("Actual value"),
        _("Completion of floor (%)"),
        _("Completion of stretch (%)"),
        _("Elapsed share (working days, %)"),
        _("Ahead of schedule (points)"),
        _("Status"),
    ]
    for c, name in enumerate(columns):
        sheet.write_string(2, c, name, head)
    status = {
        "green": _("On schedule"),
        "yellow": _("Slightly behind"),
        "red": _("Behind schedule"),
        "grey": _("No value yet"),
    }
    for r, p in enumerate(progress, 3):
        t, unit = p.target, p.target.indicator.unit
        values = [
            t.indicator.name,
            t.unit.name,
            unit,
            fmt(t.baseline, unit) if t.baseline is not None else "",
            fmt(t.floor, unit),
            fmt(t.stretch, unit) if t.stretch is not None else "",
            fmt(p.actual, unit),
        ]
        for c, v in enumerate(values):
            sheet.write_string(r, c, v, cell)
        for c, v in enumerate([p.completion, p.stretch_completion, p.elapsed, p.gap], len(values)):
            sheet.write_number(r, c, float(v), cell) if v is not None else sheet.write_string(r, c, "—", cell)
        sheet.write_string(r, len(columns) - 1, status[p.light], cell)
    sheet.set_column(0, 0, 28)
    sheet.set_column(1, 1, 14)
    sheet.set_column(2, len(columns), 12)
    book.close()
    return out.getvalue()


__all__ = ["Decimal"]
