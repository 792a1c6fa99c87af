"""Demo data of the services app, on top of the demo district: seed 003's quotas for 2025 with a
year of events (met in some months, missed in others), 天府科创贷 loans, a dozen demands and supplies
with introductions, seed 000's eight Hedong policies and two national ones, and one diagnosis.
Deterministic (one seeded generator, fixed dates)."""

import datetime
import random
from decimal import Decimal

from peiyu.core.choices import Role, UnitKind
from peiyu.core.models import Unit, User
from peiyu.enterprises.models import Enterprise
from peiyu.services.choices import ConditionKind as K
from peiyu.services.models import (
    Diagnosis,
    EventAttendance,
    Financing,
    Introduction,
    Policy,
    PolicyCondition,
    Quota,
    ServiceEvent,
    TechPost,
)

YEAR = 2025
SEED = 2025
BASIS = "《党建引领科技创新高质量发展实施方案》(广元 2024) 第16、17条"

# Technology service sessions per month and enterprises each serves: some months meet 2 / 20, some not.
SERVICE_MONTHS = [
    (2, 11),
    (3, 9),
    (1, 14),
    (2, 10),
    (2, 12),
    (1, 16),
    (3, 8),
    (2, 9),
    (0, 0),
    (2, 11),
    (2, 10),
    (1, 12),
]
POPULAR_SCIENCE_MONTHS = [1, 3, 5, 5, 7, 8, 9, 10, 11, 12]  # ten in the year: the 12 a year is missed
BRIEFING_MONTHS = [3, 9, 11]
TOPICS = {
    "service": [
        "科技服务专场：高企认定辅导",
        "科技服务专场：研发费用归集",
        "科技服务直通车进园区",
        "知识产权服务专场",
        "科技金融服务专场",
    ],
    "popular_science": [
        "科普活动进企业：安全生产与新技术",
        "科技活动周企业开放日",
        "科普活动月：人工智能应用",
    ],
    "briefing": ["科技政策宣讲：研发后补助", "科技政策宣讲：科创十一条", "科技政策宣讲：高企税收优惠"],
}
PLACES = ["东丽区科技局三楼会议室", "华明高新区服务中心", "东丽经济技术开发区管委会", "张贵庄街道科创中心"]

LOANS = [  # (month, product, lender, 万元, term in months)
    (1, "天府科创贷", "中国建设银行东丽支行", "300", 12),
    (2, "天府科创贷", "天津农商银行东丽支行", "150", 12),
    (3, "天府科创贷", "中国银行东丽支行", "500", 24),
    (4, "知识产权质押贷", "天津银行东丽支行", "200", 12),
    (5, "天府科创贷", "中国建设银行东丽支行", "260", 12),
    (6, "天府科创贷", "交通银行东丽支行", "180", 12),
    (7, "科技担保贷", "天津科融担保公司", "120", 12),
    (8, "天府科创贷", "天津农商银行东丽支行", "340", 24),
    (9, "天府科创贷", "中国银行东丽支行", "220", 12),
    (10, "天府科创贷", "中国建设银行东丽支行", "410", 36),
    (11, "天使投资", "东丽区科技创业投资基金", "500", None),
    (12, "天府科创贷", "天津银行东丽支行", "90", 12),
]

