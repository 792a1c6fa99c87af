"""Exports of the evaluation pages (.xlsx with Chinese headings, safe cells): the cultivation pools."""

import io

import xlsxwriter

from peiyu.evaluation.outputs import safe

POOL_HEADERS = ["统一社会信用代码", "企业名称", "所属单位", "最低得分", "最高得分", "未满足条件", "差距"]


def pools_xlsx(found: list, year: int, margin: int) -> bytes:
    """One sheet per ladder step, listing its near-miss enterprises and their gaps."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False})
    bold = book.add_format({"bold": True, "bg_color": "#E7F3EF"})
    title = book.add_format({"bold": True, "font_size": 13})
    for i, pool in enumerate(found, start=1):
        sheet = book.add_worksheet(f"{i}-{pool.step.code}"[:31])
        sheet.write(0, 0, f"{pool.step.name} 培育库（{year}年，差距{margin}%以内）", title)
        sheet.write_row(2, 0, POOL_HEADERS, bold)
        for r, row in enumerate(pool.rows, start=3):
            unit = row["enterprise"].unit.name if row["enterprise"] else ""
            values = [row["uscc"], row["name"], unit, row["score_min"], row["score_max"], "；".join(row["failed"]), "；".join(row["gaps"])]
            for c, value in enumerate(values):
                if isinstance(value, str):
                    sheet.write_string(r, c, safe(value))
                elif value is not None:
                    sheet.write_number(r, c, value)
        sheet.freeze_panes(3, 2)
        sheet.set_column(0, 0, 22)
        sheet.set_column(1, 1, 30)
        sheet.set_column(2, 4, 12)
        sheet.set_column(5, 6, 50)
    if not found:
        book.add_worksheet("-")
    book.close()
    return buffer.getvalue()
