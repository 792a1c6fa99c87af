"""Importing enterprise years and qualifications from spreadsheets (企业数据导入).

A file is read and parsed by `core.spreadsheets`; this module knows the enterprise library's
columns and rules. Every run first plans: each data row becomes new, changed (field, old → new),
unchanged, duplicate or error. A dry run stops there. A commit plans again inside one transaction
and writes the valid rows in bulk with their change history, tagged with the import batch so the
batch can be undone; in strict mode any error writes nothing.

Rules worth knowing (shown in the template's notes sheet too):
- Empty cells never erase stored values: they mean "not provided".
- A year row for a credit code not yet in the library creates the enterprise when the row names
  it (企业名称) and its unit (所属单位, or the unit chosen for the import) lies within the importing
  user's units; otherwise the row is an error. Qualification rows never create enterprises.
- Enterprise columns (名称, 单位, 园区, 行业代码, …) on a year row update the enterprise; two rows
  of one file giving the same enterprise different values are errors.
- Two rows for the same enterprise and year (or the same qualification) are a harmless duplicate
  when identical (the second is skipped) and errors when they differ.
- Masked phone numbers (as exports show them to some roles) are ignored, never written back.
"""

import datetime
import decimal
import functools
import gc
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connections, transaction
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from peiyu.core.choices import ChangeAction, Role
from peiyu.core.codes import tech_sme_number_warning, uscc_org_code_warning, uscc_problem
from peiyu.core.history import acting_as, snapshot
from peiyu.core.models import ImportBatch, Unit
from peiyu.core.spreadsheets import Column, Problem, SpreadsheetError, find_header, parse_table, read_file
from peiyu.core.spreadsheets import columns as kinds
from peiyu.core.spreadsheets.bulk import ChangeLog, TableWriter
from peiyu.core.spreadsheets.columns import MONEY_KINDS
from peiyu.core.spreadsheets.errors import WARNING
from peiyu.core.spreadsheets.report import CHANGED, DUPLICATE, ERROR, NEW, UNCHANGED, Report, RowResult
from peiyu.core.spreadsheets.undo import undo_batch
from peiyu.core.spreadsheets.units import FLOAT_EXACT, wan, wan_display
from peiyu.core.spreadsheets.values import choice_parser
from peiyu.enterprises import choices
from peiyu.enterprises.models import PART_OF, Enterprise, EnterpriseYear, Qualification, default_valid_until
from peiyu.enterprises.pinyin import initials

CHUNK = 2000
ERRORS_KEPT = 5000
YEARS, QUALIFICATIONS = "years", "qualifications"

# Names of the code lists as Chinese files write them. Headers and these names are the data format
# of the bureau's templates, so they stay Chinese whatever the interface language is.
HITECH_NAMES = {"1": "电子信息", "2": "生物与新医药", "3": "航空航天", "4": "新材料", "5": "高技术服务",
                "6": "新能源与节能", "7": "资源与环境", "8": "先进制造与自动化"}
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
YEAR_FIELDS = [c.key for c in YEAR_COLUMNS if c.kind in (kinds.MONEY, kinds.SIGNED_MONEY, kinds.COUNT)] + ["rd_institution_level"]
MONEY_FIELDS = {c.key for c in YEAR_COLUMNS if c.kind in MONEY_KINDS}
ENTERPRISE_FIELDS = ["name", "unit", "park", "industry_code", "hitech_field", "emerging_industry", "established", "contact_name", "contact_phone"]


@dataclass
class ImportOptions:
    """What the person importing chose: kind of data (None: recognise each sheet), the year for
    rows without one, the unit for new enterprises without one (and, without a user, the scope),
    strict mode, and whether to write at all."""

    user: object = None
    kind: str | None = None
    year: int | None = None
    unit: Unit | None = None
    strict: bool = False
    dry_run: bool = True


def can_import(user) -> bool:
    return bool(user and user.is_authenticated and (user.is_superuser or user.role in {Role.BUREAU, Role.UNIT}))


def can_undo(user) -> bool:
    return bool(user and user.is_authenticated and (user.is_superuser or user.role == Role.BUREAU))


def run_import(source, file_name: str, options: ImportOptions, sha256: str = "", progress=None) -> Report:
    """Read, check and (unless a dry run) write one file; never raises for a bad file, the
    problems are in the report."""
    # A 100,000-row file is millions of live cells, lists and dicts; the cyclic garbage collector
    # would walk them all again and again (a third of the run). Nothing here makes cycles worth
    # collecting before the end, so it waits until the import is done.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return import_file(source, file_name, options, sha256, progress)
    finally:
        if collecting:
            gc.enable()


