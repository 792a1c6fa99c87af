"""Demo data of the support programmes on top of the demo district (东丽区): a voucher policy of
each year with providers and vouchers in every state, two post-subsidy policies computed for every
enterprise, and a commissioner team with assignments, service logs, outcomes and funds.

Policy numbers are RULES.md's (川科政〔2025〕6号 shares and the 20万 cap; 龙岗区 2022 tiers; the
25 % increment example; 云科规〔2023〕8号 team rules; 1万元 per commissioner per year from seed 003).
The district's own rules are not published, so every policy is marked 口径待核实. Deterministic:
enterprises are taken in credit-code order and dates are fixed."""

import datetime
import itertools
from decimal import Decimal as D

from peiyu.core.choices import Role
from peiyu.core.codes import uscc_check_char
from peiyu.core.models import Unit, User
from peiyu.enterprises.choices import EnterpriseStatus
from peiyu.enterprises.models import Enterprise
from peiyu.support import subsidy, vouchers
from peiyu.support.choices import ServiceCategory as C
from peiyu.support.choices import SubsidyMethod, SubsidyState
from peiyu.support.models import (
    AssessmentItem,
    Assignment,
    Commissioner,
    CommissionerScheme,
    CommissionerTeam,
    Fund,
    Outcome,
    ProviderService,
    ServiceLog,
    ServiceProvider,
    SubsidyPolicy,
    SubsidyResult,
    SubsidyTier,
    VoucherPolicy,
    VoucherShare,
)

SHARES = {
    C.SHARED_LAB: "0.30",
    C.PILOT: "0.20",
    C.TESTING: "0.30",
    C.COMPUTING: "0.20",
    C.MANAGER_TRAINING: "0.30",
}
PROVIDERS = [
    ("天津市东丽区检验检测中心", "周明", [(C.TESTING, "产品质量检验检测"), (C.TESTING, "电磁兼容测试")]),
    (
        "天津滨海大型仪器共享平台有限公司",
        "孙立",
        [(C.SHARED_LAB, "扫描电镜共享"), (C.SHARED_LAB, "质谱仪共享")],
    ),
    ("天津中试熟化基地有限公司", "高峰", [(C.PILOT, "新材料中试熟化"), (C.PILOT, "概念验证服务")]),
    ("东丽智算中心有限公司", "何静", [(C.COMPUTING, "GPU 算力租用")]),
    ("天津技术转移学院", "马骏", [(C.MANAGER_TRAINING, "初级技术经理人培训")]),
]
DEMO_COMMISSIONER = "tepaiyuan"


def code(n: int, kind: str = "91") -> str:
    body = f"{kind}120110MA{n:07d}"[:17]
    return body + uscc_check_char(body)


def load() -> None:
    district = Unit.objects.get(name="东丽区")
    bureau = User.objects.get(username="bureau")
    firms = list(Enterprise.objects.filter(status=EnterpriseStatus.ACTIVE).order_by("uscc"))
    providers = make_providers(district)
    load_vouchers(district, bureau, firms, providers)
    load_subsidies(district, bureau)
    load_commissioners(district, bureau, firms)


def make_providers(district):
    out = []
    for n, (name, rep, services) in enumerate(PROVIDERS, 1):
        p = ServiceProvider.objects.create(
            unit=district,
            name=name,
            uscc=code(9000 + n, "12"),
            legal_representative=rep,
            contact="022-2438" + f"{n:04d}",
        )
        for category, service in services:
            ProviderService.objects.create(provider=p, category=category, name=service)
        out.append(p)
    # one provider is tied to an enterprise by equity: its vouchers are refused there
    first = Enterprise.objects.filter(status=EnterpriseStatus.ACTIVE).order_by("uscc").first()
    out[1].affiliated_usccs = first.uscc
    out[1].save()
    return out


