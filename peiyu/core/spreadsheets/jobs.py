"""Long imports and exports run in a background thread and report progress through the cache
(shared by every worker process); pages poll it with HTMX. Small files run inline, in the request.

A job that dies with its process leaves its state "running" with an old heartbeat; `state` reports
it as failed after a minute of silence. The work itself is one database transaction, so a killed
import leaves nothing half-written.
"""

import logging
import threading
import time

from django.core.cache import cache
from django.db import connections
from django.utils.translation import gettext as _

log = logging.getLogger(__name__)
RUNNING, DONE, FAILED = "running", "done", "failed"
STALE_AFTER = 60
TIMEOUT = 24 * 3600


def key(job: str) -> str:
    return f"peiyu:job:{job}"


class Progress:
    """The callback a job's work calls with (phase, done, total); writes at most twice a second."""

    def __init__(self, job: str):
        self.job = job
        self.last = 0.0

    def __call__(self, phase: str, done: int, total: int) -> None:
        now = time.monotonic()
        if now - self.last >= 0.5 or done == total:
            self.last = now
            update(self.job, state=RUNNING, phase=phase, done=done, total=total)


def update(job: str, **values) -> None:
    state = cache.get(key(job)) or {}
    state.update(values, heartbeat=time.time())
    cache.set(key(job), state, TIMEOUT)


def state(job: str) -> dict | None:
    current = cache.get(key(job))
    if current and current.get("state") == RUNNING and time.time() - current.get("heartbeat", 0) > STALE_AFTER:
        current = {**current, "state": FAILED, "error": _("The job stopped unexpectedly; nothing was written. Start it again.")}
    return current


def start(job: str, work, inline: bool) -> None:
    """Run `work(progress)`; its return value (JSON-safe) is kept as the job's result."""
    update(job, state=RUNNING, phase="", done=0, total=0, result=None, error="")
    if inline:
        run(job, work)
        return
    thread = threading.Thread(target=run, args=(job, work, True), name=f"peiyu-job-{job}", daemon=True)
    thread.start()


def run(job: str, work, own_connection: bool = False) -> None:
    try:
        result = work(Progress(job))
        update(job, state=DONE, result=result)
    except Exception as exc:  # the page must learn that the job failed, whatever the cause
        # the message is for the administrators' log; users get a plain sentence, not Python's text
        log.exception("job %s failed: %s", job, exc)
        update(job, state=FAILED, error=_("The job failed unexpectedly; nothing was written. The cause has been logged for the administrators."))
    finally:
        if own_connection:
            connections.close_all()