def import_file(source, file_name: str, options: ImportOptions, sha256: str, progress) -> Report:
    report = Report(file_name=file_name, sha256=sha256, strict=options.strict, dry_run=options.dry_run)
    progress = progress or (lambda *args: None)
    progress("reading", 0, 0)
    try:
        sheets = read_file(source, file_name)
    except SpreadsheetError as exc:
        report.problems.append(Problem(exc.message))
        return report
    tables = recognise(sheets, options, report)
    if options.dry_run:
        Planner(options, report, progress).plan(tables)
        return report
    with transaction.atomic():
        planner = Planner(options, report, progress)
        planner.plan(tables)
        if options.strict and report.failed:
            return report
        planner.write()
    return report


def recognise(sheets, options: ImportOptions, report: Report) -> list:
    """Find each sheet's header and kind of data; sheets without a credit-code header are noted."""
    tables = []
    for sheet in sheets:
        kind, match = sheet_kind(sheet, options.kind)
        if match is None:
            if sheet.rows:
                report.problems.append(Problem(
                    _("no header row with 统一社会信用代码 was found; the sheet was not imported"), sheet.name, severity=WARNING,
                ))
            continue
        table = parse_table(sheet, match)
        report.skipped_rows += table.skipped
        report.sheets.append({
            "name": sheet.name, "kind": kind, "header_row": sheet.numbers[match.row], "header_depth": match.depth,
            "unit": match.title_unit or "", "columns": [table.labels[c.key] for c in match.columns.values()],
            "ignored": match.ignored, "rows": len(table),
        })
        report.problems.extend(table.problems)
        tables.append((kind, table))
    if not tables and not report.problems:
        report.problems.append(Problem(_("the file has no sheet with data")))
    kinds = sorted({kind for kind, _table in tables})
    report.kind = "+".join(kinds)
    return tables


def sheet_kind(sheet, forced: str | None):
    best = (None, None)
    for kind, columns in ((YEARS, YEAR_COLUMNS + CONTACT_COLUMNS), (QUALIFICATIONS, QUALIFICATION_COLUMNS)):
        if forced and kind != forced:
            continue
        match = find_header(sheet.rows, columns, "uscc")
        if match is None or (kind == QUALIFICATIONS and "kind" not in match.keys):
            continue
        if best[1] is None or len(match.keys) > len(best[1].keys):
            best = (kind, match)
    return best


class Scope:
    """Which enterprises the import may change and in which units it may place enterprises; the
    user's scoping comes from `writable_by`, the one place it is defined."""

    def __init__(self, user, unit: Unit | None):
        self.user = user
        base = unit if user is None else (None if user.is_superuser else user.unit)
        self.unit_ids = None if base is None else set(Unit.objects.subtree_ids(base))
        self.creates = user is None or user.is_superuser or user.role in {Role.BUREAU, Role.UNIT}

    def may_place(self, unit_id: int | None) -> bool:
        return self.creates and unit_id is not None and (self.unit_ids is None or unit_id in self.unit_ids)

    def writable(self, ids: list[int]) -> set[int]:
        queryset = Enterprise.objects.writable_by(self.user) if self.user is not None else Enterprise.objects.all()
        rows = queryset.filter(pk__in=ids).values_list("pk", "unit_id", "park_id")
        if self.unit_ids is None or self.user is not None:
            return {pk for pk, _u, _p in rows}
        return {pk for pk, unit_id, park_id in rows if unit_id in self.unit_ids or park_id in self.unit_ids}


class UnitIndex:
    """Units by code and by name, for the 所属单位 and 所属园区 columns."""

    def __init__(self):
        self.units = {unit.pk: unit for unit in Unit.objects.all()}
        self.by_key: dict[str, list[Unit]] = {}
        self.found: dict[tuple, tuple[int | None, str]] = {}
        for unit in self.units.values():
            for key in {unit.code.upper(), unit.name}:
                self.by_key.setdefault(key, []).append(unit)

    def find(self, text: str, park: bool = False) -> tuple[int | None, str]:
        """The unit a cell names, or None and why not; remembered, as a file names few units."""
        key = (text, park)
        found = self.found.get(key)
        if found is None:
            found = self.found[key] = self.lookup(text, park)
        return found

    def lookup(self, text: str, park: bool) -> tuple[int | None, str]:
        found = [u for u in self.by_key.get(text, self.by_key.get(text.upper(), [])) if not park or u.kind == "park"]
        if len(found) == 1:
            return found[0].pk, ""
        if found:
            return None, _("names more than one unit; use the unit code")
        return None, _("is not a park known to the platform") if park else _("is not a unit known to the platform")

    def name(self, unit_id) -> str:
        return self.units[unit_id].name if unit_id in self.units else ""


@dataclass
class EnterpriseState:
    """An enterprise as the plan sees it: stored values, then the changes planned so far."""

    uscc: str
    pk: int | None
    values: dict
    deleted: bool = False
    writable: bool = True
    set_by: dict = field(default_factory=dict)  # field → row that planned its value
    changed: set = field(default_factory=set)
    valid: bool = False  # a new enterprise is created only once a valid row names it
    applied: tuple | None = None  # enterprise cells of the last row applied without problems


