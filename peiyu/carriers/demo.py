"""Demo carriers in the Dongli demo district, from the seeds' own numbers.

- Seed 001 (Dongli 2011–2015 plan), status at the end of 2010: 1 productivity promotion centre,
  2 technology business incubators, 2 national industrialisation bases and 67
  industry-university-research alliances (产学研联合体) — all recognised before 2011, so every
  figure as of 2010-12-31 is exactly the seed's.
- Seed 000 (Hedong 2011), its seven carrier projects with their names and areas: 东宁高科技产业基地,
  帅领高科技产业孵化器, 帅泰科技产业园 (16,000 m², with 东达房地产公司), 帅德医疗器械产业孵化器
  (5,200 m², with 天津森德世达科技有限公司), the productivity centre (one general and seven industry
  centres, the first for new materials), enterprise R&D centres (25 existing, 20 new) and the three
  科技园 帅达, 帅超, 帅越 — recognised from 2011 on, placed in plausible units of the demo district.
- R&D centres belong to real demo enterprises (the largest by 2009 revenue); incubators link the
  smallest enterprises of their unit. Deterministic: no randomness, only sorted queries.
"""

import datetime
from decimal import Decimal

from django.db.models import Q

from peiyu.carriers.choices import CarrierKind as K
from peiyu.carriers.choices import CarrierLevel as L
from peiyu.carriers.choices import CarrierStatus, CentreScope
from peiyu.carriers.models import Carrier
from peiyu.core.models import Unit, User
from peiyu.enterprises.models import Enterprise, EnterpriseYear

D = datetime.date
DISTRICT_BUREAU = "东丽区科学技术委员会"
CITY_BUREAU = "天津市科学技术委员会"
NATIONAL_BUREAU = "科学技术部火炬高技术产业开发中心"

# Seed 001's platform at the end of 2010 (name, kind, level, unit code, recognised, by, extra fields).
PLATFORM_2010 = [
    (
        "东丽区生产力促进中心",
        K.PRODUCTIVITY_CENTRE,
        L.CITY,
        "120110",
        D(2004, 6, 18),
        CITY_BUREAU,
        {"centre_scope": CentreScope.GENERAL, "operator": "东丽区科学技术委员会", "area": Decimal("1800")},
    ),
    (
        "华明高新区科技企业孵化器",
        K.INCUBATOR,
        L.CITY,
        "120110Z02P1",
        D(2008, 9, 26),
        CITY_BUREAU,
        {"operator": "天津华明高新技术产业发展有限公司", "area": Decimal("32000"), "incubated_other": 14},
    ),
    (
        "东丽经济技术开发区科技企业孵化器",
        K.INCUBATOR,
        L.DISTRICT,
        "120110Z01",
        D(2009, 11, 3),
        DISTRICT_BUREAU,
        {"operator": "天津东丽经济技术开发区总公司", "area": Decimal("18500"), "incubated_other": 9},
    ),
    (
        "国家火炬计划天津东丽航空航天产业基地",
        K.INDUSTRIAL_BASE,
        L.NATIONAL,
        "120110Z04",
        D(2009, 4, 20),
        NATIONAL_BUREAU,
        {"operator": "东丽航空商务区管理委员会", "document_number": "国科火字〔2009〕58号"},
    ),
    (
        "国家火炬计划天津东丽先进装备制造产业基地",
        K.INDUSTRIAL_BASE,
        L.NATIONAL,
        "120110Z01",
        D(2010, 7, 12),
        NATIONAL_BUREAU,
        {"operator": "东丽经济技术开发区管理委员会", "document_number": "国科火字〔2010〕112号"},
    ),
]

# Seed 000's seven carrier projects, recognised from 2011 on.
SEED_000 = [
    (
        "东宁高科技产业基地",
        K.INDUSTRIAL_BASE,
        L.DISTRICT,
        "120110008",
        D(2011, 10, 15),
        DISTRICT_BUREAU,
        {"operator": "东宁高科技产业基地管理办公室", "note": "“飞地经济”园区"},
    ),
    (
        "帅领高科技产业孵化器",
        K.INCUBATOR,
        L.CITY,
        "120110Z01P1",
        D(2011, 12, 8),
        CITY_BUREAU,
        {"operator": "帅领高科技产业孵化器有限公司", "note": "孵化器与研发总部", "incubated_other": 6},
    ),
    (
        "帅泰科技产业园",
        K.SCIENCE_PARK,
        L.DISTRICT,
        "120110001P1",
        D(2012, 5, 30),
        DISTRICT_BUREAU,
        {
            "operator": "天津东达房地产开发有限公司",
            "area": Decimal("16000"),
            "note": "与东达房地产公司合作，为生产型科技企业提供发展空间",
        },
    ),
    (
        "帅德医疗器械产业孵化器",
        K.INCUBATOR,
        L.DISTRICT,
        "120110Z02",
        D(2012, 3, 16),
        DISTRICT_BUREAU,
        {
            "operator": "天津森德世达科技有限公司",
            "area": Decimal("5200"),
            "note": "利用原木材四场5200平方米生产车间建设",
            "incubated_other": 4,
        },
    ),
    (
        "河东区生产力促进中心",
        K.PRODUCTIVITY_CENTRE,
        L.DISTRICT,
        "120110",
        D(2011, 9, 1),
        DISTRICT_BUREAU,
        {
            "centre_scope": CentreScope.GENERAL,
            "operator": "区科学技术委员会",
            "note": "提供投融资、技术市场等十大项五十余小项服务",
        },
    ),
    (
        "帅达科技园",
        K.SCIENCE_PARK,
        L.CITY,
        "120110003P1",
        D(2012, 11, 20),
        CITY_BUREAU,
        {"note": "“一园一街”亮点工程"},
    ),
    (
        "帅超科技园",
        K.SCIENCE_PARK,
        L.CITY,
        "120110Z03P1",
        D(2013, 6, 6),
        CITY_BUREAU,
        {"note": "市示范科技园"},
    ),
    ("帅越科技园", K.SCIENCE_PARK, L.CITY, "120110009P1", D(2013, 9, 12), CITY_BUREAU, {}),
]
INDUSTRY_CENTRES = [
    "新材料制造",
    "航空航天",
    "半导体照明",
    "先进装备制造",
    "生物医药",
    "节能环保",
    "新一代信息技术",
]
UNIVERSITIES = [
    "天津大学",
    "南开大学",
    "河北工业大学",
    "天津理工大学",
    "天津科技大学",
    "天津工业大学",
    "中国民航大学",
    "天津职业技术师范大学",
    "天津医科大学",
    "天津中医药大学",
    "天津城建大学",
    "天津商业大学",
]
ALLIANCES = 67  # seed 001: 67 产学研联合体
RD_EXISTING, RD_NEW = 25, 20  # seed 000: 25 R&D centres built, 20 new


