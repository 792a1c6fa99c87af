"""The files the organisation department (组织部) receives: the two-coverages ledger and the snapshot
comparison as .xlsx (a title row, the unit and date, Chinese headings, a rates sheet), and a .docx
summary of the year. Text cells are written as strings, never formulas."""

import io
from urllib.parse import quote

import xlsxwriter
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from peiyu.party.choices import Coverage

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def disposition(name: str) -> str:
    return f"attachment; filename*=utf-8''{quote(name)}"


def cn_date(day) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


class Book:
    """An XlsxWriter workbook with the bureau's sheet layout."""

    def __init__(self, target, constant_memory=False):
        self.book = xlsxwriter.Workbook(
            target,
            {"constant_memory": constant_memory, "strings_to_formulas": False, "strings_to_urls": False},
        )
        self.title = self.book.add_format({"bold": True, "font_size": 16, "align": "center"})
        self.head = self.book.add_format(
            {
                "bold": True,
                "border": 1,
                "align": "center",
                "valign": "vcenter",
                "text_wrap": True,
                "bg_color": "#F2F2F2",
            }
        )
        self.cell = self.book.add_format({"border": 1})
        self.pct = self.book.add_format({"border": 1, "num_format": "0.00"})

    def sheet(self, name, title, subtitle, headings, widths=None):
        sheet = self.book.add_worksheet(name)
        sheet.merge_range(0, 0, 0, len(headings) - 1, title, self.title)
        sheet.merge_range(1, 0, 1, len(headings) - 1, subtitle)
        for col, text in enumerate(headings):
            sheet.write_string(2, col, text, self.head)
            sheet.set_column(col, col, (widths or {}).get(col, 14))
        sheet.freeze_panes(3, 0)
        return sheet

    def row(self, sheet, r, values):
        for col, value in enumerate(values):
            if value is None:
                sheet.write_blank(r, col, None, self.cell)
            elif isinstance(value, str):
                sheet.write_string(r, col, value, self.cell)
            else:
                sheet.write_number(
                    r, col, float(value), self.pct if not isinstance(value, int) else self.cell
                )

    def close(self):
        self.book.close()


def yes(value: bool) -> str:
    return _("Yes") if value else ""


LEDGER_HEADINGS = (
    "序号",
    "单位",
    "企业名称",
    "统一社会信用代码",
    "从业人员数",
    "党员数",
    "未归入的流动党员",
    "覆盖方式",
    "党组织名称",
    "党建指导员",
    "应建未建",
)


def rates_headings():
    return (
        "单位",
        "企业数",
        "单独组建",
        "联合组建覆盖",
        "仅党的工作覆盖",
        "未覆盖",
        "组织覆盖率(%)",
        "单独组建率(%)",
        "工作覆盖率(%)",
        "应建未建",
    )


def rates_values(name, r):
    return [
        name,
        r.enterprises,
        r.own,
        r.joint,
        r.work,
        r.gap,
        r.organisation_rate,
        r.single_rate,
        r.work_rate,
        r.should_build,
    ]


def unit_name(user) -> str:
    return user.unit.name if user.unit_id else _("All units")


def write_ledger(path, entries, user, progress=None) -> int:
    """The live ledger (a filtered queryset of CoverageEntry) and its rates sheet."""
    from peiyu.party.views import rates_table

    book = Book(str(path), constant_memory=True)
    today = timezone.localdate()
    sheet = book.sheet(
        "两个覆盖台账",
        "科技型企业党建“两个覆盖”台账",
        f"填报单位：{unit_name(user)}　　截至：{cn_date(today)}",
        LEDGER_HEADINGS,
        {2: 32, 3: 22, 8: 30},
    )
    labels = dict(Coverage.choices)
    total = entries.count()
    rows = entries.select_related("enterprise", "unit").order_by("unit__path", "enterprise__name", "pk")
    orgs, teachers = _names(rows)
    for n, e in enumerate(rows.iterator(chunk_size=2000), 1):
        book.row(
            sheet,
            n + 2,
            [
                n,
                e.unit.name,
                e.enterprise.name,
                e.enterprise.uscc,
                e.employees,
                e.party_members,
                e.mobile_members,
                str(labels[e.coverage]),
                "、".join(orgs.get(e.enterprise_id, [])),
                "、".join(teachers.get(e.enterprise_id, [])),
                yes(e.should_build),
            ],
        )
        if progress and n % 5000 == 0:
            progress("write", n, total)
    rates = book.sheet(
        "覆盖率汇总", "科技型企业党建“两个覆盖”情况汇总", f"截至：{cn_date(today)}", rates_headings(), {0: 20}
    )
    rows_, top = rates_table(user)
    for r, (unit, figures) in enumerate(rows_, 3):
        book.row(rates, r, rates_values(unit.name, figures))
    if top:
        book.row(rates, len(rows_) + 3, rates_values(_("Total"), top[1]))
    book.close()
    return total