def make_policy(district, year, budget):
    policy = VoucherPolicy.objects.create(
        unit=district,
        year=year,
        name=f"{year}年东丽区科技创新券",
        document="参照川科政〔2025〕6号",
        total_budget=D(budget),
        enterprise_annual_cap=D("20"),
        validity_months=3,
        provincial_share=D("0.6"),
        unconfirmed=True,
        exclusions="法律法规规定必须开展的检验检测；\n同一法人既是需求方又是服务方的服务；\n与服务机构存在关联关系或股权关系的。",
    )
    for category, share in SHARES.items():
        VoucherShare.objects.create(
            policy=policy,
            category=category,
            share_cap=D(share),
            per_person_cap=D("0.1") if category == C.MANAGER_TRAINING else None,
        )
    return policy


# (enterprise index, category, face value, applied on, provider index, fee, invoice day offset, redeem on)
PLAN_2025 = [
    (1, C.TESTING, "5", (2025, 3, 3), 0, "12", 20, (2025, 7, 10)),  # 30 % of 12 = 3.6 < 5
    (2, C.SHARED_LAB, "20", (2025, 3, 10), 1, "80", 15, (2025, 7, 10)),  # 24 by share → 20 face (and cap)
    (3, C.PILOT, "10", (2025, 4, 1), 2, "40", 30, (2025, 7, 10)),  # 20 % of 40 = 8
    (4, C.COMPUTING, "6", (2025, 5, 20), 3, "25", 40, (2025, 9, 1)),  # 20 % of 25 = 5
    (5, C.MANAGER_TRAINING, "1", (2025, 6, 2), 4, "2", 10, (2025, 9, 1)),  # 30 % of 2 = 0.6, 1000元 × 5 = 0.5
    (6, C.TESTING, "8", (2025, 6, 16), 0, "30", 25, (2025, 9, 20)),  # 30 % of 30 = 9 → face 8
    (7, C.TESTING, "3", (2025, 2, 10), None, None, None, None),  # never used: expired 2025-05-10
    (8, C.PILOT, "10", (2025, 8, 1), None, None, None, None),  # never used: expired
    (9, C.SHARED_LAB, "4", (2025, 9, 1), 2, "16", 35, None),  # used, awaiting redemption
]
PLAN_2026 = [
    (10, C.TESTING, "6", (2026, 9, 7), 0, "18", 14, (2026, 11, 2)),
    (11, C.SHARED_LAB, "12", (2026, 9, 21), 1, "40", 20, (2026, 11, 16)),
    (12, C.COMPUTING, "8", (2026, 10, 8), 3, "30", 10, None),
    (13, C.PILOT, "15", (2026, 10, 20), None, None, None, None),
    (14, C.TESTING, "5", (2026, 11, 2), None, None, None, None),
    (15, C.SHARED_LAB, "10", (2026, 11, 9), None, None, None, None),
]


def load_vouchers(district, bureau, firms, providers):
    own = Enterprise.objects.filter(accounts__username="enterprise").first()
    for year, budget, plan, open_ in ((2025, "300", PLAN_2025, False), (2026, "500", PLAN_2026, True)):
        policy = make_policy(district, year, budget)
        for i, category, face, applied, provider, fee, offset, redeem_on in plan:
            firm = own if (year, i) == (2026, 10) and own else firms[i * 7]
            v = vouchers.apply(
                policy,
                firm,
                category,
                D(face),
                bureau,
                applied_on=datetime.date(*applied),
                legal_representative=f"法人{i:02d}",
                purpose="委托第三方开展研发相关科技服务",
            )
            if provider is None:
                continue
            persons = 5 if category == C.MANAGER_TRAINING else None
            service = providers[provider].services.filter(category=category).first()
            vouchers.use(
                v,
                providers[provider],
                D(fee),
                datetime.date(*applied) + datetime.timedelta(days=offset),
                bureau,
                service=service,
                persons=persons,
                contract_number=f"HT{year}{i:03d}",
                invoice_number=f"{44000000 + i * 37}",
            )
            if redeem_on:
                r = vouchers.redeem(v, bureau, on=datetime.date(*redeem_on))
                if year == 2025:
                    r.publicised_on = datetime.date(*redeem_on) + datetime.timedelta(days=5)
                    r.save()
        if not open_:
            policy.is_open = False
            policy.save()
    vouchers.expire_due()


