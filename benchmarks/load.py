"""Load test of the scale-out setup on one machine: two gunicorn instances and two job workers on
PostgreSQL and Redis, driven by locust (headless) with the users of `load_users.py` — sign in,
dashboard, filtered lists, enterprise detail, evaluation page, export jobs through the workers, API.

    pip install -e '.[prod,bench]'
    python benchmarks/load.py                       # 100 users for 3 minutes (the README's figures)
    python benchmarks/load.py --users 20 --duration 30s

It migrates the database, loads the demo district when it is empty, collects static files, starts
everything on ports 8701/8702, waits for /healthz, runs locust, prints the figures per request type,
stops everything it started, and exits 1 when p95 is over --p95-goal ms or any request failed.
"""

import argparse
import csv
import json
import os
import secrets
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TOKENS = """
import json, django
django.setup()
from peiyu.core.models import ApiToken, User
tokens = {}
for name in ("bureau", "zhangguizhuang", "leader"):
    user = User.objects.get(username=name)
    user.api_tokens.filter(description="load test").delete()
    tokens[name] = ApiToken.objects.issue(user, "load test")[1]
print(json.dumps(tokens))
"""


def arguments():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=100)
    parser.add_argument("--spawn-rate", type=float, default=2, help="users started per second (each signs in once)")
    parser.add_argument("--duration", default="3m", help="locust run time after the first user starts, e.g. 3m, 90s")
    parser.add_argument("--database-url", default=os.environ.get("PEIYU_LOAD_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/peiyu_jobs"))
    parser.add_argument("--redis-url", default=os.environ.get("PEIYU_LOAD_REDIS_URL", "redis://127.0.0.1:6379/7"))
    parser.add_argument("--ports", default="8701,8702", help="one gunicorn instance per port")
    parser.add_argument("--gunicorn-workers", type=int, default=2, help="processes per gunicorn instance")
    parser.add_argument("--threads", type=int, default=4, help="threads per gunicorn process")
    parser.add_argument("--job-workers", type=int, default=2, help="`peiyu worker` processes")
    parser.add_argument("--var-dir", default=str(ROOT / "var" / "load"), help="PEIYU_VAR_DIR shared by all of them (uploads, results)")
    parser.add_argument("--p95-goal", type=float, default=300)
    return parser.parse_args()


def platform_env(args) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PEIYU_LOAD_")}
    return env | {
        "DJANGO_SETTINGS_MODULE": "peiyu.settings", "DEBUG": "0", "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost", "SECURE_SSL_REDIRECT": "0", "DATABASE_URL": args.database_url,
        "REDIS_URL": args.redis_url, "PEIYU_VAR_DIR": args.var_dir, "LOG_LEVEL": "WARNING",
    }


def peiyu(env, *command, capture=False):
    done = subprocess.run([sys.executable, "-m", "peiyu", *command], env=env, check=True, text=True,
                          capture_output=capture, cwd=ROOT)
    return done.stdout


def start(command, env, log: Path) -> subprocess.Popen:
    return subprocess.Popen(command, env=env, cwd=ROOT, stdout=log.open("w"), stderr=subprocess.STDOUT, start_new_session=True)


def healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(url + "/healthz", timeout=5) as response:
            return response.status == 200
    except OSError:
        return False


def wait_healthy(urls, seconds=120):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if all(healthy(url) for url in urls):
            return
        time.sleep(1)
    raise SystemExit(f"not healthy after {seconds} s: {urls}")


def stop_all(processes):
    for process in processes:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
    for process in processes:
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


def report(stats_csv: Path, goal: float) -> bool:
    rows = list(csv.DictReader(stats_csv.open()))
    print(f"\n{'request':<34}{'count':>8}{'fail':>6}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'max ms':>9}{'req/s':>8}")
    for row in rows:
        print(f"{row['Name'][:33]:<34}{row['Request Count']:>8}{row['Failure Count']:>6}{row['50%']:>9}{row['95%']:>9}"
              f"{row['99%']:>9}{float(row['Max Response Time']):>9.0f}{float(row['Requests/s']):>8.1f}")
    total = rows[-1]
    ok = float(total["95%"]) <= goal and int(total["Failure Count"]) == 0
    print(f"\np95 {total['95%']} ms (goal {goal:.0f} ms), {total['Failure Count']} failures of {total['Request Count']} requests: "
          f"{'goal met' if ok else 'goal NOT met'}")
    return ok


def main():
    args = arguments()
    env = platform_env(args)
    out = Path(args.var_dir)
    out.mkdir(parents=True, exist_ok=True)
    print("preparing: migrate, demo district, static files, API tokens …", flush=True)
    peiyu(env, "migrate", "--no-input", "-v0")
    peiyu(env, "demo", "--if-empty", capture=True)
    try:
        peiyu(env, "collectstatic", "--no-input", "-v0", capture=True)
    except subprocess.CalledProcessError as failed:
        print("collectstatic failed with the manifest storage; static files without it (benchmarks/load_settings.py):\n"
              + next((line for line in failed.stderr.splitlines() if "could not be found" in line), ""), flush=True)
        env |= {"DJANGO_SETTINGS_MODULE": "load_settings", "PYTHONPATH": str(ROOT / "benchmarks")}
        peiyu(env, "collectstatic", "--no-input", "-v0")
    tokens = subprocess.run([sys.executable, "-c", TOKENS], env=env, check=True, text=True, capture_output=True, cwd=ROOT).stdout
    urls = [f"http://127.0.0.1:{port}" for port in args.ports.split(",")]
    processes = []
    try:
        for url in urls:
            processes.append(start([sys.executable, "-m", "gunicorn", "peiyu.wsgi", "-b", url.removeprefix("http://"),
                                    "-w", str(args.gunicorn_workers), "--threads", str(args.threads), "--timeout", "60",
                                    "--keep-alive", "65"],  # longer than a user's think time, as behind a proxy
                                   env, out / f"gunicorn-{url.rsplit(':', 1)[1]}.log"))
        for number in range(args.job_workers):
            processes.append(start([sys.executable, "-m", "peiyu", "worker", "-w", "2"], env, out / f"worker-{number + 1}.log"))
        wait_healthy(urls)
        print(f"running: {len(urls)} gunicorn instances × {args.gunicorn_workers} processes × {args.threads} threads, "
              f"{args.job_workers} job workers; load average before: {os.getloadavg()[0]:.1f}", flush=True)
        locust_env = env | {"PEIYU_LOAD_HOSTS": ",".join(urls), "PEIYU_LOAD_ACCOUNTS": tokens.strip().splitlines()[-1]}
        stats = out / "locust"
        subprocess.run([sys.executable, "-m", "locust", "-f", str(ROOT / "benchmarks" / "load_users.py"), "--headless",
                        "-u", str(args.users), "-r", str(args.spawn_rate), "-t", args.duration, "--host", urls[0],
                        "--csv", str(stats), "--only-summary", "--loglevel", "WARNING", "--exit-code-on-error", "0"],
                       env=locust_env, cwd=ROOT, check=True)
        print(f"load average after: {os.getloadavg()[0]:.1f}")
    finally:
        stop_all(processes)
    ok = report(Path(f"{stats}_stats.csv"), args.p95_goal)
    (out / "summary.json").write_text(json.dumps({"users": args.users, "duration": args.duration, "goal_met": ok}))
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