def _names(entries):
    from peiyu.party.models import Instructor, Organisation

    ids = entries.values("enterprise_id")
    orgs, teachers = {}, {}
    for name, ent in Organisation.objects.filter(status="active", enterprises__in=ids).values_list(
        "name", "enterprises"
    ):
        orgs.setdefault(ent, []).append(name)
    for name, ent in Instructor.objects.filter(active=True, enterprises__in=ids).values_list(
        "name", "enterprises"
    ):
        teachers.setdefault(ent, []).append(name)
    return orgs, teachers


def snapshot_response(window, rows, user):
    labels = dict(Coverage.choices)
    out = io.BytesIO()
    book = Book(out)
    sheet = book.sheet(
        "台账快照",
        f"科技型企业党建“两个覆盖”台账（{window}）",
        f"填报单位：{unit_name(user)}　　冻结于：{cn_date(timezone.localtime(window.closed_at))}",
        LEDGER_HEADINGS,
        {2: 32, 3: 22, 8: 30},
    )
    for n, r in enumerate(rows.order_by("unit_name", "enterprise_name", "pk"), 1):
        book.row(
            sheet,
            n + 2,
            [
                n,
                r.unit_name,
                r.enterprise_name,
                r.uscc,
                r.employees,
                r.party_members,
                r.mobile_members,
                str(labels[r.coverage]),
                r.organisations,
                "",
                yes(r.should_build),
            ],
        )
    book.close()
    response = HttpResponse(out.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = disposition(f"两个覆盖台账快照_{window}.xlsx")
    return response


def comparison_response(result, user):
    from peiyu.party.snapshots import snapshot_rates
    from peiyu.party.views import rates_table

    labels = dict(Coverage.choices)
    out = io.BytesIO()
    book = Book(out)
    span = f"{result.earlier} → {result.later}"
    heads = (
        "序号",
        "单位",
        "企业名称",
        "统一社会信用代码",
        f"{result.earlier}覆盖方式",
        f"{result.later}覆盖方式",
        "党组织名称",
        "党员数",
    )
    for name, title, pairs in (
        ("新实现组织覆盖", "新实现党的组织覆盖的企业", result.newly_covered),
        ("空白清零", "原未覆盖、现已覆盖的企业（动态清零）", result.gaps_cleared),
        ("新增空白", "新增未覆盖的企业", result.gaps_new),
    ):
        sheet = book.sheet(
            name, title, f"{unit_name(user)}　　{span}", heads, {2: 32, 3: 22, 4: 20, 5: 20, 6: 30}
        )
        for n, (then, now) in enumerate(pairs, 1):
            book.row(
                sheet,
                n + 2,
                [
                    n,
                    now.unit_name,
                    now.enterprise_name,
                    now.uscc,
                    str(labels[then.coverage]) if then else "（新入库）",
                    str(labels[now.coverage]),
                    now.organisations,
                    now.party_members,
                ],
            )
    sheet = book.sheet("新建党组织", "新建党组织", span, ("序号", "党组织名称", "单位"), {1: 36})
    for n, (_pk, org, unit) in enumerate(result.new_organisations, 1):
        book.row(sheet, n + 2, [n, org, unit])
    heads = (
        "单位",
        f"{result.earlier}组织覆盖率(%)",
        f"{result.later}组织覆盖率(%)",
        f"{result.earlier}工作覆盖率(%)",
        f"{result.later}工作覆盖率(%)",
        f"{result.earlier}应建未建",
        f"{result.later}应建未建",
    )
    sheet = book.sheet("覆盖率对比", "两个覆盖率对比", span, heads, {0: 20})
    before, _t = rates_table(user, lambda units: snapshot_rates(result.earlier, units, user))
    after, _t = rates_table(user, lambda units: snapshot_rates(result.later, units, user))
    for r, ((unit, a), (_u, b)) in enumerate(zip(before, after, strict=True), 3):
        book.row(
            sheet,
            r,
            [
                unit.name,
                a.organisation_rate,
                b.organisation_rate,
                a.work_rate,
                b.work_rate,
                a.should_build,
                b.should_build,
            ],
        )
    book.close()
    response = HttpResponse(out.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = disposition(f"两个覆盖快照对比_{result.earlier}_{result.later}.xlsx")
    return response


def year_report(user, year: int) -> bytes:
    """A .docx summary of the year: coverage by unit, the quotas, activities and the windows."""
    from docx import Document

    from peiyu.party import yearly
    from peiyu.party.choices import ActivityKind
    from peiyu.party.models import UpdateWindow
    from peiyu.party.views import rates_table

    doc = Document()
    doc.add_heading(f"{year}年科技创新领域党建工作情况", level=1)
    rows, top = rates_table(user)
    if top:
        t = top[1]
        doc.add_paragraph(
            f"截至{cn_date(timezone.localdate())}，{top[0].name}共有科技型企业{t.enterprises}家，"
            f"其中单独组建党组织{t.own}家、联合组建覆盖{t.joint}家，党的组织覆盖率{_pct(t.organisation_rate)}；"
            f"通过党建指导员实现党的工作覆盖{t.work}家，工作覆盖率{_pct(t.work_rate)}；尚未覆盖{t.gap}家，其中应建未建{t.should_build}家。"
        )
    table = doc.add_table(rows=1, cols=6)
    table.style = "Table Grid"
    for cell, text in zip(
        table.rows[0].cells,
        ("单位", "企业数", "单独组建", "联合组建", "组织覆盖率", "工作覆盖率"),
        strict=True,
    ):
        cell.text = text
    for unit, r in rows:
        for cell, text in zip(
            table.add_row().cells,
            (
                unit.name,
                str(r.enterprises),
                str(r.own),
                str(r.joint),
                _pct(r.organisation_rate),
                _pct(r.work_rate),
            ),
            strict=True,
        ):
            cell.text = text
    doc.add_heading("年度任务完成情况", level=2)
    data = yearly.numbers(user, year)
    for quota in data["quotas"]:
        doc.add_paragraph(
            f"{quota.label}：完成{quota.done}个，目标{quota.target}个"
            + ("（已完成）" if quota.met else "（未完成）"),
            style="List Bullet",
        )
    doc.add_heading("组织生活与培训", level=2)
    labels = dict(ActivityKind.choices)
    for kind, n in sorted(data["activity_counts"].items()):
        doc.add_paragraph(f"{labels.get(kind, kind)}：{n}次", style="List Bullet")
    short = data["short_count"]
    doc.add_paragraph(
        f"全年科技政策宣讲不少于{data['briefing_target']}次的要求，{data['organisations'] - short}个党组织已达到，{short}个党组织尚未达到。"
    )
    doc.add_heading("“两个覆盖”台账动态更新", level=2)
    for window in UpdateWindow.objects.filter(year=year).order_by("season"):
        state = (
            f"已于{cn_date(timezone.localtime(window.closed_at))}冻结"
            if window.closed_at
            else f"更新中，截止{cn_date(window.due_on)}"
        )
        doc.add_paragraph(f"{window}：{state}", style="List Bullet")
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _pct(value) -> str:
    return "—" if value is None else f"{value}%"
