"""GET /healthz for load balancers and monitoring: the database, the cache, the job queue and a
worker's heartbeat, as JSON; 200 when all are well, 503 naming what is not."""

import time

from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache

from peiyu.core.jobs import runner

WORKER_SILENT_AFTER = 60  # seconds without a heartbeat before the worker check fails


def check_database() -> dict:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return {}


def check_cache() -> dict:
    from django.core.cache import cache

    token = str(time.time())
    cache.set("peiyu:healthz", token, 30)
    if cache.get("peiyu:healthz") != token:
        raise RuntimeError("cache did not return the value just written")
    return {}


def check_queue() -> dict:
    from huey.contrib.djhuey import HUEY

    return {"pending": HUEY.pending_count()}


def check_worker() -> dict:
    seen = runner.worker_seen()
    if not seen:
        raise RuntimeError("no worker heartbeat")
    age = time.time() - seen["time"]
    if age > WORKER_SILENT_AFTER:
        raise RuntimeError(f"last worker heartbeat {age:.0f} s ago")
    return {"last_seen_seconds": round(age, 1), "worker": seen["worker"]}


CHECKS = {"database": check_database, "cache": check_cache, "queue": check_queue, "worker": check_worker}


def run_checks() -> dict:
    results = {}
    for name, check in CHECKS.items():
        began = time.perf_counter()
        try:
            results[name] = {"ok": True, **check()}
        except Exception as exc:  # a health check reports every failure instead of raising
            results[name] = {"ok": False, "error": str(exc)[:200] or exc.__class__.__name__}
        results[name]["ms"] = round((time.perf_counter() - began) * 1000, 1)
    return results


@never_cache
def healthz(request):
    checks = run_checks()
    healthy = all(check["ok"] for check in checks.values())
    return JsonResponse({"status": "ok" if healthy else "fail", "checks": checks}, status=200 if healthy else 503)
