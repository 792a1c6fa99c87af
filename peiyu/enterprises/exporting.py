"""Exports of the enterprise list and the import templates, in the import template's layout, so an
export imports again with every row unchanged.

The rows are the enterprise list's own: `EnterpriseFilterSet` over `Enterprise.objects.for_user`,
so scoping and filters are exactly the list page's; phone numbers are masked for roles that do not
see them. Rows are read with `.iterator()` and written as they come (bounded memory).
"""

import datetime
import tempfile

from django.utils import timezone
from django.utils.translation import gettext as _

from peiyu.core.codes import mask_phone
from peiyu.core.spreadsheets.columns import Column
from peiyu.core.spreadsheets.writing import XlsxTable, csv_chunks
from peiyu.enterprises.filtersets import EnterpriseFilterSet
from peiyu.enterprises.import_columns import (
    CONTACT_COLUMNS,
    EMERGING_NAMES,
    HITECH_NAMES,
    KIND_NAMES,
    LEVEL_NAMES,
    QUALIFICATION_COLUMNS,
    RD_LEVEL_NAMES,
    YEAR_COLUMNS,
    YEAR_FIELDS,
    YEARS,
)
from peiyu.enterprises.industries import industry_name
from peiyu.enterprises.models import Enterprise

# The industry's name beside its code for the reader; imports ignore the column (it is not a template
# column), so an export still imports again unchanged.
INDUSTRY_NAME_COLUMN = Column("industry_name", "行业名称", width=24)
TEMPLATE_COLUMNS = YEAR_COLUMNS + CONTACT_COLUMNS
EXPORT_COLUMNS = TEMPLATE_COLUMNS + [INDUSTRY_NAME_COLUMN]
ENTERPRISE_VALUES = ["uscc", "name", "unit__name", "park__name", "industry_code", "hitech_field", "emerging_industry", "established"]


class EnterpriseExport:
    """The enterprise list for `user` filtered by `params` (the list page's query string)."""

    def __init__(self, params, user):
        self.user = user
        self.filterset = EnterpriseFilterSet(params or None, queryset=Enterprise.objects.for_user(user), user=user)
        self.year = self.filterset.selected_year

    def queryset(self):
        year_values = [f"fy__{name}" for name in YEAR_FIELDS] if self.year else []
        return self.filterset.qs.order_by("name", "pk").values_list(*ENTERPRISE_VALUES, *year_values, "contact_name", "contact_phone")

    def count(self) -> int:
        return self.filterset.qs.count()

    def rows(self, progress=None):
        """Each enterprise as a list in EXPORT_COLUMNS order; code lists by their Chinese names."""
        masks = not self.user.sees_phones
        total = self.count() if progress else 0
        keys = ["uscc", "name", "unit", "park", *ENTERPRISE_VALUES[4:], *(YEAR_FIELDS if self.year else []), "contact_name", "contact_phone"]
        for number, values in enumerate(self.queryset().iterator(chunk_size=2000), 1):
            data = dict(zip(keys, values, strict=True))
            if any(data.get(name) is not None for name in YEAR_FIELDS):
                data["year"] = self.year
                data["rd_institution_level"] = RD_LEVEL_NAMES.get(data["rd_institution_level"])
            data["industry_name"] = industry_name(data["industry_code"]) if data["industry_code"] else None
            data["hitech_field"] = HITECH_NAMES.get(data["hitech_field"])
            data["emerging_industry"] = EMERGING_NAMES.get(data["emerging_industry"])
            if masks and data["contact_phone"]:
                data["contact_phone"] = mask_phone(data["contact_phone"])
            yield [data.get(column.key) for column in EXPORT_COLUMNS]
            if progress and number % 2000 == 0:
                progress("writing", number, total)

    def title(self) -> str:
        return _("Enterprise years %(year)s — %(filter)s — exported %(date)s") % {
            "year": self.year or "", "filter": self.describe_filter(), "date": timezone.localdate().isoformat(),
        }

    def describe_filter(self) -> str:
        form = self.filterset.form
        if not form.is_valid():
            return _("all enterprises")
        parts = []
        for name, value in form.cleaned_data.items():
            if value in (None, "") or name == "year":
                continue
            field = form.fields[name]
            shown = dict(getattr(field, "choices", ())).get(value, value) if hasattr(field, "choices") and not hasattr(value, "pk") else value
            parts.append(f"{field.label}: {shown}")
        return "; ".join(str(part) for part in parts) or _("all enterprises")

    def file_name(self, extension: str) -> str:
        return f"{_('enterprises')}-{self.year or ''}-{timezone.localdate():%Y%m%d}.{extension}"

    def csv_chunks(self, progress=None):
        return csv_chunks(EXPORT_COLUMNS, self.rows(progress))

    def write_xlsx(self, target, progress=None) -> None:
        table = XlsxTable(target, EXPORT_COLUMNS, self.title(), str(_("Enterprise years")))
        for row in self.rows(progress):
            table.write(row)
        table.close()

    def xlsx_file(self):
        handle = tempfile.TemporaryFile()
        self.write_xlsx(handle)
        handle.seek(0)
        return handle


