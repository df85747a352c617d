"""The start of an attempt under an exam storm: few queries (asserted, never timed), the content cache
kept true after edits, and retries drawing questions the trainee has not been asked yet."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from quizzes import services
from quizzes.importing import ensure_category
from quizzes.models import Attempt, Question
from tests.factories import UserFactory
from tests.quizzes.factories import question, quiz, wrong_answer

pytestmark = pytest.mark.django_db


@pytest.fixture
def exam(team):
    items = [
        question(
            name=f"第{n}题",
            stem=f"<p>第{n}题：哪一项正确？</p>",
            options=[(f"选项{k}", 100 if k == 0 else 0, "") for k in range(4)],
        )
        for n in range(16)
    ]
    q = quiz(items, max_attempts=1, time_limit_minutes=30, shuffle_questions=True, shuffle_choices=True)
    # Somebody else started first: the storm's content is cached by then (the quiz as a request loads it).
    q.refresh_from_db()
    services.start_attempt(quiz=q, user=UserFactory(role="trainee", team=team))
    return q


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def test_api_start_takes_at_most_five_queries(exam, trainee, django_assert_max_num_queries):
    client = _client(trainee)
    with django_assert_max_num_queries(5):
        response = client.post(f"/api/v1/quizzes/{exam.pk}/attempts/")
    assert response.status_code == 201
    body = response.json()
    assert len(body["questions"]) == 16 and all(len(q["options"]) == 4 for q in body["questions"])
    assert Attempt.objects.filter(user=trainee).count() == 1
    # Again: the open attempt comes back (200), no second attempt.
    with django_assert_max_num_queries(5):
        again = client.post(f"/api/v1/quizzes/{exam.pk}/attempts/")
    assert again.status_code == 200 and again.json()["id"] == body["id"]
    assert Attempt.objects.filter(user=trainee).count() == 1


def test_api_start_with_a_token_takes_at_most_five_queries(exam, trainee, django_assert_max_num_queries):
    from rest_framework.authtoken.models import Token

    token = Token.objects.create(user=trainee)
    client = Client(HTTP_AUTHORIZATION=f"Token {token.key}")
    with django_assert_max_num_queries(5):
        response = client.post(f"/api/v1/quizzes/{exam.pk}/attempts/")
    assert response.status_code == 201


def test_web_start_and_first_page_take_at_most_five_queries_each(exam, trainee, django_assert_max_num_queries):
    client = _client(trainee)
    with django_assert_max_num_queries(5):
        response = client.post(reverse("quizzes:start", args=[exam.pk]))
    attempt = Attempt.objects.get(user=trainee)
    assert response.status_code == 302 and response.url == reverse("quizzes:attempt", args=[attempt.pk])
    with django_assert_max_num_queries(5):
        page = client.get(response.url)
    assert page.status_code == 200 and page.content.decode().count('class="card quiz-question"') == 16


def test_autosave_and_submit_query_counts(exam, trainee, django_assert_max_num_queries):
    client = _client(trainee)
    body = client.post(f"/api/v1/quizzes/{exam.pk}/attempts/").json()
    first = body["questions"][0]
    url = f"/api/v1/attempts/{body['id']}/answers/"
    with django_assert_max_num_queries(6):
        saved = client.put(
            url, {"answers": {str(first["id"]): {"choices": [first["options"][0]["id"]]}}}, content_type="application/json"
        )
    assert saved.status_code == 200
    with django_assert_max_num_queries(20):  # grading, audit event (+ Wagtail reference index), result
        submitted = client.post(f"/api/v1/attempts/{body['id']}/submit/", {}, content_type="application/json")
    assert submitted.status_code == 200


def test_start_is_refused_cleanly_when_no_attempts_are_left(exam, trainee):
    client = _client(trainee)
    attempt_id = client.post(f"/api/v1/quizzes/{exam.pk}/attempts/").json()["id"]
    client.post(f"/api/v1/attempts/{attempt_id}/submit/", {}, content_type="application/json")
    refused = client.post(f"/api/v1/quizzes/{exam.pk}/attempts/")
    assert refused.status_code == 409 and refused.json()["code"] == "no_attempts_left"
    assert Attempt.objects.filter(user=trainee).count() == 1


def test_an_edited_question_shows_in_the_next_start(exam, trainee):
    client = _client(trainee)
    item = Question.objects.get(name="第3题")
    item.stem = "<p>第3题（已更正）：哪一项正确？</p>"
    item.save()
    body = client.post(f"/api/v1/quizzes/{exam.pk}/attempts/").json()
    assert any("已更正" in q["stem"] for q in body["questions"])
    assert "已更正" in client.get(reverse("quizzes:attempt", args=[body["id"]])).content.decode()


def test_an_imported_question_joins_the_draw_pool(trainee):
    from quizzes.importing import import_questions

    category = ensure_category("题库/图片")
    question(category, name="原有题")
    q = quiz(draws=[(category, 2)], max_attempts=0)
    services.start_attempt(quiz=q, user=UserFactory())  # content cached with one question in the pool
    import_questions(data="新导入的题目{=对 ~错}\n".encode(), fmt="gift", category_path="题库/图片")
    q.refresh_from_db()  # as the next request loads it
    attempt = services.start_attempt(quiz=q, user=trainee)
    assert len(attempt.layout) == 2


def test_a_retry_draws_questions_not_asked_before(trainee):
    category = ensure_category("题库/制度")
    pool = [question(category, name=f"池{i}") for i in range(6)]
    q = quiz(draws=[(category, 3)], max_attempts=0, review_policy="immediately")
    first = services.start_attempt(quiz=q, user=trainee)
    services.submit_attempt(
        attempt=first, user=trainee, answers={i: wrong_answer(Question.objects.get(pk=i)) for i in first.question_ids()}
    )
    second = services.start_attempt(quiz=q, user=trainee)
    assert not set(first.question_ids()) & set(second.question_ids())
    assert set(first.question_ids()) | set(second.question_ids()) == {p.pk for p in pool}
    services.submit_attempt(attempt=second, user=trainee)
    # The bank is used up: the third draws from what was asked before, still three different questions.
    third = services.start_attempt(quiz=q, user=trainee)
    assert len(set(third.question_ids())) == 3


def test_a_retry_tops_up_from_seen_questions_when_the_bank_is_small(trainee):
    category = ensure_category("题库/小题库")
    pool = [question(category, name=f"小{i}") for i in range(4)]
    q = quiz(draws=[(category, 3)], max_attempts=0)
    first = services.start_attempt(quiz=q, user=trainee)
    services.submit_attempt(attempt=first, user=trainee)
    second = services.start_attempt(quiz=q, user=trainee)
    unseen = {p.pk for p in pool} - set(first.question_ids())
    assert unseen <= set(second.question_ids()) and len(set(second.question_ids())) == 3


def test_cold_start_costs_only_the_content_queries_once(trainee, team, django_assert_max_num_queries):
    items = [question(name=f"冷{n}") for n in range(5)]
    q = quiz(items)
    q.refresh_from_db()
    with CaptureQueriesContext(connection) as cold:
        services.start_attempt(quiz=q, user=trainee)
    other = UserFactory(role="trainee", team=team)
    with CaptureQueriesContext(connection) as warm:
        services.start_attempt(quiz=q, user=other)
    assert len(warm) == 2 and len(cold) <= 2 + 4
