"""Production settings refuse to start without their secrets, and pass Django's deploy checks."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "portal.settings.production",
    "SECRET_KEY": "a-long-random-production-secret-key-for-the-check-0123456789-abcdefghij",
    "ALLOWED_HOSTS": "portail.example.org",
    "DATABASE_URL": f"sqlite:///{ROOT / 'tmp' / 'production-check.sqlite3'}",
    "EMAIL_HOST": "smtp.example.org",
    "REDIS_URL": "redis://127.0.0.1:63799/0",
}


def manage(*args, env):
    # The browser tests allow sync ORM calls in this process; a production process must not inherit that.
    inherited = {key: value for key, value in os.environ.items() if key != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    clean = {key: value for key, value in inherited.items() if key not in PRODUCTION_ENV}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_refuses_to_start_without_a_secret_key():
    env = {key: value for key, value in PRODUCTION_ENV.items() if key != "SECRET_KEY"}
    result = manage("check", env=env)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    env = {key: value for key, value in PRODUCTION_ENV.items() if key != "ALLOWED_HOSTS"}
    result = manage("check", env=env)
    assert result.returncode != 0 and "ALLOWED_HOSTS" in result.stderr


def test_production_refuses_to_start_without_a_shared_cache():
    env = {key: value for key, value in PRODUCTION_ENV.items() if key != "REDIS_URL"}
    result = manage("check", env=env)
    assert result.returncode != 0 and "REDIS_URL" in result.stderr


def test_check_deploy_is_clean_and_static_files_collect(tmp_path):
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    collect = manage("collectstatic", "--noinput", env={**PRODUCTION_ENV, "STATIC_ROOT": str(tmp_path)})
    assert collect.returncode == 0, collect.stderr


def test_base_settings_are_safe_by_default():
    from portal.settings import base

    assert base.DEBUG is False
    assert base.ALLOWED_HOSTS == []
    assert not hasattr(base, "SECRET_KEY")