def template_title(kind: str) -> str:
    return str(_("Enterprise-year import template") if kind == YEARS else _("Qualification import template"))


def template_name(kind: str) -> str:
    """The template's file name, wholly in the interface language."""
    return f"{template_title(kind)}.xlsx"


def template_file(kind: str):
    """The import template: canonical headers with units, an example row (skipped on import because
    its name starts with 示例) and a notes sheet."""
    handle = tempfile.TemporaryFile()
    columns = TEMPLATE_COLUMNS if kind == YEARS else QUALIFICATION_COLUMNS
    table = XlsxTable(handle, columns, template_title(kind), str(_("Data")), notes=template_notes())
    table.write(example_row(kind))
    table.close()
    handle.seek(0)
    return handle


def rejected_name(kind: str) -> str:
    return _("Rejected rows of the %(template)s.xlsx") % {"template": template_title(kind)}


def rejected_file(rejected: list[dict], kind: str):
    """The rows an import rejected, in the template's layout with an error column after the data:
    fix them and import the file again (the error column is ignored on import)."""
    from decimal import Decimal

    from peiyu.core.spreadsheets import Column
    from peiyu.core.spreadsheets.columns import DATE, MONEY_KINDS

    handle = tempfile.TemporaryFile()
    columns = TEMPLATE_COLUMNS if kind == YEARS else QUALIFICATION_COLUMNS
    extra = [Column("source_row", "原行号", width=8), Column("errors", "错误说明", width=80)]
    title = _("Rejected rows: fix them and import this file again")
    table = XlsxTable(handle, columns + extra, str(title), str(_("Data")))
    for row in rejected:
        if row["kind"] != kind:
            continue
        cells = []
        for column, value in zip(columns, row["cells"], strict=True):
            if value not in ("", None) and column.kind in MONEY_KINDS:
                try:
                    value = Decimal(value)
                except ArithmeticError:
                    pass  # a cell that failed to parse stays as typed
            elif value and column.kind == DATE:
                try:
                    value = datetime.date.fromisoformat(value)
                except ValueError:
                    pass
            cells.append(value)
        table.write([*cells, f"{row['sheet']} {row['row']}", "；".join(row["errors"])])
    table.close()
    handle.seek(0)
    return handle


def example_row(kind: str) -> list:
    from decimal import Decimal

    from peiyu.core.codes import uscc_check_char

    uscc = "91120110MA05T8XK0" + uscc_check_char("91120110MA05T8XK0")
    if kind != YEARS:
        return [uscc, "(示例)华东科技有限公司", KIND_NAMES["hitech"], LEVEL_NAMES["national"], "GR202312000123", timezone.datetime(2023, 11, 6).date(), None]
    figures = [Decimal("3200.5"), Decimal("2100"), Decimal("2800"), Decimal("260.25"), Decimal("240"), 120, 45, 90,
               Decimal("5600"), Decimal("2100"), Decimal("180.3"), Decimal("350"), 6, 2, 12, 3, 8, 9, 2, 5, RD_LEVEL_NAMES[2], 1]
    return [uscc, "(示例)华东科技有限公司", 2024, "张贵庄街道", None, "3841", HITECH_NAMES["1"], EMERGING_NAMES["1"],
            timezone.datetime(2015, 3, 1).date(), *figures, "张三", "13800000000"]


def template_notes() -> list[str]:
    return [
        str(_("Notes")),
        str(_("One row per enterprise and year (or per qualification). Keep the header row; column order does not matter and other columns are ignored.")),
        str(_("Amounts are in 10k yuan (万元) unless a header or the title says 单位:元 or 单位:亿元; counts are whole numbers.")),
        str(_("Empty cells never erase stored values. Rows whose name starts with (示例), and totals rows (合计/总计/小计), are skipped.")),
        str(_("A year row for a credit code not yet in the library creates the enterprise when it gives 企业名称 and 所属单位 (a unit you are responsible for).")),
        str(_("Dates may be written 2021-03-05, 2021/3/5, 2021年3月5日 or 2021.03.05. Code lists accept the code or the Chinese name.")),
        str(_("Every import is previewed first; bureau staff can undo a committed import as a whole.")),
    ]
