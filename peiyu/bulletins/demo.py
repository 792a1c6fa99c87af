"""Demo data of the bulletins app: the reported figures seed 001 implies for 2009 (chosen so the
shares it prints come out exactly: 12.4%, 51.95%, 95%, 98%, 5倍, 6倍), the shipped templates, and
the 2009 development-status section archived and published (no charts drawn: a fast load)."""

from decimal import Decimal

from django.utils import timezone

from peiyu.bulletins import documents, engine
from peiyu.bulletins.models import Bulletin, BulletinState, BulletinTemplate, ReportedInput
from peiyu.bulletins.shipped import ensure_shipped
from peiyu.core.models import Unit
from peiyu.core.periods import Period

SOURCE = "《东丽区科技小巨人成长计划（2011-2015）》推算（演示）"
# 520 ÷ 4194 = 12.4%; 35.6亿 ÷ 68.5274亿 = 51.95%; 995 ÷ 1047 = 95%; 103 ÷ 105 = 98%;
# 520 ÷ 104 = 5倍 ("十五"末); 211 ÷ 35 = 6倍.
INPUTS_2009 = {
    "all_smes": Decimal(4194),
    "sme_taxes": Decimal(685274),
    "district_patents": Decimal(1047),
    "district_inventions": Decimal(105),
    "base_count": Decimal(104),
    "base_emerging": Decimal(35),
}


def load() -> None:
    ensure_shipped()
    district = Unit.objects.filter(kind="district").first()
    if district is None:
        return
    for key, value in INPUTS_2009.items():
        ReportedInput.objects.update_or_create(
            unit=district, period="2009", key=key, defaults={"value": value, "source": SOURCE}
        )
    template = BulletinTemplate.objects.get(code="status")
    period = Period.year(2009)
    inputs = {key: (value, SOURCE) for key, value in INPUTS_2009.items()}
    snapshot = engine.compute(template.body, district, period, inputs, template.settings)
    doc = engine.document(template.body, snapshot, template.title)
    Bulletin.objects.create(
        template=template,
        unit=district,
        period=period.code,
        title=doc["title"],
        state=BulletinState.PUBLISHED,
        published_at=timezone.now(),
        frozen_template={
            "body": template.body,
            "title": template.title,
            "settings": template.settings,
            "name": template.name,
        },
        snapshot=snapshot,
        docx=documents.docx_bytes(doc, charts=False),
        xlsx=documents.xlsx_bytes(doc),
    )
