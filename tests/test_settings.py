"""Settings come from the environment; production refuses to start without real secrets."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _import_settings(module: str, env: dict) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL"}}
    return subprocess.run(
        [sys.executable, "-c", f"import {module} as s; print(s.DATABASES['default']['ENGINE'], s.LANGUAGE_CODE, s.TIME_ZONE)"],
        cwd=ROOT, env={**clean, **env}, capture_output=True, text=True, timeout=60,
    )


def test_production_refuses_the_default_secret_key():
    result = _import_settings("lms.settings.production", {"ALLOWED_HOSTS": "example.cn"})
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_starts_with_secrets_from_the_environment():
    result = _import_settings("lms.settings.production", {"SECRET_KEY": "x" * 60, "ALLOWED_HOSTS": "example.cn"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["django.db.backends.sqlite3", "zh-hans", "Asia/Shanghai"]


def test_database_url_selects_postgresql():
    result = _import_settings("lms.settings.dev", {"DATABASE_URL": "postgres://postgres@127.0.0.1:5432/academy"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[0] == "django.db.backends.postgresql"
