"""Sending: `notify` queues a task; the task decides per recipient (preferences, scope), stores the
inbox entry and sends e-mail. Nothing is delivered inside the web request."""

import logging

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from peiyu.core.models import EmailMode, Notification, NotificationPreference, NotificationSettings, User
from peiyu.core.notifications.registry import get_kind

logger = logging.getLogger(__name__)


def notify(kind: str, recipients, title: str, body: str = "", source=None, reason: str = "", url: str = "") -> None:
    """Queue a notification of a registered `kind` to `recipients` (users or ids) about `source`.
    `reason` says why these people get it; `url` defaults to the source's page. Sent once the
    surrounding transaction commits, by the job queue."""
    get_kind(kind)  # fail at the caller on an undeclared kind
    if not url and source is not None and hasattr(source, "get_absolute_url"):
        url = source.get_absolute_url()
    ct_id = ContentType.objects.get_for_model(source, for_concrete_model=True).pk if source is not None else None
    payload = dict(
        kind=kind,
        recipient_ids=sorted({getattr(r, "pk", r) for r in recipients}),
        title=str(title),
        body=str(body),
        url=url,
        reason=str(reason),
        content_type_id=ct_id,
        object_id=source.pk if source is not None else None,
    )
    from peiyu.core.notifications.tasks import deliver_notification

    transaction.on_commit(lambda: deliver_notification(**payload))


def wants(user: User, kind: str) -> tuple[bool, bool]:
    """(receive at all, e-mail each one) for this user and kind, after their preferences."""
    default = get_kind(kind)
    pref = NotificationPreference.objects.filter(user=user, kind=kind).first()
    if pref is None:
        return True, default.default_email
    return pref.enabled, pref.enabled and pref.email


def email_mode(user: User) -> str:
    settings_row = NotificationSettings.objects.filter(user=user).first()
    return settings_row.email_mode if settings_row else EmailMode.IMMEDIATE


def can_see(user: User, source) -> bool:
    """A notification about an object goes only to users who can see it (scoped models); other
    objects are for the recipients the sender chose."""
    if source is None:
        return user.is_active
    manager = type(source)._default_manager
    if not hasattr(manager.all(), "for_user"):
        return user.is_active
    return manager.all().for_user(user).filter(pk=source.pk).exists()


def deliver(kind, recipient_ids, title, body, url, reason, content_type_id, object_id) -> list[Notification]:
    source = None
    if content_type_id is not None:
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        source = model._base_manager.filter(pk=object_id).first()
        if source is None:  # deleted before delivery: nobody can see it any more
            return []
    delivered = []
    for user in User.objects.filter(pk__in=recipient_ids, is_active=True):
        receive, email_each = wants(user, kind)
        if not (receive and can_see(user, source)):
            continue
        note = Notification.objects.create(
            recipient=user, kind=kind, title=title, body=body, url=url, reason=reason,
            content_type_id=content_type_id, object_id=object_id,
        )
        if email_each and user.email and email_mode(user) == EmailMode.IMMEDIATE:
            try:
                send_notification_email(note)
            except Exception:  # a mail server down must not cost the others their inbox entry
                logger.exception("E-mail of notification %s to %s failed", note.pk, user.email)
        delivered.append(note)
    return delivered


def send_notification_email(note: Notification) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        text = render_to_string("core/notifications/email.txt", {"notifications": [note], "digest": False, "site_url": settings.PEIYU_SITE_URL})
        send_mail(settings.EMAIL_SUBJECT_PREFIX + note.title, text, None, [note.recipient.email])
    Notification.objects.filter(pk=note.pk).update(emailed_at=timezone.now())


def send_digests() -> int:
    """One e-mail per digest user with their unread notifications not yet e-mailed. Returns how
    many e-mails went out."""
    sent = 0
    users = User.objects.filter(is_active=True, notification_settings__email_mode=EmailMode.DIGEST).exclude(email="")
    for user in users:
        notes = list(user.notifications.filter(read_at__isnull=True, emailed_at__isnull=True).order_by("created"))
        notes = [n for n in notes if wants_digest(user, n.kind)]
        if not notes:
            continue
        try:
            send_digest(user, notes)
        except Exception:  # try again tomorrow; the other users still get theirs
            logger.exception("Digest e-mail to %s failed", user.email)
            continue
        Notification.objects.filter(pk__in=[n.pk for n in notes]).update(emailed_at=timezone.now())
        sent += 1
    return sent


def send_digest(user: User, notes: list[Notification]) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        context = {"notifications": notes, "digest": True, "site_url": settings.PEIYU_SITE_URL}
        text = render_to_string("core/notifications/email.txt", context)
        subject = translation.gettext("Daily digest: %(count)d notifications") % {"count": len(notes)}
        send_mail(settings.EMAIL_SUBJECT_PREFIX + subject, text, None, [user.email])


def wants_digest(user: User, kind: str) -> bool:
    """Digest users get by e-mail the kinds they would otherwise get one e-mail each for."""
    try:
        return wants(user, kind)[1]
    except LookupError:  # a kind no longer declared
        return False
