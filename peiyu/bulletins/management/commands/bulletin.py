"""peiyu bulletin --template quarterly|status --period 2025-Q3|2009 [--unit CODE] --out 公报.docx|.xlsx|.html"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.template.loader import render_to_string

from peiyu.bulletins import documents, services
from peiyu.bulletins.models import Bulletin, BulletinTemplate
from peiyu.bulletins.shipped import ensure_shipped
from peiyu.core.models import Unit
from peiyu.core.periods import Period


class Command(BaseCommand):
    help = "Generate a bulletin (统计公报 / 发展现状) for a period and a unit, as .docx, .xlsx or .html."

    def add_arguments(self, parser):
        parser.add_argument("--template", required=True, help="template code: quarterly or status")
        parser.add_argument("--period", required=True, help="2025-Q3, 2009 or 2025-01..2025-08")
        parser.add_argument("--unit", help="unit code (default: the district)")
        parser.add_argument("--out", required=True, help="output file: .docx, .xlsx or .html")
        parser.add_argument("--archive", action="store_true", help="also keep it in the archive as a draft")

    def handle(self, *args, template, period, unit, out, archive, **options):
        ensure_shipped()
        found = BulletinTemplate.objects.filter(code=template).first()
        if found is None:
            codes = "、".join(BulletinTemplate.objects.values_list("code", flat=True))
            raise CommandError(f"没有模板“{template}”；可用的模板：{codes}")
        try:
            period = Period.parse(period)
        except ValueError as error:
            raise CommandError(str(error)) from None
        target = (
            Unit.objects.filter(code=unit).first() if unit else Unit.objects.filter(kind="district").first()
        )
        if target is None:
            raise CommandError(
                f"没有代码为“{unit}”的单位。" if unit else "还没有区县单位：请用 --unit 指定。"
            )
        path = Path(out)
        suffix = path.suffix.lower()
        if suffix not in (".docx", ".xlsx", ".html"):
            raise CommandError("--out 的文件须以 .docx、.xlsx 或 .html 结尾。")
        frozen, snapshot, docx, xlsx, doc = services.build(found, target, period)
        if suffix == ".docx":
            path.write_bytes(docx)
        elif suffix == ".xlsx":
            path.write_bytes(xlsx)
        else:
            path.write_text(render_to_string("bulletins/standalone.html", {"doc": doc}), encoding="utf-8")
        if archive:
            Bulletin.objects.create(
                template=found,
                unit=target,
                period=period.code,
                title=doc["title"],
                frozen_template=frozen,
                snapshot=snapshot,
                docx=docx,
                xlsx=xlsx,
            )
        missing = "；未登记的指标：" + "、".join(doc["missing_metrics"]) if doc["missing_metrics"] else ""
        self.stdout.write(f"{doc['title']} → {path}{missing}")


__all__ = ["documents"]
