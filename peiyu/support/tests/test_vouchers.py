"""The voucher life cycle against the database: caps at their boundaries, affiliation refusals,
expiry timing, and the last of the budget under concurrent requests."""

import datetime
import threading
from decimal import Decimal as D

import pytest
from django.db import connection

from peiyu.core.models import StateTransition
from peiyu.core.testing import make_district, make_enterprise, make_user
from peiyu.enterprises.choices import QualificationKind
from peiyu.enterprises.models import Qualification
from peiyu.support import vouchers
from peiyu.support.choices import ServiceCategory, VoucherState
from peiyu.support.models import ServiceProvider, Voucher

from .conftest import APPLIED, make_policy

TESTING = ServiceCategory.TESTING


def issue(policy, enterprise, user, face="10", category=TESTING, on=APPLIED, **kw):
    return vouchers.apply(policy, enterprise, category, D(face), user, applied_on=on, **kw)


def test_issue_sets_validity_of_three_months(policy, enterprises, users):
    v = issue(policy, enterprises["a"], users["ent_a"])
    assert v.state == VoucherState.ISSUED
    assert v.expires_on == datetime.date(2025, 8, 19)  # applied 20 May: valid through 19 August
    assert v.number.startswith("CXQ2025-")
    end_of_month = issue(policy, enterprises["b"], users["bureau"], on=datetime.date(2025, 11, 30))
    assert end_of_month.expires_on == datetime.date(2026, 2, 27)  # 30 Nov + 3 months = 28 Feb, minus a day


def test_annual_cap_exactly_and_one_yuan_over(policy, enterprises, users):
    issue(policy, enterprises["a"], users["bureau"], face="12")
    issue(policy, enterprises["a"], users["bureau"], face="8")  # 12 + 8 = 20: exactly the cap
    with pytest.raises(vouchers.VoucherRefused, match="20"):
        issue(policy, enterprises["a"], users["bureau"], face="0.0001")  # one yuan over


def test_budget_refuses_one_yuan_over(units, enterprises, users):
    policy = make_policy(units["district"], budget="15")
    issue(policy, enterprises["a"], users["bureau"], face="10")
    with pytest.raises(vouchers.VoucherRefused):
        issue(policy, enterprises["b"], users["bureau"], face="5.0001")
    assert issue(policy, enterprises["b"], users["bureau"], face="5").face_value == D("5")
    assert vouchers.remaining_budget(policy) == 0


def test_expired_voucher_gives_its_budget_back(units, enterprises, users):
    policy = make_policy(units["district"], budget="10")
    issue(policy, enterprises["a"], users["bureau"], face="10")
    assert vouchers.expire_due(datetime.date(2025, 8, 19)) == 0  # the last valid day
    assert vouchers.expire_due(datetime.date(2025, 8, 20)) == 1  # the day after
    v = Voucher.objects.get()
    assert v.state == VoucherState.EXPIRED
    assert StateTransition.objects.filter(object_id=v.pk, to_state="expired").exists()
    assert vouchers.remaining_budget(policy) == D("10")


def test_eligibility_from_qualifications(units, enterprises, users):
    policy = make_policy(units["district"], eligible_qualifications=QualificationKind.TECH_SME)
    with pytest.raises(vouchers.VoucherRefused):
        issue(policy, enterprises["a"], users["bureau"])
    Qualification.objects.create(
        enterprise=enterprises["a"], kind=QualificationKind.TECH_SME, granted_on=datetime.date(2025, 3, 1)
    )
    assert issue(policy, enterprises["a"], users["bureau"]).state == VoucherState.ISSUED


def test_category_without_share_is_refused(policy, enterprises, users):
    with pytest.raises(vouchers.VoucherRefused):
        issue(policy, enterprises["a"], users["bureau"], category=ServiceCategory.OTHER)


def test_use_refuses_affiliation_and_same_legal_person(policy, enterprises, users, provider, units):
    v = issue(policy, enterprises["a"], users["ent_a"], legal_representative="王立")
    provider.affiliated_usccs = f"\n{enterprises['a'].uscc.lower()}\n"
    provider.save()
    with pytest.raises(vouchers.VoucherRefused, match="affiliat|关联"):
        vouchers.use(v, provider, D("10"), APPLIED, users["ent_a"])
    same = ServiceProvider.objects.create(
        unit=units["district"], name="自己", uscc=enterprises["a"].uscc + "", legal_representative=""
    )
    with pytest.raises(vouchers.VoucherRefused):
        vouchers.use(v, same, D("10"), APPLIED, users["ent_a"])
    same_rep = ServiceProvider.objects.create(
        unit=units["district"], name="同一法人", uscc="12120000MB0000002X", legal_representative="王立"
    )
    with pytest.raises(vouchers.VoucherRefused, match="王立"):
        vouchers.use(v, same_rep, D("10"), APPLIED, users["ent_a"])
    v.refresh_from_db()
    assert v.state == VoucherState.ISSUED and not hasattr(v, "contract")


