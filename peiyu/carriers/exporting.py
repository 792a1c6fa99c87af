"""The carrier list as .xlsx in the import template's layout, so an export imports again unchanged."""

import io

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from peiyu.carriers.choices import CarrierKind, CarrierLevel, CarrierStatus, CentreScope
from peiyu.carriers.importing import COLUMNS
from peiyu.carriers.models import Carrier
from peiyu.core.spreadsheets.writing import XlsxTable
from peiyu.enterprises.models import Enterprise

NOTES = [
    "填表说明",
    "载体名称、载体类型、级别、所属单位必填；同名载体导入时更新，不同名则新建。",
    "载体类型：孵化器、众创空间、生产力促进中心、产业基地、科技园区、企业研发中心、工程技术研究中心、重点实验室、产学研联盟。",
    "级别：国家级、省级、市级、区级。生产力促进中心填中心类别（综合或行业），行业中心填服务行业。",
    "企业研发中心、工程技术研究中心、重点实验室必须填依托企业（统一社会信用代码或企业全称）。",
    "在孵企业：企业库中的企业，填统一社会信用代码或全称，多个用顿号或换行分隔；不在企业库的企业只填库外在孵企业数。",
    "状态：运营中、建设中、已撤销；已撤销的载体填撤销日期。日期写作 2021-03-05。",
]


def labels() -> dict[str, dict]:
    """Choice labels as plain strings, looked up once per export (get_FOO_display hashes every lazy
    label of the field on each call, which dominated the time of a large export)."""
    return {
        name: {value: str(label) for value, label in enum.choices}
        for name, enum in (
            ("kind", CarrierKind),
            ("level", CarrierLevel),
            ("centre_scope", CentreScope),
            ("status", CarrierStatus),
        )
    }


def row_of(carrier: Carrier, shown: dict) -> list:
    return [
        carrier.name,
        shown["kind"].get(carrier.kind, ""),
        shown["level"].get(carrier.level, ""),
        shown["centre_scope"].get(carrier.centre_scope, ""),
        carrier.industry,
        carrier.operator,
        carrier.unit.name,
        carrier.enterprise.uscc if carrier.enterprise else "",
        carrier.address,
        carrier.recognised_on,
        carrier.recognised_by,
        carrier.document_number,
        carrier.area,
        "、".join(e.uscc for e in carrier.linked),
        carrier.incubated_other,
        shown["status"].get(carrier.status, ""),
        carrier.revoked_on,
        carrier.note,
    ]


def export_xlsx(queryset, user) -> bytes:
    """Every carrier of the (already scoped and filtered) queryset. Linked enterprises the user may
    not see are left out of the 在孵企业 cell (their number stays in the detail page's total)."""
    visible = Enterprise.objects.for_user(user).only("pk", "uscc")
    rows = queryset.select_related("unit", "enterprise").prefetch_related(
        Prefetch("incubated", visible, to_attr="linked")
    )
    buffer = io.BytesIO()
    title = _("Innovation carriers (exported %(date)s)") % {"date": timezone.localdate().strftime("%Y-%m-%d")}
    table = XlsxTable(buffer, COLUMNS, title, str(_("Innovation carriers")), notes=NOTES)
    shown = labels()
    for carrier in rows.order_by("unit__path", "kind", "name"):
        table.write(row_of(carrier, shown))
    table.close()
    return buffer.getvalue()


def template_xlsx() -> bytes:
    buffer = io.BytesIO()
    table = XlsxTable(buffer, COLUMNS, "创新载体导入模板", "创新载体", notes=NOTES)
    table.write(
        [
            "东丽区科技企业孵化器",
            "孵化器",
            "市级",
            "",
            "",
            "天津东丽科技发展有限公司",
            "东丽经济技术开发区",
            "",
            "东丽大道1号",
            None,
            "天津市科学技术局",
            "",
            12000,
            "",
            5,
            "运营中",
            None,
            "",
        ]
    )
    table.close()
    return buffer.getvalue()
