"""Files out of the services app: the financing ledger and its import template, the 免申即享 push
list of a policy, and the printed growth diagnosis (.docx)."""

import io
from urllib.parse import quote

from django.utils import timezone

from peiyu.core.spreadsheets import Column
from peiyu.core.spreadsheets.columns import CODE, TEXT
from peiyu.core.spreadsheets.writing import XlsxTable
from peiyu.services.importing import COLUMNS as FINANCING_COLUMNS


def disposition(filename: str) -> str:
    """An attachment header that keeps a Chinese file name (RFC 5987)."""
    return f"attachment; filename=\"export.xlsx\"; filename*=utf-8''{quote(filename)}"


def financing_xlsx(qs) -> bytes:
    out = io.BytesIO()
    columns = [*FINANCING_COLUMNS, Column("unit", "所属单位", TEXT, width=16)]
    table = XlsxTable(
        out, columns, f"融资服务台账（{timezone.localdate():%Y年%m月%d日}导出，金额单位：万元）", "融资服务"
    )
    for f in qs.iterator(chunk_size=2000):
        table.write(
            [
                f.enterprise.uscc,
                f.enterprise.name,
                f.get_kind_display(),
                f.product,
                f.lender,
                f.amount,
                f.date,
                f.term_months,
                str(f.enterprise.unit),
            ]
        )
    table.close()
    return out.getvalue()


def financing_template() -> bytes:
    out = io.BytesIO()
    table = XlsxTable(
        out,
        FINANCING_COLUMNS,
        "融资服务月报（金额单位：万元）",
        "融资服务",
        notes=[
            "填表说明",
            "融资类型填写：贷款、担保、股权投资、知识产权质押；不填按贷款计。",
            "同一企业、日期、机构、产品和金额的记录已导入的，再次导入时跳过。",
        ],
    )
    table.close()
    return out.getvalue()


PUSH_COLUMNS = [
    Column("uscc", "统一社会信用代码", CODE, width=22),
    Column("name", "企业名称", TEXT, width=30),
    Column("unit", "所属单位", TEXT, width=16),
    Column("contact", "联系人", TEXT),
    Column("phone", "联系电话", TEXT, width=16),
    Column("status", "匹配结果", TEXT),
    Column("missing", "尚缺条件", TEXT, width=40),
]


def policy_push_xlsx(policy, scope, qualifies: list[int], near: dict, user) -> bytes:
    """Qualifying enterprises first, then near ones with what they miss; phones masked as on pages."""
    from peiyu.core.templatetags.peiyu import phone_for
    from peiyu.services.policies import requirement

    texts = [requirement(c) for c in policy.conditions.all()]
    found = {e.pk: e for e in scope.filter(pk__in=[*qualifies, *near]).select_related("unit")}
    out = io.BytesIO()
    table = XlsxTable(
        out,
        PUSH_COLUMNS,
        f"{policy.title} 免申即享推送名单（{timezone.localdate():%Y年%m月%d日}）",
        "推送名单",
    )
    for pk in sorted(qualifies, key=lambda i: found[i].name if i in found else ""):
        e = found.get(pk)
        if e:
            table.write(
                [e.uscc, e.name, str(e.unit), e.contact_name, phone_for(e.contact_phone, user), "符合", ""]
            )
    for pk, missing in sorted(near.items(), key=lambda kv: found[kv[0]].name if kv[0] in found else ""):
        e = found.get(pk)
        if e:
            table.write(
                [
                    e.uscc,
                    e.name,
                    str(e.unit),
                    e.contact_name,
                    phone_for(e.contact_phone, user),
                    "接近符合",
                    "；".join(texts[i] for i in missing),
                ]
            )
    table.close()
    return out.getvalue()


def diagnosis_docx(ctx: dict, record) -> bytes:
    """The growth diagnosis as a Word document the staff print and file."""
    from docx import Document

    enterprise = ctx["object"]
    doc = Document()
    doc.add_heading(f"{enterprise.name} 成长诊断书", level=1)
    doc.add_paragraph(f"统一社会信用代码：{enterprise.uscc}    所属单位：{enterprise.unit}")
    if ctx.get("year"):
        doc.add_paragraph(f"诊断依据：{ctx['year']}年度指标")
    doc.add_heading("一、评价结果与差距", level=2)
    for record_set, result in ctx.get("results", []):
        outcome = "符合" if result.eligible else ("待专家评分" if result.eligible is None else "暂不符合")
        doc.add_paragraph(f"{record_set.name}：{outcome}", style="List Bullet")
        for gap in getattr(result, "gaps", [])[:5]:
            doc.add_paragraph(f"差距：{gap.message}", style="List Bullet 2")
    doc.add_heading("二、可享受的政策", level=2)
    fits = ctx.get("fits", [])
    for fit in fits:
        state = "符合" if fit.qualifies else "接近符合，尚缺：" + "；".join(c[0] for c in fit.missing)
        doc.add_paragraph(f"{fit.policy.title}（{fit.policy.benefit}）：{state}", style="List Bullet")
    if not fits:
        doc.add_paragraph("暂无匹配的政策。")
    doc.add_heading("三、技术需求对接", level=2)
    for demand, matches in ctx.get("demand_matches", []):
        doc.add_paragraph(f"需求：{demand.title}", style="List Bullet")
        for m in matches:
            doc.add_paragraph(
                f"推荐：{m.post.title}（{m.post.poster}，匹配度 {m.score}）", style="List Bullet 2"
            )
    doc.add_heading("四、诊断意见", level=2)
    labels = [
        ("summary", "总体评价"),
        ("strengths", "优势"),
        ("problems", "问题与风险"),
        ("suggestions", "建议与下一步"),
    ]
    for name, label in labels:
        doc.add_paragraph(f"{label}：")
        doc.add_paragraph(getattr(record, name, "") if record else "")
    doc.add_paragraph("")
    doc.add_paragraph(
        f"诊断人：{record.author if record else ''}        日期：{record.written_on:%Y年%m月%d日}"
        if record
        else "诊断人：                日期：      年    月    日"
    )
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
