"""The shared workflow base: a disallowed transition is refused, a role not allowed is refused,
and every transition is recorded (who, when, from, to, comment) and in the change history."""

import pytest
from django.db import connection, models
from django.test.utils import isolate_apps

from peiyu.core.choices import Role
from peiyu.core.models import ChangeLoggedModel, ObjectChange, ScopedQuerySet, StateTransition
from peiyu.core.testing import make_user
from peiyu.core.workflows import Transition, TransitionNotAllowed, Workflow, WorkflowModel

with isolate_apps("peiyu.core"):

    class ProbeState(models.TextChoices):
        DRAFT = "draft", "草稿"
        SUBMITTED = "submitted", "已提交"
        APPROVED = "approved", "已批准"
        RETURNED = "returned", "已退回"

    class ProbeWorkflow(Workflow):
        states = ProbeState
        transitions = (
            Transition("submit", "提交", (ProbeState.DRAFT, ProbeState.RETURNED), ProbeState.SUBMITTED, roles={Role.ENTERPRISE}),
            Transition("approve", "批准", ProbeState.SUBMITTED, ProbeState.APPROVED, roles={Role.BUREAU}),
            Transition("return", "退回", ProbeState.SUBMITTED, ProbeState.RETURNED, roles={Role.BUREAU, Role.UNIT},
                       condition=lambda obj, user: user.role == Role.BUREAU or obj.title != "locked"),
        )

    class Probe(WorkflowModel, ChangeLoggedModel):
        workflow = ProbeWorkflow
        title = models.CharField(max_length=50)
        state = ProbeWorkflow.field()
        unit_ref = models.BigIntegerField(null=True)  # the owning unit's id, scoped like a foreign key

        objects = ScopedQuerySet.as_manager()
        scope_units = ("unit_ref",)

        class Meta:
            app_label = "core"

        def get_absolute_url(self):
            return f"/probes/{self.pk}/"


@pytest.fixture
def probe_table(transactional_db):
    with connection.schema_editor() as editor:
        editor.create_model(Probe)
    yield
    with connection.schema_editor() as editor:
        editor.delete_model(Probe)


@pytest.fixture
def people(transactional_db):
    return {
        "enterprise": make_user("ent", Role.ENTERPRISE),
        "bureau": make_user("buro", Role.BUREAU),
        "unit": make_user("unit", Role.UNIT),
    }


def test_initial_state_is_the_first(probe_table):
    assert Probe.objects.create(title="a").state == ProbeState.DRAFT


def test_transition_moves_and_records_the_trail(probe_table, people):
    probe = Probe.objects.create(title="a")
    probe.apply_transition("submit", people["enterprise"], comment="材料齐全")
    probe.apply_transition("return", people["bureau"], comment="缺少审计报告")
    probe.apply_transition("submit", people["enterprise"])
    probe.refresh_from_db()
    assert probe.state == ProbeState.SUBMITTED
    trail = list(probe.transition_trail())
    assert [(t.from_state, t.to_state, t.user_name, t.comment) for t in trail] == [
        ("draft", "submitted", "ent", "材料齐全"),
        ("submitted", "returned", "buro", "缺少审计报告"),
        ("returned", "submitted", "ent", ""),
    ]
    assert all(t.time is not None for t in trail)
    changes = ObjectChange.objects.filter(object_id=probe.pk, action="update").order_by("pk")
    assert [c.after["state"] for c in changes] == ["submitted", "returned", "submitted"]
    assert changes[0].user_name == "ent"


def test_a_transition_from_the_wrong_state_is_refused(probe_table, people):
    probe = Probe.objects.create(title="a")
    with pytest.raises(TransitionNotAllowed, match="草稿"):
        probe.apply_transition("approve", people["bureau"])
    probe.refresh_from_db()
    assert probe.state == ProbeState.DRAFT
    assert not StateTransition.objects.exists()


def test_a_role_not_allowed_is_refused(probe_table, people):
    probe = Probe.objects.create(title="a", state=ProbeState.SUBMITTED)
    with pytest.raises(TransitionNotAllowed):
        probe.apply_transition("approve", people["enterprise"])
    with pytest.raises(TransitionNotAllowed):
        probe.apply_transition("approve", people["unit"])
    probe.refresh_from_db()
    assert probe.state == ProbeState.SUBMITTED
    assert not StateTransition.objects.exists()


def test_unknown_transition_and_conditions(probe_table, people):
    probe = Probe.objects.create(title="locked", state=ProbeState.SUBMITTED)
    with pytest.raises(TransitionNotAllowed):
        probe.apply_transition("publish", people["bureau"])
    with pytest.raises(TransitionNotAllowed):
        probe.apply_transition("return", people["unit"])  # the condition refuses unit staff here
    assert [t.name for t in probe.available_transitions(people["bureau"])] == ["approve", "return"]
    assert probe.available_transitions(people["unit"]) == []
    probe.apply_transition("return", people["bureau"])
    assert probe.state == ProbeState.RETURNED


def transition_url(probe, name):
    from django.contrib.contenttypes.models import ContentType
    from django.urls import reverse

    return reverse("workflow-transition", args=[ContentType.objects.get_for_model(Probe).pk, probe.pk, name])


def test_transition_view_applies_within_scope(probe_table, users, units, client_for):
    probe = Probe.objects.create(title="a", state=ProbeState.SUBMITTED, unit_ref=units["town_a"].pk)
    response = client_for(users["bureau"]).post(transition_url(probe, "approve"), {"comment": "同意"})
    assert response.status_code == 302 and response["Location"] == f"/probes/{probe.pk}/"
    probe.refresh_from_db()
    assert probe.state == ProbeState.APPROVED
    assert probe.transition_trail().get().comment == "同意"


def test_transition_view_refuses_outside_scope_read_only_and_wrong_role(probe_table, users, units, client_for):
    probe = Probe.objects.create(title="a", state=ProbeState.SUBMITTED, unit_ref=units["town_a"].pk)
    assert client_for(users["town_b"]).post(transition_url(probe, "approve")).status_code == 404
    client_for(users["leader"]).post(transition_url(probe, "approve"))  # sees it, may not change it
    client_for(users["town_a"]).post(transition_url(probe, "approve"))  # unit staff may not approve
    probe.refresh_from_db()
    assert probe.state == ProbeState.SUBMITTED and not StateTransition.objects.exists()


def test_panel_shows_state_allowed_steps_and_trail(probe_table, users, units, rf):
    from django.template import Context, Template

    probe = Probe.objects.create(title="a", unit_ref=units["town_a"].pk)
    probe.apply_transition("submit", users["admin"], comment="材料齐全")
    request = rf.get("/probes/1/")

    def panel(user):
        request.user = user
        return Template("{% load workflows %}{% workflow_panel probe %}").render(Context({"probe": probe, "request": request}))

    html = panel(users["bureau"])
    assert 'data-state="submitted"' in html and "材料齐全" in html
    assert ">批准</button>" in html and ">退回</button>" in html and ">提交</button>" not in html
    assert "</button>" not in panel(users["leader"])  # read-only: the trail, no buttons


def test_transition_view_only_acts_on_workflow_models(users, enterprises, client_for):
    from django.contrib.contenttypes.models import ContentType
    from django.urls import reverse

    ct = ContentType.objects.get_for_model(enterprises["a"])
    url = reverse("workflow-transition", args=[ct.pk, enterprises["a"].pk, "approve"])
    assert client_for(users["admin"]).post(url).status_code == 404