def test_use_inside_validity_only(policy, enterprises, users, provider):
    v = issue(policy, enterprises["a"], users["ent_a"])
    with pytest.raises(vouchers.VoucherRefused):
        vouchers.use(v, provider, D("10"), datetime.date(2025, 8, 20), users["ent_a"])
    vouchers.use(v, provider, D("10"), datetime.date(2025, 8, 19), users["ent_a"])
    assert Voucher.objects.get().state == VoucherState.USED


def test_redeem_share_cap_below_face_value(policy, enterprises, users, provider):
    v = issue(policy, enterprises["a"], users["ent_a"], face="5")
    vouchers.use(v, provider, D("10"), APPLIED, users["ent_a"])
    r = vouchers.redeem(v, users["bureau"], on=datetime.date(2025, 9, 1))
    assert r.amount == D("3")  # 30 % of 10万 < face value 5万
    assert r.by_share == D("3") and r.reasons[-1]


def test_redeem_remaining_annual_cap(units, enterprises, users, provider):
    policy = make_policy(units["district"], cap="20", provincial_share=D("0.6"))
    first = issue(policy, enterprises["a"], users["bureau"], face="15")
    vouchers.use(first, provider, D("50"), APPLIED, users["bureau"])
    assert vouchers.redeem(first, users["bureau"]).amount == D("15")  # 30 % of 50 = 15
    second = issue(policy, enterprises["a"], users["bureau"], face="5")
    vouchers.use(second, provider, D("100"), APPLIED, users["bureau"])
    r = vouchers.redeem(second, users["bureau"])
    assert r.amount == D("5") and r.remaining_cap == D("5")  # exactly reaches 20
    assert (r.provincial_amount, r.local_amount) == (D("3"), D("2"))
    assert vouchers.redeemed_in_year(enterprises["a"], 2025) == D("20")


def test_redeem_only_a_used_voucher(policy, enterprises, users):
    v = issue(policy, enterprises["a"], users["bureau"])
    with pytest.raises(vouchers.VoucherRefused):
        vouchers.redeem(v, users["bureau"])


@pytest.mark.django_db(transaction=True)
def test_two_requests_for_the_last_voucher_one_wins():
    """Two threads, two database connections, one voucher's worth of budget left."""
    if connection.vendor != "postgresql":
        pytest.skip("real concurrency needs PostgreSQL")
    units = make_district()
    user = make_user("bureau", unit=units["district"])
    a, b = make_enterprise(units["town_a"], "甲公司"), make_enterprise(units["town_b"], "乙公司")
    policy = make_policy(units["district"], budget="10")
    barrier = threading.Barrier(2)
    outcomes = []

    def request(enterprise):
        from django.db import connection as own

        try:
            barrier.wait()
            outcomes.append(issue(policy, enterprise, user, face="10").number)
        except vouchers.VoucherRefused as exc:
            outcomes.append(exc)
        finally:
            own.close()

    threads = [threading.Thread(target=request, args=(e,)) for e in (a, b)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(outcomes) == 2
    assert sum(isinstance(o, str) for o in outcomes) == 1
    assert Voucher.objects.filter(state=VoucherState.ISSUED).count() == 1
    assert vouchers.remaining_budget(policy) == 0


def test_periodic_task_and_commands(policy, enterprises, users):
    from django.core.management import call_command

    from peiyu.support.tasks import expire_vouchers

    issue(policy, enterprises["a"], users["bureau"], on=datetime.date(2020, 1, 6))
    assert "1" in str(expire_vouchers.call_local())
    assert Voucher.objects.get().state == VoucherState.EXPIRED
    call_command("support_expire_vouchers")


def test_mandatory_testing_is_refused(policy, enterprises, users, provider):
    v = issue(policy, enterprises["a"], users["ent_a"])
    with pytest.raises(vouchers.VoucherRefused):
        vouchers.use(v, provider, D("10"), APPLIED, users["ent_a"], mandatory_testing=True)