class Planner:
    """Classifies every row and collects the writes; `write` performs them."""

    def __init__(self, options: ImportOptions, report: Report, progress):
        self.options = options
        self.report = report
        self.progress = progress
        self.scope = Scope(options.user, options.unit)
        self.units = UnitIndex()
        self.enterprises: dict[str, EnterpriseState] = {}
        self.years: dict[tuple, dict] = {}
        self.new_years: dict[tuple, dict] = {}  # (uscc, year) → figures
        self.year_updates: dict[int, tuple] = {}  # year pk → (enterprise pk, year, old, merged)
        self.quals: dict[tuple, dict] = {}
        self.new_quals: list[tuple] = []
        self.qual_updates: list[tuple] = []

    # planning ------------------------------------------------------------------------------

    def plan(self, tables) -> None:
        total = sum(len(table) for _kind, table in tables)
        self.progress("checking", 0, total)
        codes = {code for _kind, table in tables for code in table.values.get("uscc", []) if code}
        self.load_enterprises(codes)
        done = 0
        for kind, table in sorted(tables, key=lambda item: item[0] != YEARS):
            if table.fatal:
                continue
            if kind == YEARS:
                self.plan_years(table, done, total)
            else:
                self.plan_qualifications(table)
            done += len(table)
            for problems in table.row_problems.values():
                self.report.problems.extend(problems)
        self.report.problems.sort(key=lambda p: (p.sheet, p.row or 0))

    def load_enterprises(self, codes: set[str]) -> None:
        """The named enterprises (deleted ones too), read with one plain query per chunk."""
        codes = sorted(codes)
        connection = connections[Enterprise.all_objects.db]
        quote = connection.ops.quote_name
        meta = Enterprise._meta
        columns = ", ".join(quote(meta.get_field(name).column) for name in ["id", "uscc", "deleted_at", *ENTERPRISE_FIELDS])
        sql = f"SELECT {columns} FROM {quote(meta.db_table)} WHERE {quote(meta.get_field('uscc').column)} IN (%s)"
        established = ENTERPRISE_FIELDS.index("established")
        with connection.cursor() as cursor:
            for start in range(0, len(codes), CHUNK):
                chunk = codes[start : start + CHUNK]
                cursor.execute(sql % ", ".join(["%s"] * len(chunk)), chunk)
                loaded = cursor.fetchall()
                writable = self.scope.writable([row[0] for row in loaded])
                for pk, uscc, deleted_at, *values in loaded:
                    if isinstance(values[established], str):  # SQLite gives dates as text
                        values[established] = parse_date(values[established])
                    self.enterprises[uscc] = EnterpriseState(
                        uscc, pk, dict(zip(ENTERPRISE_FIELDS, values, strict=True)), deleted=deleted_at is not None,
                        writable=pk in writable, valid=True,
                    )

    def load_years(self, pks: list[int], years: set[int]) -> None:
        """The stored figures of the touched enterprise years, amounts as whole yuan, read with one
        plain query per chunk (no model instances, no Decimals)."""
        if not pks or not years:
            return
        connection = connections[EnterpriseYear.objects.db]
        sql, convert = stored_years_query(connection)
        years = sorted(years)
        names = ["pk", *YEAR_FIELDS]
        stored = self.years
        with connection.cursor() as cursor:
            for start in range(0, len(pks), CHUNK):
                chunk = pks[start : start + CHUNK]
                cursor.execute(sql % (", ".join(["%s"] * len(chunk)), ", ".join(["%s"] * len(years))), [*chunk, *years])
                for enterprise_id, year, *values in cursor.fetchall():
                    if convert is not None:
                        values = convert(values)
                    stored[(enterprise_id, year)] = dict(zip(names, values, strict=True))

    def plan_years(self, table, done: int, total: int) -> None:
        rows = YearRows(self, table)
        pks = sorted({state.pk for state in self.enterprises.values() if state.pk})
        self.load_years(pks, {year for year in rows.year_column if year} | ({self.options.year} if self.options.year else set()))
        for index in range(len(table)):
            self.report.rows.append(rows.classify(index))
            if index % 5000 == 4999:
                self.progress("checking", done + index + 1, total)

    def plan_qualifications(self, table) -> None:
        rows = QualificationRows(self, table)
        self.load_qualifications(sorted({state.pk for state in self.enterprises.values() if state.pk}))
        for index in range(len(table)):
            self.report.rows.append(rows.classify(index))

    def load_qualifications(self, pks: list[int]) -> None:
        for start in range(0, len(pks), CHUNK):
            for qualification in Qualification.objects.filter(enterprise_id__in=pks[start : start + CHUNK]):
                self.quals[qualification_key(qualification.enterprise_id, qualification.kind, qualification.number, qualification.granted_on)] = qualification

    # writing -------------------------------------------------------------------------------

    def write(self) -> None:
        report, options = self.report, self.options
        user = options.user
        batch = ImportBatch.objects.create(
            kind=report.kind or YEARS, user=user, user_name=user.get_username() if user else "system",
            file_name=report.file_name[:255], file_sha256=report.sha256, strict=options.strict,
        )
        log = ChangeLog()
        self.progress("writing", 0, len(self.report.rows))
        with acting_as(user, batch=str(batch.id)):
            self.create_enterprises(log)
            self.update_enterprises(log)
            self.create_years(log)
            self.update_years(log)
            self.write_qualifications(log)
            log.write()
        report.written = True
        report.batch = str(batch.id)
        batch.kind = report.kind or YEARS
        batch.counts = report.counts
        data = report.as_dict(rows=False)
        data["errors"] = data["errors"][:ERRORS_KEPT]
        data["warnings"] = data["warnings"][:ERRORS_KEPT]
        batch.report = data
        batch.save(update_fields=["kind", "counts", "report"])

    def create_enterprises(self, log: ChangeLog) -> None:
        new = [state for state in self.enterprises.values() if state.pk is None and state.valid]
        objects = [Enterprise(uscc=state.uscc, **enterprise_fields(state.values)) for state in new]
        for obj in objects:
            obj.name_initials = initials(obj.name)
            obj.industry_section = industry_section(obj.industry_code)
        Enterprise.objects.bulk_create(objects, batch_size=500)
        template = log.template(Enterprise, ChangeAction.CREATE)
        for state, obj in zip(new, objects, strict=True):
            state.pk = obj.pk
            log.add(template, obj.pk, str(obj), None, None, snapshot(obj))
        self.report.created_enterprises = len(objects)

    def update_enterprises(self, log: ChangeLog) -> None:
        changed = {state.pk: state for state in self.enterprises.values() if state.pk and state.changed}
        if not changed:
            return
        names = ["name", "name_initials", "unit_id", "park_id", "industry_code", "industry_section", "hitech_field",
                 "emerging_industry", "established", "contact_name", "contact_phone", "updated"]
        template = log.template(Enterprise, ChangeAction.UPDATE)
        rows, now = [], timezone.now()
        pks = sorted(changed)
        for start in range(0, len(pks), CHUNK):
            for obj in Enterprise.all_objects.filter(pk__in=pks[start : start + CHUNK]):
                before = snapshot(obj)
                for name, value in enterprise_fields(changed[obj.pk].values).items():
                    setattr(obj, name, value)
                obj.name_initials = initials(obj.name)
                obj.industry_section = industry_section(obj.industry_code)
                obj.updated = now
                rows.append((*(getattr(obj, name) for name in names), obj.pk))
                log.add(template, obj.pk, str(obj), None, before, snapshot(obj))
        TableWriter(Enterprise, names).update(rows)

    def create_years(self, log: ChangeLog) -> None:
        if not self.new_years:
            return
        writer = TableWriter(EnterpriseYear, [*YEAR_SNAPSHOT_FIELDS, "created", "updated"], prepared={"created", "updated"})
        now = writer.db_value("created", timezone.now())  # converted once, not per row
        snapshots = {}
        rows = []
        enterprises = self.enterprises
        for (uscc, year), figures in self.new_years.items():
            pk = enterprises[uscc].pk
            data = snapshots[(pk, year)] = year_snapshot(pk, year, figures)
            rows.append((*data.values(), now, now))
        writer.insert(rows)
        template = log.template(EnterpriseYear, ChangeAction.CREATE)
        names = {state.pk: state.values["name"] for state in self.enterprises.values()}
        pks = sorted({pk for pk, _year in snapshots})
        years = {year for _pk, year in snapshots}
        connection = connections[EnterpriseYear.objects.db]
        quote = connection.ops.quote_name
        meta = EnterpriseYear._meta
        enterprise, year_column = quote(meta.get_field("enterprise").column), quote(meta.get_field("year").column)
        sql = (f"SELECT {quote(meta.pk.column)}, {enterprise}, {year_column} FROM {quote(meta.db_table)} "
               f"WHERE {enterprise} IN (%s) AND {year_column} IN (%s)")
        years = sorted(years)
        with connection.cursor() as cursor:
            for start in range(0, len(pks), CHUNK):
                chunk = pks[start : start + CHUNK]
                cursor.execute(sql % (", ".join(["%s"] * len(chunk)), ", ".join(["%s"] * len(years))), [*chunk, *years])
                # history in the model's order (enterprise name, latest year first), as before
                found = sorted(cursor.fetchall(), key=lambda row: (names[row[1]], -row[2]))
                for pk, enterprise_id, year in found:
                    data = snapshots.get((enterprise_id, year))
                    if data is not None:
                        log.add(template, pk, f"{names[enterprise_id]} {year}", enterprise_id, None, data)

    def update_years(self, log: ChangeLog) -> None:
        if not self.year_updates:
            return
        now = timezone.now()
        template = log.template(EnterpriseYear, ChangeAction.UPDATE)
        rows = []
        for pk, (uscc, year, old, merged) in self.year_updates.items():
            state = self.enterprises[uscc]
            after = year_snapshot(state.pk, year, merged)
            rows.append((*after.values(), now, pk))
            log.add(template, pk, f"{state.values['name']} {year}", state.pk, year_snapshot(state.pk, year, old), after)
        TableWriter(EnterpriseYear, [*YEAR_SNAPSHOT_FIELDS, "updated"]).update(rows)

    def write_qualifications(self, log: ChangeLog) -> None:
        objects = []
        for uscc, values in self.new_quals:
            objects.append(Qualification(enterprise_id=self.enterprises[uscc].pk, **values))
        Qualification.objects.bulk_create(objects, batch_size=500)
        template = log.template(Qualification, ChangeAction.CREATE)
        for obj, (uscc, _values) in zip(objects, self.new_quals, strict=True):
            log.add(template, obj.pk, qualification_repr(self.enterprises[uscc], obj), obj.enterprise_id, None, snapshot(obj))
        template = log.template(Qualification, ChangeAction.UPDATE)
        now = timezone.now()
        for obj, values, uscc in self.qual_updates:
            before = snapshot(obj)
            for name, value in values.items():
                setattr(obj, name, value)
            obj.updated = now
            log.add(template, obj.pk, qualification_repr(self.enterprises[uscc], obj), obj.enterprise_id, before, snapshot(obj))
        if self.qual_updates:
            fields = ["level", "number", "granted_on", "valid_until", "updated"]
            Qualification.objects.bulk_update([obj for obj, _values, _uscc in self.qual_updates], fields, batch_size=500)


