"""Industries of the demo enterprises: a GB/T 4754-2017 class, the words a company name in it uses,
its hi-tech field and the strategic emerging industry categories it can belong to."""

from dataclasses import dataclass

from peiyu.enterprises.choices import EmergingIndustry as E
from peiyu.enterprises.choices import HitechField as F


@dataclass(frozen=True)
class Industry:
    code: str
    words: tuple[str, ...]
    field: str
    emerging: tuple[str, ...]
    weight: int
    rd_intensity: float = 1.0  # relative to the district's 4.86 %


INDUSTRIES = (
    Industry(
        "3841", ("新能源科技", "电池科技", "能源技术"), F.NEW_ENERGY, (E.NEW_ENERGY, E.NEW_ENERGY_VEHICLES), 6
    ),
    Industry(
        "3976", ("光电科技", "半导体照明", "光电子"), F.ELECTRONIC_INFORMATION, (E.NEXT_GEN_IT,), 7, 1.2
    ),
    Industry("2710", ("医药科技", "药业", "制药"), F.BIO_MEDICINE, (E.BIOTECH,), 4, 1.4),
    Industry("2761", ("生物技术", "生物科技", "生物制品"), F.BIO_MEDICINE, (E.BIOTECH,), 3, 1.6),
    Industry("3581", ("医疗器械", "医疗设备", "医学科技"), F.BIO_MEDICINE, (E.BIOTECH,), 4, 1.3),
    Industry(
        "3562",
        ("半导体设备", "电子设备", "微电子设备"),
        F.ELECTRONIC_INFORMATION,
        (E.NEXT_GEN_IT, E.HIGH_END_EQUIPMENT),
        4,
        1.3,
    ),
    Industry(
        "3421",
        ("精密机械", "数控机床", "机械制造"),
        F.ADVANCED_MANUFACTURING,
        (E.HIGH_END_EQUIPMENT,),
        8,
        0.8,
    ),
    Industry(
        "3491",
        ("机器人技术", "智能装备", "自动化科技"),
        F.ADVANCED_MANUFACTURING,
        (E.HIGH_END_EQUIPMENT,),
        5,
        1.2,
    ),
    Industry(
        "4011",
        ("自动化设备", "测控技术", "仪器仪表"),
        F.ADVANCED_MANUFACTURING,
        (E.HIGH_END_EQUIPMENT,),
        5,
        1.1,
    ),
    Industry("3823", ("电气设备", "电力科技", "电气技术"), F.NEW_ENERGY, (E.NEW_ENERGY,), 6, 0.8),
    Industry(
        "3670",
        ("汽车零部件", "汽车配件", "车辆科技"),
        F.ADVANCED_MANUFACTURING,
        (E.NEW_ENERGY_VEHICLES,),
        7,
        0.7,
    ),
    Industry("3744", ("航空设备", "航空科技", "航空技术"), F.AEROSPACE, (E.HIGH_END_EQUIPMENT,), 3, 1.4),
    Industry("2651", ("新材料科技", "高分子材料", "化工科技"), F.NEW_MATERIALS, (E.NEW_MATERIALS,), 6, 0.8),
    Industry(
        "3985", ("电子材料", "新材料", "功能材料"), F.NEW_MATERIALS, (E.NEW_MATERIALS, E.NEXT_GEN_IT), 4
    ),
    Industry(
        "3921", ("通信技术", "通信设备", "网络科技"), F.ELECTRONIC_INFORMATION, (E.NEXT_GEN_IT,), 4, 1.3
    ),
    Industry("6511", ("软件", "软件技术", "信息科技"), F.ELECTRONIC_INFORMATION, (E.NEXT_GEN_IT,), 5, 1.6),
    Industry(
        "6513",
        ("软件开发", "信息技术", "数据科技"),
        F.ELECTRONIC_INFORMATION,
        (E.NEXT_GEN_IT, E.DIGITAL_CREATIVE),
        6,
        1.6,
    ),
    Industry(
        "6531", ("系统集成", "信息系统", "智能科技"), F.ELECTRONIC_INFORMATION, (E.NEXT_GEN_IT,), 4, 1.2
    ),
    Industry(
        "7320", ("技术研究", "工程技术", "科技发展"), F.HIGH_TECH_SERVICES, (E.RELATED_SERVICES,), 4, 1.8
    ),
    Industry(
        "7517",
        ("增材制造", "三维科技", "快速成型"),
        F.ADVANCED_MANUFACTURING,
        (E.HIGH_END_EQUIPMENT,),
        2,
        1.5,
    ),
    Industry("7514", ("节能技术", "节能科技", "能源服务"), F.NEW_ENERGY, (E.ENERGY_SAVING,), 3),
    Industry(
        "7452", ("检测技术", "检验科技", "认证技术"), F.HIGH_TECH_SERVICES, (E.RELATED_SERVICES,), 2, 1.1
    ),
    Industry("7721", ("环保科技", "水处理技术", "环境工程"), F.RESOURCES_ENVIRONMENT, (E.ENERGY_SAVING,), 3),
)
