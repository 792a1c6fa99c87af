"""Starting, running, retrying and sweeping jobs.

A job is a `Job` row plus one Huey message carrying its id. The worker claims the row (queued →
running), runs the kind's function and stores the outcome. While it runs, a lease thread renews a
heartbeat in the shared cache every few seconds and progress goes to the cache too (never the
database: an import holds its one write transaction for the whole commit). A worker that dies —
killed, out of memory, its host gone — stops renewing; the periodic sweep marks its job failed with a
reason. The work itself is one transaction, so nothing half-written remains; retrying is explicit.
"""

import logging
import os
import socket
import threading
import time

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from huey.contrib.djhuey import HUEY, db_task

from peiyu.core.jobs import kinds
from peiyu.core.models import Job

log = logging.getLogger("peiyu.jobs")
WORKER_ID = f"{socket.gethostname()}:{os.getpid()}"
LEASE_BEAT = 5  # seconds between heartbeats of a running job
PROGRESS_EVERY = 0.5  # seconds between progress writes
WORKER_KEY = "peiyu:worker-heartbeat"


class JobError(Exception):
    """A failure the user should read as it is (already a translated sentence)."""

    def __init__(self, message):
        super().__init__(message)
        self.message = str(message)


def beat_key(job_id: int) -> str:
    return f"peiyu:job:{job_id}:beat"


def progress_key(job_id: int) -> str:
    return f"peiyu:job:{job_id}:progress"


# — starting —————————————————————————————————————————————————————————————————————————————

def start(kind: str, user, params: dict, key: str = "") -> Job:
    """Record a job and queue it; the worker runs it once the row is committed."""
    job = Job.objects.create(kind=kind, user=user if user and user.pk else None, params=params, key=key, language=current_language())
    enqueue(job.pk)
    return job


def retry(job: Job) -> bool:
    """Queue a failed job again (a new attempt with the same parameters)."""
    queued = Job.objects.filter(pk=job.pk, state=Job.State.FAILED).update(
        state=Job.State.QUEUED, error="", finished=None, started=None, phase="", done=0, total=0)
    if queued:
        enqueue(job.pk)
    return bool(queued)


def run_here(kind: str, user, params: dict) -> Job:
    """Record a job and run it in this process (the command line's synchronous path)."""
    job = Job.objects.create(kind=kind, user=user, params=params, language=current_language())
    execute(job.pk)
    job.refresh_from_db()
    return job


def current_language() -> str:
    return translation.get_language() or settings.LANGUAGE_CODE


def enqueue(job_id: int) -> None:
    if HUEY.immediate or not connection.in_atomic_block:
        run_job(job_id)
    else:
        transaction.on_commit(lambda: run_job(job_id))


@db_task(name="peiyu.run_job")
def run_job(job_id: int) -> None:
    execute(job_id)


# — running ———————————————————————————————————————————————————————————————————————————————

def execute(job_id: int) -> None:
    """Claim and run one job; a job already claimed (a duplicate message) is left alone."""
    claimed = Job.objects.filter(pk=job_id, state=Job.State.QUEUED).update(
        state=Job.State.RUNNING, started=timezone.now(), worker=WORKER_ID[:120], attempts=F("attempts") + 1)
    if not claimed:
        return
    job = Job.objects.select_related("user").get(pk=job_id)
    found = kinds.get(job.kind)
    began = time.monotonic()
    with Lease(job.pk), translation.override(job.language or settings.LANGUAGE_CODE):
        try:
            if found is None:
                raise JobError(_("This kind of job is not known to the worker."))
            result = found.work(job, Progress(job.pk)) or {}
        except JobError as exc:
            finish(job, Job.State.FAILED, error=exc.message)
        except Exception:  # any failure must reach the user as a failed job, not a silent stop
            # Python's text is for the administrators' log; the user gets a plain sentence.
            log.exception("job %s failed", job.pk)
            finish(job, Job.State.FAILED, error=_("The job failed unexpectedly; nothing was written. The cause has been logged for the administrators."))
        else:
            finish(job, Job.State.DONE, result=result)
    log.info("job finished", extra={"job": job.pk, "kind": job.kind, "state": job.state, "user": job.user_id,
                                    "attempt": job.attempts, "seconds": round(time.monotonic() - began, 3)})