class SheetRows:
    """Shared row checks of both kinds of sheet: the credit code, the enterprise, duplicates."""

    def __init__(self, planner: Planner, table):
        self.planner = planner
        self.table = table
        self.values = table.values
        self.first_of: dict[tuple, int] = {}
        self.duplicates = self.find_duplicates()

    def column(self, key: str) -> list:
        if key not in self.values:
            self.values[key] = [None] * len(self.table)
        return self.values[key]

    def find_duplicates(self) -> dict[int, tuple[str, int]]:
        """Rows repeating an earlier row's key: ("same", first row) or ("conflict", first row)."""
        seen: dict[tuple, int] = {}
        out: dict[int, tuple[str, int]] = {}
        keys = list(self.table.raw)
        for index in range(len(self.table)):
            key = self.row_key(index)
            if key is None:
                continue
            if key not in seen:
                seen[key] = index
                continue
            first = seen[key]
            same = all(self.table.raw[k][index] == self.table.raw[k][first] for k in keys)
            out[index] = ("same" if same else "conflict", first)
            if not same:
                out.setdefault(first, ("conflict", index))
        return out

    def problems(self, index: int) -> list[Problem]:
        return list(self.table.row_problems.get(index, ()))

    def error(self, problems: list, index: int, key: str, message: str, severity: str = "error") -> None:
        self.table.add(index, key, message, severity)
        problems.append(self.table.row_problems[index][-1])

    def check_duplicate(self, problems: list, index: int) -> bool:
        """True when the row is an identical repeat, to be skipped."""
        if index not in self.duplicates:
            return False
        how, other = self.duplicates[index]
        number = self.table.numbers[other]
        if how == "same":
            self.error(problems, index, "uscc", _("repeats row %(row)s exactly; skipped") % {"row": number}, WARNING)
            return True
        self.error(problems, index, "uscc", _("row %(row)s gives different values for the same record") % {"row": number})
        return False

    def enterprise(self, problems: list, index: int, uscc: str | None, may_create: bool) -> EnterpriseState | None:
        if uscc is None:
            self.error(problems, index, "uscc", _("the credit code is missing"))
            return None
        state = self.planner.enterprises.get(uscc)
        if state is None:
            problem = uscc_problem(uscc)
            if problem:
                self.error(problems, index, "uscc", problem.message)
                return None
            if warning := uscc_org_code_warning(uscc):
                self.error(problems, index, "uscc", warning, WARNING)
            if not may_create:
                self.error(problems, index, "uscc", _("no enterprise with this credit code is in the library; import its year data first"))
                return None
            state = EnterpriseState(uscc, None, {name: None for name in ENTERPRISE_FIELDS})
            self.planner.enterprises[uscc] = state
        elif state.deleted:
            self.error(problems, index, "uscc", _("this enterprise has been deleted; bureau staff can restore it"))
        elif not state.writable:
            self.error(problems, index, "uscc", _("this enterprise belongs to a unit outside your responsibility"))
        return state

    def result(self, index: int, status: str, problems: list, label: str, changes=()) -> RowResult:
        if problems:
            messages = [p.local_text() for p in problems]
            if any(p.is_error for p in problems):
                status = ERROR
        else:
            messages = []
        uscc = self.column("uscc")[index] or ""
        return RowResult(self.table.sheet, self.table.numbers[index], status, uscc, label, list(changes), messages)


