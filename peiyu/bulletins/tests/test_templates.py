"""Templates as data: slot validation, the engine's slots and tables on a small district, the
targets contract (fake metrics) and the note for a metric nobody registered, RULES §10.1 sentences."""

import copy
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from peiyu.bulletins import engine, templating
from peiyu.bulletins.forms import TemplateWordingForm
from peiyu.bulletins.models import BulletinTemplate
from peiyu.bulletins.shipped import QUARTERLY, SHIPPED, STATUS, ensure_shipped
from peiyu.core.periods import Period


def test_shipped_templates_are_valid():
    for data in SHIPPED.values():
        templating.validate(data["body"], data["title"])


def test_a_sentence_with_a_wrong_slot_is_refused_naming_it():
    body = copy.deepcopy(STATUS)
    body["sections"][0]["blocks"][0]["text"] = "全区有科技型中小企业{cuont}。"
    with pytest.raises(ValidationError) as error:
        templating.validate(body)
    assert "{cuont}" in error.value.messages[0]
    assert "{count}" in error.value.messages[0]  # and says which slots exist


@pytest.mark.parametrize(
    "slot, fragment",
    [
        ({"name": "x", "metric": "enterprises.count", "input": "all_smes"}, "exactly one source"),
        ({"name": "x"}, "exactly one source"),
        ({"name": "Bad-Name", "metric": "enterprises.count"}, "not a slot name"),
        ({"name": "x", "ratio": ["nope", "count"]}, "not declared before"),
        ({"name": "x", "metric": "enterprises.count", "format": "亿"}, "unknown format"),
        ({"name": "count", "metric": "enterprises.count"}, "declared twice"),
    ],
)
def test_malformed_slots_are_refused(slot, fragment):
    from django.utils import translation

    body = {"slots": [{"name": "count", "metric": "enterprises.count"}, slot], "sections": []}
    with translation.override("en"), pytest.raises(ValidationError) as error:
        templating.validate(body)
    assert any(fragment in m for m in error.value.messages)


def test_a_stray_brace_is_refused():
    with pytest.raises(ValidationError):
        templating.validate_sentence("全区{count家", {"count"})


@pytest.mark.django_db
def test_the_wording_form_refuses_a_wrong_slot_and_saves_a_good_one():
    ensure_shipped()
    template = BulletinTemplate.objects.get(code="status")
    form = TemplateWordingForm(template=template)
    data = {name: field.initial for name, field in form.fields.items()}
    data["s0b0"] = "本区共有企业{count}，{wrong_slot}。"
    form = TemplateWordingForm(data, template=template)
    assert not form.is_valid()
    assert "{wrong_slot}" in str(form.errors["s0b0"])
    data["s0b0"] = "本区共有企业{count}。"
    form = TemplateWordingForm(data, template=template)
    assert form.is_valid(), form.errors
    form.save()
    template.refresh_from_db()
    assert template.body["sections"][0]["blocks"][0]["text"] == "本区共有企业{count}。"
    assert template.revision == 2


def write(body, unit, period, inputs=None, settings=None, title=""):
    snapshot = engine.compute(body, unit, period, inputs or {}, settings or {})
    return snapshot, engine.document(body, snapshot, title)


def texts(doc):
    return [b["text"] for s in doc["sections"] for b in s["blocks"] if b["type"] == "text"]