def load() -> None:
    units = {u.code: u for u in Unit.objects.all()}
    if "120110" not in units:
        return
    by_revenue = list(
        Enterprise.objects.filter(pk__in=EnterpriseYear.objects.filter(year=2009).values("enterprise_id"))
        .order_by("-years__revenue", "pk")
        .filter(years__year=2009)
        .select_related("unit")
    )
    carriers, links = [], []

    def add(name, kind, level, code, day, by, **fields):
        carrier = Carrier(
            name=name,
            kind=kind,
            level=level,
            unit=units[code],
            recognised_on=day,
            recognised_by=by,
            status=CarrierStatus.OPERATING,
            address=fields.pop("address", ""),
            **fields,
        )
        carriers.append(carrier)
        return carrier

    for name, kind, level, code, day, by, extra in PLATFORM_2010 + SEED_000:
        add(name, kind, level, code, day, by, **extra)
    for n, industry in enumerate(INDUSTRY_CENTRES):
        add(
            f"东丽区{industry}行业生产力促进中心",
            K.PRODUCTIVITY_CENTRE,
            L.DISTRICT,
            "120110",
            D(2012 + n // 3, 3 + 3 * (n % 3), 10 + n),
            DISTRICT_BUREAU,
            centre_scope=CentreScope.INDUSTRY,
            industry=industry,
        )
    for n, enterprise in enumerate(by_revenue[: RD_EXISTING + RD_NEW]):
        day = (
            D(2006 + n % 5, 1 + n % 12, 1 + n % 27)
            if n < RD_EXISTING
            else D(2011 + (n - RD_EXISTING) // 10, 2 + n % 10, 1 + n % 27)
        )
        add(
            f"{enterprise.name.removesuffix('有限公司').removesuffix('股份')}企业研发中心",
            K.RD_CENTRE,
            L.CITY if n % 4 == 0 else L.DISTRICT,
            enterprise.unit.code,
            day,
            CITY_BUREAU if n % 4 == 0 else DISTRICT_BUREAU,
            enterprise=enterprise,
            operator=enterprise.name,
        )
    leads = by_revenue[RD_EXISTING + RD_NEW :][:ALLIANCES]
    for n, enterprise in enumerate(leads):
        add(
            f"{enterprise.name.removesuffix('有限公司')}—{UNIVERSITIES[n % len(UNIVERSITIES)]}产学研联合体",
            K.ALLIANCE,
            L.DISTRICT,
            enterprise.unit.code,
            D(2006 + n % 5, 1 + (n * 5) % 12, 1 + (n * 7) % 28),
            DISTRICT_BUREAU,
            enterprise=enterprise,
            operator=enterprise.name,
        )
    Carrier.objects.bulk_create(carriers)
    link_incubated(carriers, links)


def link_incubated(carriers: list[Carrier], links: list) -> None:
    """Each incubator holds the smallest demo enterprises of its unit (start-ups, by 2009 revenue),
    and the demo enterprise account's own enterprise sits in the first incubator."""
    through = Carrier.incubated.through
    taken: set[int] = set()
    account = User.objects.filter(username="enterprise").first()
    own = Enterprise.objects.filter(accounts=account).first() if account else None
    for carrier in (c for c in carriers if c.kind == K.INCUBATOR):
        subtree = Unit.objects.subtree_ids(carrier.unit)
        small = (
            Enterprise.objects.filter(Q(unit_id__in=subtree) | Q(park_id__in=subtree), years__year=2009)
            .exclude(pk__in=taken)
            .order_by("years__revenue", "pk")
            .values_list("pk", flat=True)[:8]
        )
        for pk in small:
            taken.add(pk)
            links.append(through(carrier_id=carrier.pk, enterprise_id=pk))
    first = next((c for c in carriers if c.kind == K.INCUBATOR), None)
    if own is not None and first is not None and own.pk not in taken:
        links.append(through(carrier_id=first.pk, enterprise_id=own.pk))
    through.objects.bulk_create(links)
