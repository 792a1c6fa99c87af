"""Background tasks of notifications (run by the Huey worker; immediately in tests)."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from peiyu.core.notifications import delivery


@db_task()
def deliver_notification(**payload):
    return len(delivery.deliver(**payload))


@db_periodic_task(crontab(hour="8", minute="0"))
def send_daily_digests():
    """Every morning at 08:00 (TIME_ZONE), the digest e-mails."""
    return delivery.send_digests()
