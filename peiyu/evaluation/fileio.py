"""Reading evaluation inputs from files (no database): the enterprise-year template of the import
(several rows per enterprise for multi-year rules) plus the optional evaluation columns. Files are
read by the shared spreadsheet reader (title rows, synonyms, units, full-width digits, totals rows);
each bad row is reported with the row number Excel shows and left out.

Chinese headers and code names below are the file format the bureau uses, not interface text."""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from peiyu.core.codes import uscc_problem
from peiyu.core.spreadsheets import Column, Problem, find_header, parse_table, read_file
from peiyu.core.spreadsheets import columns as kinds
from peiyu.core.spreadsheets.errors import ValueProblem
from peiyu.core.spreadsheets.values import clean_text, is_blank
from peiyu.evaluation.inputs import EXTRAS, MONEY_FIELDS, EvaluationInput, YearFigures

HITECH_FIELDS = {"1": "电子信息", "2": "生物与新医药", "3": "航空航天", "4": "新材料", "5": "高技术服务", "6": "新能源与节能",
                 "7": "资源与环境", "8": "先进制造与自动化"}
EMERGING = {"1": "新一代信息技术", "2": "高端装备制造", "3": "新材料", "4": "生物", "5": "新能源汽车", "6": "新能源",
            "7": "节能环保", "8": "数字创意", "9": "相关服务业"}
RD_LEVELS = {"无": 0, "没有": 0, "区级": 1, "县级": 1, "区县级": 1, "市级": 2, "省级": 3, "省部级": 3, "国家级": 4}
YES = {"是", "有", "y", "yes", "true", "1", "√", "✓", "有效"}
NO = {"否", "无", "n", "no", "false", "0", "×", "无效"}


def _choice(names: dict) -> callable:
    lookup = {**{code: code for code in names}, **{name: code for code, name in names.items()},
              **{name + "产业": code for code, name in names.items()}}

    def parse(value):
        if is_blank(value):
            return ""
        text = clean_text(value)
        if text not in lookup:
            raise ValueProblem(_("is not one of: %(names)s") % {"names": "、".join(names.values())})
        return lookup[text]

    return parse


def _level(value):
    if is_blank(value):
        return 0
    text = clean_text(value)
    if text.isdigit() and int(text) <= 4:
        return int(text)
    if text not in RD_LEVELS:
        raise ValueProblem(_("is not one of: %(names)s") % {"names": "无、区级、市级、省级、国家级"})
    return RD_LEVELS[text]


def _bool(value):
    if is_blank(value):
        return None
    text = clean_text(value).lower()
    if text in YES:
        return True
    if text in NO:
        return False
    raise ValueProblem(_("must be 是 or 否"))


def _money(key, header, signed=False):
    return Column(key, header, kinds.SIGNED_MONEY if signed else kinds.MONEY, "万元")


def _count(key, header, unit="件"):
    return Column(key, header, kinds.COUNT, unit)


YEAR_COLUMNS = [
    Column("uscc", "统一社会信用代码", kinds.CODE), Column("name", "企业名称"), Column("year", "年度", kinds.YEAR),
    Column("unit", "所属单位"), Column("park", "所属园区"), Column("industry_code", "行业代码", kinds.CODE),
    Column("hitech_field", "技术领域", kinds.CHOICE, parser=_choice(HITECH_FIELDS)),
    Column("emerging_industry", "战略性新兴产业", kinds.CHOICE, parser=_choice(EMERGING)),
    Column("established", "成立日期", kinds.DATE),
    _money("revenue", "营业收入"), _money("hitech_revenue", "高新技术产品(服务)收入"), _money("total_costs", "成本费用总额"),
    _money("rd_expense", "研发费用"), _money("rd_expense_domestic", "境内研发费用"), _count("employees", "职工总数", "人"),
    _count("tech_staff", "科技人员数", "人"), _count("college_staff", "大专以上学历人数", "人"), _money("total_assets", "资产总额"),
    _money("net_assets", "净资产", signed=True), _money("taxes", "上缴税金"), _money("profit", "利润总额", signed=True),
    _count("invention_patents", "有效发明专利"), _count("other_class1_ip", "其他I类知识产权"), _count("utility_patents", "有效实用新型专利"),
    _count("design_patents", "有效外观设计专利"), _count("software_copyrights", "软件著作权"), _count("patent_applications", "当年专利申请"),
    _count("invention_applications", "当年发明专利申请"), _count("patents_granted", "当年专利授权"),
    Column("rd_institution_level", "研发机构级别", kinds.CHOICE, parser=_level), _count("standards_led", "主导制定标准", "项"),
]

# The optional evaluation columns of issue 4, then the further inputs some rule sets use.
EXTRA_HEADERS = {
    "hitech_certificate_valid": "高新技术企业证书有效(是/否)",
    "national_awards_top3": "近五年国家级科技奖励前三名(项)",
    "standards_led_5y": "近五年主导制定标准(项)",
    "dishonest": "失信或经营异常(是/否)",
    "major_accident": "重大安全质量环境事故(是/否)",
    "audit_collection": "查账征收(是/否)",
    "commercialised_results": "科技成果转化(项)",
    "ip_expert_score": "知识产权专家评分",
    "rd_management_score": "研发组织管理评分",
    "high_value_class1_ip": "I类高价值知识产权(项)",
    "own_class1_ip": "自主研发I类知识产权(项)",
    "main_revenue": "主营业务收入(万元)",
    "niche_years": "从事特定细分市场年限(年)",
    "awards_3y": "近三年省级以上科技奖励(项)",
    "innovation_title": "技术创新示范或知识产权示范企业(是/否)",
    "equity_financing_3y": "近三年新增股权融资(万元)",
    "equity_financing_2y": "近两年新增股权融资(万元)",
    "maker_top500": "创客中国全国500强(是/否)",
    "product_field_score": "主导产品所属领域评分",
    "digital_score": "数字化水平评分",
    "quality_score": "质量管理水平评分",
    "local_feature_score": "地方特色指标评分",
    "rd_staff_score": "研发人员占比评分",
    "rd_institution_score": "研发机构级别评分",
}


