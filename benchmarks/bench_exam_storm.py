"""Exam-start storm: 300 trainees start the same 16-question quiz at the same instant (the design of the
published Moodle quiz load tests), answer with short think times through the API and submit.

Against gunicorn (4 processes × 2 threads) + PostgreSQL on loopback, locust headless, bounded in time
(STORM_TIME, default 180 s; the run ends as soon as the last trainee has submitted). Sign-in: each
trainee's API token is issued in set-up, as a client does once with `POST /api/v1/auth/token/`; the
default PBKDF2 hasher costs ~0.3 s of CPU per password check, and 300 of those on 2 cores would measure
the hasher, not the exam. Every simulated trainee waits at a gate until locust has spawned all of them,
then all start together.

Reports the error count and p50/p95 of start, autosave and submit, then checks in the database that every
attempt and every answer was recorded exactly once: one attempt per trainee, submitted, numbered 1; 16
responses per attempt, each the option the client sent; one grade event in the audit log per attempt.

PostgreSQL only (STORM_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/academy_storm; the database
is dropped and re-created); skipped with a message when no server answers.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
STORM_URL = os.environ.get("STORM_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/academy_storm")
USERS = int(os.environ.get("STORM_USERS", "300"))
QUESTIONS = 16
DURATION = os.environ.get("STORM_TIME", "180s")

sys.path.insert(0, str(HERE))
from bench_load import report_rows, run_locust, server_env, start_server  # noqa: E402
from harness import free_port, postgres_answers, report  # noqa: E402

SETUP = """
import json
from django.contrib.auth.hashers import make_password
from rest_framework.authtoken.models import Token
from lms.models import CountyTeam, Membership, Role, User
from quizzes.importing import ensure_category
from quizzes.models import Choice, Question, Quiz, QuizSlot

team, _ = CountyTeam.objects.get_or_create(code="hanshou", defaults={{"name": "汉寿县", "region": "常德市"}})
users = User.objects.bulk_create([User(username=f"storm{{n:04d}}", full_name=f"考生{{n}}", password=make_password(None))
                                  for n in range(1, {users} + 1)])
Membership.objects.bulk_create([Membership(user=u, team=team, role=Role.TRAINEE) for u in users])
tokens = Token.objects.bulk_create([Token(user=u, key=Token.generate_key()) for u in users])
category = ensure_category("压测/结业考试")
quiz = Quiz.objects.create(title="网站管理员结业考试", pass_mark=60, max_attempts=1, time_limit_minutes=30,
                           shuffle_questions=True, shuffle_choices=True)
for n in range(1, {questions} + 1):
    q = Question.objects.create(category=category, qtype="single", name=f"第{{n}}题", stem=f"<p>第{{n}}题：哪一项正确？</p>")
    Choice.objects.bulk_create([Choice(question=q, text=f"选项{{k}}", fraction=100 if k == 0 else 0, sort_order=k) for k in range(4)])
    QuizSlot.objects.create(quiz=quiz, question=q, sort_order=n)
json.dump({{"quiz": quiz.pk, "tokens": [t.key for t in tokens]}}, open("{out}", "w"))
"""

CHECK = """
import json
from collections import Counter
from rest_framework.authtoken.models import Token
from lms.models import AuditEvent
from quizzes.models import Attempt, Response

sent = [json.loads(line) for line in open("{sent}", encoding="utf-8")]
user_of = dict(Token.objects.values_list("key", "user_id"))
attempts = {{a.pk: a for a in Attempt.objects.filter(quiz_id={quiz})}}
per_user = Counter(a.user_id for a in attempts.values())
responses = {{}}
for attempt_id, question_id, answer in Response.objects.filter(attempt__quiz_id={quiz}).values_list("attempt_id", "question_id", "answer"):
    responses.setdefault(attempt_id, {{}})
    responses[attempt_id][question_id] = answer
graded = Counter(AuditEvent.objects.filter(action="quiz.attempt.grade", object_id__in=[str(pk) for pk in attempts]).values_list("object_id", flat=True))
wrong_answers = missing_answers = 0
for row in sent:
    if row["attempt"] is None:
        continue
    stored = responses.get(row["attempt"], {{}})
    for qid, choice in row["answers"].items():
        if int(qid) not in stored:
            missing_answers += 1
        elif stored[int(qid)] != {{"choices": [choice]}}:
            wrong_answers += 1
