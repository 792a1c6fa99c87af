"""Workflows: states, the transitions allowed between them and who may make each, declared once per
model; every transition is recorded (StateTransition: who, when, from, to, comment) and, for
change-logged models, also lands in the object's change history.

    class ApplicationState(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        APPROVED = "approved", _("Approved")

    class ApplicationWorkflow(Workflow):
        states = ApplicationState
        transitions = (
            Transition("submit", _("Submit"), ApplicationState.DRAFT, ApplicationState.SUBMITTED, roles={Role.ENTERPRISE}),
            Transition("approve", _("Approve"), ApplicationState.SUBMITTED, ApplicationState.APPROVED, roles={Role.BUREAU}),
        )

    class Application(WorkflowModel, PrimaryModel):
        workflow = ApplicationWorkflow
        state = ApplicationWorkflow.field()

    application.apply_transition("submit", user, comment="…")   # or raises TransitionNotAllowed
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.db.models.signals import class_prepared
from django.dispatch import receiver
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from peiyu.core.history import acting_as
from peiyu.core.models import StateTransition


class TransitionNotAllowed(PermissionDenied):
    """The transition does not exist, does not start from the object's state, or the user may not
    make it. The message says which, in the user's language."""


@dataclass(frozen=True)
class Transition:
    """A named move from one of `sources` to `target`. `roles` may make it (administrators always
    may); `condition(obj, user)` adds a rule of the object's own (e.g. "only the assigned expert")."""

    name: str
    label: str
    sources: object  # a state or an iterable of states
    target: str
    roles: frozenset = field(default_factory=frozenset)
    condition: Callable | None = None

    @property
    def source_states(self) -> frozenset:
        sources = self.sources
        if isinstance(sources, str):
            return frozenset({sources})
        return frozenset(sources)

    def permits(self, obj, user) -> bool:
        if not (user and user.is_authenticated and user.is_active):
            return False
        if not user.is_superuser and user.role not in self.roles:
            return False
        return self.condition is None or self.condition(obj, user)


class Workflow:
    """Subclass and declare `states` (TextChoices) and `transitions`; `initial` defaults to the
    first state."""

    states: type[models.TextChoices]
    transitions: Iterable[Transition] = ()
    initial: str | None = None

    @classmethod
    def field(cls, **kwargs) -> models.CharField:
        kwargs.setdefault("verbose_name", gettext_lazy("state"))
        return models.CharField(max_length=32, choices=cls.states.choices, default=cls.initial or cls.states.values[0], **kwargs)

    @classmethod
    def get(cls, name: str) -> Transition | None:
        return next((t for t in cls.transitions if t.name == name), None)


class WorkflowModel(models.Model):
    """A model with a workflow: declare `workflow` and a `state = workflow.field()`."""

    workflow: type[Workflow]
    state_field = "state"

    class Meta:
        abstract = True

    @property
    def current_state(self) -> str:
        return getattr(self, self.state_field)

    def available_transitions(self, user) -> list[Transition]:
        """The transitions this user may make now (for the buttons a page shows)."""
        return [t for t in self.workflow.transitions if self.current_state in t.source_states and t.permits(self, user)]

    def apply_transition(self, name: str, user, comment: str = "") -> StateTransition:
        """Move to the transition's target, save, and record the step — or raise TransitionNotAllowed."""
        transition = self.workflow.get(name)
        state_label = self.workflow.states(self.current_state).label
        if transition is None:
            raise TransitionNotAllowed(_("There is no step “%(name)s”.") % {"name": name})
        if self.current_state not in transition.source_states:
            raise TransitionNotAllowed(
                _("“%(step)s” is not possible while the record is “%(state)s”.") % {"step": transition.label, "state": state_label}
            )
        if not transition.permits(self, user):
            raise TransitionNotAllowed(_("You may not “%(step)s” this record.") % {"step": transition.label})
        # The save is attributed to the same user in the change history.
        with transaction.atomic(), acting_as(user):
            from_state = self.current_state
            setattr(self, self.state_field, transition.target)
            self.save()
            return StateTransition.objects.create(
                content_type=ContentType.objects.get_for_model(self, for_concrete_model=True),
                object_id=self.pk,
                transition=transition.name,
                from_state=from_state,
                to_state=transition.target,
                user=user,
                user_name=user.get_username(),
                comment=comment,
            )

    def transition_trail(self):
        return StateTransition.objects.filter(
            content_type=ContentType.objects.get_for_model(self, for_concrete_model=True), object_id=self.pk
        ).select_related("user")


# Every concrete model with a workflow, by (app label, model name): the transition view acts only
# on these.
workflow_models: dict[tuple[str, str], type[WorkflowModel]] = {}


@receiver(class_prepared)
def _register_workflow_model(sender, **kwargs):
    if issubclass(sender, WorkflowModel) and not sender._meta.abstract:
        workflow_models[(sender._meta.app_label, sender._meta.model_name)] = sender
