import os
import subprocess
import sys


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
