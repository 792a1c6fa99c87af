"""The expert draw: constraints, automatic avoidance, reproducibility from the seed, replacements."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from peiyu.core.testing import make_enterprise
from peiyu.projects import draw as drawing
from peiyu.projects import services
from peiyu.projects.choices import AffiliationKind, AppState
from peiyu.projects.models import Affiliation, DrawMember, Review
from peiyu.projects.tests.conftest import make_application, make_call, make_expert


def pool(n=30):
    return [
        drawing.Candidate(i, "F" if i % 6 == 0 else str(i % 8 + 1), f"单位{i % 10}") for i in range(1, n + 1)
    ]


def test_same_seed_same_draw_other_seed_other_draw():
    a = drawing.draw(pool(), [], 7, seed=42)
    b = drawing.draw(list(reversed(pool())), [], 7, seed=42)  # the database's order does not matter
    c = drawing.draw(pool(), [], 7, seed=43)
    assert [x.id for x in a.chosen] == [x.id for x in b.chosen]
    assert [x.id for x in a.chosen] != [x.id for x in c.chosen]


@pytest.mark.parametrize("seed", range(20))
def test_constraints_hold_for_every_seed(seed):
    out = drawing.draw(pool(), [], 7, seed=seed, min_fields={"F": 2}, max_same_employer=1)
    assert len(out.chosen) == 7
    assert sum(c.field == "F" for c in out.chosen) >= 2
    employers = [c.employer for c in out.chosen]
    assert len(employers) == len(set(employers))


def test_not_enough_experts_is_an_error_in_words():
    with pytest.raises(drawing.DrawError, match="F"):
        drawing.draw(pool(5), [], 3, seed=1, min_fields={"F": 2})
    with pytest.raises(drawing.DrawError):
        drawing.draw(pool(30), [], 11, seed=1, max_same_employer=1)  # only ten employers


def test_avoidance_by_name_code_and_enterprise():
    applicant = drawing.Applicant(7, "华东科技有限公司", "91120110MA0000001X")
    people = [
        drawing.Candidate(
            1, "1", "华东科技 有限公司", {drawing.name_key("华东科技 有限公司"): "works_there"}
        ),
        drawing.Candidate(2, "1", "天津大学", {drawing.code_key("91120110ma0000001x"): "shareholding"}),
        drawing.Candidate(3, "1", "南开大学", {drawing.enterprise_key(7): "reviewed"}),
        drawing.Candidate(4, "1", "河北工业大学", {drawing.name_key("别的公司"): "family"}),
    ]
    out = drawing.draw(people, [applicant], 1, seed=0)
    assert set(out.avoided) == {1, 2, 3}
    assert [c.id for c in out.chosen] == [4]
    assert out.avoided[2] == ("shareholding", "华东科技有限公司")
    assert out.avoided[3][0] == "reviewed"


@pytest.fixture
def setup(units):
    call = make_call(units["district"], year=2026)
    a = make_enterprise(units["town_a"], "华东科技有限公司")
    b = make_enterprise(units["town_b"], "丰年电子有限公司")
    apps = [make_application(call, e, state=AppState.ACCEPTED, review_group="电子信息") for e in (a, b)]
    d = units["district"]
    experts = {
        "employee": make_expert(d, "甲", employer="华东科技有限公司"),
        "shareholder": make_expert(d, "乙", employer="天津大学"),
        "family": make_expert(d, "丙", employer="南开大学"),
        "former_recent": make_expert(d, "丁", employer="天津理工大学"),
        "former_old": make_expert(d, "戊", employer="天津工业大学"),
        "finance": make_expert(d, "己", field="F", employer="天津财经大学"),
        "finance2": make_expert(d, "庚", field="F", employer="天津财经大学"),
        "free1": make_expert(d, "辛", employer="河北工业大学"),
        "free2": make_expert(d, "壬", employer="中国民航大学"),
        "free3": make_expert(d, "癸", employer="天津科技大学"),
        "free4": make_expert(d, "子", employer="天津师范大学"),
    }
    Affiliation.objects.create(
        expert=experts["shareholder"], kind=AffiliationKind.SHAREHOLDING, organisation="丰年电子有限公司"
    )
    Affiliation.objects.create(
        expert=experts["family"], kind=AffiliationKind.FAMILY, organisation="x", uscc=a.uscc
    )
    today = datetime.date.today()
    Affiliation.objects.create(
        expert=experts["former_recent"],
        kind=AffiliationKind.FORMER_EMPLOYER,
        organisation="丰年电子有限公司",
        ended_on=today.replace(year=today.year - 1),
    )
    Affiliation.objects.create(
        expert=experts["former_old"],
        kind=AffiliationKind.FORMER_EMPLOYER,
        organisation="丰年电子有限公司",
        ended_on=today.replace(year=today.year - 5),
    )
    return call, apps, experts


def test_draw_avoids_affiliations_and_assigns_reviews(setup, users):
    call, apps, experts = setup
    record = services.run_draw(
        call, "电子信息", 5, 2026, {"min_fields": {"F": 1}, "max_same_employer": 1}, users["bureau"]
    )
    avoided = {x["expert"] for x in record.excluded}
    assert avoided == {experts[k].pk for k in ("employee", "shareholder", "family", "former_recent")}
    chosen = [m.expert for m in record.members.all()]
    assert len(chosen) == 5
    assert not avoided & {e.pk for e in chosen}
    assert sum(e.field == "F" for e in chosen) == 1  # two finance experts share an employer: at most one
    assert Review.objects.filter(application__in=apps).count() == 10


def test_draw_is_reproducible_from_its_seed(setup, users):
    call, apps, experts = setup
    first = services.run_draw(call, "电子信息", 5, 7, {"min_fields": {"F": 1}, "max_same_employer": 1})
    names = [m.expert_id for m in first.members.all()]
    first.delete()
    again = services.run_draw(call, "电子信息", 5, 7, {"min_fields": {"F": 1}, "max_same_employer": 1})
    assert [m.expert_id for m in again.members.all()] == names


def test_reviewed_last_round_is_avoided(setup, units):
    call, apps, experts = setup
    last = make_call(units["district"], year=2025, programme=call.programme, title="上一轮")
    old = make_application(last, apps[0].enterprise, state=AppState.APPROVED)
    Review.objects.create(application=old, expert=experts["free1"], total=Decimal("80"))
    record = services.run_draw(call, "电子信息", 3, 1, {})
    assert experts["free1"].pk in {x["expert"] for x in record.excluded}


def test_decline_draws_a_replacement_keeping_the_constraints(setup, users):
    call, apps, experts = setup
    record = services.run_draw(call, "电子信息", 5, 3, {"min_fields": {"F": 1}, "max_same_employer": 1})
    finance = record.members.get(expert__field="F")
    with pytest.raises(ValidationError):
        services.decline(finance, "  ", users["bureau"])
    fresh = services.decline(finance, "出差", users["bureau"])
    assert (
        fresh.replaces == finance and fresh.expert.field == "F"
    )  # the other finance expert, now the only one from that employer
    active = DrawMember.objects.filter(draw=record, declined=False)
    assert active.count() == 5
    assert not Review.objects.filter(member=finance).exists()
    assert Review.objects.filter(member=fresh).count() == 2


def test_an_expert_reviews_one_group_per_call(setup):
    call, apps, experts = setup
    services.run_draw(call, "电子信息", 5, 3, {})
    other = make_enterprise(apps[0].enterprise.unit, "第三家公司")
    make_application(call, other, state=AppState.ACCEPTED, review_group="先进制造")
    second = services.run_draw(call, "先进制造", 2, 3, {})
    first_ids = set(call.draws.get(group="电子信息").members.values_list("expert_id", flat=True))
    assert not first_ids & set(second.members.values_list("expert_id", flat=True))
    with pytest.raises(ValidationError):
        services.run_draw(call, "先进制造", 2, 3, {})  # a group is drawn once


def test_draw_all_groups_reads_the_library_once_and_keeps_experts_apart(setup, client_for, users):
    call, apps, experts = setup
    other = make_enterprise(apps[0].enterprise.unit, "第三家公司")
    make_application(call, other, state=AppState.ACCEPTED, review_group="先进制造")
    r = client_for(users["bureau"]).post(
        f"/projects/calls/{call.pk}/draws/",
        {"group": "", "size": "3", "seed": "11", "min_finance": "1", "max_same_employer": "1"},
    )
    assert r.status_code == 302
    draws = {d.group: d for d in call.draws.all()}
    assert set(draws) == {"电子信息", "先进制造"}
    assert [draws["电子信息"].seed, draws["先进制造"].seed] == [12, 11]  # seed + position in group order
    a, b = ({m.expert_id for m in d.members.all()} for d in draws.values())
    assert not a & b
    assert Review.objects.filter(application__call=call).count() == 3 * 3


def test_draw_command_prints_members_and_avoided(setup):
    import io

    from django.core.management import call_command

    call, apps, experts = setup
    out = io.StringIO()
    call_command("project_draw", call.pk, "--size", "5", "--seed", "9", stdout=out)
    text = out.getvalue()
    assert "电子信息（种子 9）" in text and "回避 甲：在申报单位任职" in text
