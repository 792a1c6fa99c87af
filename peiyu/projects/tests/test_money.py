"""Money adds up and never goes over: decision within the budget and the requests, tranches within
the approved amount, totals per programme and year — and a refused attempt saves nothing."""

import datetime
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError

from peiyu.core.testing import make_enterprise
from peiyu.projects import exports, services
from peiyu.projects.choices import AppState
from peiyu.projects.models import Project
from peiyu.projects.tests.conftest import make_application, make_call


@pytest.fixture
def scored(units):
    call = make_call(
        units["district"], budget=D("250"), funding_cap=D("100"), funding_ratio=None, pass_score=D("60")
    )
    apps = []
    for i, score in enumerate(["90", "85", "80", "59"]):
        e = make_enterprise(units["town_a"], f"企业{i}")
        apps.append(
            make_application(call, e, state=AppState.ACCEPTED, requested_amount=D("100"), score=D(score))
        )
    return call, apps


def test_proposal_fills_the_budget_in_rank_order(scored):
    call, apps = scored
    ranked = services.ranking(call)
    assert [a.pk for a in ranked] == [a.pk for a in apps]
    proposal = services.proposal(call, ranked)
    # 100 + 100 fit the 250 budget; the third (100) does not and closes the list
    assert proposal == {apps[0].pk: D("100"), apps[1].pk: D("100")}


def test_decision_over_budget_is_refused_and_nothing_saved(scored, users):
    call, apps = scored
    with pytest.raises(ValidationError) as e:
        services.decide(
            call, {apps[0].pk: D("100"), apps[1].pk: D("100"), apps[2].pk: D("50.0001")}, users["bureau"]
        )
    assert "250.00万元" in " ".join(e.value.messages)
    call.refresh_from_db()
    assert call.decided_at is None
    assert not any(a.proposed_amount for a in call.applications.all())


def test_decision_at_exactly_the_budget(scored, users):
    call, apps = scored
    services.decide(call, {apps[0].pk: D("100"), apps[1].pk: D("100"), apps[2].pk: D("50")}, users["bureau"])
    assert services.committed(call) == D("250")


def test_decision_over_the_request_is_refused(scored, users):
    call, apps = scored
    with pytest.raises(ValidationError):
        services.decide(call, {apps[0].pk: D("100.01")}, users["bureau"])


def test_decision_page_shows_the_error(scored, client_for, users):
    call, apps = scored
    r = client_for(users["bureau"]).post(
        f"/projects/calls/{call.pk}/ranking/",
        {"decide": "1", f"a_{apps[0].pk}": "100", f"a_{apps[1].pk}": "100", f"a_{apps[2].pk}": "100"},
    )
    assert r.status_code == 200
    assert "超出" in r.content.decode() or "over the call" in r.content.decode()
    call.refresh_from_db()
    assert call.decided_at is None


@pytest.fixture
def project(units, enterprises, call):
    app = make_application(call, enterprises["a"], state=AppState.APPROVED, approved_amount=D("100"))
    return Project.objects.create(
        application=app,
        call=call,
        enterprise=app.enterprise,
        title=app.title,
        approved_amount=D("100"),
        approved_on=datetime.date(2026, 1, 5),
    )


def test_tranches_add_up_to_the_approved_amount_and_no_more(project, users):
    day = datetime.date(2026, 2, 1)
    services.add_tranche(project, D("60"), day, "签订任务书后", users["bureau"])
    with pytest.raises(ValidationError) as e:
        services.add_tranche(project, D("40.0001"), day, "", users["bureau"])
    assert "40.00万元" in e.value.message_dict["amount"][0]
    assert project.tranches.count() == 1
    services.add_tranche(project, D("40"), day, "验收后", users["bureau"])
    assert [t.number for t in project.tranches.all()] == [1, 2]
    assert project.planned == D("100")


def test_funding_totals_per_programme_and_year(project, users):
    services.add_tranche(project, D("60"), datetime.date(2026, 2, 1))
    t = project.tranches.get()
    t.paid_on = datetime.date(2026, 2, 2)
    t.save()
    project = Project.objects.prefetch_related("tranches").select_related("call__programme").get()
    [row] = exports.funding_totals([project])
    assert row["budget"] == D("300") and row["approved"] == D("100") and row["left"] == D("200")
    assert row["planned"] == D("60") and row["paid"] == D("60")


def test_tranche_over_the_amount_via_the_page_saves_nothing(project, client_for, users):
    r = client_for(users["bureau"]).post(
        project.get_absolute_url(),
        {"tranche": "1", "t-amount": "120", "t-planned_on": "2026-03-01", "t-condition": ""},
    )
    assert r.status_code == 200
    assert not project.tranches.exists()