DEMANDS = [
    (
        "锂电池极片表面缺陷在线视觉检测",
        "8",
        "生产线需要基于机器视觉的锂电池极片表面缺陷在线检测，速度每分钟60米，漏检率低于千分之一。",
        "80",
    ),
    (
        "MEMS压力传感器温漂补偿算法",
        "1",
        "自研MEMS压力传感器在零下40度至85度温漂超标，寻求温度补偿算法与标定方法。",
        "40",
    ),
    (
        "工业废水中重金属深度处理",
        "7",
        "电镀废水中镍、铬离子深度去除，出水达到地方排放标准，寻求吸附材料或膜处理工艺。",
        "120",
    ),
    (
        "高导热绝缘复合材料配方",
        "4",
        "新能源汽车电控散热需要导热系数大于3的绝缘复合材料配方及量产工艺。",
        "60",
    ),
    ("中药提取物质量一致性评价", "2", "中药配方颗粒提取物批间一致性差，需要指纹图谱与质量评价方法。", "50"),
    ("AGV调度与路径规划软件", "1", "仓储AGV数量扩大到60台后拥堵严重，寻求多车调度与路径规划算法。", "70"),
    ("光伏组件隐裂检测", "6", "光伏组件生产中的隐裂检测依赖人工，寻求电致发光图像自动检测方案。", "45"),
    ("精密减速器齿轮修形设计", "8", "机器人关节精密减速器噪声大，寻求齿轮修形设计与仿真分析合作。", "90"),
    ("冷链物流温度监测物联网终端", "1", "冷链车厢温湿度监测终端功耗高，需要低功耗物联网传感终端设计。", "30"),
    ("生物基可降解包装材料", "4", "寻求聚乳酸改性技术，提高可降解包装膜的耐热性和阻隔性。", "55"),
    ("数控机床热误差补偿", "8", "数控机床主轴热变形导致加工精度下降，寻求热误差建模与补偿方案。", "65"),
    ("企业能耗在线监测与节能诊断", "7", "园区企业需要能耗在线监测平台与节能诊断服务。", "35"),
]
SUPPLIES = [
    (
        "机器视觉表面缺陷检测系统",
        "8",
        "天津大学精密仪器与光电子工程学院",
        "基于深度学习的机器视觉表面缺陷检测，已用于锂电池极片、薄膜和钢板的在线检测。",
    ),
    (
        "MEMS传感器温度补偿与标定技术",
        "1",
        "天津大学微电子学院",
        "传感器温漂建模、温度补偿算法与自动标定设备，适用于压力、加速度传感器。",
    ),
    (
        "重金属废水吸附材料",
        "7",
        "南开大学环境科学与工程学院",
        "改性吸附材料深度去除废水中的镍、铬等重金属离子，已在电镀园区示范应用。",
    ),
    (
        "高导热绝缘复合材料",
        "4",
        "天津工业大学材料科学与工程学院",
        "氮化硼填充高导热绝缘复合材料，导热系数可达5，适用于电控散热。",
    ),
    (
        "中药指纹图谱质量评价技术",
        "2",
        "天津中医药大学中药学院",
        "中药提取物指纹图谱、多成分含量测定与质量一致性评价。",
    ),
    (
        "多AGV协同调度算法",
        "1",
        "河北工业大学人工智能与数据科学学院",
        "仓储物流多AGV协同调度、路径规划与交通管制算法软件。",
    ),
    ("电致发光隐裂自动检测", "6", "天津市光伏检测中心", "光伏组件电致发光图像隐裂、断栅自动检测设备与软件。"),
    (
        "齿轮修形与传动仿真",
        "8",
        "天津职业技术师范大学机械工程学院",
        "精密减速器齿轮修形设计、传动误差与噪声仿真分析。",
    ),
    ("低功耗物联网传感终端", "1", "东丽区生产力促进中心", "低功耗无线传感终端设计，冷链、仓储温湿度监测。"),
    ("聚乳酸改性与可降解膜", "4", "天津科技大学化工与材料学院", "聚乳酸增韧耐热改性及可降解包装膜制备技术。"),
    ("数控机床热误差补偿技术", "8", "天津大学机械工程学院", "机床热误差建模、温度测点优化与实时补偿系统。"),
    ("能耗监测与节能诊断服务", "7", "天津市节能监测中心", "企业能耗在线监测平台建设、节能诊断与改造方案。"),
]

