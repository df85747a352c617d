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


def _cache_settings(env: dict) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in {"CACHE_URL", "REDIS_URL", "CACHE_BACKEND", "CACHE_LOCATION"}}
    code = (
        "import lms.settings.production as s; "
        "print(s.CACHES['default']['BACKEND'], s.CACHES['default'].get('LOCATION'), s.SESSION_ENGINE, getattr(s, 'AXES_HANDLER', 'database'))"
    )
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env={**clean, "SECRET_KEY": "x" * 60, "ALLOWED_HOSTS": "example.cn", **env},
        capture_output=True, text=True, timeout=60,
    )


def test_production_shares_cache_sessions_and_throttling_through_redis():
    for variable in ("REDIS_URL", "CACHE_URL"):
        result = _cache_settings({variable: "redis://10.0.0.5:6379/1"})
        assert result.returncode == 0, result.stderr
        assert result.stdout.split() == [
            "django.core.cache.backends.redis.RedisCache", "redis://10.0.0.5:6379/1",
            "django.contrib.sessions.backends.cached_db", "axes.handlers.cache.AxesCacheHandler",
        ]


def test_production_without_redis_uses_local_memory():
    result = _cache_settings({})
    assert result.returncode == 0, result.stderr
    backend, _, sessions, axes = result.stdout.split()
    assert (backend, sessions, axes) == ("django.core.cache.backends.locmem.LocMemCache", "django.contrib.sessions.backends.cached_db", "database")


def test_production_refuses_a_cache_url_that_is_not_redis():
    result = _cache_settings({"CACHE_URL": "memcached://10.0.0.5:11211"})
    assert result.returncode != 0
    assert "REDIS_URL" in result.stderr


def test_app_servers_freeze_what_they_loaded(tmp_path):
    """lms.wsgi (what gunicorn loads) freezes the start-up heap out of the garbage collector's walks, with the
    URLconf already loaded, and without importing WeasyPrint (only a PDF needs it)."""
    code = (
        "import gc, sys, lms.wsgi; from django.urls import get_resolver; "
        "print(gc.get_freeze_count() > 100_000, 'url_patterns' in get_resolver().__dict__, 'weasyprint' in sys.modules)"
    )
    env = {
        **os.environ, "DJANGO_SETTINGS_MODULE": "lms.settings.production", "SECRET_KEY": "x" * 60,
        "ALLOWED_HOSTS": "127.0.0.1", "DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3", "STATIC_ROOT": str(tmp_path),
    }
    env.pop("CACHE_URL", None), env.pop("REDIS_URL", None)
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert result.stdout.split() == ["True", "True", "False"], result.stderr[-2000:]
