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
import gc
from dataclasses import dataclass

from django.db import connections, transaction
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from peiyu.core.choices import ChangeAction, Role
from peiyu.core.history import acting_as, snapshot
from peiyu.core.models import ImportBatch, ImportBatchScope, Unit
from peiyu.core.spreadsheets import Problem, SpreadsheetError, find_header, parse_table, read_file
from peiyu.core.spreadsheets import columns as kinds
from peiyu.core.spreadsheets.bulk import ChangeLog, NewObjects, TableWriter
from peiyu.core.spreadsheets.columns import MONEY_KINDS
from peiyu.core.spreadsheets.errors import WARNING
from peiyu.core.spreadsheets.report import ERROR, Report
from peiyu.core.spreadsheets.undo import undo_batch
from peiyu.core.spreadsheets.units import wan
from peiyu.core.spreadsheets.values import clean_text
from peiyu.enterprises import choices
from peiyu.enterprises.import_columns import (
    CONTACT_COLUMNS,
    ENTERPRISE_FIELDS,
    QUALIFICATION_COLUMNS,
    QUALIFICATIONS,
    YEAR_COLUMNS,
    YEAR_FIELDS,
    YEARS,
    display_choice,
    industry_section,
)
from peiyu.enterprises.import_rows import QualificationRows, YearRows
from peiyu.enterprises.import_state import (
    YEAR_SNAPSHOT_FIELDS,
    EnterpriseState,
    Scope,
    UnitIndex,
    enterprise_fields,
    qualification_key,
    qualification_repr,
    stored_years_query,
    year_snapshot,
)
from peiyu.enterprises.models import Enterprise, EnterpriseYear, Qualification
from peiyu.enterprises.pinyin import initials

CHUNK = 2000


ERRORS_KEPT = 5000
MAX_CELL = 300  # a rejected cell is kept to this many characters (a 32,767-character name is not)




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
    local: bool = False  # a file on the user's own disk (the command line): no upload limits


def can_import(user) -> bool:
    return bool(user and user.is_authenticated and (user.is_superuser or user.role in {Role.BUREAU, Role.UNIT}))


def can_undo(user, batch: ImportBatch) -> bool:
    """Bureau staff undo any batch they can see; unit staff their own (seeing it is checked by
    `visible_batches`)."""
    if not can_import(user):
        return False
    return user.is_superuser or user.role == Role.BUREAU or batch.user_id == user.pk


def visible_batches(user):
    """The batches a user may open: within their units; unit staff see only their own."""
    batches = ImportBatch.objects.for_user(user)
    if can_import(user) and not user.is_superuser and user.role != Role.BUREAU:
        batches = batches.filter(user=user)
    return batches


KIND_LABELS = {YEARS: gettext_lazy("Enterprise years"), QUALIFICATIONS: gettext_lazy("Qualifications")}