HEDONG = "天津市河东区人民政府"
POLICIES = [
    (
        "中共河东区委、河东区人民政府关于加快科技型中小企业发展的若干意见",
        HEDONG,
        "district",
        "subsidy",
        "对入库科技型中小企业给予研发、融资、人才等综合扶持",
        None,
        [(K.QUALIFICATION, "tech_sme")],
        True,
    ),
    (
        "河东区科技小巨人成长计划",
        HEDONG,
        "district",
        "subsidy",
        "销售收入1亿元以上的科技小巨人企业纳入成长计划重点培育",
        None,
        [(K.REVENUE_MIN, "10000")],
        True,
    ),
    (
        "河东区关于在加快科技型中小企业发展中加强处级领导干部考核工作的实施意见",
        "中共天津市河东区委组织部",
        "district",
        "service",
        "处级领导干部结对帮扶初创期科技企业，两年内每人帮助新发展一家",
        None,
        [(K.STAGE, "1")],
        True,
    ),
    (
        "科技型中小企业认定实施细则",
        "天津市河东区科学技术委员会",
        "district",
        "service",
        "符合评价条件的企业认定入库并享受相应扶持",
        None,
        [(K.RULESET, "tech-sme-2022")],
        True,
    ),
    (
        "河东区金融行业支持科技型中小企业发展的实施意见",
        HEDONG,
        "district",
        "finance",
        "科技型中小企业贷款贴息、担保费补贴",
        Decimal("20"),
        [(K.QUALIFICATION, "tech_sme,hitech"), (K.REVENUE_MAX, "10000")],
        True,
    ),
    (
        "河东区加快科技型中小企业发展的措施",
        HEDONG,
        "district",
        "subsidy",
        "成长期科技企业研发投入奖励",
        Decimal("10"),
        [(K.STAGE, "2"), (K.RD_RATIO_MIN, "3")],
        True,
    ),
    (
        "关于加强河东区科技创新实施产学研合作的鼓励办法",
        HEDONG,
        "district",
        "subsidy",
        "企业与高校院所签订技术合同的按合同额给予奖励",
        Decimal("30"),
        [(K.RD_RATIO_MIN, "3"), (K.EMPLOYEES_MIN, "20")],
        True,
    ),
    (
        "关于支持科技型中小企业发展的奖励政策",
        HEDONG,
        "district",
        "subsidy",
        "首次认定高新技术企业的给予一次性奖励",
        Decimal("20"),
        [(K.QUALIFICATION, "hitech")],
        True,
    ),
    (
        "高新技术企业减按15%税率征收企业所得税",
        "全国人民代表大会",
        "national",
        "tax",
        "《企业所得税法》第二十八条：国家需要重点扶持的高新技术企业，减按15%的税率征收企业所得税",
        None,
        [(K.QUALIFICATION, "hitech")],
        False,
    ),
    (
        "企业研发费用税前加计扣除",
        "财政部 税务总局",
        "national",
        "tax",
        "研发费用按实际发生额的100%在税前加计扣除（负面清单行业除外）",
        None,
        [(K.RD_RATIO_MIN, "0.01"), (K.INDUSTRY, "A,B,C,D,E,G,I,J,M,N,O,P,Q,S")],
        True,
    ),
]


def load() -> None:
    rng = random.Random(SEED)
    district = Unit.objects.filter(kind=UnitKind.DISTRICT).order_by("pk").first()
    if district is None:
        return
    staff = User.objects.filter(username="bureau").first()
    towns = list(Unit.objects.filter(parent=district).order_by("code"))
    pool = list(Enterprise.objects.filter(years__year=YEAR).order_by("uscc").distinct()[:400])
    own = Enterprise.objects.filter(accounts__role=Role.ENTERPRISE).order_by("pk").first()
    _quotas(district)
    _events(rng, district, towns, pool, own, staff)
    _loans(rng, pool, own)
    _board(rng, district, pool, own, staff)
    _policies()
    if own is not None:
        Diagnosis.objects.create(
            enterprise=own,
            year=YEAR,
            written_on=datetime.date(2025, 12, 15),
            author="王建国",
            summary="企业处于成长期，研发投入稳定，具备申报高新技术企业的基础。",
            strengths="核心产品有自主知识产权，技术团队稳定。",
            problems="发明专利数量偏少，研发费用归集不规范。",
            suggestions="规范研发费用辅助账；围绕主导产品布局发明专利；参加高企认定辅导专场。",
        )


def _quotas(district) -> None:
    rows = [
        ("events", "month", "service", "", 2),
        ("enterprises", "month", "", "", 20),
        ("events", "year", "popular_science", "", 12),
        ("events", "year", "briefing", "", 2),
        ("financing", "year", "", "天府科创贷", 2000),
    ]
    Quota.objects.bulk_create(
        Quota(
            unit=district,
            year=YEAR,
            measure=m,
            period=p,
            event_kind=k,
            product=prod,
            target=Decimal(t),
            basis=BASIS,
            unconfirmed=(k == "briefing"),
        )
        for m, p, k, prod, t in rows
    )


