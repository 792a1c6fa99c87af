"""Importing carriers from a spreadsheet: read with the project's spreadsheet machinery, check every
row (row, column, value and what was expected, in Chinese), then write all rows in one transaction
or none at all. A carrier is matched by its name: a known name updates it, a new name creates it."""

import io
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import python_calamine
from django.db import transaction
from django.utils.translation import gettext as _

from peiyu.carriers.choices import ENTERPRISE_KINDS, CarrierKind, CarrierLevel, CarrierStatus, CentreScope
from peiyu.carriers.models import Carrier, carrier_errors
from peiyu.carriers.services import resolve_enterprises, split_refs
from peiyu.core.history import acting_as
from peiyu.core.models import Unit
from peiyu.core.spreadsheets import Column, Problem, SpreadsheetError, find_header, parse_table, read_file
from peiyu.core.spreadsheets import columns as kinds
from peiyu.core.spreadsheets import values as v
from peiyu.core.spreadsheets.report import CHANGED, ERROR, NEW, UNCHANGED, RowResult


def choice(enum, extra: dict | None = None):
    labels = (
        {str(label): value for value, label in enum.choices}
        | {value: value for value in enum.values}
        | (extra or {})
    )
    expected = "、".join(str(label) for label in enum.labels)
    return v.choice_parser(labels, expected)


KIND_SYNONYMS = {
    "科技企业孵化器": CarrierKind.INCUBATOR,
    "孵化器": CarrierKind.INCUBATOR,
    "众创空间": CarrierKind.MAKER_SPACE,
    "生产力促进中心": CarrierKind.PRODUCTIVITY_CENTRE,
    "产业基地": CarrierKind.INDUSTRIAL_BASE,
    "产业化基地": CarrierKind.INDUSTRIAL_BASE,
    "科技园区": CarrierKind.SCIENCE_PARK,
    "科技园": CarrierKind.SCIENCE_PARK,
    "企业研发中心": CarrierKind.RD_CENTRE,
    "研发中心": CarrierKind.RD_CENTRE,
    "工程技术研究中心": CarrierKind.ENGINEERING_CENTRE,
    "工程中心": CarrierKind.ENGINEERING_CENTRE,
    "重点实验室": CarrierKind.KEY_LAB,
    "产学研联盟": CarrierKind.ALLIANCE,
    "产学研联合体": CarrierKind.ALLIANCE,
}
LEVEL_SYNONYMS = {
    "国家级": CarrierLevel.NATIONAL,
    "省级": CarrierLevel.PROVINCIAL,
    "市级": CarrierLevel.CITY,
    "区级": CarrierLevel.DISTRICT,
    "县级": CarrierLevel.DISTRICT,
    "区县级": CarrierLevel.DISTRICT,
}

