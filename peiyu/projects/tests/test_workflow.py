"""The application's state machine, through the pages: submit, unit return with a reason, resubmit,
recommend, formal return and pass, review, decision, publicity, approval; deadlines; wrong roles."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from peiyu.core.workflows import TransitionNotAllowed
from peiyu.projects import services
from peiyu.projects.choices import AppState, ProjectState
from peiyu.projects.models import Application, Project
from peiyu.projects.tests.conftest import ANSWERS, make_application, make_call


def step(client, app, name, comment=""):
    return client.post(reverse("projects:application-step", args=[app.pk, name]), {"comment": comment})


def apply(client, call, **extra):
    data = {
        "title": "新型传感器研发",
        "field": "1",
        "total_investment": "400",
        "requested_amount": "100",
        **{f"answer_{k}": v for k, v in ANSWERS.items()},
        **extra,
    }
    return client.post(reverse("projects:application-create", args=[call.pk]), data)


def test_full_loop_with_returns_and_resubmission(client_for, users, enterprises, call):
    ent, town, bureau = users["ent_a"], users["town_a"], users["bureau"]
    apply(client_for(ent), call, save="1")
    app = Application.objects.get()
    assert app.state == AppState.DRAFT and app.enterprise == enterprises["a"]
    assert step(client_for(ent), app, "submit").status_code == 302
    app.refresh_from_db()
    assert app.state == AppState.SUBMITTED and app.submitted_at

    # a return needs a reason
    step(client_for(town), app, "unit_return")
    app.refresh_from_db()
    assert app.state == AppState.SUBMITTED
    step(client_for(town), app, "unit_return", "请补充财务报表")
    app.refresh_from_db()
    assert app.state == AppState.RETURNED and app.return_reason() == "请补充财务报表"
    page = client_for(ent).get(app.get_absolute_url()).content.decode()
    assert "请补充财务报表" in page

    # amend and resubmit
    r = client_for(ent).post(
        reverse("projects:application-edit", args=[app.pk]),
        {
            "title": app.title,
            "field": "1",
            "total_investment": "400",
            "requested_amount": "90",
            **{f"answer_{k}": v for k, v in ANSWERS.items()},
            "submit": "1",
        },
    )
    assert r.status_code == 302
    app.refresh_from_db()
    assert app.state == AppState.SUBMITTED and app.requested_amount == Decimal("90")

    step(client_for(town), app, "recommend")
    step(client_for(bureau), app, "formal_return", "缺少营业执照")
    app.refresh_from_db()
    assert app.state == AppState.RETURNED
    step(client_for(ent), app, "submit")
    step(client_for(town), app, "recommend")
    step(client_for(bureau), app, "formal_pass")
    app.refresh_from_db()
    assert app.state == AppState.ACCEPTED

    trail = list(app.transition_trail())
    assert [t.transition for t in trail] == [
        "submit",
        "unit_return",
        "submit",
        "recommend",
        "formal_return",
        "submit",
        "recommend",
        "formal_pass",
    ]
    assert [t.user for t in trail][:2] == [ent, town]

    # scores, decision, publicity, approval
    app.score = Decimal("85")
    app.save()
    services.decide(call, {app.pk: Decimal("90")}, bureau)
    start = datetime.date(2025, 11, 3)
    services.publish(call, start, bureau)
    with pytest.raises(ValidationError):
        services.approve(call, bureau, today=call.publicity_end)  # still in publicity
    projects = services.approve(call, bureau, today=call.publicity_end + datetime.timedelta(days=1))
    app.refresh_from_db()
    assert app.state == AppState.APPROVED and app.approved_amount == Decimal("90")
    assert projects[0].state == ProjectState.TASK_BOOK and Project.objects.get().approved_amount == Decimal(
        "90"
    )


def test_late_submission_is_refused_with_the_deadline(client_for, users, enterprises, units):
    call = make_call(
        units["district"],
        closes_at=timezone.make_aware(datetime.datetime(2025, 3, 31, 17, 0)),
        opens_on=datetime.date(2025, 3, 1),
    )
    app = make_application(call, enterprises["a"])
    r = step(client_for(users["ent_a"]), app, "submit")
    app.refresh_from_db()
    assert app.state == AppState.DRAFT
    messages = [str(m) for m in r.wsgi_request._messages]
    assert any("2025年03月31日 17:00" in m for m in messages)


def test_returned_after_the_deadline_cannot_be_resubmitted(users, enterprises, units):
    call = make_call(units["district"])
    app = make_application(call, enterprises["a"], state=AppState.RETURNED)
    call.closes_at = timezone.now() - datetime.timedelta(minutes=1)
    call.save()
    app.refresh_from_db()
    with pytest.raises(TransitionNotAllowed):
        services.submit(app, users["ent_a"])


def test_submit_needs_the_form_complete(users, enterprises, call):
    app = make_application(call, enterprises["a"], answers={"summary": "x"})
    with pytest.raises(ValidationError) as e:
        services.submit(app, users["ent_a"])
    assert any("主要创新点" in m for m in e.value.messages)


@pytest.mark.parametrize(
    ("user", "state", "name"),
    [
        ("ent_a", AppState.SUBMITTED, "recommend"),
        ("town_a", AppState.RECOMMENDED, "formal_pass"),
        ("leader", AppState.SUBMITTED, "recommend"),
        ("bureau", AppState.DRAFT, "submit"),
        ("town_a", AppState.ACCEPTED, "approve"),
    ],
)
def test_wrong_role_or_state_cannot_step(client_for, users, enterprises, call, user, state, name):
    app = make_application(call, enterprises["a"], state=state)
    step(client_for(users[user]), app, name, "理由")
    app.refresh_from_db()
    assert app.state == state


def test_call_not_open_refuses_new_applications(client_for, users, enterprises, units):
    call = make_call(units["district"], opens_on=timezone.localdate() + datetime.timedelta(days=3))
    apply(client_for(users["ent_a"]), call)
    assert not Application.objects.exists()