def finish(job: Job, state: str, result: dict | None = None, error: str = "") -> None:
    last = cache.get(progress_key(job.pk)) or {}
    job.state, job.error, job.finished = state, error, timezone.now()
    job.result = result if result is not None else job.result
    job.phase, job.done, job.total = last.get("phase", ""), last.get("done", 0), last.get("total", 0)
    job.save(update_fields=["state", "error", "finished", "result", "result_file", "result_name", "phase", "done", "total"])
    cache.delete_many([progress_key(job.pk), beat_key(job.pk)])


class Progress:
    """The callback a job's work calls with (phase, done, total); writes at most twice a second,
    but always a new phase and the end of one."""

    def __init__(self, job_id: int):
        self.job_id = job_id
        self.last = 0.0
        self.phase = None

    def __call__(self, phase: str, done: int, total: int) -> None:
        now = time.monotonic()
        if now - self.last >= PROGRESS_EVERY or done == total or phase != self.phase:
            self.last, self.phase = now, phase
            cache.set(progress_key(self.job_id), {"phase": phase, "done": done, "total": total}, 24 * 3600)


class Lease:
    """Renews a running job's heartbeat from a side thread until the work ends."""

    def __init__(self, job_id: int):
        self.job_id = job_id
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self.renew, name=f"peiyu-lease-{job_id}", daemon=True)

    def renew(self) -> None:
        while True:
            cache.set(beat_key(self.job_id), time.time(), 24 * 3600)
            if self.stopped.wait(LEASE_BEAT):
                return

    def __enter__(self):
        cache.set(beat_key(self.job_id), time.time(), 24 * 3600)
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stopped.set()
        self.thread.join()


def live_progress(job: Job) -> dict:
    """Phase, done and total: from the cache while running, else as stored."""
    if job.state == Job.State.RUNNING:
        current = cache.get(progress_key(job.pk))
        if current:
            return current
    return {"phase": job.phase, "done": job.done, "total": job.total}


# — lost workers ——————————————————————————————————————————————————————————————————————————

def sweep_stale(jobs=None) -> int:
    """Mark failed every running job (of `jobs`, default all) whose worker stopped renewing its lease."""
    limit = settings.PEIYU_JOB_STALE_SECONDS
    candidates = (Job.objects.all() if jobs is None else jobs).filter(
        state=Job.State.RUNNING, started__lt=timezone.now() - timezone.timedelta(seconds=limit))
    count = 0
    for job in candidates:
        beat = cache.get(beat_key(job.pk))
        if beat is not None and time.time() - beat <= limit:
            continue
        with translation.override(job.language or settings.LANGUAGE_CODE):
            message = _("The worker running this job stopped (it was ended or its machine restarted); nothing "
                        "was written. Retry the job to run it again.")
        count += Job.objects.filter(pk=job.pk, state=Job.State.RUNNING).update(
            state=Job.State.FAILED, error=message, finished=timezone.now())
        log.warning("job lost its worker", extra={"job": job.pk, "kind": job.kind, "worker": job.worker})
    return count


def beat_worker() -> None:
    """Tell /healthz a worker is alive (called every few seconds by `peiyu worker`)."""
    cache.set(WORKER_KEY, {"time": time.time(), "worker": WORKER_ID}, 3600)


def worker_seen() -> dict | None:
    return cache.get(WORKER_KEY)


# — pages that started a job by key ————————————————————————————————————————————————————————

def state(key: str) -> dict | None:
    """The latest job started under `key`, as the import and export pages show it: state (queued
    counts as running), phase, done, total, result and error."""
    job = Job.objects.filter(key=key).order_by("-pk").first()
    if job is None:
        return None
    if job.state == Job.State.RUNNING and sweep_stale(Job.objects.filter(pk=job.pk)):
        job.refresh_from_db()
    shown = Job.State.RUNNING if job.is_active else job.state
    return {"state": shown, **live_progress(job), "result": job.result, "error": job.error, "job": job.pk}
