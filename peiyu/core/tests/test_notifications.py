"""Notifications: delivered by the job queue (never inside the request), to the inbox and by
e-mail per preferences, only to users who can see the object, each with its reason."""

import pytest
from django.core import mail
from django.urls import reverse

from peiyu.core.models import EmailMode, Notification, NotificationPreference, NotificationSettings
from peiyu.core.notifications import notify, register_kind
from peiyu.core.notifications.delivery import send_digests
from peiyu.core.notifications.tasks import send_daily_digests

KIND = "test.expiring"
QUIET = "test.quiet"


@pytest.fixture(autouse=True)
def kinds():
    register_kind(KIND, "资质即将到期", default_email=True)
    register_kind(QUIET, "信息变更", default_email=False)


@pytest.fixture
def emails(users):
    for name in ("bureau", "town_a", "town_b", "ent_a"):
        users[name].email = f"{name}@example.gov.cn"
        users[name].save()
    return users


def send(recipients, source, capture, **extra):
    with capture(execute=True):
        notify(KIND, recipients, title="高新技术企业证书即将到期", body="证书将于2026-12-31到期。", source=source,
               reason="你负责该企业所在单元", **extra)


def test_delivery_records_why_and_sends_email(emails, enterprises, django_capture_on_commit_callbacks, settings):
    settings.PEIYU_SITE_URL = "https://peiyu.example.gov.cn"
    send([emails["town_a"]], enterprises["a"], django_capture_on_commit_callbacks)
    note = Notification.objects.get()
    assert (note.recipient, note.kind, note.reason, note.source) == (emails["town_a"], KIND, "你负责该企业所在单元", enterprises["a"])
    assert note.url == enterprises["a"].get_absolute_url()
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["town_a@example.gov.cn"]
    assert "你负责该企业所在单元" in mail.outbox[0].body
    assert "https://peiyu.example.gov.cn" + enterprises["a"].get_absolute_url() in mail.outbox[0].body
    assert note.emailed_at is not None


def test_nothing_is_delivered_until_the_request_transaction_commits(emails, enterprises, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notify(KIND, [emails["town_a"]], title="t", source=enterprises["a"], reason="r")
    assert not Notification.objects.exists() and len(callbacks) == 1


def test_only_users_who_can_see_the_object_receive_it(emails, enterprises, django_capture_on_commit_callbacks):
    send([emails["town_a"], emails["town_b"], emails["bureau"], emails["ent_a"], emails["expert"]], enterprises["a"],
         django_capture_on_commit_callbacks)
    assert set(Notification.objects.values_list("recipient__username", flat=True)) == {"town_a", "bureau", "ent_a"}
    assert sorted(m.to[0] for m in mail.outbox) == ["bureau@example.gov.cn", "ent_a@example.gov.cn", "town_a@example.gov.cn"]


def test_preferences_mute_a_kind_or_its_email(emails, enterprises, django_capture_on_commit_callbacks):
    NotificationPreference.objects.create(user=emails["town_a"], kind=KIND, enabled=False)
    NotificationPreference.objects.create(user=emails["bureau"], kind=KIND, enabled=True, email=False)
    NotificationSettings.objects.create(user=emails["ent_a"], email_mode=EmailMode.OFF)
    send([emails["town_a"], emails["bureau"], emails["ent_a"]], enterprises["a"], django_capture_on_commit_callbacks)
    assert set(Notification.objects.values_list("recipient__username", flat=True)) == {"bureau", "ent_a"}
    assert mail.outbox == []


def test_kinds_without_default_email_stay_in_the_inbox(emails, enterprises, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notify(QUIET, [emails["town_a"]], title="联系人已变更", source=enterprises["a"], reason="r")
    assert Notification.objects.count() == 1 and mail.outbox == []


def test_daily_digest_collects_unread_into_one_email(emails, enterprises, django_capture_on_commit_callbacks):
    NotificationSettings.objects.create(user=emails["town_a"], email_mode=EmailMode.DIGEST)
    send([emails["town_a"]], enterprises["a"], django_capture_on_commit_callbacks)
    send([emails["town_a"]], enterprises["a"], django_capture_on_commit_callbacks)
    assert mail.outbox == []  # digest users get no single e-mails
    send_daily_digests()  # the periodic task, run at once in tests
    assert len(mail.outbox) == 1 and "2" in mail.outbox[0].subject
    assert mail.outbox[0].body.count("高新技术企业证书即将到期") == 2
    assert send_digests() == 0  # already e-mailed


def test_undeclared_kind_fails_at_the_caller(users):
    with pytest.raises(LookupError):
        notify("no.such.kind", [users["bureau"]], title="x")


def test_bell_list_and_mark_read(emails, enterprises, client_for, django_capture_on_commit_callbacks):
    send([emails["town_a"]], enterprises["a"], django_capture_on_commit_callbacks)
    send([emails["town_a"]], enterprises["a"], django_capture_on_commit_callbacks)
    client = client_for(emails["town_a"])
    page = client.get(reverse("dashboard")).content.decode()
    assert 'data-unread="2"' in page
    inbox = client.get(reverse("notification-list")).content.decode()
    assert "资质即将到期" in inbox and "你负责该企业所在单元" in inbox
    first = Notification.objects.order_by("pk").first()
    response = client.post(reverse("notification-open", args=[first.pk]), {"go": "1"})
    assert response.status_code == 302 and response["Location"] == enterprises["a"].get_absolute_url()
    assert 'data-unread="1"' in client.get(reverse("notification-list")).content.decode()
    client.post(reverse("notification-read-all"))
    assert not Notification.objects.filter(read_at__isnull=True).exists()


def test_nobody_reads_or_marks_another_users_notifications(emails, enterprises, client_for, django_capture_on_commit_callbacks):
    send([emails["town_a"]], enterprises["a"], django_capture_on_commit_callbacks)
    note = Notification.objects.get()
    client = client_for(emails["bureau"])
    assert client.post(reverse("notification-open", args=[note.pk])).status_code == 404
    assert "高新技术企业证书即将到期" not in client.get(reverse("notification-list")).content.decode()
    note.refresh_from_db()
    assert note.read_at is None


def test_preferences_page_saves_choices(emails, client_for):
    client = client_for(emails["town_a"])
    page = client.get(reverse("notification-preferences")).content.decode()
    assert "资质即将到期" in page and "信息变更" in page
    client.post(reverse("notification-preferences"), {"email_mode": "digest", f"enabled:{KIND}": "on", f"enabled:{QUIET}": "on", f"email:{QUIET}": "on"})
    assert NotificationSettings.objects.get(user=emails["town_a"]).email_mode == "digest"
    prefs = {p.kind: (p.enabled, p.email) for p in NotificationPreference.objects.filter(user=emails["town_a"])}
    assert prefs[KIND] == (True, False) and prefs[QUIET] == (True, True)


def test_a_failing_mail_server_does_not_stop_inbox_delivery(emails, enterprises, django_capture_on_commit_callbacks, monkeypatch):
    from peiyu.core.notifications import delivery

    def refuse(*args, **kwargs):
        raise ConnectionRefusedError("SMTP down")

    monkeypatch.setattr(delivery, "send_mail", refuse)
    send([emails["town_a"], emails["bureau"]], enterprises["a"], django_capture_on_commit_callbacks)
    assert Notification.objects.filter(emailed_at__isnull=True).count() == 2
