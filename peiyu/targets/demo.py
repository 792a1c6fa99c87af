"""Demo targets with the seeds' real numbers, on the Dongli demo district:

- seed 001: the 2011–2015 little-giant growth plan's 2015 targets (2,000 tech SMEs, 30 % of all SMEs,
  1,500亿 revenue, 110 小巨人 of which 30 over 3亿 and 8 over 10亿, 5 ready to list, 15 productivity
  centres, 50 incubators with half at city level, 80 % in parks, 60 % in strategic emerging industries);
- seed 000: Hedong's 2011 targets as a second plan (230 new and 700 tech enterprises, 160 / 60 by band,
  小巨人 over 1亿 确保 5 / 力争 10, 30 national hi-tech and 70 district hi-tech, 1,000 patent
  applications, 4,000万 fiscal S&T money, 20 projects, 5亿 technology contracts, 10 new products,
  100 transformed results);
- seed 004: a 2026 responsibility plan whose R&D target of 19亿 is split to the streets and zones by
  their 2025 share, each with a named owner, with monthly reported R&D and technology-contract figures
  since 2022, an assessment scheme, cadre targets (one new tech SME per cadre in two years) and the
  peer benchmarks (R&D ÷ GDP 1.8 % vs 昆山 1.9 %, 江阴 2.1 %, 深圳 3.3 %; patents 3,601/934 vs 9,025/3,006).

Deterministic (fixed seed); a few seconds."""

import random
from decimal import ROUND_HALF_UP, Decimal

from peiyu.core.history import acting_as
from peiyu.core.models import Unit, User
from peiyu.core.periods import Period
from peiyu.targets import decomposition
from peiyu.targets.models import (
    Adjustment,
    Benchmark,
    CadreTarget,
    Indicator,
    Plan,
    ReportedValue,
    Scheme,
    SchemeItem,
    Target,
)

SEED = 20110
D = Decimal

