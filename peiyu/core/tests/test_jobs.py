"""Jobs: running, progress, failure with a reason, explicit retry, lost workers, owner-only pages and
downloads, /healthz and the JSON log lines. Jobs run at once here (Huey's immediate mode, see
conftest); test_worker runs real consumers."""

import json
import logging
import time

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone, translation

from peiyu.core import jobs
from peiyu.core.jobs import kinds, runner
from peiyu.core.models import Job

pytestmark = pytest.mark.usefixtures("english_uploads")


@pytest.fixture
def sample_kinds():
    """Three kinds for these tests: one that writes a file with progress, one that fails with a
    sentence for the user, one that fails only on its first attempt."""

    def write(job, progress):
        for done in range(1, 4):
            progress("writing", done, 3)
        path = job.output_path(".txt")
        path.write_text("甲乙丙")
        job.result_file, job.result_name = str(path.relative_to(path.parents[2])), "结果.txt"
        return {"lines": 3}

    def refuse(job, progress):
        raise jobs.JobError(translation.gettext("Nothing was written: strict mode and the file has errors."))

    def flaky(job, progress):
        if job.attempts == 1:
            raise OSError("disk full")
        return {"ok": True}

    registered = {"test-write": write, "test-refuse": refuse, "test-flaky": flaky}
    for name, work in registered.items():
        jobs.kind(name, name, summary=lambda job: f"{job.result}")(work)
    yield registered
    for name in registered:
        kinds.KINDS.pop(name)


def test_job_runs_with_progress_result_file_and_timestamps(users, sample_kinds):
    job = jobs.start("test-write", users["bureau"], {"x": 1})
    job.refresh_from_db()
    assert (job.state, job.result, job.attempts, job.user) == ("done", {"lines": 3}, 1, users["bureau"])
    assert (job.phase, job.done, job.total) == ("writing", 3, 3)
    assert job.started <= job.finished and job.result_path.read_text() == "甲乙丙"
    assert job.worker == runner.WORKER_ID


def test_failures_keep_a_reason_in_the_users_language(users, sample_kinds):
    with translation.override("zh-hans"):
        refused = jobs.start("test-refuse", users["bureau"], {})
    refused.refresh_from_db()
    assert refused.state == "failed" and refused.error == "未写入任何数据：已选严格模式，且文件存在错误。"
    crashed = jobs.start("test-flaky", users["bureau"], {})
    crashed.refresh_from_db()
    assert crashed.state == "failed" and "disk full" not in crashed.error
    assert crashed.error == "The job failed unexpectedly; nothing was written. The cause has been logged for the administrators."


def test_retry_is_explicit_and_only_for_failed_jobs(client_for, users, sample_kinds):
    job = jobs.start("test-flaky", users["bureau"], {})
    client = client_for(users["bureau"])
    page = client.get(reverse("job-detail", args=[job.pk])).content.decode()
    assert "nothing was written" in page and "disk full" not in page and reverse("job-retry", args=[job.pk]) in page
    client.post(reverse("job-retry", args=[job.pk]))
    job.refresh_from_db()
    assert (job.state, job.attempts, job.error, job.result) == ("done", 2, "", {"ok": True})
    response = client.post(reverse("job-retry", args=[job.pk]), follow=True)
    assert "Only a failed job can be retried." in response.content.decode()
    job.refresh_from_db()
    assert job.attempts == 2


def test_pages_and_downloads_are_for_the_owner_only(client_for, users, sample_kinds):
    job = jobs.start("test-write", users["town_a"], {})
    owner = client_for(users["town_a"])
    listing = owner.get(reverse("job-list")).content.decode()
    assert reverse("job-download", args=[job.pk]) in listing and "{&#x27;lines&#x27;: 3}" in listing
    download = owner.get(reverse("job-download", args=[job.pk]))
    assert b"".join(download.streaming_content) == "甲乙丙".encode() and "%E7%BB%93%E6%9E%9C.txt" in download["Content-Disposition"]
    other = client_for(users["town_b"])
    for name in ("job-detail", "job-row", "job-download"):
        assert other.get(reverse(name, args=[job.pk])).status_code == 404, name
    assert other.post(reverse("job-retry", args=[job.pk])).status_code == 404
    assert reverse("job-detail", args=[job.pk]) not in other.get(reverse("job-list")).content.decode()
    assert client_for(users["admin"]).get(reverse("job-download", args=[job.pk])).status_code == 200


def test_running_job_polls_and_shows_live_progress(client_for, users, sample_kinds):
    job = Job.objects.create(kind="test-write", user=users["bureau"], state=Job.State.RUNNING, started=timezone.now())
    cache.set(runner.progress_key(job.pk), {"phase": "writing", "done": 250, "total": 1000})
    client = client_for(users["bureau"])
    row = client.get(reverse("job-row", args=[job.pk])).content.decode()
    assert 'hx-trigger="every 2s"' in row and "250 / 1000" in row and "width: 25%" in row
    card = client.get(reverse("job-detail", args=[job.pk]), HTTP_HX_REQUEST="true").content.decode()
    assert 'hx-trigger="every 1s"' in card and "25%" in card
    Job.objects.filter(pk=job.pk).update(state=Job.State.DONE, done=1000, total=1000)
    assert "hx-trigger" not in client.get(reverse("job-row", args=[job.pk])).content.decode()