COLUMNS = [
    Column("name", "载体名称", synonyms=("名称",), width=30),
    Column(
        "kind",
        "载体类型",
        kinds.CHOICE,
        synonyms=("类型", "类别"),
        parser=choice(CarrierKind, KIND_SYNONYMS),
        width=16,
    ),
    Column(
        "level",
        "级别",
        kinds.CHOICE,
        synonyms=("等级", "载体级别"),
        parser=choice(CarrierLevel, LEVEL_SYNONYMS),
        width=8,
    ),
    Column(
        "centre_scope",
        "中心类别",
        kinds.CHOICE,
        synonyms=("服务范围",),
        parser=choice(CentreScope, {"综合性": CentreScope.GENERAL, "行业性": CentreScope.INDUSTRY}),
        width=8,
    ),
    Column("industry", "服务行业", synonyms=("所属行业", "行业"), width=14),
    Column("operator", "运营主体", synonyms=("运营单位", "运营机构", "建设单位"), width=24),
    Column("unit", "所属单位", synonyms=("单位", "所在单位", "所属街道", "所在街道"), width=16),
    Column("enterprise", "依托企业", synonyms=("依托企业信用代码", "所属企业"), width=24),
    Column("address", "地址", synonyms=("详细地址", "载体地址"), width=30),
    Column("recognised_on", "认定日期", kinds.DATE, synonyms=("认定时间", "批准日期"), width=12),
    Column("recognised_by", "认定部门", synonyms=("认定机构", "批准部门"), width=16),
    Column("document_number", "认定文号", synonyms=("文号", "批准文号"), width=18),
    Column(
        "area",
        "面积",
        kinds.DECIMAL,
        unit="平方米",
        synonyms=("建筑面积", "面积(平方米)", "建筑面积(平方米)", "面积(m2)", "场地面积"),
        width=12,
    ),
    Column("incubated", "在孵企业", synonyms=("在孵企业名单", "入驻企业", "孵化企业"), width=30),
    Column("incubated_other", "库外在孵企业数", kinds.COUNT, synonyms=("其他在孵企业数",), width=10),
    Column(
        "status",
        "状态",
        kinds.CHOICE,
        synonyms=("运营状态",),
        parser=choice(
            CarrierStatus,
            {
                "运营": CarrierStatus.OPERATING,
                "在建": CarrierStatus.BUILDING,
                "筹建": CarrierStatus.BUILDING,
                "撤销": CarrierStatus.REVOKED,
                "摘牌": CarrierStatus.REVOKED,
            },
        ),
        width=8,
    ),
    Column("revoked_on", "撤销日期", kinds.DATE, synonyms=("摘牌日期",), width=12),
    Column("note", "备注", width=20),
]
REQUIRED = ("name", "kind", "level", "unit")
FIELDS = (
    "name",
    "kind",
    "level",
    "centre_scope",
    "industry",
    "operator",
    "address",
    "recognised_on",
    "recognised_by",
    "document_number",
    "area",
    "incubated_other",
    "status",
    "revoked_on",
    "note",
)


@dataclass
class Plan:
    """What a checked file would do: the report rows, every problem, and the rows ready to write."""

    file_name: str
    rows: list[RowResult] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    ready: list[tuple] = field(default_factory=list)  # (carrier, incubated enterprises)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]

    def counts(self) -> dict:
        statuses = [row.status for row in self.rows]
        return {s: statuses.count(s) for s in (NEW, CHANGED, UNCHANGED, ERROR)} | {
            "rows": len(self.rows),
            "errors": len(self.errors),
        }

    def as_dict(self) -> dict:
        return {
            "file": self.file_name,
            "counts": self.counts(),
            "rows": [r.as_dict() for r in self.rows],
            "errors": [p.as_dict() | {"text": str(p)} for p in self.errors],
        }


def can_import(user) -> bool:
    from peiyu.carriers.views import can_write

    return user.is_authenticated and can_write(user)


def fill_merged(source, sheets) -> None:
    """A cell merged over several rows (a unit written once for its carriers) counts for each of them.
    The machinery keeps only the top-left value; the merged ranges come from the workbook itself."""
    try:
        book = (
            python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(source))
            if isinstance(source, bytes)
            else python_calamine.CalamineWorkbook.from_path(str(source))
        )
    except Exception:  # a CSV or a damaged file: nothing is merged
        return
    for sheet in sheets:
        try:
            grid = book.get_sheet_by_name(sheet.name)
            ranges = grid.merged_cell_ranges or []
        except Exception:
            continue
        top, left = grid.start
        index = {number: i for i, number in enumerate(sheet.numbers)}
        for (r0, c0), (r1, c1) in ranges:
            first = index.get(r0 + 1)
            if first is None or r1 == r0:
                continue
            value = sheet.rows[first][c0 - left] if c0 - left < len(sheet.rows[first]) else ""
            for r in range(r0 + 1, r1 + 1):
                i = index.get(r + 1)
                if i is not None:
                    row = sheet.rows[i]
                    for c in range(c0 - left, c1 - left + 1):
                        if c < len(row) and v.is_blank(row[c]):
                            row[c] = value


