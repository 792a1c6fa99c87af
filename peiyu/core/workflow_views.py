"""One view and one panel make any WorkflowModel's transitions usable from its page:
`{% load workflows %}{% workflow_panel object %}` shows the state, the steps this user may take
(with a comment box) and the trail."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.contenttypes.models import ContentType
from django.http import Http404
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View

from peiyu.core.workflows import TransitionNotAllowed, workflow_models


def panel_context(user, obj) -> dict:
    states = obj.workflow.states
    trail = list(obj.transition_trail())
    for step in trail:
        step.from_label = states(step.from_state).label if step.from_state in states.values else step.from_state
        step.to_label = states(step.to_state).label if step.to_state in states.values else step.to_state
    return {
        "object": obj,
        "content_type_id": ContentType.objects.get_for_model(obj, for_concrete_model=True).pk,
        "state_label": states(obj.current_state).label,
        "transitions": obj.available_transitions(user) if _writable(user, obj) else [],
        "trail": trail,
    }


def _writable(user, obj) -> bool:
    """Only people who may change the object move it (a read-only role never does)."""
    qs = type(obj)._default_manager.all()
    return qs.writable_by(user).filter(pk=obj.pk).exists() if hasattr(qs, "writable_by") else user.is_superuser


class TransitionView(LoginRequiredMixin, View):
    def post(self, request, content_type_id, object_id, name):
        obj = self.get_object(content_type_id, object_id)
        if not _writable(request.user, obj):
            messages.error(request, _("You may view this record but not change it."))
        else:
            try:
                step = obj.apply_transition(name, request.user, comment=request.POST.get("comment", "").strip())
            except TransitionNotAllowed as refusal:
                messages.error(request, str(refusal))
            else:
                states = obj.workflow.states
                labels = {"from": states(step.from_state).label, "to": states(step.to_state).label}
                messages.success(request, _("Done: %(from)s → %(to)s.") % labels)
        target = request.POST.get("next", "")
        if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
            return redirect(target)
        return redirect(obj.get_absolute_url())

    def get_object(self, content_type_id, object_id):
        """The object within the user's scope; a model without a workflow or scoping is a 404."""
        try:
            ct = ContentType.objects.get_for_id(content_type_id)
        except ContentType.DoesNotExist:
            raise Http404 from None
        model = workflow_models.get((ct.app_label, ct.model))
        if model is None:
            raise Http404
        qs = model._default_manager.all()
        if not hasattr(qs, "for_user"):
            raise Http404
        obj = qs.for_user(self.request.user).filter(pk=object_id).first()
        if obj is None:
            raise Http404
        return obj
