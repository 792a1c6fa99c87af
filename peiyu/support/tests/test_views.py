"""Pages, permissions, exports and the API: every role against every object, across units."""

import datetime
from decimal import Decimal as D

import pytest
from django.urls import reverse

from peiyu.core.choices import Role
from peiyu.core.metrics import get as get_metric
from peiyu.core.models import ApiToken
from peiyu.core.periods import Period
from peiyu.core.testing import make_user, make_year
from peiyu.support import subsidy, vouchers
from peiyu.support.choices import ServiceCategory, SubsidyMethod, VoucherState
from peiyu.support.models import (
    Assignment,
    Commissioner,
    CommissionerScheme,
    ServiceLog,
    SubsidyPolicy,
    SubsidyResult,
    SubsidyTier,
    Voucher,
)
from peiyu.support.tests.conftest import make_policy

TODAY = datetime.date.today()


@pytest.fixture
def voucher_a(policy, enterprises, users):
    return vouchers.apply(policy, enterprises["a"], ServiceCategory.TESTING, D("10"), users["ent_a"])


@pytest.fixture
def voucher_b(policy, enterprises, users):
    return vouchers.apply(policy, enterprises["b"], ServiceCategory.TESTING, D("5"), users["bureau"])


PAGES = [
    "support:index",
    "support:voucherpolicy-list",
    "support:voucher-list",
    "support:redemption-list",
    "support:provider-list",
    "support:subsidypolicy-list",
    "support:subsidy-list",
    "support:commissioner-list",
    "support:servicelog-list",
    "support:fund-list",
    "support:voucher-apply",
]


@pytest.mark.parametrize("name", PAGES)
def test_pages_render_for_bureau(client_for, users, name, policy, voucher_a):
    response = client_for(users["bureau"]).get(reverse(name))
    assert response.status_code == 200


def test_voucher_pages_in_chinese(client_for, users, voucher_a, policy):
    client = client_for(users["bureau"])
    body = client.get(reverse("support:voucher-detail", args=[voucher_a.pk])).content.decode()
    assert "创新券" in body and voucher_a.number in body and "2025-" not in body.replace(voucher_a.number, "")
    body = client.get(policy.get_absolute_url()).content.decode()
    assert "检验检测" in body and "30%" in body


def test_cross_unit_and_roles(client, client_for, users, voucher_a, voucher_b):
    url_a = reverse("support:voucher-detail", args=[voucher_a.pk])
    assert client_for(users["town_b"]).get(url_a).status_code == 404
    assert client_for(users["town_a"]).get(url_a).status_code == 200
    assert client_for(users["ent_a"]).get(url_a).status_code == 200
    assert (
        client_for(users["ent_a"]).get(reverse("support:voucher-detail", args=[voucher_b.pk])).status_code
        == 404
    )
    assert client_for(users["expert"]).get(reverse("support:voucher-list")).status_code == 403
    listing = client_for(users["town_b"]).get(reverse("support:voucher-list")).content.decode()
    assert voucher_b.number in listing and voucher_a.number not in listing


def test_apply_through_the_page_and_refusal_in_chinese(client_for, users, policy, enterprises):
    client = client_for(users["ent_a"])
    data = {
        "policy": policy.pk,
        "enterprise": enterprises["a"].pk,
        "category": ServiceCategory.TESTING,
        "face_value": "20",
    }
    response = client.post(reverse("support:voucher-apply"), data)
    assert response.status_code == 302 and Voucher.objects.count() == 1
    response = client.post(reverse("support:voucher-apply"), {**data, "face_value": "0.0001"})
    assert response.status_code == 200 and "年度额度" in response.content.decode()
    # an enterprise user cannot apply for another enterprise
    response = client.post(reverse("support:voucher-apply"), {**data, "enterprise": enterprises["b"].pk})
    assert response.status_code == 200 and Voucher.objects.count() == 1


def test_read_only_roles_cannot_apply(client_for, users):
    assert client_for(users["leader"]).get(reverse("support:voucher-apply")).status_code == 403


def test_use_refusal_shows_on_the_page(client_for, users, voucher_a, provider, enterprises):
    provider.affiliated_usccs = enterprises["a"].uscc
    provider.save()
    data = {"provider": provider.pk, "fee": "10", "invoice_date": TODAY.isoformat()}
    response = client_for(users["ent_a"]).post(reverse("support:voucher-use", args=[voucher_a.pk]), data)
    assert response.status_code == 200 and "关联" in response.content.decode()
    voucher_a.refresh_from_db()
    assert voucher_a.state == VoucherState.ISSUED