def test_a_job_whose_worker_stopped_is_failed_with_a_reason(settings, users):
    settings.PEIYU_JOB_STALE_SECONDS = 60
    long_ago = timezone.now() - timezone.timedelta(minutes=5)
    lost = Job.objects.create(kind="enterprise-export", user=users["bureau"], state=Job.State.RUNNING, started=long_ago, language="en")
    lost_chinese = Job.objects.create(kind="enterprise-export", user=users["bureau"], state=Job.State.RUNNING, started=long_ago)
    alive = Job.objects.create(kind="enterprise-export", user=users["bureau"], state=Job.State.RUNNING, started=long_ago)
    cache.set(runner.beat_key(alive.pk), time.time())
    just_started = Job.objects.create(kind="enterprise-export", user=users["bureau"], state=Job.State.RUNNING, started=timezone.now())
    assert runner.sweep_stale() == 2
    states = dict(Job.objects.values_list("pk", "state"))
    assert (states[lost.pk], states[alive.pk], states[just_started.pk]) == ("failed", "running", "running")
    lost.refresh_from_db()
    lost_chinese.refresh_from_db()
    assert lost.error.startswith("The worker running this job stopped") and lost.finished is not None
    assert lost_chinese.error.startswith("处理该任务的进程已停止")


def test_state_by_key_treats_queued_as_running(users, sample_kinds):
    job = Job.objects.create(kind="test-write", user=users["bureau"], key="abc-preview")
    assert runner.state("abc-preview")["state"] == jobs.RUNNING and runner.state("missing") is None
    runner.execute(job.pk)
    assert runner.state("abc-preview") | {"job": 0} == {"state": "done", "phase": "writing", "done": 3, "total": 3,
                                                         "result": {"lines": 3}, "error": "", "job": 0}


def test_unknown_kind_fails_clearly(users):
    job = jobs.start("no-such-kind", users["bureau"], {})
    job.refresh_from_db()
    assert job.state == "failed" and job.error == "This kind of job is not known to the worker."


# — /healthz ————————————————————————————————————————————————————————————————————————————

def test_healthz_reports_every_check(client, db):
    runner.beat_worker()
    response = client.get("/healthz")
    body = response.json()
    assert response.status_code == 200 and body["status"] == "ok"
    assert set(body["checks"]) == {"database", "cache", "queue", "worker"}
    assert all(check["ok"] for check in body["checks"].values()) and body["checks"]["queue"]["pending"] == 0
    assert body["checks"]["worker"]["worker"] == runner.WORKER_ID


def test_healthz_is_503_without_a_worker_heartbeat_or_a_database(client, db, monkeypatch):
    response = client.get("/healthz")
    assert response.status_code == 503 and response.json()["checks"]["worker"] == {
        "ok": False, "error": "no worker heartbeat", "ms": response.json()["checks"]["worker"]["ms"]}
    cache.set(runner.WORKER_KEY, {"time": time.time() - 300, "worker": "h:1"})
    assert "300 s ago" in client.get("/healthz").json()["checks"]["worker"]["error"]
    runner.beat_worker()
    from peiyu.core import health

    def broken():
        raise RuntimeError("connection refused")

    monkeypatch.setitem(health.CHECKS, "database", broken)
    response = client.get("/healthz")
    assert response.status_code == 503 and response.json()["checks"]["database"]["error"] == "connection refused"


# — structured logs ———————————————————————————————————————————————————————————————————————

def json_handler(settings):
    """A handler built like the one settings.LOGGING uses when PEIYU_LOG_FORMAT=json."""
    from pythonjsonlogger.json import JsonFormatter

    options = {k: v for k, v in settings.LOGGING["formatters"]["json"].items() if k != "()"}
    lines = []
    handler = logging.Handler()
    handler.setFormatter(JsonFormatter(**options))
    handler.emit = lambda record: lines.append(json.loads(handler.format(record)))
    return handler, lines


@pytest.mark.parametrize("logger_name", ["peiyu.request", "peiyu.jobs"])
def test_json_lines_per_request_and_per_job(settings, client_for, users, sample_kinds, logger_name):
    handler, lines = json_handler(settings)
    logger = logging.getLogger(logger_name)
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    try:
        if logger_name == "peiyu.request":
            client_for(users["bureau"]).get(reverse("job-list"))
            [line] = lines
            assert (line["message"], line["method"], line["path"], line["status"], line["user"]) == (
                "request", "GET", "/jobs/", 200, users["bureau"].pk)
            assert line["logger"] == "peiyu.request" and line["level"] == "INFO" and line["ms"] >= 0 and "time" in line
        else:
            job = jobs.start("test-write", users["bureau"], {})
            [line] = lines
            assert (line["message"], line["job"], line["kind"], line["state"], line["attempt"]) == (
                "job finished", job.pk, "test-write", "done", 1)
    finally:
        logger.removeHandler(handler)
        logger.setLevel(logging.NOTSET)


def test_json_logging_is_configured_from_the_environment(tmp_path):
    import subprocess
    import sys

    code = "import logging, django; django.setup(); logging.getLogger('peiyu.request').info('request', extra={'path': '/x'})"
    env = {"PEIYU_LOG_FORMAT": "json", "PEIYU_VAR_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "peiyu.settings", "PATH": "/usr/bin:/bin"}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)
    line = json.loads(out.stderr.strip().splitlines()[-1])
    assert (line["message"], line["path"], line["logger"], line["level"]) == ("request", "/x", "peiyu.request", "INFO")


def test_progress_always_records_a_new_phase(db):
    progress = runner.Progress(1)
    progress("checking", 1, 40000)
    progress("checking", 2, 40000)  # within half a second: not written
    assert cache.get(runner.progress_key(1)) == {"phase": "checking", "done": 1, "total": 40000}
    progress("writing", 0, 40000)  # a new phase always is
    assert cache.get(runner.progress_key(1)) == {"phase": "writing", "done": 0, "total": 40000}