result = {{
    "trainees who finished": sum(1 for row in sent if row["attempt"] is not None and len(row["answers"]) == {questions}),
    "attempts": len(attempts),
    "trainees with more than one attempt": sum(1 for n in per_user.values() if n > 1),
    "attempts not numbered 1": sum(1 for a in attempts.values() if a.number != 1),
    "attempts not submitted": sum(1 for a in attempts.values() if a.status != "submitted"),
    "attempts whose owner is not the token's": sum(1 for row in sent if row["attempt"] and attempts[row["attempt"]].user_id != user_of[row["token"]]),
    "responses": sum(len(r) for r in responses.values()),
    "attempts without exactly {questions} responses": sum(1 for pk in attempts if len(responses.get(pk, {{}})) != {questions}),
    "answers sent but missing": missing_answers,
    "answers stored differently from what was sent": wrong_answers,
    "attempts graded other than once": sum(1 for pk in attempts if graded[str(pk)] != 1),
}}
print(json.dumps(result, ensure_ascii=False))
"""


def manage_shell(env: dict, script: str) -> str:
    done = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", script], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    )
    return done.stdout


def prepare(env: dict, work: Path) -> dict:
    name = STORM_URL.rsplit("/", 1)[1]
    admin_url = STORM_URL.rsplit("/", 1)[0] + "/postgres"
    subprocess.run(["psql", admin_url, "-q", "-c", f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'], check=True)
    subprocess.run(["psql", admin_url, "-q", "-c", f'CREATE DATABASE "{name}"'], check=True)
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True, capture_output=True
    )
    out = work / "setup.json"
    manage_shell(env, SETUP.format(users=USERS, questions=QUESTIONS, out=out))
    return json.loads(out.read_text())


def main() -> int:
    if not postgres_answers():
        print("PostgreSQL does not answer on 127.0.0.1:5432: exam-start storm skipped.")
        return 0
    work = Path(tempfile.mkdtemp(prefix="exam-storm-"))
    port = free_port()
    env = {**server_env(port), "DATABASE_URL": STORM_URL}
    prepared = prepare(env, work)
    tokens, sent = work / "tokens.json", work / "sent.jsonl"
    tokens.write_text(json.dumps(prepared["tokens"]))
    locust_env = {**env, "STORM_TOKENS": str(tokens), "STORM_QUIZ": str(prepared["quiz"]), "STORM_SENT": str(sent)}
    # Keep-alive longer than the longest think time: gunicorn's default (2 s) closes idle connections
    # just as a client reuses them, which shows up as connection resets that are not the app's doing
    # (in production a reverse proxy holds the client connections).
    server = start_server(env, port, extra=("--keep-alive", "10"))
    started = time.monotonic()
    try:
        # Spawn everyone within a second; the gate in the locustfile releases them together.
        rows = run_locust(
            port, locustfile="locustfile_exam_storm.py", users=USERS, spawn_rate=USERS, duration=DURATION, env=locust_env
        )
    finally:
        server.terminate()
        server.wait(timeout=30)
    elapsed = time.monotonic() - started
    size = f"{USERS} trainees released at once, {QUESTIONS} questions, gunicorn 4×2 + PostgreSQL"
    report_rows(rows, size=size)
    report("storm: whole locust run, spawn to last submit (wall clock)", elapsed, "s", size=size)
    check = json.loads(
        manage_shell(env, CHECK.format(sent=sent, quiz=prepared["quiz"], questions=QUESTIONS)).strip().splitlines()[-1]
    )
    print("Database check (every attempt and answer recorded exactly once):")
    for figure, value in check.items():
        print(f"  {figure:<55} {value}")
    for figure, value in check.items():
        report(f"storm check: {figure}", int(value), "count", size=size)
    expected_clean = all(
        value == 0 for figure, value in check.items() if figure not in ("trainees who finished", "attempts", "responses")
    )
    exact = check["attempts"] == check["trainees who finished"] == USERS and check["responses"] == USERS * QUESTIONS
    print(
        "Database check:",
        "every attempt and answer recorded exactly once" if expected_clean and exact else "MISMATCH (see above)",
    )
    return 0 if expected_clean else 1


if __name__ == "__main__":
    sys.exit(main())
