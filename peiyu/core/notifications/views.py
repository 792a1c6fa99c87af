"""The inbox: a user's notifications, marking them read, and their preferences."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import Paginator
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from peiyu.core.models import EmailMode, NotificationPreference, NotificationSettings
from peiyu.core.notifications.delivery import wants
from peiyu.core.notifications.registry import kinds


class NotificationListView(LoginRequiredMixin, TemplateView):
    template_name = "core/notifications/list.html"
    extra_context = {"page_title": gettext_lazy("Notifications")}

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        notes = self.request.user.notifications.all()
        unread_only = self.request.GET.get("unread") == "1"
        if unread_only:
            notes = notes.filter(read_at__isnull=True)
        page = Paginator(notes, 30).get_page(self.request.GET.get("page"))
        ctx.update(page_obj=page, unread_only=unread_only, query="unread=1" if unread_only else "")
        return ctx


class NotificationOpenView(LoginRequiredMixin, View):
    """Mark one notification read and go to what it is about (or back to the inbox)."""

    def post(self, request, pk):
        note = get_object_or_404(request.user.notifications, pk=pk)
        if note.read_at is None:
            note.read_at = timezone.now()
            note.save(update_fields=["read_at"])
        target = note.url if request.POST.get("go") else request.POST.get("next")
        return redirect(target if _safe(request, target) else "notification-list")


class NotificationReadAllView(LoginRequiredMixin, View):
    def post(self, request):
        count = request.user.notifications.filter(read_at__isnull=True).update(read_at=timezone.now())
        messages.success(request, _("Marked %(count)d notifications as read.") % {"count": count})
        return redirect("notification-list")


def _safe(request, url) -> bool:
    return bool(url) and url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()})


class NotificationPreferencesView(LoginRequiredMixin, TemplateView):
    """Per kind: receive or not, e-mail or not; and how e-mail comes (each, daily digest, none)."""

    template_name = "core/notifications/preferences.html"
    extra_context = {"page_title": gettext_lazy("Notification settings")}

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        rows = []
        for kind in kinds():
            enabled, email = wants(user, kind.code)
            rows.append({"kind": kind, "enabled": enabled, "email": email})
        current = NotificationSettings.objects.filter(user=user).values_list("email_mode", flat=True).first()
        ctx.update(rows=rows, email_modes=EmailMode.choices, email_mode=current or EmailMode.IMMEDIATE)
        return ctx

    def post(self, request):
        user = request.user
        mode = request.POST.get("email_mode")
        with transaction.atomic():
            if mode in EmailMode.values:
                NotificationSettings.objects.update_or_create(user=user, defaults={"email_mode": mode})
            for kind in kinds():
                NotificationPreference.objects.update_or_create(
                    user=user,
                    kind=kind.code,
                    defaults={
                        "enabled": request.POST.get(f"enabled:{kind.code}") == "on",
                        "email": request.POST.get(f"email:{kind.code}") == "on",
                    },
                )
        messages.success(request, _("Notification settings saved."))
        return redirect("notification-preferences")