# code, name, unit, source, metric, params, is_ratio, unconfirmed, note
CATALOGUE = (
    (
        "tech_smes",
        "科技型中小企业数",
        "家",
        "computed",
        "enterprises.count",
        "qualification=tech_sme",
        False,
        False,
        "",
    ),
    (
        "new_tech_smes",
        "新发展科技型中小企业",
        "家",
        "computed",
        "enterprises.new",
        "qualification=tech_sme",
        False,
        False,
        "",
    ),
    (
        "sme_share",
        "科技型中小企业占中小企业比重",
        "%",
        "computed",
        "targets.sme_share",
        "",
        True,
        False,
        "分母为各单位填报的中小企业总数",
    ),
    (
        "tech_revenue",
        "科技型中小企业销售收入",
        "亿元",
        "computed",
        "enterprises.revenue",
        "qualification=tech_sme",
        False,
        False,
        "",
    ),
    (
        "little_giants",
        "科技小巨人企业",
        "家",
        "computed",
        "enterprises.count",
        "qualification=little_giant",
        False,
        False,
        "",
    ),
    (
        "over_3yi",
        "年销售收入超3亿元企业",
        "家",
        "computed",
        "targets.enterprises_over",
        "min_revenue=30000",
        False,
        False,
        "",
    ),
    (
        "over_10yi",
        "年销售收入10亿元以上企业",
        "家",
        "computed",
        "targets.enterprises_over",
        "min_revenue=100000",
        False,
        False,
        "",
    ),
    (
        "over_1yi",
        "销售收入1亿元以上科技小巨人",
        "家",
        "computed",
        "targets.enterprises_over",
        "min_revenue=10000",
        False,
        False,
        "",
    ),
    (
        "band_under_5m",
        "销售收入500万元以下科技企业",
        "家",
        "computed",
        "enterprises.count",
        "band=1",
        False,
        False,
        "",
    ),
    (
        "band_5m_1yi",
        "销售收入500万元—1亿元科技企业",
        "家",
        "computed",
        "enterprises.count",
        "band=2",
        False,
        False,
        "",
    ),
    (
        "ready_to_list",
        "具备上市条件企业",
        "家",
        "reported",
        "",
        "",
        False,
        True,
        "“具备上市条件”的认定口径待核实",
    ),
    (
        "productivity_centres",
        "生产力促进中心",
        "家",
        "computed",
        "carriers.count",
        "type=productivity_centre",
        False,
        False,
        "由创新载体库计算",
    ),
    (
        "incubators",
        "科技企业孵化器",
        "家",
        "computed",
        "carriers.count",
        "type=incubator",
        False,
        False,
        "由创新载体库计算",
    ),
    (
        "incubators_city",
        "市级以上科技企业孵化器",
        "家",
        "computed",
        "carriers.count",
        "type=incubator, min_level=city",
        False,
        False,
        "由创新载体库计算",
    ),
    (
        "share_in_parks",
        "园区聚集科技型中小企业比重",
        "%",
        "computed",
        "enterprises.share_in_parks",
        "qualification=tech_sme",
        True,
        False,
        "",
    ),
    (
        "share_emerging",
        "战略性新兴产业企业比重",
        "%",
        "computed",
        "enterprises.share_emerging",
        "qualification=tech_sme",
        True,
        False,
        "",
    ),
    (
        "hitech",
        "国家高新技术企业",
        "家",
        "computed",
        "enterprises.count",
        "qualification=hitech",
        False,
        False,
        "",
    ),
    ("district_hitech", "区级高新技术企业", "家", "reported", "", "", False, True, "区级认定口径待核实"),
    (
        "patent_applications",
        "专利申请量",
        "件",
        "computed",
        "enterprises.patent_applications",
        "",
        False,
        False,
        "",
    ),
    ("fiscal_st", "财政科技资金投入", "万元", "reported", "", "", False, False, ""),
    ("projects", "国家和市级科技计划项目", "项", "reported", "", "", False, False, ""),
    ("contracts", "技术合同成交额", "亿元", "reported", "", "", False, False, "年内累计"),
    ("new_products", "填补国内空白新产品", "项", "reported", "", "", False, False, ""),
    ("results", "科技成果转化、推广、登记", "项", "reported", "", "", False, False, ""),
    ("rd", "全社会研发（R&D）经费投入", "亿元", "reported", "", "", False, False, "年内累计，统计部门口径"),
    ("rd_gdp", "R&D经费占地区生产总值比重", "%", "reported", "", "", True, False, ""),
    ("all_smes", "中小企业总数", "家", "reported", "", "", False, False, "用于计算科技型中小企业占比"),
)

PLAN_001 = (  # seed 001, 2015 targets: code, floor, stretch, baseline (2009 status section)
    ("tech_smes", 2000, None, 520),
    ("sme_share", 30, None, D("12.4")),
    ("tech_revenue", 1500, None, D("362.71")),
    ("little_giants", 110, None, None),
    ("over_3yi", 30, None, 17),
    ("over_10yi", 8, None, 3),
    ("ready_to_list", 5, None, None),
    ("productivity_centres", 15, None, 1),
    ("incubators", 50, None, 2),
    ("incubators_city", 25, None, None),
    ("share_in_parks", 80, None, None),
    ("share_emerging", 60, None, D("40.6")),
)

PLAN_000 = (  # seed 000, 2011
    ("new_tech_smes", 230, None),
    ("tech_smes", 700, None),
    ("band_under_5m", 160, None),
    ("band_5m_1yi", 60, None),
    ("over_1yi", 5, 10),
    ("hitech", 30, None),
    ("district_hitech", 70, None),
    ("patent_applications", 1000, None),
    ("fiscal_st", 4000, None),
    ("projects", 20, None),
    ("contracts", 5, None),
    ("new_products", 10, None),
    ("results", 100, None),
)

