import json
import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path


def run_check(env_overrides):
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DEBUG"}}
    env.update(env_overrides)
    return subprocess.run([sys.executable, "-m", "peiyu", "check", "--deploy", "--fail-level", "WARNING"],
                          capture_output=True, text=True, env=env, timeout=120)


def test_production_settings_pass_the_deploy_check(tmp_path):
    result = run_check({"DEBUG": "0", "SECRET_KEY": "x" * 64 + "-production-secret-key-for-the-test", "ALLOWED_HOSTS": "peiyu.example.gov.cn",
                        "PEIYU_VAR_DIR": str(tmp_path)})
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    result = run_check({"DEBUG": "0", "ALLOWED_HOSTS": "peiyu.example.gov.cn", "PEIYU_VAR_DIR": str(tmp_path), "SECRET_KEY": ""})
    assert result.returncode != 0 and "SECRET_KEY" in result.stderr


PRODUCTION = {"DEBUG": "0", "SECRET_KEY": "x" * 64 + "-production-secret-key-for-the-test", "ALLOWED_HOSTS": "localhost"}


def run_peiyu(args, env_overrides, code=None):
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DEBUG", "REDIS_URL", "STATIC_ROOT"}}
    env.update(env_overrides)
    command = [sys.executable, "-c", code] if code else [sys.executable, "-m", "peiyu", *args]
    return subprocess.run(command, capture_output=True, text=True, env=env, timeout=300)


def test_collectstatic_succeeds_under_production_settings(tmp_path):
    result = run_peiyu(["collectstatic", "--no-input"], {**PRODUCTION, "PEIYU_VAR_DIR": str(tmp_path)})
    assert result.returncode == 0, result.stdout + result.stderr
    manifest = json.loads((tmp_path / "static" / "staticfiles.json").read_text())["paths"]
    for name in ["vendor/bootstrap/bootstrap.min.css", "vendor/bootstrap-icons/bootstrap-icons.min.css",
                 "vendor/bootstrap-icons/fonts/bootstrap-icons.woff2", "core/favicon.svg", "core/peiyu.js"]:
        assert (tmp_path / "static" / manifest[name]).is_file(), name


SECURITY = "from django.conf import settings as s; print(s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS)"
SETUP = "import django, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'peiyu.settings'; django.setup(); "


def test_https_hardening_is_on_in_production_and_off_only_with_the_explicit_switch(tmp_path):
    hardened = run_peiyu([], {**PRODUCTION, "PEIYU_VAR_DIR": str(tmp_path)}, code=SETUP + SECURITY)
    assert hardened.stdout.split() == ["True", "True", "True", "31536000"], hardened.stderr
    plain = run_peiyu([], {**PRODUCTION, "PEIYU_VAR_DIR": str(tmp_path), "PEIYU_INSECURE_HTTP": "1"}, code=SETUP + SECURITY)
    assert plain.stdout.split() == ["False", "False", "False", "0"], plain.stderr


def test_the_prod_extra_installs_what_production_settings_load():
    extras = tomllib.loads((Path(__file__).parents[3] / "pyproject.toml").read_text())["project"]["optional-dependencies"]
    names = {re.split(r"[<>=\[]", requirement)[0] for requirement in extras["prod"]}
    # gunicorn serves, psycopg reaches PostgreSQL (DATABASE_URL), redis backs the cache (REDIS_URL).
    assert {"gunicorn", "psycopg", "redis"} <= names


def make_dry_run(target: str) -> list[str]:
    result = subprocess.run(["make", "-n", target], cwd=Path(__file__).parents[3], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return [line for line in result.stdout.splitlines() if "bin/peiyu " in line]


def test_make_run_serves_the_demo_with_debug_off_and_collected_static_files():
    commands = make_dry_run("run")
    assert commands and all("DEBUG=0" in line and "PEIYU_INSECURE_HTTP=1" in line for line in commands)
    assert any("collectstatic" in line for line in commands) and "runserver" in commands[-1]
    assert all("DEBUG=1" in line for line in make_dry_run("dev"))
