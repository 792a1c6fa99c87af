"""The attachment panel (an HTMX partial on any object's page), upload, download and delete. Every
view finds the owner through its scoped queryset first: outside the user's scope is a 404."""

from django.conf import settings
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views import View

from peiyu.core.attachments import services
from peiyu.core.attachments.validation import SIGNATURES
from peiyu.core.models import Attachment


def panel_context(user, owner, errors=()) -> dict:
    writable = services.scoped_manager(type(owner)).writable_by(user).filter(pk=owner.pk).exists()
    items = list(services.attachments_of(owner))
    for item in items:
        item.deletable = writable and services.may_delete(user, item, owner)
    return {
        "owner": owner,
        "content_type_id": ContentType.objects.get_for_model(owner, for_concrete_model=True).pk,
        "attachments": items,
        "can_upload": writable,
        "accept": ",".join(SIGNATURES),
        "errors": errors,
        "max_size": settings.PEIYU_ATTACHMENT_MAX_BYTES,
    }


class AttachmentPanelView(LoginRequiredMixin, View):
    """GET: the panel. POST: upload one or more files, then the panel again (with any errors)."""

    def get(self, request, content_type_id, object_id):
        owner = services.owner_for(request.user, content_type_id, object_id)
        return render(request, "core/attachments/panel.html", panel_context(request.user, owner))

    def post(self, request, content_type_id, object_id):
        owner = _writable(request.user, services.owner_for(request.user, content_type_id, object_id), content_type_id)
        errors = []
        files = request.FILES.getlist("files")
        if not files:
            errors.append(_("Choose a file to upload."))
        for upload in files:
            try:
                services.attach(owner, upload, request.user)
            except ValidationError as exc:
                errors.extend(exc.messages)
        return render(request, "core/attachments/panel.html", panel_context(request.user, owner, errors))


class AttachmentDownloadView(LoginRequiredMixin, View):
    def get(self, request, pk):
        attachment = get_object_or_404(Attachment, pk=pk)
        services.owner_for(request.user, attachment.content_type_id, attachment.object_id)
        try:
            handle = attachment.file.open("rb")
        except FileNotFoundError:
            raise Http404(_("The stored file is missing.")) from None
        # FileResponse writes the Chinese name as RFC 5987 filename*=utf-8''…; inline only for
        # PDF and images, which browsers show safely; everything else downloads.
        inline = request.GET.get("inline") == "1" and attachment.name.lower().endswith((".pdf", ".png", ".jpg", ".jpeg"))
        return FileResponse(handle, as_attachment=not inline, filename=attachment.name)


class AttachmentDeleteView(LoginRequiredMixin, View):
    def post(self, request, pk):
        attachment = get_object_or_404(Attachment, pk=pk)
        owner = services.owner_for(request.user, attachment.content_type_id, attachment.object_id)
        owner = _writable(request.user, owner, attachment.content_type_id)
        if not services.may_delete(request.user, attachment, owner):
            raise PermissionDenied(_("You may delete only the files you uploaded."))
        services.remove(attachment)
        return render(request, "core/attachments/panel.html", panel_context(request.user, owner))


def _writable(user, owner, content_type_id):
    """Seen but not changeable is a 403 (the panel hides the controls; this guards the URL)."""
    try:
        return services.owner_for(user, content_type_id, owner.pk, write=True)
    except Http404:
        raise PermissionDenied(_("You may view these attachments but not change them.")) from None