def test_only_bureau_redeems(client_for, users, voucher_a, provider):
    vouchers.use(voucher_a, provider, D("10"), TODAY, users["ent_a"])
    url = reverse("support:voucher-redeem", args=[voucher_a.pk])
    assert client_for(users["ent_a"]).post(url).status_code == 403
    assert client_for(users["town_b"]).post(url).status_code == 404
    assert client_for(users["bureau"]).post(url).status_code == 302
    voucher_a.refresh_from_db()
    assert voucher_a.state == VoucherState.REDEEMED and voucher_a.redemption.amount == D("3")
    body = client_for(users["bureau"]).get(reverse("support:redemption-list")).content.decode()
    assert "天津检测中心" in body and "3.00" in body


def test_only_bureau_changes_policies(client_for, users, policy):
    assert client_for(users["town_a"]).get(reverse("support:voucherpolicy-add")).status_code == 403
    assert (
        client_for(users["town_a"]).get(reverse("support:voucherpolicy-edit", args=[policy.pk])).status_code
        == 403
    )
    assert (
        client_for(users["bureau"]).get(reverse("support:voucherpolicy-edit", args=[policy.pk])).status_code
        == 200
    )


@pytest.fixture
def subsidy_policy(units, enterprises):
    policy = SubsidyPolicy.objects.create(
        unit=units["district"], year=2024, name="研发投入后补助", method=SubsidyMethod.TIERS
    )
    SubsidyTier.objects.create(policy=policy, rd_floor=D("0"), min_intensity=D("0.05"), award=D("10"))
    make_year(enterprises["a"], 2024, revenue=D("2000"), rd_expense=D("200"), total_costs=D("1800"))
    make_year(enterprises["b"], 2024, revenue=D("2000"), rd_expense=D("200"), total_costs=D("1800"))
    subsidy.compute_policy(policy)
    return policy


def test_subsidy_review_steps(client_for, users, subsidy_policy, enterprises):
    result = SubsidyResult.objects.get(enterprise=enterprises["a"])
    client = client_for(users["bureau"])
    url = reverse("support:subsidy-step", args=[result.pk, "confirm"])
    response = client.post(url, {"confirm-comment": "x"})
    assert response.status_code == 200  # the tax bureau's confirmation is required
    client.post(url, {"confirm-tax_confirmation": "东税函〔2025〕12号", "confirm-deduction_rd": "190"})
    client.post(reverse("support:subsidy-step", args=[result.pk, "approve"]), {})
    client.post(reverse("support:subsidy-step", args=[result.pk, "pay"]), {"pay-paid_on": "2025-06-30"})
    result.refresh_from_db()
    assert (
        result.state == "paid"
        and result.deduction_rd == D("190")
        and result.paid_on == datetime.date(2025, 6, 30)
    )
    too_much = client.post(
        reverse("support:subsidy-step", args=[result.pk, "claw_back"]),
        {"claw_back-clawback_amount": "10.0001", "claw_back-clawback_reason": "虚报"},
    )
    assert too_much.status_code == 200
    client.post(
        reverse("support:subsidy-step", args=[result.pk, "claw_back"]),
        {"claw_back-clawback_amount": "10", "claw_back-clawback_reason": "虚报研发费用"},
    )
    result.refresh_from_db()
    assert result.state == "clawed_back" and result.clawback_amount == D("10")
    # metric: paid less clawed back
    value = get_metric("support.subsidy_paid").value(enterprises["a"].unit.parent, Period.year(2025))
    assert value == D("0")
    # town B staff see B's result only; the unit staff may not take review steps
    assert client_for(users["town_b"]).get(result.get_absolute_url()).status_code == 404
    other = SubsidyResult.objects.get(enterprise=enterprises["b"])
    assert (
        client_for(users["town_b"])
        .post(reverse("support:subsidy-step", args=[other.pk, "confirm"]), {"confirm-tax_confirmation": "x"})
        .status_code
        == 403
    )


def test_subsidy_pages(client_for, users, subsidy_policy):
    client = client_for(users["bureau"])
    body = client.get(reverse("support:subsidy-list") + f"?policy={subsidy_policy.pk}").content.decode()
    assert "华东科技" in body and "10.00" in body
    body = client.get(subsidy_policy.get_absolute_url() + "?tier_factor=2").content.decode()
    assert "40.00" in body  # two enterprises × 10 × 2


