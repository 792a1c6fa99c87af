"""The unit tree of the demo district: Tianjin → Dongli district → its streets, functional zones
and the parks inside them. Names are the real streets of 东丽区; zones and parks are plausible."""

from dataclasses import dataclass, field

from peiyu.core.choices import UnitKind
from peiyu.core.models import Unit


@dataclass(frozen=True)
class Area:
    """A street or zone with the roads its addresses use, its parks and its share of enterprises."""

    name: str
    code: str
    kind: str
    roads: tuple[str, ...]
    weight: int
    parks: tuple[tuple[str, str], ...] = field(default=())


AREAS = (
    Area(
        "张贵庄街道",
        "120110001",
        UnitKind.STREET,
        ("津塘公路", "跃进路", "成林道", "先锋东路"),
        7,
        (("张贵庄科技园", "120110001P1"),),
    ),
    Area("丰年村街道", "120110002", UnitKind.STREET, ("卫国道", "丰年村路", "昆仑路"), 3),
    Area(
        "万新街道",
        "120110003",
        UnitKind.STREET,
        ("成林道", "万东路", "程永道"),
        4,
        (("万新科技创业园", "120110003P1"),),
    ),
    Area("无瑕街道", "120110004", UnitKind.STREET, ("津塘公路", "无瑕花园路"), 3),
    Area("新立街道", "120110005", UnitKind.STREET, ("东金路", "新立北路", "津北公路"), 4),
    Area("华明街道", "120110006", UnitKind.STREET, ("华明大道", "弘贯道", "津汉公路"), 4),
    Area("金钟街道", "120110007", UnitKind.STREET, ("金钟公路", "欢坨路"), 3),
    Area(
        "军粮城街道",
        "120110008",
        UnitKind.STREET,
        ("津塘公路", "军粮城大道", "新兴路"),
        5,
        (("军粮城工业园", "120110008P1"),),
    ),
    Area(
        "金桥街道",
        "120110009",
        UnitKind.STREET,
        ("杨北公路", "金桥路", "嘉园道"),
        4,
        (("金桥工业园", "120110009P1"),),
    ),
    Area("东丽湖街道", "120110010", UnitKind.STREET, ("景荔路", "东丽湖路"), 2),
    Area("华新街道", "120110011", UnitKind.STREET, ("华新道", "津芦南线"), 2),
    Area(
        "东丽经济技术开发区",
        "120110Z01",
        UnitKind.ZONE,
        ("五经路", "二纬路", "先锋东路", "东丽大道"),
        20,
        (("东丽开发区智能制造产业园", "120110Z01P1"), ("东丽开发区先进装备制造产业园", "120110Z01P2")),
    ),
    Area(
        "华明高新技术产业区",
        "120110Z02",
        UnitKind.ZONE,
        ("华丰路", "弘程道", "华明大道"),
        16,
        (("华明高新区科技企业孵化园", "120110Z02P1"), ("华明新能源产业园", "120110Z02P2")),
    ),
    Area(
        "东丽湖科技创新区",
        "120110Z03",
        UnitKind.ZONE,
        ("智景东道", "景观大道", "东丽湖路"),
        10,
        (("东丽湖科技创新园", "120110Z03P1"),),
    ),
    Area(
        "东丽航空商务区",
        "120110Z04",
        UnitKind.ZONE,
        ("机场大道", "航双路", "津北公路"),
        8,
        (("航空产业园", "120110Z04P1"),),
    ),
)

CITY = ("天津市", "120000")
DISTRICT = ("东丽区", "120110")


def create_units() -> dict[str, Unit]:
    """Create the tree and return every unit by name (about thirty, so plain saves do)."""
    city = Unit.objects.create(name=CITY[0], code=CITY[1], kind=UnitKind.CITY)
    district = Unit.objects.create(name=DISTRICT[0], code=DISTRICT[1], kind=UnitKind.DISTRICT, parent=city)
    units = {city.name: city, district.name: district}
    for order, area in enumerate(AREAS, start=1):
        unit = Unit.objects.create(
            name=area.name, code=area.code, kind=area.kind, parent=district, sort_order=order
        )
        units[area.name] = unit
        for park_order, (name, code) in enumerate(area.parks, start=1):
            units[name] = Unit.objects.create(
                name=name, code=code, kind=UnitKind.PARK, parent=unit, sort_order=park_order
            )
    return units