def _extra_column(name: str, header: str) -> Column:
    bare = header.split("(")[0]
    kind = EXTRAS[name].kind
    if kind == "bool":
        return Column(f"x.{name}", bare, kinds.CHOICE, synonyms=(header,), parser=_bool)
    if kind == "money":
        return Column(f"x.{name}", bare, kinds.MONEY, "万元", synonyms=(header,))
    return Column(f"x.{name}", bare, kinds.COUNT, synonyms=(header,))


EXTRA_COLUMNS = [_extra_column(name, header) for name, header in EXTRA_HEADERS.items()]
COLUMNS = YEAR_COLUMNS + EXTRA_COLUMNS
# Parts that can never exceed their whole (as in EnterpriseYear.clean).
PART_OF = [("tech_staff", "employees"), ("hitech_revenue", "revenue"), ("rd_expense_domestic", "rd_expense")]


@dataclass
class FileInputs:
    """Inputs read from a file: evaluations to run, and the rows left out with why."""

    inputs: list[EvaluationInput] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    bad_rows: set = field(default_factory=set)
    rows_read: int = 0


def _wan(yuan):
    return None if yuan is None else Decimal(yuan).scaleb(-4)


def _row(table, index: int) -> dict:
    row = {key: values[index] for key, values in table.values.items()}
    for name in MONEY_FIELDS:
        row[name] = _wan(row.get(name))
    for name, extra in EXTRAS.items():
        if extra.kind == "money" and row.get(f"x.{name}") is not None:
            row[f"x.{name}"] = _wan(row[f"x.{name}"])
    return row


def _check_row(row: dict) -> str | None:
    """Why a row cannot be evaluated, or None."""
    if not row.get("uscc"):
        return _("the unified social credit code is missing")
    problem = uscc_problem(row["uscc"])
    if problem:
        return _("credit code %(code)s: %(problem)s") % {"code": row["uscc"], "problem": problem.message}
    if not row.get("year"):
        return _("the year is missing")
    for part, whole in PART_OF:
        if row.get(part) is not None and row.get(whole) is not None and row[part] > row[whole]:
            return _("%(part)s exceeds %(whole)s") % {"part": _label(part), "whole": _label(whole)}
    return None


def _label(key: str) -> str:
    return next(c.title for c in COLUMNS if c.key == key)


def read_inputs(path, year: int | None = None) -> FileInputs:
    """Evaluation inputs from a file: one per enterprise, for `year` or its latest year in the file."""
    out = FileInputs()
    for sheet in read_file(path, local=True):  # a local file: no upload limits
        match = find_header(sheet.rows, COLUMNS, "uscc")
        if match is None:
            continue
        table = parse_table(sheet, match)
        out.problems += table.problems
        rows = _good_rows(table, out)
        out.inputs += _group(rows, year, out)
        return out
    out.problems.append(Problem(_("no sheet has a header row with the unified social credit code column")))
    return out


def _good_rows(table, out: FileInputs) -> list[dict]:
    rows, seen = [], set()
    for index in range(len(table)):
        out.rows_read += 1
        number = table.numbers[index]
        if table.row_has_error(index):
            out.problems += [p for p in table.row_problems[index] if p.is_error]
            out.bad_rows.add(number)
            continue
        row = _row(table, index)
        reason = _check_row(row)
        if reason is None and (row["uscc"], row["year"]) in seen:
            reason = _("the same enterprise and year appear more than once")
        if reason:
            out.problems.append(Problem(reason, table.sheet, number))
            out.bad_rows.add(number)
            continue
        seen.add((row["uscc"], row["year"]))
        rows.append(row)
    return rows


def _group(rows: list[dict], year: int | None, out: FileInputs) -> list[EvaluationInput]:
    by_uscc = defaultdict(dict)
    for row in rows:
        by_uscc[row["uscc"]][row["year"]] = row
    inputs = []
    for uscc, years in by_uscc.items():
        target = year if year is not None else max(years)
        if target not in years:
            message = _("%(uscc)s has no row for %(year)s and is not evaluated") % {"uscc": uscc, "year": target}
            out.problems.append(Problem(message, severity="warning"))
            continue
        latest = years[target]
        extras = {name: latest.get(f"x.{name}") for name in EXTRAS}
        inputs.append(EvaluationInput(
            year=target, uscc=uscc, name=latest.get("name") or "",
            years={y: YearFigures.from_mapping(r) for y, r in years.items() if y <= target},
            established=latest.get("established"), industry_code=latest.get("industry_code") or "",
            hitech_field=latest.get("hitech_field") or "", emerging_industry=latest.get("emerging_industry") or "",
            extras={k: v for k, v in extras.items() if v is not None},
        ))
    return inputs
