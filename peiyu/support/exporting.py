"""Exports of the support tables as .xlsx in the layout the finance bureau receives: a title row,
Chinese headers with units, 序号 first, one row per item and a 合计 row. Each export reads through
the scoped queryset of whoever started it and the same filters as the list page."""

from dataclasses import dataclass
from decimal import Decimal

from django.http import QueryDict

from peiyu.core.spreadsheets.columns import CODE, COUNT, DATE, MONEY, TEXT, Column
from peiyu.core.spreadsheets.writing import XlsxTable
from peiyu.support import filtersets
from peiyu.support.models import Redemption, ServiceLog, SubsidyResult, Voucher

EXPORT = "support-export"


@dataclass(frozen=True)
class Table:
    model: type
    filterset: type
    title: str
    columns: tuple
    row: callable
    related: tuple = ()
    totals: tuple = ()  # keys of columns summed in the 合计 row
    order: tuple = ("pk",)


def _voucher_row(v):
    return [
        v.number,
        v.enterprise.name,
        v.enterprise.uscc,
        v.enterprise.unit.name,
        v.get_category_display(),
        v.face_value,
        v.applied_on,
        v.expires_on,
        v.get_state_display(),
    ]


def _redemption_row(r):
    v = r.voucher
    contract = v.contract
    return [
        v.enterprise.name,
        v.enterprise.uscc,
        v.enterprise.unit.name,
        v.number,
        v.get_category_display(),
        contract.provider.name,
        contract.provider.uscc,
        contract.fee,
        contract.invoice_date,
        r.amount,
        r.provincial_amount,
        r.local_amount,
        r.redeemed_on,
    ]


def _subsidy_row(s):
    return [
        s.enterprise.name,
        s.enterprise.uscc,
        s.enterprise.unit.name,
        s.rd,
        s.rd_previous,
        s.revenue,
        s.deduction_rd,
        s.base_award,
        s.multiplier,
        s.amount,
        s.get_state_display(),
        s.tax_confirmation,
        s.paid_on,
        s.clawback_amount,
        "；".join(s.reasons),
    ]


def _log_row(g):
    a = g.assignment
    return [
        a.commissioner.name,
        a.commissioner.sending_unit,
        a.target_name,
        a.target_uscc,
        g.date,
        g.days,
        g.get_kind_display(),
        g.trained,
        g.content,
        g.evidence,
    ]


TABLES = {
    "vouchers": Table(
        Voucher,
        filtersets.VoucherFilterSet,
        "科技创新券发放明细表",
        (
            Column("number", "券号", CODE, width=20),
            Column("name", "企业名称", width=30),
            Column("uscc", "统一社会信用代码", CODE, width=22),
            Column("unit", "所属单位", width=14),
            Column("category", "服务类别", width=20),
            Column("face", "面额", MONEY, "万元"),
            Column("applied", "申领日期", DATE),
            Column("expires", "有效期至", DATE),
            Column("state", "状态", width=8),
        ),
        _voucher_row,
        ("enterprise", "enterprise__unit"),
        ("face",),
        ("applied_on", "pk"),
    ),
    "redemptions": Table(
        Redemption,
        filtersets.RedemptionFilterSet,
        "科技创新券兑付资金明细表",
        (
            Column("name", "企业名称", width=30),
            Column("uscc", "统一社会信用代码", CODE, width=22),
            Column("unit", "所属单位", width=14),
            Column("number", "券号", CODE, width=20),
            Column("category", "服务类别", width=20),
            Column("provider", "服务机构", width=26),
            Column("provider_uscc", "服务机构统一社会信用代码", CODE, width=22),
            Column("fee", "服务合同金额", MONEY, "万元"),
            Column("invoice", "发票日期", DATE),
            Column("amount", "兑付金额", MONEY, "万元"),
            Column("provincial", "其中省级资金", MONEY, "万元"),
            Column("local", "其中地方资金", MONEY, "万元"),
            Column("date", "兑付日期", DATE),
        ),
        _redemption_row,
        ("voucher__enterprise__unit", "voucher__contract__provider"),
        ("fee", "amount", "provincial", "local"),
        ("redeemed_on", "pk"),
    ),
    "subsidies": Table(
        SubsidyResult,
        filtersets.SubsidyResultFilterSet,
        "研发投入后补助资金拨付清单",
        (
            Column("name", "企业名称", width=30),
            Column("uscc", "统一社会信用代码", CODE, width=22),
            Column("unit", "所属单位", width=14),
            Column("rd", "当年研发费用", MONEY, "万元"),
            Column("rd_previous", "上年研发费用", MONEY, "万元"),
            Column("revenue", "营业收入", MONEY, "万元"),
            Column("deduction", "加计扣除研发费用", MONEY, "万元"),
            Column("base", "基础补助", MONEY, "万元"),
            Column("multiplier", "倍数", TEXT, width=8),
            Column("amount", "补助金额", MONEY, "万元"),
            Column("state", "状态", width=12),
            Column("tax", "税务部门确认", width=20),
            Column("paid", "拨付日期", DATE),
            Column("clawback", "追回金额", MONEY, "万元"),
            Column("reasons", "计算依据", width=80),
        ),
        _subsidy_row,
        ("enterprise", "enterprise__unit"),
        ("amount", "clawback"),
        ("-amount", "enterprise__name", "pk"),
    ),
    "logs": Table(
        ServiceLog,
        filtersets.ServiceLogFilterSet,
        "科技特派员服务记录",
        (
            Column("name", "特派员", width=10),
            Column("sending", "派出单位", width=24),
            Column("target", "服务对象", width=26),
            Column("uscc", "统一社会信用代码", CODE, width=22),
            Column("date", "服务日期", DATE),
            Column("days", "服务天数", MONEY, "天"),
            Column("kind", "服务类型", width=12),
            Column("trained", "培训人次", COUNT),
            Column("content", "服务内容", width=50),
            Column("evidence", "佐证材料", width=30),
        ),
        _log_row,
        ("assignment__commissioner",),
        ("days", "trained"),
        ("date", "pk"),
    ),
}


class SupportExport:
    def __init__(self, table: str, query: QueryDict, user):
        self.spec = TABLES[table]
        qs = self.spec.model.objects.for_user(user).select_related(*self.spec.related)
        self.queryset = self.spec.filterset(query or None, queryset=qs, user=user).qs.order_by(
            *self.spec.order
        )

    def write_xlsx(self, path: str, progress) -> int:
        spec = self.spec
        columns = [Column("seq", "序号", COUNT, width=6), *spec.columns]
        table = XlsxTable(path, columns, spec.title, spec.title)
        keys = [c.key for c in spec.columns]
        sums = {key: Decimal(0) for key in spec.totals}
        n = 0
        for n, obj in enumerate(self.queryset.iterator(chunk_size=2000), 1):
            values = spec.row(obj)
            for key in spec.totals:
                value = values[keys.index(key)]
                sums[key] += Decimal(value or 0)
            if isinstance(values[keys.index("multiplier")] if "multiplier" in keys else None, Decimal):
                values[keys.index("multiplier")] = f"{values[keys.index('multiplier')] * 100:.0f}%"
            table.write([n, *values])
            if n % 1000 == 0:
                progress("writing", n, 0)
        table.write(
            [
                "合计",
                *[
                    sums.get(key) if key in sums else (f"{n}项" if i == 0 else None)
                    for i, key in enumerate(keys)
                ],
            ]
        )
        table.close()
        return n
