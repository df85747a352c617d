"""Beyond one machine: two app servers and two task workers on one PostgreSQL issue 500 certificates.

What runs, as in production (`lms.settings.production`, served over plain http on loopback with
SECURE_SSL_REDIRECT=0): two gunicorn processes, two `manage.py db_worker` processes with their own
worker ids, the database task queue, the database cache (`createcachetable`), and one media folder
shared by all four processes (what NFS or S3-compatible storage is between hosts).

The scenario: 500 trainees in 10 county teams have completed the programme's two courses (their
enrolments are inserted in bulk, completed, which is what the completion rule records). A bureau admin
starts bulk issue jobs through the web page (`POST /manage/certificates/bulk/`) on both servers: one per
team, alternating between the servers, plus one job for all teams that overlaps every other job. The
workers share the 11 jobs and race on the same holders and the same serial counter. The test follows
the jobs' progress through the other server, then checks in the database and on disk: 500 certificates,
nobody missing, nobody twice, serials 1…500 without a gap, every PDF present with its SHA-256, one issue
event each, work done by both workers, and a sample verified through the public API of both servers.
"""

from __future__ import annotations

import hashlib
import http.cookiejar
import json
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections import Counter
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone

from certificates.models import BulkJob, Certificate, SerialCounter
from courses.models import Enrollment
from lms.models import AuditEvent, Membership, Role, User
from tests.certificates.factories import ProgrammeFactory
from tests.factories import CourseFactory, LessonFactory, TeamFactory, UserFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

ROOT = Path(__file__).resolve().parents[2]
TRAINEES = 500
TEAMS = 10
WAIT_SECONDS = 150


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _database_url() -> str:
    db = connection.settings_dict
    auth = urllib.parse.quote(db["USER"] or "")
    if db.get("PASSWORD"):
        auth += ":" + urllib.parse.quote(db["PASSWORD"])
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def production_env(tmp_path, settings):
    """The environment of every process: production settings against the test database."""
    secret = secrets.token_urlsafe(60)
    # The test process signs the admin's session with the same key the servers check it with.
    settings.SECRET_KEY = secret
    media = tmp_path / "shared-media"
    media.mkdir()
    settings.MEDIA_ROOT = media
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "lms.settings.production",
        "SECRET_KEY": secret,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "0",
        "DATABASE_URL": _database_url(),
        "CONN_MAX_AGE": "60",
        "MEDIA_ROOT": str(media),
        "STATIC_ROOT": str(tmp_path / "static"),
        "SITE_URL": "http://127.0.0.1",
        "LOG_LEVEL": "WARNING",
        "PYTHONUNBUFFERED": "1",
    }


@pytest.fixture
def processes(production_env, tmp_path):
    """Two gunicorn servers and two db_workers; stopped (and their output kept) at the end."""
    subprocess.run([sys.executable, "manage.py", "createcachetable"], cwd=ROOT, env=production_env, check=True)
    started: list[tuple[str, subprocess.Popen, Path]] = []

    def launch(name, command):
        log = tmp_path / f"{name}.log"
        handle = log.open("w")
        started.append(
            (name, subprocess.Popen(command, cwd=ROOT, env=production_env, stdout=handle, stderr=subprocess.STDOUT), log)
        )

    ports = [_free_port(), _free_port()]
    for n, port in enumerate(ports, start=1):
        launch(
            f"server{n}",
            [
                sys.executable,
                "-m",
                "gunicorn",
                "lms.wsgi:application",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "1",
                "--threads",
                "4",
                "--timeout",
                "120",
                "--log-level",
                "warning",
            ],
        )
    for n in (1, 2):
        launch(
            f"worker{n}",
            [
                sys.executable,
                "manage.py",
                "db_worker",
                "--worker-id",
                f"worker{n}",
                "--interval",
                "0.2",
                "--no-startup-delay",
                "--no-reload",
            ],
        )
    servers = [f"http://127.0.0.1:{port}" for port in ports]
    try:
        for server in servers:
            _wait_until_up(server, started)
        yield servers, started
    finally:
        for _, process, _ in started:
            process.terminate()
        for name, process, log in started:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            print(f"--- {name} (exit {process.returncode})\n{log.read_text()[-1500:]}")


def _wait_until_up(server, started):
    for _ in range(150):
        for name, process, log in started:
            assert process.poll() is None, f"{name} stopped:\n{log.read_text()[-3000:]}"
        try:
            # A JSON endpoint: pages need `collectstatic`, which this test does not run.
            urllib.request.urlopen(f"{server}/api/v1/certificates/verify/NOTACODE/", timeout=2)
            return
        except urllib.error.HTTPError:
            return  # it answered
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"{server} did not start")