def check_file(source: bytes | Path, file_name: str, user, local: bool = False) -> Plan:
    """Read and check every row; nothing is written. A file-level problem (not a spreadsheet, no
        header naming 载体名称) is one error without a row. `local`: a file on the user's own disk (the
    command), read without the upload limits."""
    plan = Plan(file_name)
    try:
        sheets = read_file(source, file_name, local=local)
    except SpreadsheetError as exc:
        plan.problems.append(Problem(exc.message))
        return plan
    fill_merged(source, sheets)
    found = False
    for sheet in sheets:
        match = find_header(sheet.rows, COLUMNS, "name")
        if match is None or not {"kind", "level"} <= match.keys:
            continue
        found = True
        check_sheet(plan, parse_table(sheet, match), user)
    if not found:
        plan.problems.append(
            Problem(
                _(
                    "No sheet has a header row naming 载体名称, 载体类型 and 级别: download the template and keep its headers."
                )
            )
        )
    return plan


def unit_lookup(user) -> dict[str, Unit]:
    units = Unit.objects.all()
    if not user.is_superuser and user.unit_id:
        units = units.filter(path__startswith=user.unit.path)
    lookup = {}
    for unit in units:
        lookup.setdefault(unit.name, unit)
        lookup[unit.code] = unit
    return lookup


def check_sheet(plan: Plan, table, user) -> None:
    plan.problems.extend(table.problems)
    units = unit_lookup(user)
    existing = {c.name: c for c in Carrier.objects.all().select_related("enterprise")}
    writable = set(Carrier.objects.writable_by(user).values_list("pk", flat=True))
    seen: dict[str, int] = {}
    for i, number in enumerate(table.numbers):
        values = {key: table.values[key][i] for key in table.values}
        keep_absent(values, existing.get(values.get("name")))
        problems = check_row(table, i, values, units, existing, writable, seen, user)
        if not problems and not table.row_has_error(i):
            carrier, incubated, status, changes = build(values, existing)
            if status != UNCHANGED:
                plan.ready.append((carrier, incubated))
            plan.rows.append(RowResult(table.sheet, number, status, values["name"], values["name"], changes))
        else:
            row_problems = table.row_problems.get(i, [])
            plan.problems.extend(row_problems)
            plan.rows.append(
                RowResult(
                    table.sheet,
                    number,
                    ERROR,
                    values.get("name") or "",
                    values.get("name") or "",
                    messages=[p.local_text() for p in row_problems],
                )
            )


KEPT = (
    "unit",
    "centre_scope",
    "industry",
    "operator",
    "address",
    "recognised_on",
    "recognised_by",
    "document_number",
    "area",
    "incubated_other",
    "status",
    "revoked_on",
    "note",
    "enterprise",
    "incubated",
)


def keep_absent(values: dict, old: Carrier | None) -> None:
    """A file without some columns updates a known carrier's other fields and keeps these as they are."""
    if old is None:
        return
    for key in KEPT:
        if key not in values:
            values[key] = {"unit": lambda: old.unit.code, "incubated": lambda: list(old.incubated.all())}.get(
                key, lambda key=key: getattr(old, key)
            )()


