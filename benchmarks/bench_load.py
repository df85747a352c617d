"""Load: simulated trainees against gunicorn + PostgreSQL on loopback (locust, headless, bounded in time).

Needs PostgreSQL (BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/academy_load); prints
requests/s, p50/p95 and the error count per request type. Skipped with a message when no server answers.
"""

from __future__ import annotations

import csv
import os
import socket
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
DURATION = os.environ.get("LOAD_TIME", "45s")

sys.path.insert(0, str(HERE))
from harness import report  # noqa: E402


def _pg_answers() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 5432), timeout=2):
            return True
    except OSError:
        return False


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def prepare_database(env: dict, users: int) -> None:
    """Fresh database with the demo data and `users` extra trainees (load0001…) enrolled in the first course."""
    subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-q", "-c", "DROP DATABASE IF EXISTS academy_load WITH (FORCE)"], check=True)
    subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-q", "-c", "CREATE DATABASE academy_load"], check=True)
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
        if name == "Aggregated":
            report("all requests: throughput", float(row["Requests/s"]), "req/s", size=size)
            report("all requests: errors", int(row["Failure Count"]), "errors", size=size)
        report(f"{name}: p50", float(row["50%"]), "ms", size=size)
        report(f"{name}: p95", float(row["95%"]), "ms", size=size)


def main() -> int:
    if not _pg_answers():
        print("PostgreSQL does not answer on 127.0.0.1:5432: load benchmark skipped.")
        return 0
    port = _free_port()
    env = server_env(port)
    prepare_database(env, USERS)
    server = start_server(env, port)
    try:
        rows = run_locust(port, locustfile="locustfile.py", users=USERS, spawn_rate=10, duration=DURATION, env=env)
    finally:
        server.terminate()
        server.wait(timeout=30)
    report_rows(rows, size=f"{USERS} trainees, {DURATION}, gunicorn 4×2 + PostgreSQL")
    return 0


if __name__ == "__main__":
    sys.exit(main())