class YearRows(SheetRows):
    """Rows of an enterprise-year sheet."""

    def __init__(self, planner: Planner, table):
        self.year_column = [year or planner.options.year for year in (table.values.get("year") or [None] * len(table))]
        self.last_year = timezone.localdate().year + 1
        super().__init__(planner, table)
        self.names = self.column("name")
        self.figure_columns = [(name, table.values[name]) for name in YEAR_FIELDS if name in table.values]
        self.figure_names = [name for name, _column in self.figure_columns]
        # the same cells row by row (zip runs at C speed), for `figures` and the enterprise cells
        self.figure_rows = list(zip(*(column for _name, column in self.figure_columns), strict=True)) or [()] * len(table)
        self.enterprise_columns = [(name, table.values[name]) for name in ENTERPRISE_FIELDS if name in table.values]
        self.enterprise_rows = list(zip(*(column for _name, column in self.enterprise_columns), strict=True)) or [()] * len(table)

    def row_key(self, index: int):
        uscc = self.values["uscc"][index]
        return (uscc, self.year_column[index]) if uscc else None

    def classify(self, index: int) -> RowResult:
        problems = self.problems(index)
        uscc, year = self.values["uscc"][index], self.year_column[index]
        if self.check_duplicate(problems, index):
            return self.result(index, DUPLICATE, problems, self.file_label(index, year))
        figures = self.figures(index)
        if year is None and figures:
            self.error(problems, index, "year", _("the year is missing; add a 年度 column or choose the year"))
        elif year is not None and not 1949 <= year <= self.last_year:
            self.error(problems, index, "year", _("year %(year)s is out of range") % {"year": year})
        state = self.enterprise(problems, index, uscc, may_create=True)
        if state is None:
            return self.result(index, ERROR, problems, self.file_label(index, year))
        # An enterprise's later rows usually repeat the enterprise cells of a row already applied
        # without problems: checking them again finds nothing and applying them changes nothing.
        cells = self.enterprise_rows[index]
        repeated = state.valid and cells == state.applied
        attrs = {} if repeated else self.enterprise_values(problems, index, state)
        label = f"{attrs.get('name') or state.values.get('name') or ''} {year or ''}".strip()
        old = self.planner.years.get((state.pk, year)) if state.pk else None
        if old:
            merged = {k: v for k, v in old.items() if k != "pk"}
            merged.update(figures)
        else:
            merged = figures
        self.cross_check(problems, index, merged)
        if problems and any(p.is_error for p in problems):
            return self.result(index, ERROR, problems, label)
        if repeated:
            changes = []
        else:
            changes = self.apply_enterprise(index, state, attrs)
            state.applied = cells if not problems else None
        if old:
            stored = old.get
            year_changes = [(name, stored(name), value) for name, value in figures.items() if stored(name) != value]
            changes += [(title_of(name), show(name, before), show(name, after)) for name, before, after in year_changes]
        else:
            year_changes = []
        if state.pk is None:
            status = NEW
        elif figures and old is None:
            status = NEW
        else:
            status = CHANGED if changes else UNCHANGED
        if figures and old is None:
            self.planner.new_years[(uscc, year)] = figures
        elif year_changes and old:
            self.planner.year_updates[old["pk"]] = (uscc, year, {k: v for k, v in old.items() if k != "pk"}, merged)
            old.update(figures)
        return self.result(index, status, problems, label, changes)

    def file_label(self, index: int, year) -> str:
        """The row's label from the file alone (name and year), for rows not matched to an enterprise."""
        return f"{self.names[index] or ''} {year or ''}".strip()

    def figures(self, index: int) -> dict:
        """The row's year figures that are filled in."""
        row = self.figure_rows[index]
        if None not in row:
            return dict(zip(self.figure_names, row, strict=True))
        return {name: value for name, value in zip(self.figure_names, row, strict=True) if value is not None}

    def enterprise_values(self, problems: list, index: int, state: EnterpriseState) -> dict:
        """The enterprise columns of this row, resolved (units by name or code) and checked."""
        attrs = {name: column[index] for name, column in self.enterprise_columns if column[index] is not None}
        if attrs.get("contact_phone") and "*" in attrs["contact_phone"]:
            del attrs["contact_phone"]  # a masked number from an export
        unit_failed = False
        for key, park in (("unit", False), ("park", True)):
            if key not in attrs:
                continue
            unit_id, message = self.planner.units.find(attrs.pop(key), park)
            if message:
                unit_failed = unit_failed or key == "unit"
                self.error(problems, index, key, message)
            elif key == "unit" and state.pk and unit_id != state.values.get("unit") and not self.planner.scope.may_place(unit_id):
                unit_failed = True
                self.error(problems, index, key, _("is outside the units you are responsible for"))
            else:
                attrs[key] = unit_id
        if state.pk is None and not state.valid:
            self.new_enterprise_checks(problems, index, attrs, unit_failed)
        for name, value in attrs.items():
            row = state.set_by.get(name)
            if row is not None and state.values.get(name) != value:
                self.error(problems, index, name, _("differs from row %(row)s for the same enterprise") % {"row": row})
        if "industry_code" in attrs and not industry_section(attrs["industry_code"]):
            self.error(problems, index, "industry_code", _("is not a GB/T 4754 industry code"))
        return attrs

    def new_enterprise_checks(self, problems: list, index: int, attrs: dict, unit_failed: bool) -> None:
        if not attrs.get("name"):
            self.error(problems, index, "uscc", _("the enterprise is not in the library and the row gives no 企业名称 to create it"))
        unit = self.planner.options.unit
        if "unit" not in attrs and unit is not None:
            attrs["unit"] = unit.pk
        if not attrs.get("unit") and not unit_failed:
            self.error(problems, index, "uscc", _("the enterprise is not in the library and the row gives no 所属单位 to create it"))
        elif attrs.get("unit") and not self.planner.scope.may_place(attrs["unit"]):
            self.error(problems, index, "unit", _("you may not create enterprises in this unit"))

    def apply_enterprise(self, index: int, state: EnterpriseState, attrs: dict) -> list:
        changes = []
        number = self.table.numbers[index]
        for name, value in attrs.items():
            before = state.values.get(name)
            if before != value:
                if state.pk is not None:
                    changes.append((title_of(name), show(name, before, self.planner.units), show(name, value, self.planner.units)))
                    state.changed.add(name)
                state.values[name] = value
            state.set_by.setdefault(name, number)
        state.valid = True
        return changes

    def cross_check(self, problems: list, index: int, merged: dict) -> None:
        get = merged.get
        for part, whole in PART_OF:
            a = get(part)
            if a is None:
                continue
            b = get(whole)
            if b is not None and a > b:
                self.error(problems, index, part, _("%(part)s (%(a)s) cannot exceed %(whole)s (%(b)s)") % {
                    "part": title_of(part), "a": show(part, a), "whole": title_of(whole), "b": show(whole, b),
                })