def check_row(table, i, values, units, existing, writable, seen, user) -> bool:
    """Add the row's problems to the table; True when there are any."""

    def add(key, message):
        if key in table.labels:
            table.add(i, key, message)
        else:
            header = next((c.header for c in COLUMNS if c.key == key), key)  # a column the file lacks
            table.row_problems.setdefault(i, []).append(
                Problem(message, table.sheet, table.numbers[i], header)
            )

    for key in REQUIRED:
        if values.get(key) in (None, "") and not any(
            p.column == table.labels.get(key) for p in table.row_problems.get(i, [])
        ):
            add(key, _("is required"))
    name = values.get("name")
    if name:
        if name in seen:
            add(
                "name",
                _("repeats the carrier of row %(row)s: each carrier is listed once") % {"row": seen[name]},
            )
        seen.setdefault(name, table.numbers[i])
        if name in existing and existing[name].pk not in writable:
            add(
                "name", _("a carrier of this name exists outside your jurisdiction or is not yours to change")
            )
    unit_text = values.get("unit")
    if unit_text:
        unit = units.get(unit_text) or units.get(unit_text.upper())
        if unit is None:
            add("unit", _("is not a unit within your jurisdiction (write its name or code as in 单位管理)"))
        values["unit"] = unit
    enterprise = values.get("enterprise") if not isinstance(values.get("enterprise"), str) else None
    if isinstance(values.get("enterprise"), str):
        found, problems = resolve_enterprises([values["enterprise"]], user)
        for message in problems:
            add("enterprise", message)
        enterprise = found[0] if found else None
    values["enterprise"] = enterprise
    if not isinstance(values.get("incubated"), list):  # a list: the known links, kept
        found, problems = resolve_enterprises(split_refs(values.get("incubated") or ""), user)
        for message in problems:
            add("incubated", message)
        values["incubated"] = found
    values["status"] = values.get("status") or CarrierStatus.OPERATING
    values["area"] = values.get("area")
    if values["area"] is not None and values["area"] < 0:
        add("area", _("cannot be negative"))
    rules = carrier_errors(values, enterprise.pk if enterprise else None)
    for key, messages in rules.items():
        if any(p.column == table.labels.get(key) for p in table.row_problems.get(i, [])):
            continue  # the cell itself is already wrong: one message is enough
        for message in messages:
            add({"centre_scope": "centre_scope", "enterprise": "enterprise"}.get(key, key), message)
    if (
        values.get("kind") in ENTERPRISE_KINDS
        and values.get("enterprise") is None
        and "enterprise" not in rules
    ):
        add("enterprise", _("is required for this type"))
    return table.row_has_error(i)


def shown(field: str, value) -> str:
    """A value as the preview shows it: choice labels, unit and enterprise names, plain numbers."""
    if value in (None, ""):
        return ""
    if field == "unit":
        return str(Unit.objects.filter(pk=value).values_list("name", flat=True).first() or value)
    if field == "enterprise":
        from peiyu.enterprises.models import Enterprise

        return str(Enterprise.all_objects.filter(pk=value).values_list("name", flat=True).first() or value)
    model_field = Carrier._meta.get_field(field)
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if hasattr(value, "normalize"):
        return format(value.normalize(), "f")
    return str(value)


def build(values, existing) -> tuple[Carrier, list, str, list]:
    carrier = existing.get(values["name"]) or Carrier()
    keys = (*FIELDS, "unit", "enterprise")
    before = {f: getattr(carrier, f) for f in FIELDS} | {
        "unit": carrier.unit_id if carrier.pk else None,
        "enterprise": carrier.enterprise_id,
    }
    for f in FIELDS:
        value = values.get(f)
        if value is None and f not in ("recognised_on", "revoked_on", "area"):
            value = 0 if f == "incubated_other" else ""
        setattr(carrier, f, value)
    carrier.unit = values["unit"]
    carrier.enterprise = values["enterprise"]
    after = {f: getattr(carrier, f) for f in FIELDS} | {
        "unit": carrier.unit_id,
        "enterprise": carrier.enterprise_id,
    }
    incubated = values["incubated"]
    if not carrier.pk:
        return carrier, incubated, NEW, []
    changes = [
        (str(Carrier._meta.get_field(f).verbose_name), shown(f, before[f]), shown(f, after[f]))
        for f in keys
        if shown(f, before[f]) != shown(f, after[f])
    ]
    old_links = set(carrier.incubated.values_list("pk", flat=True))
    if old_links != {e.pk for e in incubated}:
        changes.append((str(_("enterprises incubated")), str(len(old_links)), str(len(incubated))))
    return carrier, incubated, CHANGED if changes else UNCHANGED, changes


def commit(plan: Plan, user) -> int:
    """Write every ready row in one transaction, attributed to the user and tagged as one import;
    a file with any error writes nothing."""
    if plan.errors:
        return 0
    with transaction.atomic(), acting_as(user, batch=f"carriers-{uuid.uuid4()}"):
        for carrier, incubated in plan.ready:
            carrier.full_clean()
            carrier.save()
            carrier.incubated.set(incubated)
    return len(plan.ready)