@pytest.fixture
def commissioner_setup(units, enterprises, users):
    scheme = CommissionerScheme.objects.create(unit=units["district"], name="东丽区科技特派员管理办法")
    account = make_user("zhang", Role.EXPERT)
    c = Commissioner.objects.create(
        unit=units["town_a"], name="张教授", sending_unit="天津大学", level="city", account=account
    )
    a = Assignment.objects.create(
        commissioner=c,
        target_kind="enterprise",
        enterprise=enterprises["a"],
        starts_on=datetime.date(TODAY.year, 1, 1),
    )
    other = Commissioner.objects.create(
        unit=units["town_b"], name="李研究员", sending_unit="农科院", level="county"
    )
    b = Assignment.objects.create(
        commissioner=other,
        target_kind="village",
        target_name="丰年村",
        starts_on=datetime.date(TODAY.year, 1, 1),
    )
    return {"scheme": scheme, "account": account, "c": c, "a": a, "other": other, "b": b}


def test_commissioner_logs_own_assignments_only(client_for, commissioner_setup):
    s = commissioner_setup
    client = client_for(s["account"])
    assert client.get(reverse("support:my-assignments")).status_code == 200
    data = {
        "assignment": s["a"].pk,
        "date": TODAY.isoformat(),
        "days": "1",
        "kind": "guidance",
        "trained": "0",
        "content": "现场指导",
    }
    assert client.post(reverse("support:servicelog-add"), data).status_code == 302
    log = ServiceLog.objects.get()
    assert log.logged_by == s["account"]
    assert client.get(log.get_absolute_url()).status_code == 200
    refused = client.post(reverse("support:servicelog-add"), {**data, "assignment": s["b"].pk})
    assert refused.status_code == 200 and ServiceLog.objects.count() == 1
    future = client.post(
        reverse("support:servicelog-add"), {**data, "date": (TODAY + datetime.timedelta(days=1)).isoformat()}
    )
    assert future.status_code == 200 and ServiceLog.objects.count() == 1
    # an expert who is not a commissioner logs nothing; the staff list stays closed to experts
    assert (
        client_for(make_user("plain_expert", Role.EXPERT)).get(reverse("support:servicelog-add")).status_code
        == 403
    )
    assert client.get(reverse("support:commissioner-list")).status_code == 403


def test_commissioner_scoping_and_service_check(client_for, users, commissioner_setup):
    s = commissioner_setup
    for n in range(3):
        ServiceLog.objects.create(
            assignment=s["a"],
            date=datetime.date(TODAY.year, 1, 1 + n),
            days=D("20"),
            kind="training",
            trained=10,
            content="培训",
        )
    assert client_for(users["town_b"]).get(s["c"].get_absolute_url()).status_code == 404
    body = client_for(users["town_a"]).get(s["c"].get_absolute_url()).content.decode()
    assert "60" in body and "达标" in body or "Met" in body
    listing = client_for(users["town_b"]).get(reverse("support:servicelog-list")).content.decode()
    assert "张教授" not in listing
    days = get_metric("support.service_days").value(s["c"].unit, Period.year(TODAY.year))
    assert days == D("60")
    assert get_metric("support.commissioners_in_service").value(
        s["c"].unit.parent, Period.year(TODAY.year)
    ) == D(2)


def test_export_job_is_scoped(client_for, users, voucher_a, voucher_b, settings, tmp_path):
    from openpyxl import load_workbook

    from peiyu.core.models import Job

    settings.MEDIA_ROOT = tmp_path
    response = client_for(users["town_b"]).get(reverse("support:export", args=["vouchers"]))
    assert response.status_code == 302
    job = Job.objects.get()
    assert job.state == "done", job.error
    sheet = load_workbook(tmp_path / job.result_file).active
    rows = [[c.value for c in r] for r in sheet.iter_rows()]
    assert rows[0][0] == "科技创新券发放明细表" and rows[1][0] == "序号"
    numbers = [r[1] for r in rows[2:]]
    assert voucher_b.number in numbers and voucher_a.number not in numbers
    assert rows[-1][0] == "合计" and rows[-1][6] == 5


