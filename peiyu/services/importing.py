"""The bank's monthly financing file (天府科创贷 and other loans obtained with the bureau's help),
read through the core spreadsheet machinery: header found below title rows, synonyms, 元/万元
declared in a title or header, row-by-row Chinese errors. One transaction; a row already imported
(same enterprise, date, lender, product and amount) is skipped, so a month's file can be loaded twice."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from peiyu.core.spreadsheets import Column, Problem, SpreadsheetError, find_header, parse_table, read_file
from peiyu.core.spreadsheets.columns import CODE, COUNT, DATE, MONEY, TEXT
from peiyu.core.spreadsheets.units import YUAN_PER_WAN
from peiyu.enterprises.models import Enterprise
from peiyu.services.choices import FinancingKind
from peiyu.services.models import Financing

COLUMNS = [
    Column(
        "uscc",
        "统一社会信用代码",
        CODE,
        synonyms=("信用代码", "社会信用代码", "企业统一社会信用代码"),
        width=22,
    ),
    Column("name", "企业名称", TEXT, synonyms=("借款人", "借款企业", "客户名称"), width=28),
    Column("kind", "融资类型", TEXT, synonyms=("类型", "业务类型", "融资方式")),
    Column("product", "产品名称", TEXT, synonyms=("贷款产品", "融资产品", "产品")),
    Column(
        "lender", "放款机构", TEXT, synonyms=("贷款银行", "银行", "金融机构", "投资机构", "经办行"), width=20
    ),
    Column("amount", "金额", MONEY, unit="万元", synonyms=("贷款金额", "放款金额", "融资金额", "发放金额")),
    Column("date", "放款日期", DATE, synonyms=("日期", "发放日期", "融资日期", "贷款日期")),
    Column("term", "期限", COUNT, unit="月", synonyms=("贷款期限", "期限(月)", "期限（月）")),
]

KIND_WORDS = {
    "贷款": FinancingKind.LOAN,
    "信贷": FinancingKind.LOAN,
    "担保": FinancingKind.GUARANTEE,
    "股权": FinancingKind.EQUITY,
    "股权投资": FinancingKind.EQUITY,
    "知识产权质押": FinancingKind.IP_PLEDGE,
    "知识产权质押融资": FinancingKind.IP_PLEDGE,
    "专利质押": FinancingKind.IP_PLEDGE,
    **{str(label): value for value, label in FinancingKind.choices},
}


@dataclass
class FinancingReport:
    rows: int = 0
    created: int = 0
    duplicates: int = 0
    problems: list[Problem] = field(default_factory=list)
    written: bool = False

    @property
    def errors(self) -> int:
        return len({p.row for p in self.problems if p.is_error})


def import_financing(source, name: str, user, dry_run: bool = False, local: bool = False) -> FinancingReport:
    """Read a file and write its valid rows (none when `dry_run`). Enterprises outside the user's
    scope are errors that show the credit code only."""
    report = FinancingReport()
    try:
        sheets = read_file(source, name, local=local)
    except SpreadsheetError as exc:
        report.problems.append(Problem(exc.message))
        return report
    for sheet in sheets:
        match = find_header(sheet.rows, COLUMNS, "uscc")
        if match is not None:
            break
    else:
        report.problems.append(Problem(_("No header row naming 统一社会信用代码 was found in the file.")))
        return report
    missing = [c.header for c in COLUMNS if c.key in ("amount", "date", "lender") and c.key not in match.keys]
    if missing:
        report.problems.append(
            Problem(_("The file lacks the columns %(names)s.") % {"names": "、".join(missing)}, sheet.name)
        )
        return report
    table = parse_table(sheet, match)
    report.problems.extend(table.problems)
    if table.fatal:
        return report
    records = _records(table, user)
    report.rows = len(table)
    for problems in table.row_problems.values():
        report.problems.extend(problems)
    report.problems.sort(key=lambda p: p.row or 0)
    if dry_run:
        report.created = sum(1 for r in records if not _exists(r))
        report.duplicates = len(records) - report.created
        return report
    with transaction.atomic():
        for record in records:
            if _exists(record):
                report.duplicates += 1
                continue
            record.full_clean()
            record.save()
            report.created += 1
    report.written = True
    return report


def _get(table, key: str, i: int):
    values = table.values.get(key)
    return values[i] if values is not None else None


def _records(table, user) -> list[Financing]:
    codes = {c for c in table.values["uscc"] if c}
    visible = {e.uscc: e for e in Enterprise.objects.writable_by(user).filter(uscc__in=codes)}
    out = []
    for i in range(len(table)):
        code, amount, day, lender = (_get(table, k, i) for k in ("uscc", "amount", "date", "lender"))
        kind_text = (_get(table, "kind", i) or "").strip()
        if not code:
            table.add(i, "uscc", _("the credit code is missing"))
        elif code not in visible:
            table.add(i, "uscc", _("no enterprise with this credit code in your units"))
        if amount is None:
            table.add(i, "amount", _("the amount is missing"))
        elif amount <= 0:
            table.add(i, "amount", _("the amount must be more than zero"))
        if day is None:
            table.add(i, "date", _("the date is missing"))
        if not lender:
            table.add(i, "lender", _("the lender is missing"))
        kind = KIND_WORDS.get(kind_text, FinancingKind.LOAN if not kind_text else None)
        if kind is None:
            table.add(i, "kind", _("expected one of 贷款、担保、股权投资、知识产权质押"))
        if table.row_has_error(i):
            continue
        out.append(
            Financing(
                enterprise=visible[code],
                kind=kind,
                product=(_get(table, "product", i) or "")[:100],
                lender=lender[:100],
                amount=Decimal(amount) / YUAN_PER_WAN,
                date=day,
                term_months=_get(table, "term", i),
            )
        )
    return out


def _exists(record: Financing) -> bool:
    return Financing.objects.filter(
        enterprise=record.enterprise,
        date=record.date,
        lender=record.lender,
        product=record.product,
        amount=record.amount,
    ).exists()