LONGGANG_2022 = [
    ("0", "0.09", "10"),
    ("1000", "0.07", "30"),
    ("3000", "0.05", "50"),
    ("6000", "0.03", "100"),
    ("10000", "0.03", "200"),
]


def load_subsidies(district, bureau):
    tiers = SubsidyPolicy.objects.create(
        unit=district,
        year=2024,
        name="2024年度企业研发投入奖励（分档）",
        document="参照深圳市龙岗区2022年版",
        method=SubsidyMethod.TIERS,
        min_revenue=D("2000"),
        min_intensity=D("0.03"),
        requires_hitech=True,
        exempt_industries="27",
        unconfirmed=True,
    )
    for floor, need, award in LONGGANG_2022:
        SubsidyTier.objects.create(policy=tiers, rd_floor=D(floor), min_intensity=D(need), award=D(award))
    SubsidyPolicy.objects.create(
        unit=district,
        year=2025,
        name="2025年度研发投入后补助（增量）",
        document="比例与上限口径待核实",
        method=SubsidyMethod.INCREMENT,
        rate=D("0.25"),
        cap=D("25"),
        unconfirmed=True,
    )
    for policy in SubsidyPolicy.objects.filter(unit=district):
        subsidy.compute_policy(policy, bureau)
    # the review of the 2024 list: confirmed with the tax bureau, approved, paid; one clawed back
    results = list(
        SubsidyResult.objects.filter(policy=tiers, eligible=True).order_by("-amount", "enterprise__uscc")
    )
    for n, result in enumerate(results[:12]):
        result.tax_confirmation = "津东税函〔2025〕18号"
        result.save()
        result.apply_transition("confirm", bureau, comment="与区税务局联合审核")
        if n < 10:
            result.apply_transition("approve", bureau)
        if n < 8:
            result.paid_on = datetime.date(2025, 6, 30)
            result.save()
            result.apply_transition("pay", bureau)
    if len(results) >= 8:
        clawed = results[7]
        clawed.clawback_amount = clawed.amount
        clawed.clawback_reason = "专项审计发现研发费用归集不实"
        clawed.save()
        clawed.apply_transition("claw_back", bureau, comment="依规全额追回")
    assert SubsidyResult.objects.filter(state=SubsidyState.PAID).exists() or not results


MEMBERS = [
    # name, sending unit, title, rank, specialty, level, outside province
    ("王志远", "天津大学", "教授", "full_senior", "新材料", "province", False),
    ("刘春梅", "天津市农业科学院", "研究员", "full_senior", "设施农业", "city", False),
    ("陈国栋", "天津职业大学", "副教授", "senior", "智能制造", "city", False),
    ("赵敏", "东丽区农业农村委", "高级农艺师", "senior", "蔬菜栽培", "county", False),
    ("孙浩", "东丽区科技服务中心", "高级工程师", "senior", "知识产权", "county", False),
    ("李晓燕", "天津科技大学", "副教授", "senior", "食品工程", "city", False),
    ("吴磊", "天津工业大学", "副教授", "senior", "纺织材料", "city", False),
    ("郭建", "南开大学", "教授", "full_senior", "生物医药", "province", False),
    ("何平", "北京化工大学", "教授", "full_senior", "高分子材料", "province", True),
    ("钱丽", "东丽区农技推广中心", "农艺师", "intermediate", "植物保护", "county", False),
]
ITEMS = [
    ("完成项目", "project", None, "10", False),
    ("新品种试验", "variety", None, "5", False),
    ("示范基地", "base", None, "5", True),
    ("帮扶市场主体", "entity", None, "5", True),
    ("培训≥400人次", "", 400, "10", False),
    ("新闻或视频报道", "news", None, "1", True),
    ("培育科技型中小企业", "tech_sme", None, "5", True),
    ("培育高新技术企业", "hitech", None, "10", True),
    ("知识产权", "ip", None, "2", True),
]
KINDS = itertools.cycle(["guidance", "training", "guidance", "demonstration", "commercialisation"])


