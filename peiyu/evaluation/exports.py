"""Exports of the evaluation pages (.xlsx with Chinese headings, safe cells): the cultivation pools."""

import io
import re

import xlsxwriter
from django.utils.translation import gettext as _

from peiyu.core.codes import mask_phone
from peiyu.evaluation.alerts import days_left
from peiyu.evaluation.outputs import safe

POOL_HEADERS = ["统一社会信用代码", "企业名称", "所属单位", "最低得分", "最高得分", "原因", "差距", "其他方案"]
SHEET_NAME_MAX = 31  # Excel's limit
FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def sheet_name(title: str, taken: set[str]) -> str:
    """An Excel sheet name from a rule set's Chinese name: forbidden characters replaced, at most 31
    characters, unique within the workbook."""
    base = FORBIDDEN.sub("-", title).strip("'")[:SHEET_NAME_MAX] or "-"
    name, n = base, 2
    while name.lower() in taken:
        suffix = f"({n})"
        name, n = base[: SHEET_NAME_MAX - len(suffix)] + suffix, n + 1
    taken.add(name.lower())
    return name


def _pool_sheet(book, formats, name: str, heading: str, rows: list[dict]) -> None:
    bold, title = formats
    sheet = book.add_worksheet(name)
    sheet.write(0, 0, heading, title)
    sheet.write_row(2, 0, POOL_HEADERS, bold)
    for r, row in enumerate(rows, start=3):
        unit = row["enterprise"].unit.name if row["enterprise"] else ""
        values = [row["uscc"], row["name"], unit, row["score_min"], row["score_max"], "；".join(row["reasons"]),
                  "；".join(row["gaps"]), "；".join(row["alternatives"])]
        for c, value in enumerate(values):
            if isinstance(value, str):
                sheet.write_string(r, c, safe(value))
            elif value is not None:
                sheet.write_number(r, c, value)
    sheet.freeze_panes(3, 2)
    sheet.set_column(0, 0, 22)
    sheet.set_column(1, 1, 30)
    sheet.set_column(2, 4, 12)
    sheet.set_column(5, 7, 50)


def pools_xlsx(found: list, year: int, margin: int) -> bytes:
    """One sheet per ladder step, named after its rule set, listing every near-miss enterprise with
    why and its gap; a second sheet per step lists those beyond a ceiling (不可培育：超出上限)."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False})
    formats = (book.add_format({"bold": True, "bg_color": "#E7F3EF"}), book.add_format({"bold": True, "font_size": 13}))
    taken: set[str] = set()
    for pool in found:
        heading = f"{pool.step.name} 培育库（{year}年，差距{margin}%以内）"
        _pool_sheet(book, formats, sheet_name(pool.step.name, taken), heading, pool.rows)
        if pool.over_rows:
            over = f"{pool.step.name} 不可培育：超出上限（{year}年）"
            _pool_sheet(book, formats, sheet_name(f"{pool.step.name[:24]}·超出上限", taken), over, pool.over_rows)
    if not found:
        book.add_worksheet("-")
    book.close()
    return buffer.getvalue()


def _alert_columns(alert) -> list[tuple[str, object]]:
    """(heading, value of a row) for one alert list: who, where, who follows up, then the figures or the certificate."""
    if alert.code == "expiring":
        return [(_("Certificate number"), lambda q, today: q.number), (_("Valid until"), lambda q, today: q.valid_until.isoformat()),
                (_("Days left (negative: days since it ended)"), days_left)]
    return [(_("Revenue (10k yuan)"), lambda y, today: y.revenue), (_("R&D expense (10k yuan)"), lambda y, today: y.rd_expense),
            (_("Valid patents"), lambda y, today: (y.invention_patents or 0) + (y.utility_patents or 0) + (y.design_patents or 0)),
            (_("Patent applications"), lambda y, today: y.patent_applications)]


def alerts_xlsx(alert, rows: list, year: int | None, today, user) -> bytes:
    """One alert list as filtered on its page, with the cadre, contact and follow-up of each firm."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False})
    bold = book.add_format({"bold": True, "bg_color": "#E7F3EF"})
    title = book.add_format({"bold": True, "font_size": 13})
    money = book.add_format({"num_format": "0.00"})
    sheet = book.add_worksheet(_("Alert list"))
    sheet.write(0, 0, f"{alert.title}（{year or ''} · {today.isoformat()}）", title)
    extra = _alert_columns(alert)
    headers = [_("Unified social credit code"), _("Enterprise"), _("Unit"), _("Cadre in charge"), _("Contact person"), _("Contact phone"),
               *[h for h, _f in extra], _("Follow-up")]
    sheet.write_row(2, 0, headers, bold)
    sees = getattr(user, "sees_phones", False)
    for r, row in enumerate(rows, start=3):
        e = row.enterprise
        phone = e.contact_phone if sees or not e.contact_phone else mask_phone(e.contact_phone)
        cadre = str(e.cadre) if e.cadre else ""
        values = [e.uscc, e.name, e.unit.name, cadre, e.contact_name, phone, *[f(row, today) for _h, f in extra], str(alert.follow_up)]
        for c, value in enumerate(values):
            if value is None:
                continue
            if isinstance(value, str):
                sheet.write_string(r, c, safe(value))
            else:
                sheet.write_number(r, c, value, money if not isinstance(value, int) else None)
    sheet.freeze_panes(3, 2)
    sheet.set_column(0, 0, 22)
    sheet.set_column(1, 1, 30)
    sheet.set_column(2, len(headers) - 2, 14)
    sheet.set_column(len(headers) - 1, len(headers) - 1, 36)
    book.close()
    return buffer.getvalue()
