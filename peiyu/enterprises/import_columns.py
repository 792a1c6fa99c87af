"""The columns of the enterprise-year and qualification templates (the bureau's Chinese headers,
code lists and aliases), shared by import and export, and how values are shown in reports."""

from __future__ import annotations

import datetime
import functools
from dataclasses import replace
from typing import TYPE_CHECKING

from django.core.exceptions import FieldDoesNotExist

from peiyu.core.spreadsheets import Column
from peiyu.core.spreadsheets import columns as kinds
from peiyu.core.spreadsheets.columns import MONEY_KINDS
from peiyu.core.spreadsheets.limits import field_limit
from peiyu.core.spreadsheets.units import wan_display
from peiyu.core.spreadsheets.values import choice_parser
from peiyu.enterprises import choices
from peiyu.enterprises.models import Enterprise, EnterpriseYear, Qualification

if TYPE_CHECKING:  # type hints only; the modules import each other at run time otherwise
    from peiyu.enterprises.import_state import UnitIndex

# Names of the code lists as Chinese files write them. Headers and these names are the data format
# of the bureau's templates, so they stay Chinese whatever the interface language is.
HITECH_NAMES = {"1": "电子信息", "2": "生物与新医药", "3": "航空航天", "4": "新材料", "5": "高技术服务",
                "6": "新能源与节能", "7": "资源与环境", "8": "先进制造与自动化"}

# The two kinds of data a sheet can hold.
YEARS, QUALIFICATIONS = "years", "qualifications"


EMERGING_NAMES = {"1": "新一代信息技术产业", "2": "高端装备制造产业", "3": "新材料产业", "4": "生物产业", "5": "新能源汽车产业",
                  "6": "新能源产业", "7": "节能环保产业", "8": "数字创意产业", "9": "相关服务业"}


RD_LEVEL_NAMES = {0: "无", 1: "区级", 2: "市级", 3: "省级", 4: "国家级"}


KIND_NAMES = {"tech_sme": "科技型中小企业", "hitech": "高新技术企业", "gazelle": "瞪羚企业", "little_giant": "科技小巨人",
              "specialized_sme": "专精特新中小企业", "specialized_giant": "专精特新“小巨人”企业", "innovative_sme": "创新型中小企业"}


LEVEL_NAMES = {"national": "国家级", "provincial": "省级", "city": "市级", "district": "区级"}


ALIASES = {
    "hitech_field": {},
    "emerging_industry": {name.removesuffix("产业"): code for code, name in EMERGING_NAMES.items()},
    "rd_institution_level": {"没有": 0, "区县级": 1, "县级": 1, "区": 1, "市": 2, "省部级": 3, "省": 3, "国家": 4},
    "kind": {"科小": "tech_sme", "科技型中小": "tech_sme", "高企": "hitech", "国家高新技术企业": "hitech", "瞪羚": "gazelle",
             "专精特新": "specialized_sme", "专精特新小巨人": "specialized_giant", "专精特新\"小巨人\"": "specialized_giant",
             "专精特新“小巨人”": "specialized_giant", "国家级专精特新小巨人企业": "specialized_giant", "创新型中小": "innovative_sme"},
    "level": {"国家": "national", "省": "provincial", "市": "city", "区": "district", "区县级": "district"},
}


CHOICE_NAMES = {"hitech_field": HITECH_NAMES, "emerging_industry": EMERGING_NAMES, "rd_institution_level": RD_LEVEL_NAMES,
                "kind": KIND_NAMES, "level": LEVEL_NAMES}


CHOICE_CLASSES = {"hitech_field": choices.HitechField, "emerging_industry": choices.EmergingIndustry,
                  "rd_institution_level": choices.RdInstitutionLevel, "kind": choices.QualificationKind, "level": choices.QualificationLevel}


def choice(key: str, header: str, width: int = 16) -> Column:
    """A code-list column that accepts the code, the Chinese name, common short names and the
    interface label."""
    names = CHOICE_NAMES[key]
    labels = {str(code): code for code in names}
    labels.update({name: code for code, name in names.items()})
    labels.update(ALIASES[key])
    for code, label in CHOICE_CLASSES[key].choices:
        labels[str(label)] = code
    expected = "、".join(names.values())
    return Column(key, header, kinds.CHOICE, parser=choice_parser(labels, expected), width=width)


def display_choice(key: str, value) -> str:
    """The Chinese name of a code, or the value itself when it is not a code."""
    return CHOICE_NAMES.get(key, {}).get(value, str(value))


def money(key: str, header: str, signed: bool = False) -> Column:
    return Column(key, header, kinds.SIGNED_MONEY if signed else kinds.MONEY, "万元", width=14)


def count(key: str, header: str, unit: str = "件") -> Column:
    return Column(key, header, kinds.COUNT, unit, width=10)