def load_commissioners(district, bureau, firms):
    scheme = CommissionerScheme.objects.create(
        unit=district, name="东丽区科技特派员管理办法（参照云科规〔2023〕8号）", unconfirmed=True
    )
    for label, kind, trained, points, each in ITEMS:
        AssessmentItem.objects.create(
            scheme=scheme,
            label=label,
            outcome_kind=kind,
            min_trained=trained,
            points=D(points),
            per_item=each,
        )
    team = CommissionerTeam.objects.create(
        scheme=scheme,
        unit=district,
        name="东丽区新材料与现代农业科技特派团",
        starts_on=datetime.date(2024, 3, 1),
    )
    account = User.objects.create(
        username=DEMO_COMMISSIONER,
        full_name="陈国栋",
        role=Role.EXPERT,
        password=User.objects.get(username="expert").password,
    )
    people = []
    for name, sender, title, rank, specialty, level, outside in MEMBERS:
        people.append(
            Commissioner.objects.create(
                unit=district,
                name=name,
                sending_unit=sender,
                title=title,
                rank=rank,
                specialty=specialty,
                level=level,
                outside_province=outside,
                team=team,
                kind="agriculture" if specialty in ("设施农业", "蔬菜栽培", "植物保护") else "hitech",
                account=account if name == "陈国栋" else None,
            )
        )
    team.leader = people[0]
    team.save()
    villages = ["金钟街道欢坨村", "无瑕街道李庄子村", "华明街道胡张庄村"]
    logs = []
    for n, person in enumerate(people):
        if person.kind == "agriculture":
            a = Assignment.objects.create(
                commissioner=person,
                target_kind="village",
                target_name=villages[n % 3],
                starts_on=team.starts_on,
            )
        else:
            firm = firms[40 + n * 11]
            a = Assignment.objects.create(
                commissioner=person, target_kind="enterprise", enterprise=firm, starts_on=team.starts_on
            )
        # 2025: 23 services each; the first six serve 3 days a time (69 days: the 60-day check is met),
        # the other four 2 days (46 days: not met). 2026: ten services of 2 days to date.
        days_per = D("3") if n < 6 else D("2")
        for month in range(1, 13):
            for week in (5, 19) if month != 8 else (5,):
                day = datetime.date(2025, month, week)
                logs.append(
                    ServiceLog(
                        assignment=a,
                        date=day,
                        days=days_per,
                        kind=next(KINDS),
                        trained=30 if month % 3 == 0 else 0,
                        content=f"{person.specialty}技术服务：现场指导与问题诊断",
                        evidence="签到表、现场照片",
                        logged_by=bureau,
                    )
                )
        for month in range(1, 11):
            logs.append(
                ServiceLog(
                    assignment=a,
                    date=datetime.date(2026, month, 12),
                    days=D("2"),
                    kind=next(KINDS),
                    trained=40 if month in (3, 6, 9) else 0,
                    content=f"{person.specialty}专题培训与企业走访",
                    evidence="培训通知、签到表",
                    logged_by=account if person.account_id else bureau,
                )
            )
        Fund.objects.create(unit=district, commissioner=person, year=2025, kind="working", amount=D("1"))
        Fund.objects.create(unit=district, commissioner=person, year=2026, kind="working", amount=D("1"))
    ServiceLog.objects.bulk_create(logs)
    for n, kind, count in (
        (0, "project", 1),
        (0, "tech_sme", 2),
        (1, "variety", 2),
        (1, "base", 1),
        (2, "hitech", 1),
        (2, "ip", 3),
        (3, "entity", 4),
        (4, "news", 3),
        (7, "tech_sme", 1),
    ):
        Outcome.objects.create(commissioner=people[n], year=2025, kind=kind, count=count, note="年度服务成效")
    Fund.objects.create(
        unit=district, station="东丽区科技特派员工作总站", year=2025, kind="station", amount=D("5")
    )
    Fund.objects.create(
        unit=district, station="金钟街道科技特派员工作站", year=2025, kind="station", amount=D("1")
    )
