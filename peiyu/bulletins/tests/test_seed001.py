"""Seed 001 reproduced: the development-status section generated from the demo district for 2009
carries every figure as the seed writes it (the .docx is opened in LibreOffice by
benchmarks/bulletin_bench.py, which turns its pages into PNGs)."""

import io

import pytest

from peiyu.bulletins import services
from peiyu.bulletins.models import Bulletin, BulletinTemplate
from peiyu.core.models import Unit
from peiyu.core.periods import Period

# The seed's own sentences, with the wording of the shipped template around each figure.
SEED_001 = [
    "全区有科技型中小企业520家，占全区中小企业的12.4%，是“十五”末的5倍",
    "年销售收入10亿元以上的企业3家，3-10亿元的企业14家，1-3亿元的企业31家，500万元-1亿元的企业270家，500万元以下的企业202家",
    "资产总额为491.46亿元",
    "实现销售收入362.71亿元，其中高新技术产品收入183.54亿元，占销售收入的50.6%",
    "上缴税收35.6亿元，占全区科技型中小企业税收总额的51.95%",
    "从业人员49676人，其中大专以上从业人员13033人",
    "拥有有效专利995件，其中发明专利103件，分别占到全区有效专利和发明专利的95%、98%",
    "科技活动经费支出17.63亿元，占销售收入的4.86%",
    "从事科技活动的人员12875人，占全区科技型中小企业从业人员的25.92%",
    "战略性新兴产业领域企业达到211家，占全区科技型中小企业的40.58%，是“十五”末的6倍",
]


@pytest.fixture
def demo_status(db, settings):
    """The full demo (it includes this app's demo: the reported figures for 2009 and the
    published status bulletin). The only test of this app that loads it."""
    from django.core.management import call_command

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("demo", verbosity=0, stdout=io.StringIO())


@pytest.mark.django_db
def test_the_status_text_for_2009_carries_seed_001s_figures(demo_status):
    district = Unit.objects.get(kind="district")
    archived = Bulletin.objects.get(unit=district, period="2009")
    generated = services.build(BulletinTemplate.objects.get(code="status"), district, Period.parse("2009"))
    for doc in (services.document_of(archived), generated[4]):
        text = "".join(b["text"] for s in doc["sections"] for b in s["blocks"] if b["type"] == "text")
        for sentence in SEED_001:
            assert sentence in text