def _day(rng, month: int) -> datetime.date:
    return datetime.date(YEAR, month, rng.randint(3, 26))


def _events(rng, district, towns, pool, own, staff) -> None:
    plan = []
    for month, (count, served) in enumerate(SERVICE_MONTHS, start=1):
        plan += [("service", month, served)] * count
    plan += [("popular_science", m, 0) for m in POPULAR_SCIENCE_MONTHS]
    plan += [("briefing", m, 8) for m in BRIEFING_MONTHS]
    attendances = []
    for kind, month, served in plan:
        event = ServiceEvent.objects.create(
            kind=kind,
            date=_day(rng, month),
            unit=rng.choice([district, *towns[:4]]),
            topic=rng.choice(TOPICS[kind]),
            place=rng.choice(PLACES),
            people=served * 2 + rng.randint(5, 30),
            minutes="活动介绍了相关政策和服务内容，现场解答企业提问，收集企业需求。",
        )
        chosen = rng.sample(pool, min(served, len(pool)))
        if own is not None and kind == "briefing" and own not in chosen:
            chosen.append(own)
        attendances += [
            EventAttendance(event=event, enterprise=e, method=rng.choice(["qr", "credit_code"]), by=staff)
            for e in chosen
        ]
    EventAttendance.objects.bulk_create(attendances)


def _loans(rng, pool, own) -> None:
    borrowers = rng.sample(pool, len(LOANS))
    if own is not None:
        borrowers[2] = own
    Financing.objects.bulk_create(
        Financing(
            enterprise=e,
            kind="equity"
            if product == "天使投资"
            else ("guarantee" if "担保" in lender else ("ip_pledge" if "质押" in product else "loan")),
            product=product,
            lender=lender,
            amount=Decimal(amount),
            date=_day(rng, month),
            term_months=term,
        )
        for e, (month, product, lender, amount, term) in zip(borrowers, LOANS, strict=True)
    )


def _board(rng, district, pool, own, staff) -> None:
    posters = rng.sample(pool, len(DEMANDS))
    if own is not None:
        posters[0] = own
    demands = []
    for i, (e, (title, field, text, budget)) in enumerate(zip(posters, DEMANDS, strict=True)):
        demands.append(
            TechPost.objects.create(
                side="demand",
                title=title,
                field=field,
                description=text,
                budget=Decimal(budget),
                deadline=datetime.date(2026, 6, 30),
                public=i % 5 != 4,
                enterprise=e,
                unit=e.unit,
                contact="企业技术负责人",
            )
        )
    supplies = [
        TechPost.objects.create(
            side="supply",
            title=title,
            field=field,
            description=text,
            provider=provider,
            unit=district,
            contact="成果转化办公室",
        )
        for title, field, provider, text in SUPPLIES
    ]
    outcomes = [
        ("signed", "68", datetime.date(2025, 9, 18), True),
        ("signed", "35", datetime.date(2025, 11, 6), False),
        ("negotiating", None, None, False),
        ("introduced", None, None, False),
        ("failed", None, None, False),
    ]
    for i, (status, amount, signed_on, registered) in enumerate(outcomes):
        Introduction.objects.create(
            demand=demands[i],
            supply=supplies[i],
            status=status,
            introduced_on=datetime.date(2025, 6 + i, 10),
            contract_amount=Decimal(amount) if amount else None,
            contract_date=signed_on,
            registered=registered,
            by=staff,
        )


def _policies() -> None:
    for title, issuer, level, kind, benefit, amount, conditions, unconfirmed in POLICIES:
        policy = Policy.objects.create(
            title=title,
            issuer=issuer,
            level=level,
            benefit_kind=kind,
            benefit=benefit,
            benefit_amount=amount,
            status="published",
            unconfirmed=unconfirmed,
            issued_on=datetime.date(2011, 5, 1) if level == "district" else datetime.date(2023, 3, 26),
            doc_number="财政部 税务总局公告2023年第7号" if "加计扣除" in title else "",
            text="（政策全文见原文件；条件按文件要点录入，口径待核实的已标注。）" if unconfirmed else benefit,
        )
        PolicyCondition.objects.bulk_create(
            PolicyCondition(policy=policy, kind=k, value=v) for k, v in conditions
        )
