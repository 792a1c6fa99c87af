"""Real workers: `peiyu worker` processes on a SQLite platform in a temporary folder, with the
embedded SQLite queue and (when a Redis server answers on 127.0.0.1:6379, database 7) the Redis
queue. A job started in a request runs in the worker and reports progress; a worker killed with
SIGKILL in the middle of an import commit leaves the database unchanged and the job failed with a
reason once its lease runs out."""

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

REDIS_URL = os.environ.get("PEIYU_TEST_REDIS_URL", "redis://127.0.0.1:6379/7")
STALE_SECONDS = 3

SETUP = """
import django
django.setup()
from peiyu.core.choices import Role
from peiyu.core.testing import make_district, make_enterprise, make_user
units = make_district()
make_user("bureau", Role.BUREAU, units["district"])
for n in range(30):
    make_enterprise(units["town_a"], f"原有企业{n:02d}")
"""

EXPORT_FROM_A_REQUEST = """
import django
django.setup()
from django.test import Client
from peiyu.core.models import User
client = Client()
client.force_login(User.objects.get(username="bureau"))
response = client.get("/enterprises/export/", {"format": "csv"})
assert response.status_code == 302, response.status_code
print(response.url.strip("/").split("/")[-1])
"""

START_BIG_IMPORT = """
import csv, io, sys, django
django.setup()
from django.core.files.uploadedfile import SimpleUploadedFile
from peiyu.core.models import User
from peiyu.core.spreadsheets import uploads
from peiyu.core.testing import make_uscc
from peiyu.enterprises import views_io
rows = int(sys.argv[1])
text = io.StringIO()
out = csv.writer(text)
out.writerow(["统一社会信用代码", "企业名称", "年度", "所属单位", "营业收入(万元)", "研发费用(万元)", "职工总数(人)"])
for n in range(rows):
    out.writerow([make_uscc(500000 + n), f"新企业{n:06d}", 2024, "张贵庄街道", 1000 + n, 50, 20])
user = User.objects.get(username="bureau")
upload = uploads.save(SimpleUploadedFile("大文件.csv", text.getvalue().encode("utf-8")), user, {"kind": "years"})
views_io.start_import(upload, user, dry_run=False)
from peiyu.core.models import Job
print(Job.objects.latest("pk").pk)
"""


def redis_answers() -> bool:
    try:
        import redis

        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
        return True
    except Exception:
        return False


@pytest.fixture(scope="module")
def base_site(tmp_path_factory):
    """A migrated platform with a district, a bureau user and 30 enterprises, made once."""
    folder = tmp_path_factory.mktemp("site")
    env = site_env(folder)
    subprocess.run([sys.executable, "-m", "peiyu", "migrate", "-v0"], env=env, check=True, timeout=300)
    subprocess.run([sys.executable, "-c", SETUP], env=env, check=True, timeout=120)
    return folder


@pytest.fixture
def site(base_site, tmp_path):
    """A fresh copy of the base platform for one test."""
    folder = tmp_path / "site"
    shutil.copytree(base_site, folder)
    return folder


def site_env(folder: Path, redis: bool = False) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL", "PEIYU_JOBS_IMMEDIATE")}
    env |= {"PEIYU_VAR_DIR": str(folder), "DATABASE_URL": f"sqlite:///{folder / 'db.sqlite3'}", "DEBUG": "1",
            "DJANGO_SETTINGS_MODULE": "peiyu.settings", "PEIYU_JOB_STALE_SECONDS": str(STALE_SECONDS),
            "PEIYU_QUEUE_NAME": f"peiyu-test-{os.getpid()}-{folder.parent.name}"}
    if redis:
        env["REDIS_URL"] = REDIS_URL
    return env


def script(code: str, env: dict, *args) -> str:
    done = subprocess.run([sys.executable, "-c", code, *map(str, args)], env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip().splitlines()[-1]


def job_row(folder: Path, job_id) -> dict:
    with sqlite3.connect(folder / "db.sqlite3", timeout=30) as db:
        db.row_factory = sqlite3.Row
        return dict(db.execute("SELECT * FROM core_job WHERE id = ?", [int(job_id)]).fetchone())


def count(folder: Path, table: str) -> int:
    with sqlite3.connect(folder / "db.sqlite3", timeout=30) as db:
        return db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]


def wait_for(condition, seconds: float, what: str):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def start_worker(env: dict) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "peiyu", "worker", "-w", "1"], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


def stop(worker: subprocess.Popen) -> str:
    if worker.poll() is None:
        worker.send_signal(signal.SIGINT)
        try:
            worker.wait(20)
        except subprocess.TimeoutExpired:
            worker.kill()
    return worker.stderr.read()


def file_cache_get(folder: Path, key: str):
    from django.core.cache.backends.filebased import FileBasedCache

    return FileBasedCache(str(folder / "cache"), {}).get(key)


@pytest.mark.parametrize("queue", ["sqlite", "redis"])
def test_job_started_in_a_request_runs_in_the_worker(site, queue):
    if queue == "redis" and not redis_answers():
        assert not os.environ.get("PEIYU_TEST_REQUIRE_REDIS"), "no Redis server at " + REDIS_URL
        pytest.skip("no Redis server at " + REDIS_URL)
    env = site_env(site, redis=queue == "redis")
    job_id = script(EXPORT_FROM_A_REQUEST, env)
    assert job_row(site, job_id)["state"] == "queued"  # nothing runs in the web process
    worker = start_worker(env)
    try:
        row = wait_for(lambda: (r := job_row(site, job_id))["state"] in ("done", "failed") and r, 90, "the export job")
    finally:
        log = stop(worker)
    assert row["state"] == "done", (row["error"], log)
    assert (row["phase"], row["done"], row["total"], row["attempts"]) == ("writing", 30, 30, 1)
    assert row["worker"].endswith(f":{worker.pid}")
    exported = (site / "media" / row["result_file"]).read_text("utf-8-sig")
    assert exported.count("原有企业") == 30 and row["result_name"].endswith(".csv")


def test_killed_worker_leaves_nothing_half_written_and_the_job_failed(site):
    env = site_env(site)
    enterprises_before = count(site, "enterprises_enterprise")
    job_id = script(START_BIG_IMPORT, env, 20000)
    worker = start_worker(env)
    progress_key = f"peiyu:job:{job_id}:progress"
    try:
        def writing():
            assert job_row(site, job_id)["state"] in ("queued", "running"), "the import ended before it could be killed"
            return (file_cache_get(site, progress_key) or {}).get("phase") == "writing"

        wait_for(writing, 240, "the commit to start writing")
        time.sleep(0.5)
        worker.send_signal(signal.SIGKILL)
        worker.wait(20)
    finally:
        stop(worker)
    assert worker.returncode == -signal.SIGKILL
    assert job_row(site, job_id)["state"] == "running"  # nobody said otherwise yet
    assert count(site, "enterprises_enterprise") == enterprises_before
    assert count(site, "enterprises_enterpriseyear") == 0 and count(site, "core_importbatch") == 0
    time.sleep(STALE_SECONDS + 1)
    swept = subprocess.run([sys.executable, "-m", "peiyu", "jobs", "run", "sweep-stale-jobs"], env=env, capture_output=True, text=True, timeout=120)
    assert swept.returncode == 0, swept.stderr
    row = job_row(site, job_id)
    assert row["state"] == "failed" and row["finished"] is not None
    assert row["error"] == "处理该任务的进程已停止(可能被终止或所在机器重启),没有写入任何数据。请重试该任务。"
    assert count(site, "enterprises_enterprise") == enterprises_before
