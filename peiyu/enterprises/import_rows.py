"""Turning one sheet's rows into planned changes: enterprise-year rows and qualification rows."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils import timezone
from django.utils.translation import gettext as _

from peiyu.core.codes import tech_sme_number_warning, uscc_org_code_warning, uscc_problem
from peiyu.core.spreadsheets import Problem
from peiyu.core.spreadsheets.errors import WARNING
from peiyu.core.spreadsheets.report import CHANGED, DUPLICATE, ERROR, NEW, UNCHANGED, RowResult
from peiyu.enterprises import choices
from peiyu.enterprises.import_columns import (
    ENTERPRISE_FIELDS,
    YEAR_FIELDS,
    display_choice,
    show,
    title_of,
)
from peiyu.enterprises.import_state import EnterpriseState, qualification_key
from peiyu.enterprises.industries import split_code
from peiyu.enterprises.models import PART_OF, default_valid_until
from peiyu.enterprises.validators import enterprise_errors

if TYPE_CHECKING:  # type hints only; the modules import each other at run time otherwise
    from peiyu.enterprises.importing import Planner


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
        # a column the file does not have (a stored figure a cross-check names) goes by its template title
        self.table.labels.setdefault(key, title_of(key))
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
        if state.pk is not None and not state.writable:
            # another unit's (or a deleted) enterprise: the credit code column is all the row may show
            return self.result(index, ERROR, problems, str(year or ""))
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
            elif state.pk and unit_id != state.values.get(key) and not self.planner.scope.may_place(unit_id):
                # as the form and the API: an enterprise moves only into the user's own units and parks
                unit_failed = unit_failed or key == "unit"
                self.error(problems, index, key, _("is outside the units you are responsible for"))
            else:
                attrs[key] = unit_id
        if state.pk is None and not state.valid:
            self.new_enterprise_checks(problems, index, attrs, unit_failed)
        for name, value in attrs.items():
            row = state.set_by.get(name)
            if row is not None and state.values.get(name) != value:
                self.error(problems, index, name, _("differs from row %(row)s for the same enterprise") % {"row": row})
        # The same checks as the form and the API (industry code, phone, founding date).
        for name, message in enterprise_errors(attrs).items():
            self.error(problems, index, name, message)
        if attrs.get("industry_code"):  # stored without the section letter, as the form stores it
            attrs["industry_code"] = split_code(attrs["industry_code"])[1]
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
        if attrs.get("park") and not self.planner.scope.may_place(attrs["park"]):
            self.error(problems, index, "park", _("is outside the units you are responsible for"))

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
