"""A written bulletin (engine.document) as files: a .docx in the look of an official document
(方正小标宋 title, 仿宋 body where the fonts exist; Word falls back to SimSun/宋体), every table as
a sheet of an .xlsx, and charts drawn server-side with matplotlib in a CJK font when one is found."""

import io
from functools import lru_cache

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEADING_FONT = "黑体"
SECTION_NUMBERS = "一二三四五六七八九十"
CJK_FONT_CANDIDATES = (
    "Noto Sans CJK SC",
    "Noto Serif CJK SC",
    "WenQuanYi Zen Hei",
    "SimHei",
    "Microsoft YaHei",
)


# — charts ——————————————————————————————————————————————————————————————————————————————


@lru_cache(maxsize=1)
def cjk_font() -> str | None:
    """The first CJK font matplotlib can find, or None (then labels may show as boxes)."""
    from matplotlib import font_manager

    available = {f.name for f in font_manager.fontManager.ttflist}
    return next((name for name in CJK_FONT_CANDIDATES if name in available), None)


def chart_png(chart: dict, width: float = 6.0, height: float = 3.2) -> bytes:
    """One chart as a PNG (bar or pie), drawn headless."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    font = cjk_font()
    rc = {"font.family": [font, "sans-serif"] if font else ["sans-serif"], "axes.unicode_minus": False}
    with matplotlib.rc_context(rc):
        figure = Figure(figsize=(width, height), dpi=120)
        axes = figure.add_subplot()
        labels, values = chart["labels"], chart["values"]
        if chart["chart"] == "pie" and any(values):
            # small slices get no label of their own (they would overlap): the legend names them all
            wedges, _texts, _pcts = axes.pie(
                values,
                autopct=lambda p: f"{p:.1f}%" if p >= 3 else "",
                startangle=90,
                counterclock=False,
                pctdistance=0.75,
                textprops={"fontsize": 8},
            )
            axes.legend(
                wedges,
                [f"{label} {value:g}" for label, value in zip(labels, values, strict=True)],
                loc="center left",
                bbox_to_anchor=(1, 0.5),
                fontsize=8,
                frameon=False,
            )
            axes.axis("equal")
        else:
            bars = axes.bar(range(len(values)), values, color="#2f6db5")
            axes.set_xticks(
                range(len(values)),
                labels,
                rotation=30 if len(labels) > 5 else 0,
                ha="right" if len(labels) > 5 else "center",
                fontsize=8,
            )
            axes.bar_label(bars, fontsize=7)
            axes.spines[["top", "right"]].set_visible(False)
        axes.set_title(chart["title"], fontsize=10)
        # fixed margins: tight_layout draws the CJK labels twice and doubles the time
        figure.subplots_adjust(
            left=0.08, right=0.98, top=0.88, bottom=0.3 if len(chart["labels"]) > 5 else 0.15
        )
        out = io.BytesIO()
        figure.savefig(out, format="png")
        return out.getvalue()


# — .docx ———————————————————————————————————————————————————————————————————————————————


def set_font(run, name: str, size: float, bold: bool = False) -> None:
    run.font.name = name
    run.font.size = Pt(size)
    run.font.bold = bold
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)


def paragraph(doc, text: str, font: str = BODY_FONT, size: float = 16, bold=False, align=None, indent=True):
    p = doc.add_paragraph()
    if align is not None:
        p.alignment = align
    if indent:
        p.paragraph_format.first_line_indent = Pt(size * 2)
    p.paragraph_format.line_spacing = Pt(28)
    set_font(p.add_run(text), font, size, bold)
    return p


def docx_table(doc, table: dict) -> None:
    if table.get("title"):
        paragraph(doc, table["title"], HEADING_FONT, 12, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)
    header = table["header"]
    grid = doc.add_table(rows=len(table["rows"]) + 1, cols=len(header))  # all rows at once: add_row copies
    grid.style = "Table Grid"
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    label_column = 1 if header[0] == "名次" else 0
    for r, (row, texts) in enumerate(
        zip(grid.rows, [header] + [line["text"] for line in table["rows"]], strict=True)
    ):
        bold = r > 0 and table["rows"][r - 1]["total"]
        for i, (cell, text) in enumerate(zip(row.cells, texts, strict=True)):
            p = cell.paragraphs[0]
            if r and i != label_column:
                p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            set_font(p.add_run(text), HEADING_FONT if r == 0 else BODY_FONT, 10.5, bold=bold)


def docx_bytes(doc_data: dict, charts: bool = True) -> bytes:
    """The bulletin as a Word document: title, date, numbered sections, tables and chart images."""
    doc = Document()
    section = doc.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)
    section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
    section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)
    normal = doc.styles["Normal"]
    normal.font.name = BODY_FONT
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)
    paragraph(doc, doc_data["title"], TITLE_FONT, 22, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)
    paragraph(doc, doc_data["date"], BODY_FONT, 16, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)
    for number, part in enumerate(doc_data["sections"]):
        heading = f"{SECTION_NUMBERS[number] if number < 10 else number + 1}、{part['title']}"
        paragraph(doc, heading, HEADING_FONT, 16)
        for block in part["blocks"]:
            if block["type"] == "text":
                paragraph(doc, block["text"])
            elif block["type"] == "table":
                docx_table(doc, block)
            elif block["type"] == "chart" and charts:
                doc.add_picture(io.BytesIO(chart_png(block)), width=Cm(15))
                doc.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
    if doc_data.get("inputs"):
        paragraph(
            doc,
            "注：本公报所用填报数及来源："
            + "；".join(
                f"{key}={item['value'].rstrip('0').rstrip('.')}（{item['source']}）"
                for key, item in doc_data["inputs"].items()
            )
            + "。",
            BODY_FONT,
            12,
        )
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


# — .xlsx ———————————————————————————————————————————————————————————————————————————————


def xlsx_bytes(doc_data: dict) -> bytes:
    """Every table of the bulletin as a sheet: a title row, the headings, numbers as numbers
    (rounded as the page writes them, in the unit the heading names)."""
    import xlsxwriter

    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    title = book.add_format({"bold": True, "font_size": 14})
    head = book.add_format(
        {"bold": True, "border": 1, "bg_color": "#DDEBF7", "text_wrap": True, "align": "center"}
    )
    body = book.add_format({"border": 1})
    bold = book.add_format({"border": 1, "bold": True})
    used = set()
    text_sheet = book.add_worksheet("正文")
    text_sheet.set_column(0, 0, 120)
    text_sheet.write(0, 0, doc_data["title"], title)
    row = 1
    for part in doc_data["sections"]:
        text_sheet.write(row, 0, part["title"], bold)
        row += 1
        for block in part["blocks"]:
            if block["type"] == "text":
                text_sheet.write(row, 0, block["text"])
                row += 1
    for part in doc_data["sections"]:
        for block in part["blocks"]:
            if block["type"] != "table":
                continue
            name = (block.get("title") or block["id"])[:28]
            while name in used:
                name = name[:26] + str(len(used))
            used.add(name)
            sheet = book.add_worksheet(name)
            sheet.write(0, 0, block.get("title", ""), title)
            sheet.write(1, 0, f"{doc_data['unit']} {doc_data['period']}")
            for c, text in enumerate(block["header"]):
                sheet.write(2, c, text, head)
                sheet.set_column(c, c, 16 if c else 22)
            for r, line in enumerate(block["rows"], start=3):
                fmt = bold if line["total"] else body
                for c, (value, text) in enumerate(zip(line["cells"], line["text"], strict=True)):
                    if isinstance(value, (int, float)) and text not in ("—",):
                        sheet.write_number(r, c, value, fmt)
                    else:
                        sheet.write_string(r, c, str(text), fmt)
    book.close()
    return out.getvalue()
