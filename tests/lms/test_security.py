"""Security settings that must hold: deploy checks, login throttling, CSP, no CDN for the API docs."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db


def test_check_deploy_is_clean_with_production_settings():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "lms.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(60),
        "ALLOWED_HOSTS": "academy.example.cn",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_login_is_locked_after_five_wrong_passwords(client, settings, trainee):
    settings.AXES_ENABLED = True
    for _ in range(5):
        response = client.post("/accounts/login/", {"username": trainee.username, "password": "wrong"})
    response = client.post("/accounts/login/", {"username": trainee.username, "password": "pass12345"})
    assert response.status_code == 429
    assert "登录失败次数过多" in response.content.decode()


def test_a_right_password_resets_the_count(client, settings, trainee):
    settings.AXES_ENABLED = True
    for _ in range(4):
        client.post("/accounts/login/", {"username": trainee.username, "password": "wrong"})
    assert client.post("/accounts/login/", {"username": trainee.username, "password": "pass12345"}).status_code == 302
    client.logout()
    for _ in range(4):
        client.post("/accounts/login/", {"username": trainee.username, "password": "wrong"})
    assert client.post("/accounts/login/", {"username": trainee.username, "password": "pass12345"}).status_code == 302


def test_pages_carry_a_content_security_policy(client, site):
    policy = client.get("/").headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "object-src 'none'" in policy
    assert client.get("/").headers["X-Frame-Options"] in {"DENY", "SAMEORIGIN"}


def test_api_docs_load_no_third_party_assets(client, trainee):
    client.force_login(trainee)
    page = client.get("/api/docs/").content.decode()
    assert "cdn.jsdelivr" not in page and "unpkg" not in page
    assert "/static/drf_spectacular_sidecar/" in page
