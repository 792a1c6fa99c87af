"""Who sees what: enterprises their own, units their units', experts only what is assigned and declared,
scores hidden until published — on pages and the API alike. Outside the scope is a 404."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from peiyu.projects.choices import AppState
from peiyu.projects.models import DrawMember, Expert, Review
from peiyu.projects.tests.conftest import make_application


@pytest.fixture
def apps(call, enterprises):
    return {k: make_application(call, e, state=AppState.SUBMITTED) for k, e in enterprises.items()}


def get(client, name, *args):
    return client.get(reverse(f"projects:{name}", args=args))


def test_enterprise_sees_only_its_own(client_for, users, apps):
    c = client_for(users["ent_a"])
    assert get(c, "application-detail", apps["a"].pk).status_code == 200
    assert get(c, "application-detail", apps["b"].pk).status_code == 404
    data = c.get("/api/projects/applications").json()
    assert [row["id"] for row in data["items"]] == [apps["a"].pk]
    assert c.get(f"/api/projects/applications/{apps['b'].pk}").status_code == 404


def test_unit_sees_only_its_units(client_for, users, apps):
    c = client_for(users["town_b"])
    assert get(c, "application-detail", apps["a"].pk).status_code == 404
    page = get(c, "application-list").content.decode()  # the unit check queue
    assert apps["b"].title in page and apps["a"].title not in page
    # and cannot act on another town's application
    c.post(reverse("projects:application-step", args=[apps["a"].pk, "recommend"]))
    apps["a"].refresh_from_db()
    assert apps["a"].state == AppState.SUBMITTED


def test_bureau_pages_are_closed_to_other_roles(client_for, users, call):
    for role in ("town_a", "leader", "ent_a"):
        c = client_for(users[role])
        assert get(c, "ranking", call.pk).status_code == 403
        assert get(c, "draws", call.pk).status_code == 403
        assert get(c, "expert-list").status_code == 403
        assert c.get(f"/api/projects/calls/{call.pk}/scores").status_code == 403


@pytest.fixture
def assigned(apps, expert_user, other_expert_user, call):
    """Both experts drawn for application a; only a is assigned."""
    from peiyu.projects.models import Draw

    draw = Draw.objects.create(call=call, group="g", seed=1, size=2)
    for i, user in enumerate((expert_user, other_expert_user), 1):
        expert = Expert.objects.get(user=user)
        member = DrawMember.objects.create(draw=draw, expert=expert, position=i)
        Review.objects.create(application=apps["a"], expert=expert, member=member)
    return apps


def test_expert_sees_only_assigned_and_only_after_declaring(client_for, expert_user, assigned):
    c = client_for(expert_user)
    a, b = assigned["a"], assigned["b"]
    # another application: 404 on the page and the API
    assert get(c, "review-detail", b.pk).status_code == 404
    assert c.get(f"/api/projects/applications/{b.pk}").status_code == 404
    # assigned but not declared: the page asks for the declaration and shows no content; the API 404s
    page = get(c, "review-detail", a.pk).content.decode()
    assert f"review/{a.pk}/declare/" in page and "研制新型传感器" not in page
    assert c.get(f"/api/projects/applications/{a.pk}").status_code == 404
    c.post(reverse("projects:review-declare", args=[a.pk]), {"conflict": "no"})
    assert "研制新型传感器" in get(c, "review-detail", a.pk).content.decode()
    assert c.get(f"/api/projects/applications/{a.pk}").status_code == 200
    # the bureau's pages and enterprise data stay closed
    assert get(c, "application-detail", b.pk).status_code in (302, 404)
    assert c.get("/api/projects/applications").json()["items"][0]["id"] == a.pk


def test_declaring_a_conflict_excuses_the_expert(client_for, expert_user, assigned):
    c = client_for(expert_user)
    a = assigned["a"]
    c.post(reverse("projects:review-declare", args=[a.pk]), {"conflict": "yes", "note": "曾任顾问"})
    review = Review.objects.get(application=a, expert__user=expert_user)
    assert review.excused and review.conflict_note == "曾任顾问"
    assert c.get(f"/api/projects/applications/{a.pk}").status_code == 404
    assert c.post(reverse("projects:review-detail", args=[a.pk]), {"c_innovation": "30"}).status_code == 200
    review.refresh_from_db()
    assert review.total is None


def test_scores_hidden_from_other_experts_and_the_applicant(
    client_for, users, expert_user, other_expert_user, assigned, call
):
    a = assigned["a"]
    a.state = AppState.ACCEPTED
    a.save()
    c = client_for(other_expert_user)
    c.post(reverse("projects:review-declare", args=[a.pk]), {"conflict": "no"})
    c.post(
        reverse("projects:review-detail", args=[a.pk]),
        {
            "c_innovation": "27",
            "c_market": "21",
            "c_team": "17",
            "c_plan": "13",
            "c_budget": "8",
            "comment": "很好",
        },
    )
    review = Review.objects.get(application=a, expert__user=other_expert_user)
    assert review.total == Decimal("86")
    a.refresh_from_db()
    assert a.score == Decimal("86.00")
    # the first expert's page shows their own empty sheet, never 86 or the comment
    me = client_for(expert_user)
    me.post(reverse("projects:review-declare", args=[a.pk]), {"conflict": "no"})
    page = get(me, "review-detail", a.pk).content.decode()
    assert "很好" not in page and 'value="27' not in page
    # the applicant: no score until the bureau publishes
    ent = client_for(users["ent_a"])
    assert "86.00" not in get(ent, "application-detail", a.pk).content.decode()
    assert ent.get(f"/api/projects/applications/{a.pk}").json()["score"] is None
    assert ent.get(f"/api/projects/calls/{call.pk}/decisions").status_code == 403
    call.decided_at = timezone.now()
    call.publicity_start = timezone.localdate()
    call.save()
    assert ent.get(f"/api/projects/applications/{a.pk}").json()["score"] == "86.00"
    # the bureau sees every score
    scores = client_for(users["bureau"]).get(f"/api/projects/calls/{call.pk}/scores").json()
    assert {s["total"] for s in scores if s["total"]} == {"86.00"}


def test_score_outside_the_criterion_range_is_refused(client_for, expert_user, assigned):
    c = client_for(expert_user)
    a = assigned["a"]
    c.post(reverse("projects:review-declare", args=[a.pk]), {"conflict": "no"})
    r = c.post(
        reverse("projects:review-detail", args=[a.pk]),
        {"c_innovation": "31", "c_market": "21", "c_team": "17", "c_plan": "13", "c_budget": "8"},
    )
    assert r.status_code == 200
    assert Review.objects.get(application=a, expert__user=expert_user).total is None


def test_experts_do_not_reach_enterprise_data(client_for, expert_user):
    c = client_for(expert_user)
    assert c.get("/api/enterprises").status_code == 403
    assert get(c, "funding").status_code == 403
