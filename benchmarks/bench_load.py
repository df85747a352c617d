"""Load: simulated trainees against gunicorn + PostgreSQL on loopback (locust, headless, bounded in time).

Needs PostgreSQL (BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/academy_load); prints
requests/s, p50/p95 and the error count per request type. Skipped with a message when no server answers.
Every trainee signs in before the measured window (LOAD_TIME, seconds) opens; sign-in is reported apart.
"""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
PG_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/academy_load")
USERS = int(os.environ.get("LOAD_USERS", "50"))
DURATION = int(os.environ.get("LOAD_TIME", "45").rstrip("s"))  # seconds measured, after every sign-in
SIGN_IN_ALLOWANCE = int(os.environ.get("LOAD_SIGN_IN_ALLOWANCE", "300"))  # cap on the time all may take to sign in

sys.path.insert(0, str(HERE))
from harness import free_port, postgres_answers, report  # noqa: E402


def prepare_database(env: dict, users: int) -> None:
    """Fresh database with the demo data and `users` extra trainees (load0001…) enrolled in the first course."""
    name = PG_URL.rsplit("/", 1)[-1]  # the database BENCH_DATABASE_URL names, not always academy_load
    subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-q", "-c", f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'], check=True)
    subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-q", "-c", f'CREATE DATABASE "{name}"'], check=True)
    for command in (["migrate", "--noinput", "-v0"], ["seed_demo"]):
        subprocess.run([sys.executable, "manage.py", *command], cwd=ROOT, env=env, check=True, capture_output=True)
    script = f"""
from lms.models import CountyTeam, Role, Membership, User
from django.contrib.auth.hashers import make_password
team = CountyTeam.objects.get(code="hanshou")
password = make_password("changde2026")
users = User.objects.bulk_create([User(username=f"load{{n:04d}}", full_name=f"压测学员{{n}}", password=password) for n in range(1, {users} + 1)])
Membership.objects.bulk_create([Membership(user=u, team=team, role=Role.TRAINEE) for u in users])
"""
    subprocess.run([sys.executable, "manage.py", "shell", "-c", script], cwd=ROOT, env=env, check=True, capture_output=True)


def start_server(env: dict, port: int, workers: int = 4, extra: tuple[str, ...] = ()) -> subprocess.Popen:
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "lms.wsgi:application", "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
         "--threads", "2", "--timeout", "60", "--log-level", "warning", *extra],
        cwd=ROOT, env=env,
    )
    for _ in range(200):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/accounts/login/", timeout=2)
            return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise RuntimeError("gunicorn did not start")


def run_locust(port: int, *, locustfile: str, users: int, spawn_rate: float, duration: str, env: dict) -> list[dict]:
    out = Path(tempfile.mkdtemp(prefix="locust-"))
    subprocess.run(
        [sys.executable, "-m", "locust", "-f", str(HERE / locustfile), "--headless", "--host", f"http://127.0.0.1:{port}",
         "-u", str(users), "-r", str(spawn_rate), "-t", duration, "--csv", str(out / "run"), "--only-summary", "--loglevel", "WARNING"],
        cwd=HERE, env=env, check=False,
    )
    with (out / "run_stats.csv").open() as handle:
        return list(csv.DictReader(handle))


def run_measured(port: int, *, users: int, spawn_rate: float, seconds: int, env: dict) -> tuple[list[dict], dict]:
    """Locust with sign-in outside the measured window (see locustfile.py): (measured rows, sign-in figures)."""
    login_file = Path(tempfile.mkdtemp(prefix="locust-login-")) / "login.json"
    env = {**env, "MEASURE_SECONDS": str(seconds), "LOGIN_STATS_FILE": str(login_file)}
    # -t is only a cap: the locustfile stops the run `seconds` after the last sign-in.
    rows = run_locust(port, locustfile="locustfile.py", users=users, spawn_rate=spawn_rate,
                      duration=f"{seconds + SIGN_IN_ALLOWANCE}s", env=env)
    if not login_file.exists():
        raise RuntimeError(f"the trainees did not all sign in within {SIGN_IN_ALLOWANCE} s: nothing measured")
    return rows, json.loads(login_file.read_text())


def report_sign_in(figures: dict, size: str) -> None:
    """The sign-in phase, before measuring: the login form and POST, and the first API reads of each trainee."""
    for name, entry in figures.items():
        report(f"sign-in phase, {name}: p50", float(entry["p50"]), "ms", size=size)
        report(f"sign-in phase, {name}: p95", float(entry["p95"]), "ms", size=size)
    report("sign-in phase: errors", sum(int(entry["failures"]) for entry in figures.values()), "errors", size=size)


def server_env(port: int) -> dict:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "lms.settings.dev",
        "DEBUG": "0",
        "DATABASE_URL": PG_URL,
        "CONN_MAX_AGE": "60",
        "TASK_BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
        "MEDIA_ROOT": tempfile.mkdtemp(prefix="academy-load-media-"),
        "SITE_URL": f"http://127.0.0.1:{port}",
        "AXES_FAILURE_LIMIT": "1000",
    }


def report_rows(rows: list[dict], size: str) -> None:
    for row in rows:
        name = row["Name"]
        if int(row["Request Count"]) == 0:  # e.g. sign-in, asked only before the statistics were reset
            continue
        if name == "Aggregated":
            report("all requests: throughput", float(row["Requests/s"]), "req/s", size=size)
            report("all requests: errors", int(row["Failure Count"]), "errors", size=size)
        report(f"{name}: p50", float(row["50%"]), "ms", size=size)
        report(f"{name}: p95", float(row["95%"]), "ms", size=size)


def main() -> int:
    if not postgres_answers():
        print("PostgreSQL does not answer on 127.0.0.1:5432: load benchmark skipped.")
        return 0
    port = free_port()
    env = server_env(port)
    prepare_database(env, USERS)
    server = start_server(env, port)
    try:
        rows, sign_in = run_measured(port, users=USERS, spawn_rate=10, seconds=DURATION, env=env)
    finally:
        server.terminate()
        server.wait(timeout=30)
    size = f"{USERS} trainees, {DURATION} s after all signed in, gunicorn 4×2 + PostgreSQL"
    report_sign_in(sign_in, size=f"{USERS} trainees signing in, gunicorn 4×2 + PostgreSQL")
    report_rows(rows, size=size)
    return 0


if __name__ == "__main__":
    sys.exit(main())