class QualificationRows(SheetRows):
    """Rows of a qualifications sheet: identified by enterprise, kind and certificate number (or the
    date granted when there is no number)."""

    def row_key(self, index: int):
        uscc, kind = self.values["uscc"][index], self.column("kind")[index]
        if not uscc or not kind:
            return None
        return (uscc, kind, self.column("number")[index] or "", self.column("granted_on")[index])

    def classify(self, index: int) -> RowResult:
        problems = self.problems(index)
        uscc, kind = self.values["uscc"][index], self.column("kind")[index]
        label = f"{self.column('name')[index] or ''} {display_choice('kind', kind) if kind else ''}".strip()
        if self.check_duplicate(problems, index):
            return self.result(index, DUPLICATE, problems, label)
        state = self.enterprise(problems, index, uscc, may_create=False)
        if state is not None and state.pk is None and not state.valid:
            self.error(problems, index, "uscc", _("no enterprise with this credit code is in the library; import its year data first"))
        if kind is None:
            self.error(problems, index, "kind", _("the qualification type is missing"))
        values = {name: self.column(name)[index] for name in ("level", "number", "granted_on", "valid_until")}
        values = {name: value for name, value in values.items() if value is not None}
        if kind and values.get("granted_on") and "valid_until" not in values:
            values["valid_until"] = default_valid_until(kind, values["granted_on"])
        if values.get("valid_until") and values.get("granted_on") and values["valid_until"] < values["granted_on"]:
            self.error(problems, index, "valid_until", _("is before the date granted"))
        if kind == choices.QualificationKind.TECH_SME and (warning := tech_sme_number_warning(values.get("number", ""))):
            self.error(problems, index, "number", warning, WARNING)
        if state is None or any(p.is_error for p in problems):
            return self.result(index, ERROR, problems, label)
        if state.pk is None:
            self.planner.new_quals.append((uscc, {"kind": kind, **values}))
            return self.result(index, NEW, problems, label)
        existing = self.planner.quals.get(qualification_key(state.pk, kind, values.get("number", ""), values.get("granted_on")))
        if existing is None:
            self.planner.new_quals.append((uscc, {"kind": kind, **values}))
            return self.result(index, NEW, problems, label)
        changed = {name: value for name, value in values.items() if getattr(existing, name) != value}
        if not changed:
            return self.result(index, UNCHANGED, problems, label)
        self.planner.qual_updates.append((existing, changed, uscc))
        changes = [(title_of(name), show(name, getattr(existing, name)), show(name, value)) for name, value in changed.items()]
        return self.result(index, CHANGED, problems, label, changes)