def test_slots_from_metrics_inputs_and_growth(library, units):
    body = {
        "slots": [
            {"name": "count", "metric": "enterprises.count", "format": "count", "measure": "家"},
            {"name": "revenue", "metric": "enterprises.revenue", "format": "yi"},
            {"name": "revenue_last", "metric": "enterprises.revenue", "format": "yi", "period": "last_year"},
            {"name": "growth", "growth": ["revenue", "revenue_last"], "format": "growth"},
            {"name": "all", "input": "all_smes", "format": "count", "measure": "家"},
            {"name": "share", "ratio": ["count", "all"], "format": "pct"},
            {"name": "rank", "rank": {"metric": "enterprises.revenue"}, "format": "count"},
        ],
        "sections": [
            {
                "title": "总体",
                "blocks": [
                    {
                        "type": "text",
                        "text": "{scope}{count}，占{share}；收入{revenue}，同比{growth}。第{rank}位",
                    }
                ],
            }
        ],
    }
    _s, doc = write(body, units["district"], Period.parse("2025"), {"all_smes": (Decimal(30), "年鉴")})
    # 2025: 2.5 + 0.6 + 0.5 = 3.6亿元; 2024: 2 + 0.8 + 0.4 = 3.2亿元 → 增长12.5%
    assert texts(doc) == ["全区3家，占10.0%；收入3.6亿元，同比增长12.5%。第1位"]
    _s, doc = write(body, units["town_b"], Period.parse("2025"))
    assert texts(doc) == ["全街1家，占—；收入0.6亿元，同比下降25.0%。第2位"]  # town B ranks behind A


def test_a_table_by_unit_with_total_sort_and_rank(library, units):
    block = {
        "type": "table",
        "id": "u",
        "rows": "units",
        "total": True,
        "sort": 0,
        "rank": True,
        "columns": [
            {"label": "收入", "metric": "enterprises.revenue", "format": "yi"},
            {"label": "上年", "metric": "enterprises.revenue", "format": "yi", "period": "last_year"},
            {"label": "同比", "growth": [0, 1], "format": "growth"},
        ],
    }
    body = {
        "slots": [],
        "sections": [{"title": "", "blocks": [block, {"type": "chart", "table": "u", "column": 0}]}],
    }
    _s, doc = write(body, units["district"], Period.parse("2025-Q3"))
    table, chart = doc["sections"][0]["blocks"]
    assert table["header"] == ["名次", "单位", "收入", "上年", "同比"]
    assert [r["text"] for r in table["rows"]] == [
        ["1", "张贵庄街道", "3.00", "2.40", "增长25.0%"],
        ["2", "丰年村街道", "0.60", "0.80", "下降25.0%"],
        ["", "合计", "3.60", "3.20", "增长12.5%"],
    ]
    assert chart["labels"] == ["张贵庄街道", "丰年村街道"] and chart["values"] == [3.0, 0.6]


def test_quarterly_binds_targets_and_names_the_units_behind_schedule(library, units, fake_targets):
    _s, doc = write(
        QUARTERLY, units["district"], Period.parse("2025-Q3"), settings={"indicator": "rd_expense"}
    )
    target = texts(doc)[2]
    # district: 1200 of 1800 = 66.7%, elapsed 75% → behind by 8.3 points; town B (50%) behind, A (80%) ahead
    assert "完成率66.7%" in target and "序时进度75.0%" in target
    assert "慢于序时进度8.3个百分点" in target
    assert "未达到序时进度的单位1个：丰年村街道。" in target
    table = doc["sections"][1]["blocks"][1]
    assert [r["text"][:2] for r in table["rows"]] == [["1", "张贵庄街道"], ["2", "丰年村街道"]]


def test_an_unregistered_metric_reads_as_a_note_not_an_error(library, units, no_targets):
    snapshot, doc = write(
        QUARTERLY, units["district"], Period.parse("2025-Q3"), settings={"indicator": "rd_expense"}
    )
    target = texts(doc)[2]
    assert "目标任务（确保值）（指标未登记）亿元" in target
    assert "targets.floor" in snapshot["missing_metrics"]
    blocks = doc["sections"][1]["blocks"]
    assert blocks[1] == {"type": "text", "text": "各单位研发投入目标任务完成情况（指标未登记）"}
    assert len(blocks) == 2  # and no empty chart
    assert "科技型中小企业3家" in texts(doc)[0]  # the rest is written as usual