class Browser:
    """A bureau admin's session, sent by hand: production marks cookies Secure, and this is plain http."""

    def __init__(self, session_key: str):
        self.csrf = secrets.token_hex(16)  # an unmasked 32-character secret, as the CSRF cookie holds
        self.cookie = f"sessionid={session_key}; csrftoken={self.csrf}"
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), NoRedirect)

    def request(self, url, data=None):
        body = urllib.parse.urlencode({**data, "csrfmiddlewaretoken": self.csrf}).encode() if data is not None else None
        request = urllib.request.Request(url, data=body, headers={"Cookie": self.cookie})
        try:
            return self.opener.open(request, timeout=30)
        except urllib.error.HTTPError as error:
            return error


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _make_trainees(teams, courses):
    """500 trainees spread over the teams, each with both courses completed (bulk inserts)."""
    users = User.objects.bulk_create(
        [User(username=f"scale{n:04d}", full_name=f"学员{n:04d}", password="!") for n in range(1, TRAINEES + 1)]
    )
    Membership.objects.bulk_create(
        [Membership(user=user, team=teams[n % len(teams)], role=Role.TRAINEE) for n, user in enumerate(users)]
    )
    now = timezone.now()
    Enrollment.objects.bulk_create(
        [Enrollment(user=user, course=course, completed_at=now) for user in users for course in courses]
    )
    return users


def test_two_servers_and_two_workers_issue_500_certificates_once_each(catalogue, processes, production_env):
    servers, started = processes
    courses = []
    for title in ("网站后台管理", "专题制作"):
        course = CourseFactory(parent=catalogue, title=title)
        LessonFactory(parent=course, title=f"{title}第1课")
        courses.append(course)
    programme = ProgrammeFactory(name="常德市商务网站管理员资格", slug="changde-webmaster", courses=courses)
    teams = [TeamFactory(name=f"测试县{n}", code=f"scale{n}") for n in range(TEAMS)]
    trainees = _make_trainees(teams, courses)
    admin = UserFactory(username="bureau-scale", role="bureau_admin")

    from django.test import Client

    client = Client()
    client.force_login(admin)
    browser = Browser(client.cookies["sessionid"].value)

    began = time.monotonic()
    job_ids = []
    for n, team in enumerate([*teams, None]):
        server = servers[n % 2]
        form = {"kind": "issue", "programme": programme.pk, "team": team.pk if team else ""}
        response = browser.request(f"{server}/manage/certificates/bulk/", form)
        assert response.status == 302, response.read()[:500]
        job_ids.append(int(response.headers["Location"].rstrip("/").split("/")[-1]))

    # Follow the jobs through the server that did not start them, as the progress page does.
    deadline = time.monotonic() + WAIT_SECONDS
    states: dict[int, dict] = {}
    while time.monotonic() < deadline:
        for n, pk in enumerate(job_ids):
            response = browser.request(f"{servers[(n + 1) % 2]}/manage/certificates/jobs/{pk}/?format=json")
            assert response.status == 200
            states[pk] = json.loads(response.read())
        if all(state["state"] in ("done", "failed") for state in states.values()):
            break
        for name, process, log in started:
            assert process.poll() is None, f"{name} stopped:\n{log.read_text()[-3000:]}"
        time.sleep(1)
    elapsed = time.monotonic() - began
    print(f"500 certificates issued and rendered by 2 workers in {elapsed:.1f} s; jobs: {states}")
    assert all(state["state"] == "done" for state in states.values()), states

    # None missing, none doubled, serials gap-free.
    certificates = list(Certificate.objects.filter(programme=programme))
    holders = Counter(c.holder_id for c in certificates)
    assert len(certificates) == TRAINEES
    assert set(holders) == {t.pk for t in trainees}
    assert max(holders.values()) == 1
    year = timezone.localtime(certificates[0].issued_at).year
    assert sorted(c.serial for c in certificates) == [f"CD-{year}-{n:06d}" for n in range(1, TRAINEES + 1)]
    assert SerialCounter.objects.get(programme=programme, year=year).last_number == TRAINEES
    assert AuditEvent.objects.filter(action="certificate.issue").count() == TRAINEES
    assert sum(state["changed"] for state in states.values()) == TRAINEES
    # Each certificate's team is its holder's.
    team_of = dict(Membership.objects.filter(role=Role.TRAINEE).values_list("user_id", "team_id"))
    assert all(c.team_id == team_of[c.holder_id] for c in certificates)

    # Every PDF on the shared disk, with the recorded SHA-256.
    media = Path(production_env["MEDIA_ROOT"])
    for certificate in certificates:
        path = media / certificate.pdf.name
        assert path.is_file(), certificate.serial
        content = path.read_bytes()
        assert content.startswith(b"%PDF-") and hashlib.sha256(content).hexdigest() == certificate.sha256
    assert len(list((media / "certificates").rglob("*.pdf"))) == TRAINEES, "no stray or half-written files"

    # Both workers took chunks: the work was really shared.
    from django_tasks_db.models import DBTaskResult

    workers = Counter(
        worker
        for ids in DBTaskResult.objects.filter(task_path__endswith="run_bulk_chunk").values_list("worker_ids", flat=True)
        for worker in ids
    )
    assert set(workers) == {"worker1", "worker2"}, workers
    assert BulkJob.objects.filter(pk__in=job_ids, state="done").count() == len(job_ids)

    # Either server verifies any certificate (public API, shared database and cache).
    for n, certificate in enumerate(certificates[:: TRAINEES // 10]):
        with urllib.request.urlopen(f"{servers[n % 2]}/api/v1/certificates/verify/{certificate.verification_code}/") as answer:
            payload = json.loads(answer.read())
        assert payload["serial"] == certificate.serial, payload