# helpers ---------------------------------------------------------------------------------------

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


def to_yuan(value: Decimal | None) -> int | None:
    return None if value is None else int(value.scaleb(4).to_integral_value())


def stored_years_query(connection) -> tuple[str, object]:
    """SELECT of (enterprise_id, year, pk, *YEAR_FIELDS) for enterprises and years given as two
    lists of parameter markers, and the converter its rows need (None when the database gives whole yuan itself).

    PostgreSQL multiplies the exact numeric amounts into whole yuan. SQLite stores amounts as
    REAL or INTEGER; `sqlite_yuan` turns them into the whole yuan Django's converter would give."""
    quote = connection.ops.quote_name
    meta = EnterpriseYear._meta
    selected = []
    for name in ["id", *YEAR_FIELDS]:
        column = quote(meta.get_field(name).column)
        if name in MONEY_FIELDS and connection.vendor == "postgresql":
            column = f"({column} * 10000)::bigint"
        selected.append(column)
    sql = (
        f"SELECT {quote(meta.get_field('enterprise').column)}, {quote(meta.get_field('year').column)}, {', '.join(selected)} "
        f"FROM {quote(meta.db_table)} WHERE {quote(meta.get_field('enterprise').column)} IN (%s) AND {quote(meta.get_field('year').column)} IN (%s)"
    )
    if connection.vendor == "postgresql":
        return sql, None
    money = [position + 1 for position, name in enumerate(YEAR_FIELDS) if name in MONEY_FIELDS]  # after the pk
    context = meta.get_field("revenue").context  # every amount is DecimalField(18, 4)

    def convert(values: list) -> list:
        values = list(values)
        for position in money:
            value = values[position]
            if value is not None:
                values[position] = sqlite_yuan(value, context)
        return values

    return sql, convert