# seed 004, 2026: R&D 19亿 (stretch 20亿); technology contracts; tech SMEs; hi-tech enterprises; R&D ÷ GDP
PLAN_004 = (
    ("rd", 19, 20),
    ("contracts", 12, 13),
    ("tech_smes", 420, 460),
    ("hitech", 130, 140),
    ("rd_gdp", D("2.0"), D("2.1")),
)
OWNERS = {"120110001": "zhangguizhuang", "120110008": "junliangcheng", "120110Z01": "kaifaqu"}


def load() -> None:
    rng = random.Random(SEED)
    bureau = User.objects.filter(username="bureau").first()
    with acting_as(bureau):
        district = Unit.objects.get(code="120110")
        indicators = catalogue()
        plan_2015(district, indicators)
        plan_2011(district, indicators)
        plan_2026(rng, district, indicators)
        benchmarks(indicators)


def catalogue() -> dict[str, Indicator]:
    return {
        code: Indicator.objects.update_or_create(
            code=code,
            defaults=dict(
                name=name,
                unit=unit,
                source=source,
                metric_code=metric,
                metric_params=params,
                is_ratio=ratio,
                unconfirmed=unconfirmed,
                note=note,
            ),
        )[0]
        for code, name, unit, source, metric, params, ratio, unconfirmed, note in CATALOGUE
    }


def plan_2015(district, indicators):
    plan = Plan.objects.create(
        code="DL-XJR-2011-2015",
        name="东丽区科技型中小企业“小巨人”成长计划（2011—2015年）",
        issuer="东丽区人民政府",
        unit=district,
        period_code="2011..2015",
        status="closed",
        document="东丽区科技型中小企业“小巨人”成长计划",
    )
    Target.objects.bulk_create(
        Target(
            plan=plan,
            indicator=indicators[code],
            unit=district,
            floor=D(floor),
            stretch=None if stretch is None else D(stretch),
            baseline=None if base is None else D(base),
        )
        for code, floor, stretch, base in PLAN_001
    )
    # the all-SME count the tech-SME share divides by (520 ÷ 12.4 % in 2009)
    report(indicators["all_smes"], district, "2009", 4194)
    report(indicators["all_smes"], district, "2015", 6520)
    report(indicators["ready_to_list"], district, "2015", 4)


def plan_2011(district, indicators):
    plan = Plan.objects.create(
        code="HD-2011",
        name="2011年推动科技型中小企业发展目标（河东区模式）",
        issuer="区科委",
        unit=district,
        period_code="2011",
        status="closed",
        document="河东区科委2011年工作要点",
    )
    Target.objects.bulk_create(
        Target(
            plan=plan,
            indicator=indicators[code],
            unit=district,
            floor=D(floor),
            stretch=None if s is None else D(s),
        )
        for code, floor, s in PLAN_000
    )
    for code, value in (
        ("district_hitech", 64),
        ("fiscal_st", 4120),
        ("projects", 22),
        ("contracts", D("4.6")),
        ("new_products", 11),
        ("results", 93),
    ):
        report(indicators[code], district, "2011", value)


def areas():
    return list(Unit.objects.filter(parent__code="120110").exclude(kind="park").order_by("code"))


