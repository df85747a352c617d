"""End-to-end journeys: a real server process (gunicorn + a task worker) on 127.0.0.1 with the demo
data, driven by Debian's Chromium through Playwright. Screenshots go to tests/e2e/artifacts/."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
AXE = Path(__file__).resolve().parent / "node_modules" / "axe-core" / "axe.min.js"
DEMO_PASSWORD = "changde2026"

pytestmark = pytest.mark.e2e


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status < 500:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"server did not answer at {url}")


@pytest.fixture(scope="session")
def server_env(tmp_path_factory) -> dict:
    if not os.path.exists(CHROMIUM):
        pytest.skip("Chromium is not installed (make test installs Debian's chromium package)")
    folder = tmp_path_factory.mktemp("e2e")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "lms.settings.dev",
        "DEBUG": "1",
        "DATABASE_URL": f"sqlite:///{folder / 'db.sqlite3'}",
        "MEDIA_ROOT": str(folder / "media"),
        "TASK_BACKEND": "django_tasks_db.DatabaseBackend",
        # Two gunicorn workers and a task worker: one cache they all see (a page published through one worker is
        # fresh in the other at once), in this run's own folder so no other run's entries leak in.
        "CACHE_BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "CACHE_LOCATION": str(folder / "cache"),
        # Robots and SMS hold their messages at night; the journeys run at any hour (quiet hours have their tests).
        "NOTIFY_QUIET_HOURS": "0,0",
    }
    env.pop("PYTEST_CURRENT_TEST", None)
    # seed_demo may leave background tasks queued (Wagtail's reference index, certificates): one worker
    # run in batch mode does them all and exits, so every journey starts with an empty queue and its own
    # tasks (a practice-site check) are not waiting behind thousands of others.
    for command in (["migrate", "--noinput", "-v0"], ["seed_demo"],
                    ["db_worker", "--batch", "--no-reload", "--no-startup-delay", "--queue-name", "*", "-v0"]):
        subprocess.run([sys.executable, "manage.py", *command], cwd=ROOT, env=env, check=True, capture_output=True, timeout=300)
    return env


@pytest.fixture(scope="session")
def base_url(server_env):
    port = _free_port()
    env = {**server_env, "SITE_URL": f"http://127.0.0.1:{port}"}
    log = subprocess.DEVNULL
    app = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "lms.wsgi:application", "--bind", f"127.0.0.1:{port}", "--workers", "2",
         "--env", "DJANGO_SETTINGS_MODULE=lms.settings.dev", "--timeout", "120"],
        cwd=ROOT, env=env, stdout=log, stderr=log,
    )
    worker = subprocess.Popen([sys.executable, "manage.py", "db_worker", "--interval", "0.2"], cwd=ROOT, env=env, stdout=log, stderr=log)
    try:
        _wait_for(f"http://127.0.0.1:{port}/")
        yield f"http://127.0.0.1:{port}"
    finally:
        for process in (app, worker):
            process.terminate()
        for process in (app, worker):
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--no-first-run", "--disable-quic"],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, base_url, request):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN", accept_downloads=True)
    context.set_default_timeout(20_000)
    page = context.new_page()
    page.base_url = base_url
    page.steps = 0
    yield page
    context.close()


def shot(page, name: str) -> Path:
    """Save a full-page screenshot of the current step as a CI artifact."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.steps += 1
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def login(page, username: str, password: str = DEMO_PASSWORD) -> None:
    page.goto(f"{page.base_url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_load_state()


def axe_violations(page, impacts=("serious", "critical")) -> list[dict]:
    """Run axe-core in the page; return the violations of the given impacts."""
    if not AXE.exists():
        pytest.skip("axe-core is not installed (make test runs npm install in tests/e2e)")
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        {"id": v["id"], "impact": v["impact"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
        if v["impact"] in impacts
    ]


def django_shell(env: dict, function: str, **kwargs):
    """Call a function of tests/e2e/prepare.py inside the server's environment (its database and media);
    returns what it printed as its last JSON line."""
    import json

    code = f"from tests.e2e import prepare; prepare.{function}(**{kwargs!r})"
    done = subprocess.run([sys.executable, "manage.py", "shell", "-c", code], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=180)
    if done.returncode:
        raise RuntimeError(f"{function} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])