def kind_label(kind: str) -> str:
    """An import's kind of data as people read it ("years+qualifications" → 企业年度指标、资质)."""
    return "、".join(str(KIND_LABELS.get(part, part)) for part in kind.split("+") if part)


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
        sheets = read_file(source, file_name, local=options.local)
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
                    stored = dict(zip(ENTERPRISE_FIELDS, values, strict=True))
                    self.enterprises[uscc] = EnterpriseState(
                        uscc, pk, stored, deleted=deleted_at is not None, writable=pk in writable, valid=True,
                        origin=(stored["unit"], stored["park"]),
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
        # only enterprises the user may change: stored figures of others must not reach the messages
        pks = sorted({state.pk for state in self.enterprises.values() if state.pk and state.writable})
        self.load_years(pks, {year for year in rows.year_column if year} | ({self.options.year} if self.options.year else set()))
        for index in range(len(table)):
            result = rows.classify(index)
            self.report.rows.append(result)
            if result.status == ERROR:
                self.reject(YEARS, table, index, result)
            if index % 5000 == 4999:
                self.progress("checking", done + index + 1, total)

    def plan_qualifications(self, table) -> None:
        rows = QualificationRows(self, table)
        self.load_qualifications(sorted({state.pk for state in self.enterprises.values() if state.pk and state.writable}))
        for index in range(len(table)):
            result = rows.classify(index)
            self.report.rows.append(result)
            if result.status == ERROR:
                self.reject(QUALIFICATIONS, table, index, result)

    def reject(self, kind: str, table, index: int, result) -> None:
        """Keep a rejected row's cells in the template's columns, to be downloaded, fixed and imported again."""
        if len(self.report.rejected) < ERRORS_KEPT:
            self.report.rejected.append({"kind": kind, "sheet": table.sheet, "row": result.row,
                                         "cells": rejected_cells(kind, table, index), "errors": result.messages})

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
            unit=options.unit if options.unit is not None or user is None else user.unit,
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
        batch.rejected = report.rejected
        batch.save(update_fields=["kind", "counts", "report", "rejected"])
        ImportBatchScope.objects.bulk_create([ImportBatchScope(batch=batch, unit_id=unit, park_id=park) for unit, park in self.placements()])

    def placements(self) -> set[tuple]:
        """The (unit, park) pairs of every enterprise the batch wrote to, before and after it."""
        touched = {uscc for uscc, _year in self.new_years}
        touched.update(uscc for uscc, _year, _old, _merged in self.year_updates.values())
        touched.update(uscc for uscc, _values in self.new_quals)
        touched.update(uscc for _obj, _values, uscc in self.qual_updates)
        states = [state for uscc, state in self.enterprises.items() if uscc in touched or (state.valid and (state.changed or state.origin is None))]
        return set().union(*(state.placements() for state in states if state.pk is not None))

    def create_enterprises(self, log: ChangeLog) -> None:
        """New enterprises with plain INSERTs (no model instances), their ids read back by credit
        code, and their history from the same values."""
        new = [state for state in self.enterprises.values() if state.pk is None and state.valid]
        if not new:
            return
        writer = NewObjects(Enterprise, timezone.now())
        rows = []
        for state in new:
            values = enterprise_fields(state.values)
            values["uscc"] = state.uscc
            values["name_initials"] = initials(values["name"])
            values["industry_section"] = industry_section(values.get("industry_code") or "")
            rows.append(values)
        writer.insert(rows)
        ids = self.enterprise_ids([state.uscc for state in new])
        template = log.template(Enterprise, ChangeAction.CREATE)
        for state, values in zip(new, rows, strict=True):
            state.pk = ids[state.uscc]
            log.add(template, state.pk, values["name"], None, None, writer.snapshot(values))
        self.report.created_enterprises = len(new)

    def enterprise_ids(self, codes: list[str]) -> dict[str, int]:
        """Ids of enterprises by credit code, one plain query per chunk."""
        connection = connections[Enterprise.all_objects.db]
        quote = connection.ops.quote_name
        meta = Enterprise._meta
        sql = (f"SELECT {quote(meta.get_field('uscc').column)}, {quote(meta.pk.column)} FROM {quote(meta.db_table)} "
               f"WHERE {quote(meta.get_field('uscc').column)} IN (%s)")
        ids = {}
        with connection.cursor() as cursor:
            for start in range(0, len(codes), CHUNK):
                chunk = codes[start : start + CHUNK]
                cursor.execute(sql % ", ".join(["%s"] * len(chunk)), chunk)
                ids.update(cursor.fetchall())
        return ids

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


def template_columns(kind: str) -> list:
    """The columns of the template (and of exports) for a kind of data."""
    return YEAR_COLUMNS + CONTACT_COLUMNS if kind == YEARS else QUALIFICATION_COLUMNS


def rejected_cells(kind: str, table, index: int) -> list:
    """A row's cells in the template's columns, JSON-safe: parsed values as the template writes them
    (amounts in 万元 as exact text, code lists by name, dates ISO), cells that failed as typed."""
    cells = []
    for column in template_columns(kind):
        parsed = table.values.get(column.key, ())
        value = parsed[index] if parsed else None
        if value is None:
            raw = table.raw.get(column.key)
            cells.append(clean_text(raw[index])[:MAX_CELL] if raw else "")
        elif column.kind in MONEY_KINDS:
            cells.append(wan(value))
        elif column.kind == kinds.CHOICE:
            cells.append(display_choice(column.key, value))
        elif isinstance(value, datetime.date):
            cells.append(value.isoformat())
        else:
            cells.append(value)
    return cells


def undo(batch: ImportBatch, user) -> int:
    """Undo an import batch (bureau staff); enterprises get their derived columns back too."""
    derived = {Enterprise: lambda values: {
        "name_initials": initials(values.get("name") or ""),
        "industry_section": choices.industry_section(values.get("industry_code") or ""),
    }}
    return undo_batch(batch, user, derived)