FIFTEEN_DIGITS = decimal.Context(prec=15)
TEN_THOUSANDTH = Decimal("0.0001")


def sqlite_yuan(value, context) -> int:
    """Whole yuan of an amount as SQLite returns it, exactly as `to_yuan` of Django's converter
    (15 significant digits, then four decimals) gives it. A float whose nearest four-decimal
    amount of fewer than 15 digits reads back as the same float is that amount; only other values
    take the Decimal path."""
    if type(value) is int:
        if -10**15 < value < 10**15:
            return value * 10_000
    elif type(value) is float:
        yuan = round(value * 10_000)
        if -10**15 < yuan < 10**15 and yuan / 10_000 == value:
            return yuan
    if isinstance(value, str):
        return to_yuan(Decimal(value).quantize(TEN_THOUSANDTH, context=context))
    return to_yuan(FIFTEEN_DIGITS.create_decimal_from_float(value).quantize(TEN_THOUSANDTH, context=context))


YEAR_SNAPSHOT_FIELDS = ["enterprise_id", "year", *YEAR_FIELDS]
RD_NONE = int(choices.RdInstitutionLevel.NONE)
YEAR_SLOTS = [(name, name in MONEY_FIELDS) for name in YEAR_FIELDS]


def year_snapshot(enterprise_id: int, year: int, figures: dict) -> dict:
    """What `core.history.snapshot` gives for the stored row, built without loading it; its values,
    in YEAR_SNAPSHOT_FIELDS order, are also what is written (amounts as exact decimal text)."""
    data = {"enterprise_id": enterprise_id, "year": year}
    get = figures.get
    for name, is_money in YEAR_SLOTS:
        value = get(name)
        if value is None:
            if name == "rd_institution_level":
                value = RD_NONE
        elif is_money:
            # `wan`, inlined: this runs for every amount of every row written
            value = f"{value / 10_000:.4f}" if -FLOAT_EXACT < value < FLOAT_EXACT else wan(value)
        data[name] = value
    return data


def enterprise_fields(values: dict) -> dict:
    out = {}
    for name, value in values.items():
        if name in ("unit", "park"):
            out[f"{name}_id"] = value
        elif value is not None or name in ("established",):
            out[name] = value
    return out


def qualification_key(enterprise_id, kind, number, granted_on) -> tuple:
    return (enterprise_id, kind, number) if number else (enterprise_id, kind, "", granted_on)


def qualification_repr(state: EnterpriseState, obj) -> str:
    name = state.values["name"]
    return f"{name} {display_choice('kind', obj.kind)}"


def undo(batch: ImportBatch, user) -> int:
    """Undo an import batch (bureau staff); enterprises get their derived columns back too."""
    derived = {Enterprise: lambda values: {
        "name_initials": initials(values.get("name") or ""),
        "industry_section": choices.industry_section(values.get("industry_code") or ""),
    }}
    return undo_batch(batch, user, derived)