# The enterprise-year template, in the order of issue 3 (the bureau's canonical headers).
YEAR_COLUMNS = [
    Column("uscc", "统一社会信用代码", kinds.CODE, width=22),
    Column("name", "企业名称", width=32),
    Column("year", "年度", kinds.YEAR, width=8),
    Column("unit", "所属单位", width=14),
    Column("park", "所属园区", width=14),
    Column("industry_code", "行业代码", kinds.CODE, width=10),
    choice("hitech_field", "技术领域"),
    choice("emerging_industry", "战略性新兴产业", 18),
    Column("established", "成立日期", kinds.DATE, width=12),
    money("revenue", "营业收入"),
    money("hitech_revenue", "高新技术产品(服务)收入"),
    money("total_costs", "成本费用总额"),
    money("rd_expense", "研发费用"),
    money("rd_expense_domestic", "境内研发费用"),
    count("employees", "职工总数", "人"),
    count("tech_staff", "科技人员数", "人"),
    count("college_staff", "大专以上学历人数", "人"),
    money("total_assets", "资产总额"),
    money("net_assets", "净资产", signed=True),
    money("taxes", "上缴税金"),
    money("profit", "利润总额", signed=True),
    count("invention_patents", "有效发明专利"),
    count("other_class1_ip", "其他I类知识产权"),
    count("utility_patents", "有效实用新型专利"),
    count("design_patents", "有效外观设计专利"),
    count("software_copyrights", "软件著作权"),
    count("patent_applications", "当年专利申请"),
    count("invention_applications", "当年发明专利申请"),
    count("patents_granted", "当年专利授权"),
    choice("rd_institution_level", "研发机构级别", 12),
    count("standards_led", "主导制定标准", "项"),
]


# Written after the template columns by exports; imported too (masked numbers are ignored).
CONTACT_COLUMNS = [Column("contact_name", "联系人", width=10), Column("contact_phone", "联系电话", kinds.CODE, width=14)]


QUALIFICATION_COLUMNS = [
    Column("uscc", "统一社会信用代码", kinds.CODE, width=22),
    Column("name", "企业名称", width=32),
    choice("kind", "资质类型", 22),
    choice("level", "级别", 8),
    Column("number", "证书编号", kinds.CODE, width=22),
    Column("granted_on", "认定日期", kinds.DATE, width=12),
    Column("valid_until", "有效期至", kinds.DATE, width=12),
]


def bounded(columns: list[Column], *models) -> list[Column]:
    """The columns with the limits of the model fields they fill (the first model having the field).
    Credit codes are left to their own, more telling check; units and code lists are looked up."""
    out = []
    for column in columns:
        limit = None
        if column.key != "uscc" and column.kind != kinds.CHOICE:
            for model in models:
                try:
                    field = model._meta.get_field(column.key)
                except FieldDoesNotExist:
                    continue
                if not field.is_relation:
                    limit = field_limit(field, money=column.kind in MONEY_KINDS)
                break
        out.append(replace(column, limit=limit))
    return out


YEAR_COLUMNS = bounded(YEAR_COLUMNS, EnterpriseYear, Enterprise)
CONTACT_COLUMNS = bounded(CONTACT_COLUMNS, Enterprise)
QUALIFICATION_COLUMNS = bounded(QUALIFICATION_COLUMNS, Qualification, Enterprise)


YEAR_FIELDS = [c.key for c in YEAR_COLUMNS if c.kind in (kinds.MONEY, kinds.SIGNED_MONEY, kinds.COUNT)] + ["rd_institution_level"]


MONEY_FIELDS = {c.key for c in YEAR_COLUMNS if c.kind in MONEY_KINDS}


ENTERPRISE_FIELDS = ["name", "unit", "park", "industry_code", "hitech_field", "emerging_industry", "established", "contact_name", "contact_phone"]


TITLES = {column.key: column.title for column in (*YEAR_COLUMNS, *CONTACT_COLUMNS, *QUALIFICATION_COLUMNS)}


KINDS = {column.key: column.kind for column in (*YEAR_COLUMNS, *CONTACT_COLUMNS, *QUALIFICATION_COLUMNS)}


@functools.lru_cache(maxsize=4096)
def industry_section(code: str) -> str:
    """`choices.industry_section`, remembered: a file repeats a few industry codes many times."""
    return choices.industry_section(code)


def title_of(name: str) -> str:
    return TITLES.get(name, name)


def show(name: str, value, units: UnitIndex | None = None) -> str:
    """A value as people read it in the preview."""
    if value is None:
        return ""
    if KINDS.get(name) in MONEY_KINDS:
        return wan_display(value)
    if name in ("unit", "park") and units is not None:
        return units.name(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    return display_choice(name, value)