def test_api_is_scoped(client, users, voucher_a, voucher_b, policy, enterprises):
    def call(user, path, method="get", **kw):
        token = ApiToken.objects.issue(user, "t")[1]
        return getattr(client, method)("/api" + path, HTTP_AUTHORIZATION=f"Bearer {token}", **kw)

    body = call(users["town_b"], "/support/vouchers").json()
    assert [v["number"] for v in body["items"]] == [voucher_b.number]
    assert call(users["town_b"], f"/support/vouchers/{voucher_a.pk}").status_code == 404
    assert call(users["expert"], "/support/vouchers").status_code == 403
    refused = call(
        users["ent_a"],
        "/support/vouchers",
        "post",
        content_type="application/json",
        data={
            "policy": policy.pk,
            "enterprise": enterprises["a"].pk,
            "category": "testing",
            "face_value": "10.0001",
        },
    )
    assert refused.status_code == 409 and "额度" in refused.json()["detail"], refused.json()


def test_voucher_list_query_count_does_not_grow(
    client_for, users, units, enterprises, django_assert_max_num_queries
):
    from peiyu.core.testing import make_enterprise

    policy = make_policy(units["district"], budget="1000")
    firms = [make_enterprise(units["town_a"], f"企业{i}") for i in range(12)]
    for firm in firms:
        vouchers.apply(policy, firm, ServiceCategory.TESTING, D("1"), users["bureau"])
    client = client_for(users["bureau"])
    client.get(reverse("support:voucher-list"))
    with django_assert_max_num_queries(12):
        assert client.get(reverse("support:voucher-list")).status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(reverse("support:redemption-list")).status_code == 200


def test_voucher_metrics_roll_up_the_subtree(policy, enterprises, users, provider, units):
    v = vouchers.apply(
        policy,
        enterprises["a"],
        ServiceCategory.TESTING,
        D("10"),
        users["bureau"],
        applied_on=datetime.date(2025, 5, 20),
    )
    vouchers.apply(
        policy,
        enterprises["b"],
        ServiceCategory.TESTING,
        D("4"),
        users["bureau"],
        applied_on=datetime.date(2025, 6, 1),
    )
    vouchers.use(v, provider, D("20"), datetime.date(2025, 6, 1), users["bureau"])
    vouchers.redeem(v, users["bureau"], on=datetime.date(2025, 7, 1))
    year = Period.year(2025)
    issued = get_metric("support.vouchers_issued").values(
        [units["district"], units["town_a"], units["town_b"]], year
    )
    assert issued == {units["district"].pk: D(2), units["town_a"].pk: D(1), units["town_b"].pk: D(1)}
    assert get_metric("support.voucher_amount_issued").value(units["district"], year) == D("14")
    assert get_metric("support.voucher_amount_redeemed").value(units["town_a"], year) == D("6")
    assert get_metric("support.voucher_amount_redeemed").value(units["town_b"], year) == D("0")
    assert get_metric("support.vouchers_redeemed").value(units["district"], Period.year(2024)) == D("0")


def test_funds_are_recorded_by_staff_only(client_for, users, units):
    data = {
        "unit": units["town_a"].pk,
        "year": 2025,
        "kind": "station",
        "station": "张贵庄工作站",
        "amount": "1",
    }
    assert client_for(users["leader"]).get(reverse("support:fund-add")).status_code == 403
    assert (
        client_for(users["town_a"]).post(reverse("support:fund-add"), {**data, "station": ""}).status_code
        == 200
    )
    assert client_for(users["town_a"]).post(reverse("support:fund-add"), data).status_code == 302
    assert units["town_a"].commissioner_funds.get().amount == D("1")
    assert (
        "张贵庄工作站" not in client_for(users["town_b"]).get(reverse("support:fund-list")).content.decode()
    )


def test_commissioner_adds_evidence_to_own_log(client_for, commissioner_setup, settings, tmp_path):

    s = commissioner_setup
    own = ServiceLog.objects.create(
        assignment=s["a"], date=TODAY, days=D("1"), kind="training", content="培训"
    )
    other = ServiceLog.objects.create(
        assignment=s["b"], date=TODAY, days=D("1"), kind="training", content="培训"
    )
    assert set(ServiceLog.objects.for_user(s["account"])) == {own}
    assert set(ServiceLog.objects.writable_by(s["account"])) == {own}
    client = client_for(s["account"])
    assert client.get(other.get_absolute_url()).status_code == 404
    assert client.get(own.get_absolute_url()).status_code == 200
