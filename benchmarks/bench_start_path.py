"""The start of an attempt through the whole request stack (middleware, auth, view, service, JSON or
HTML), in one process with Django's test client: CPU per start (`time.process_time`, the app and, on
SQLite, the database too) and queries per start, for the API start and the web start (POST, then the
attempt page with its 16 questions), each by a different trainee of the same quiz, as in a storm.

Targets (issue 11): ≤ 5 queries and ≤ 7 ms of server CPU per start. main before this work: 20 queries
and ~18 ms per API start (app + database, measured in the storm on PostgreSQL). The storm itself
(bench_exam_storm.py) reports the CPU per start of gunicorn + PostgreSQL under load.
"""

from __future__ import annotations

import os
import statistics
import time

from harness import report, setup_django

TRAINEES = int(os.environ.get("START_TRAINEES", "200"))


def main() -> None:
    setup_django()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from lms.models import CountyTeam, Membership, Role, User
    from quizzes.importing import ensure_category
    from quizzes.models import Choice, Question, Quiz, QuizSlot

    team = CountyTeam.objects.create(code="hanshou", name="汉寿县", region="常德市")
    users = User.objects.bulk_create([User(username=f"start{n:04d}", full_name=f"考生{n}") for n in range(2 * TRAINEES + 1)])
    Membership.objects.bulk_create([Membership(user=u, team=team, role=Role.TRAINEE) for u in users])
    category = ensure_category("压测/开始")
    quiz = Quiz.objects.create(title="结业考试", max_attempts=1, time_limit_minutes=30)
    for n in range(16):
        q = Question.objects.create(category=category, qtype="single", name=f"第{n}题", stem=f"<p>第{n}题：哪一项正确？</p>")
        Choice.objects.bulk_create(
            [Choice(question=q, text=f"选项{k}", fraction=100 if k == 0 else 0, sort_order=k) for k in range(4)]
        )
        QuizSlot.objects.create(quiz=quiz, question=q, sort_order=n)

    clients = []
    for user in users:
        client = Client()
        client.force_login(user)
        clients.append(client)
    # The first start builds the quiz's cached content, as the first trainee of a storm does.
    assert clients[0].post(f"/api/v1/quizzes/{quiz.pk}/attempts/").status_code == 201

    def measure(client_list, do):
        cpu, queries = [], []
        for client in client_list:
            with CaptureQueriesContext(connection) as captured:
                started = time.process_time()
                do(client)
                cpu.append((time.process_time() - started) * 1000)
            queries.append(len(captured))
        return statistics.median(cpu), max(queries)

    def api_start(client):
        assert client.post(f"/api/v1/quizzes/{quiz.pk}/attempts/").status_code == 201

    def web_start(client):
        response = client.post(f"/quizzes/{quiz.pk}/start/")
        assert response.status_code == 302
        client.web_page = response.url

    def web_page(client):
        assert client.get(client.web_page).status_code == 200

    size = f"{connection.vendor}, 16 questions, {TRAINEES} trainees each, one process, median"
    cpu, queries = measure(clients[1 : TRAINEES + 1], api_start)
    report(
        "start path: API start, CPU per start (app + database)", cpu, "ms", size=size, target="≤ 7 ms", baseline="main: ~18 ms; 2026-11-30: 8.9 ms"
    )
    report("start path: API start, queries", queries, "queries", size=size, target="≤ 5", baseline="main: 20")
    web = clients[TRAINEES + 1 :]
    cpu, queries = measure(web, web_start)
    report("start path: web start (POST), CPU per start", cpu, "ms", size=size, target="≤ 7 ms", baseline="2026-11-30: 9.6 ms")
    report("start path: web start (POST), queries", queries, "queries", size=size, target="≤ 5")
    cpu, queries = measure(web, web_page)
    report("start path: web attempt page with 16 questions, CPU", cpu, "ms", size=size, baseline="2026-11-30: 17.7 ms")
    report("start path: web attempt page with 16 questions, queries", queries, "queries", size=size, target="≤ 5")

    # Exam day: the same quiz in a sitting for the team, opened (invitations computed) before the storm;
    # each trainee starts through the sitting (API), as on the day. The quiz's free starts above come first.
    from datetime import timedelta

    from django.utils import timezone

    from exams import services as exams
    from exams.models import ExamSitting
    from lms.models import Role as Roles

    bureau = User.objects.create(username="bureau", full_name="市局")
    Membership.objects.create(user=bureau, team=team, role=Roles.BUREAU_ADMIN)
    examinees = User.objects.bulk_create([User(username=f"exam{n:04d}", full_name=f"考生{n}") for n in range(TRAINEES)])
    Membership.objects.bulk_create([Membership(user=u, team=team, role=Roles.TRAINEE) for u in examinees])
    sitting_quiz = Quiz.objects.create(title="资格考试", max_attempts=1, time_limit_minutes=30)
    QuizSlot.objects.bulk_create([QuizSlot(quiz=sitting_quiz, question_id=s.question_id, sort_order=s.sort_order) for s in quiz.slots.all()])
    now = timezone.now()
    sitting = exams.schedule_sitting(
        actor=bureau,
        sitting=ExamSitting(quiz=sitting_quiz, title="资格考试", opens_at=now - timedelta(minutes=1), closes_at=now + timedelta(hours=1)),
        teams=[team],
        people=[],
    )
    exams.open_sitting(sitting=sitting)
    sitting_clients = []
    for user in examinees:
        client = Client()
        client.force_login(user)
        sitting_clients.append(client)

    def sitting_start(client):
        assert client.post(f"/api/v1/exams/sittings/{sitting.pk}/start/").status_code == 201

    sitting_start(sitting_clients[0])  # the first start builds the quiz's cached content, as on the day
    cpu, queries = measure(sitting_clients[1:], sitting_start)
    report("start path: exam sitting start (API), CPU per start", cpu, "ms", size=size, target="≤ 7 ms")
    report("start path: exam sitting start (API), queries", queries, "queries", size=size, baseline="incl. BEGIN/COMMIT")


if __name__ == "__main__":
    main()