def test_top_five_with_a_tie_at_the_cut_and_group_leaders():
    pairs = [
        ("A区", Decimal(9)),
        ("B区", Decimal(7)),
        ("C区", Decimal(7)),
        ("D区", Decimal(5)),
        ("E区", Decimal(4)),
        ("F区", Decimal(4)),
        ("G区", Decimal(1)),
        ("H区", Decimal(0)),
    ]
    assert engine.top_text(pairs, 5, "家") == "A区（9家）、B区和C区均为7家、D区（5家）、E区和F区均为4家"
    assert engine.top_text(pairs, 2, "家") == "A区（9家）、B区和C区均为7家"
    assert engine.top_text([("A区", Decimal(0))], 5, "家") == "无"
    groups = [
        {"name": "滨海新区", "units": ["滨海新区"]},
        {"name": "中心城区", "units": ["和平区", "河东区", "南开区"]},
        {"name": "环城四区", "units": ["东丽区", "西青区"]},
    ]
    leaders = engine.group_leaders(
        groups,
        {
            "滨海新区": Decimal(30),
            "和平区": Decimal(5),
            "河东区": Decimal(8),
            "南开区": Decimal(8),
            "东丽区": Decimal(12),
            "西青区": Decimal(3),
        },
    )
    assert [(g, n, v) for g, n, v in leaders] == [
        ("滨海新区", ["滨海新区"], Decimal(30)),
        ("中心城区", ["河东区", "南开区"], Decimal(8)),
        ("环城四区", ["东丽区"], Decimal(12)),
    ]


@pytest.mark.django_db
def test_a_city_bulletin_ranks_districts_and_names_each_boards_leader():
    from peiyu.core.models import Unit
    from peiyu.core.testing import make_enterprise

    city = Unit.objects.create(name="天津市", code="120000", kind="city")
    names = ["滨海新区", "和平区", "南开区", "东丽区", "西青区", "武清区"]
    districts = {
        n: Unit.objects.create(name=n, code=f"1201{i:02d}", kind="district", parent=city)
        for i, n in enumerate(names)
    }
    for name, n in (
        ("滨海新区", 4),
        ("和平区", 2),
        ("南开区", 2),
        ("东丽区", 3),
        ("西青区", 1),
        ("武清区", 1),
    ):
        for _ in range(n):
            make_enterprise(districts[name], f"{name}企业")
    settings = {
        "groups": [
            {"name": "滨海新区", "units": ["滨海新区"]},
            {"name": "中心城区", "units": ["和平区", "南开区"]},
            {"name": "环城四区", "units": ["东丽区", "西青区"]},
            {"name": "外围五区", "units": ["武清区"]},
        ]
    }
    body = {
        "slots": [
            {"name": "top", "top": {"metric": "enterprises.count", "n": 5, "measure": "家"}},
            {"name": "leaders", "groups": {"metric": "enterprises.count", "measure": "家"}},
            {"name": "boards", "groups": {"metric": "enterprises.count", "part": "names"}},
            {"name": "n", "groups": {"metric": "enterprises.count", "part": "count"}},
            {"name": "values", "groups": {"metric": "enterprises.count", "measure": "家", "part": "values"}},
        ],
        "sections": [
            {
                "title": "",
                "blocks": [
                    {"type": "text", "text": "排名前五位的区是{top}。"},
                    {
                        "type": "text",
                        "if_setting": "groups",
                        "text": "{leaders}分别居{boards}{n}大板块首位，分别为{values}。",
                    },
                ],
            }
        ],
    }
    _s, doc = write(body, city, Period.parse("2025"), settings=settings)
    assert texts(doc) == [
        "排名前五位的区是滨海新区（4家）、东丽区（3家）、和平区和南开区均为2家、西青区和武清区均为1家。",
        "滨海新区、和平区和南开区、东丽区、武清区分别居滨海新区、中心城区、环城四区、外围五区四大板块首位，"
        "分别为4家、和平区和南开区均为2家、3家、1家。",
    ]
    _s, doc = write(body, city, Period.parse("2025"), settings={})
    assert len(texts(doc)) == 1  # without groups as data the board sentence is left out