def plan_2026(rng, district, indicators):
    plan = Plan.objects.create(
        code="DL-2026",
        name="2026年度科技创新目标责任书",
        issuer="东丽区科学技术局",
        unit=district,
        period_code="2026",
        status="active",
        document="关于分解下达2026年度科技创新目标任务的通知",
    )
    units = areas()
    users = {
        u.username: u
        for u in User.objects.filter(
            username__in=[*OWNERS.values(), "leader", "fujuzhang1", "fujuzhang2", "bureau"]
        )
    }
    weights = {
        u.pk: D(rng.randint(20, 160)) for u in units
    }  # each unit's share of R&D (its 2025 spend, 亿元 × 10)
    parents = {}
    for code, floor, stretch in PLAN_004:
        parent = Target.objects.create(
            plan=plan, indicator=indicators[code], unit=district, floor=D(floor), stretch=D(stretch)
        )
        parent.set_responsibility(leaders=[users["fujuzhang1"]], persons=[users["bureau"]])
        parents[code] = parent
    history = monthly_history(rng, units, weights)
    # R&D and contracts: split by each unit's 2025 figure (baseline share), owners named
    for code in ("rd", "contracts"):
        parent = parents[code]
        baselines = {u.pk: history[code][u.pk][2025][12] for u in units}
        rows = decomposition.propose(parent, units, "baseline", baselines)
        for row in rows:
            row.person = users.get(OWNERS.get(row.unit.code, ""))
        decomposition.save(parent, rows)
    # tech SMEs and hi-tech enterprises: split by the unit's count at the end of 2025
    from peiyu.core import metrics

    for code in ("tech_smes", "hitech"):
        parent = parents[code]
        counts = metrics.get("enterprises.count").values(
            units, Period.year(2025), qualification=indicators[code].params["qualification"]
        )
        rows = decomposition.propose(
            parent, units, "baseline", {pk: max(v or 0, 1) for pk, v in counts.items()}
        )
        decomposition.save(parent, rows)
    # R&D ÷ GDP: each unit's own level, weighed by its GDP so the district comes to 2.0 %
    parent = parents["rd_gdp"]
    gdp = {u.pk: D(rng.randint(40, 400)) for u in units}
    levels = {u.pk: D(rng.randint(12, 30)) / 10 for u in units}
    rows = [decomposition.Row(u, levels[u.pk], None, gdp[u.pk]) for u in units]
    total = sum(r.floor * r.weight for r in rows)
    wanted = D("2.0") * sum(gdp.values())
    rows[-1].floor = ((wanted - (total - rows[-1].floor * rows[-1].weight)) / rows[-1].weight).quantize(
        D("0.0001")
    )
    parent.stretch = None
    parent.save()
    if decomposition.check(parent, rows).ok:
        decomposition.save(parent, rows)
    for row in rows:  # the statistics bureau's estimate through September; some units fall short (veto)
        delta = D(rng.choice((-2, 1, 2, 3, 4, 5, 1, 2, 3, 4, 5, 2))) / 10
        report(indicators["rd_gdp"], row.unit, "2026-Q3", (row.floor + delta).quantize(D("0.01")))
    report(indicators["rd_gdp"], district, "2026-Q3", D("2.12"))
    write_history(history, indicators, units)
    scheme(plan, district, indicators, units)
    cadres(plan)
    from peiyu.targets.services import take_snapshots

    for month in range(1, 11):  # what the month-end job would have frozen so far this year
        take_snapshots(Period.month(2026, month), plan=plan)
        if month % 3 == 0:
            take_snapshots(Period.quarter(2026, month // 3), plan=plan)


def monthly_history(rng, units, weights) -> dict:
    """Year-to-date R&D and technology-contract figures for every unit, January 2022 to October 2026:
    a seasonal pattern (R&D spend gathers at quarter ends and in December), growth of 6–12 % a year."""
    pattern = [
        D(x)
        for x in ("0.05", "0.09", "0.19", "0.25", "0.31", "0.44", "0.50", "0.56", "0.69", "0.75", "0.82", "1")
    ]
    history = {"rd": {}, "contracts": {}}
    whole = sum(weights.values())
    for u in units:
        for code, base in (("rd", D("12.5")), ("contracts", D(8))):  # the district's 2021 totals, 亿元
            level = base * weights[u.pk] / whole
            by_year = {}
            for year in range(2022, 2027):
                level = level * (1 + D(rng.randint(6, 12)) / 100)
                jitter = [D(1) + D(rng.randint(-4, 4)) / 100 for _ in range(12)]
                shares = [min(D(1), p * j) for p, j in zip(pattern, jitter, strict=True)]
                shares = [max(shares[: i + 1]) for i in range(12)]  # year-to-date never falls
                shares[11] = D(1)
                months = 10 if year == 2026 else 12
                by_year[year] = {
                    m + 1: (level * shares[m]).quantize(D("0.01"), ROUND_HALF_UP) for m in range(months)
                }
            history[code][u.pk] = by_year
    return history


def write_history(history, indicators, units):
    by_pk = {u.pk: u for u in units}
    rows = []
    for code, per_unit in history.items():
        for pk, by_year in per_unit.items():
            for year, months in by_year.items():
                for month, value in months.items():
                    latest = year == 2026 and month == 10
                    state = "accepted" if not latest or pk % 3 else "submitted"
                    rows.append(
                        ReportedValue(
                            indicator=indicators[code],
                            unit=by_pk[pk],
                            period_code=f"{year}-{month:02d}",
                            period_end=Period.month(year, month).end,
                            value=value,
                            measure=indicators[code].unit,
                            state=state,
                        )
                    )
    ReportedValue.objects.bulk_create(rows)


def scheme(plan, district, indicators, units):
    s = Scheme.objects.create(plan=plan, name="2026年度科技创新目标考核", year=2026, unit=district)
    for code, weight, cap, minimum, veto in (
        ("rd", 40, 4, 50, False),
        ("tech_smes", 25, 3, 0, False),
        ("hitech", 15, 2, 0, False),
        ("contracts", 15, 2, 0, False),
        ("rd_gdp", 5, 0, 0, True),
    ):
        SchemeItem.objects.create(
            scheme=s,
            indicator=indicators[code],
            weight=D(weight),
            bonus_cap=D(cap),
            minimum=D(minimum),
            veto=veto,
        )
    Adjustment.objects.create(scheme=s, unit=units[0], points=D(2), reason="获评市级科技创新示范街道")
    Adjustment.objects.create(scheme=s, unit=units[3], points=D("-1.5"), reason="统计数据迟报一次")


def cadres(plan):
    for user in User.objects.filter(
        username__in=[
            "bureau",
            "cadre1",
            "cadre2",
            "cadre3",
            "cadre4",
            "cadre5",
            "zhangguizhuang",
            "junliangcheng",
            "kaifaqu",
        ]
    ):
        CadreTarget.objects.create(plan=plan, cadre=user, period_code="2025..2026", floor=3)


def benchmarks(indicators):
    # Benchmarks hang on no unit, so `demo --reset` leaves them: the demo's own are replaced.
    Benchmark.objects.filter(source="整改方案（种子004）").delete()
    rows = (
        ("rd_gdp", "本区", 2023, "1.8", True),
        ("rd_gdp", "昆山", 2023, "1.9", False),
        ("rd_gdp", "江阴", 2023, "2.1", False),
        ("rd_gdp", "深圳", 2023, "3.3", False),
        ("patent_applications", "本区", 2023, "3601", True),
        ("patent_applications", "昆山", 2023, "9025", False),
    )
    for code, region, year, value, own in rows:
        Benchmark.objects.create(
            indicator=indicators[code],
            region=region,
            year=year,
            value=D(value),
            source="整改方案（种子004）",
            is_own=own,
        )
    granted, _created = Indicator.objects.update_or_create(
        code="patents_granted",
        defaults=dict(
            name="专利授权量", unit="件", source="computed", metric_code="enterprises.patents_granted"
        ),
    )
    Benchmark.objects.create(
        indicator=granted, region="本区", year=2023, value=D(934), source="整改方案（种子004）", is_own=True
    )
    Benchmark.objects.create(
        indicator=granted, region="昆山", year=2023, value=D(3006), source="整改方案（种子004）", is_own=False
    )


def report(indicator, unit, code, value):
    return ReportedValue.objects.create(
        indicator=indicator,
        unit=unit,
        period_code=code,
        value=D(value),
        measure=indicator.unit,
        state="accepted",
    )
