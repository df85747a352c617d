"""Answers never help the next attempt: the default review policy, the review gate seam, and per-question
marks hidden with the answers."""

import json

import pytest
from django.urls import reverse

from quizzes import services
from quizzes.models import Quiz, ReviewPolicy
from quizzes.review import register_review_gate, unregister_review_gate
from tests.quizzes.factories import question, quiz, right_answer, wrong_answer

pytestmark = pytest.mark.django_db
EXPLANATION = "解析：转载的信息来源填原发布单位"


@pytest.fixture
def item():
    return question(
        stem="<p>转载信息的来源填什么？</p>",
        options=[("原发布单位", 100, "答对了：原发布单位"), ("本单位", 0, "再想想")],
        explanation=f"<p>{EXPLANATION}</p>",
    )


def _fail(q, user, item):
    attempt = services.start_attempt(quiz=q, user=user)
    return services.submit_attempt(attempt=attempt, user=user, answers={item.pk: wrong_answer(item)})


def test_new_quizzes_default_to_answers_after_the_last_attempt():
    assert Quiz().review_policy == ReviewPolicy.AFTER_LAST_ATTEMPT


def test_failed_attempt_shows_score_but_no_answers_while_retries_remain(client, trainee, item):
    q = quiz([item], max_attempts=2)
    first = _fail(q, trainee, item)
    client.force_login(trainee)
    html = client.get(reverse("quizzes:result", args=[first.pk])).content.decode()
    assert "0%" in html and EXPLANATION not in html and "答对了" not in html and "quiz-right" not in html
    assert "用完" in html  # the note says when the answers will be shown
    assert "quiz-question--wrong" not in html  # which question was wrong is a hint too
    api = client.get(f"/api/v1/attempts/{first.pk}/result/").json()
    assert api["percent"] == "0.00" and api["answers_visible"] is False
    assert EXPLANATION not in json.dumps(api, ensure_ascii=False) and api["questions"][0].get("fraction") is None
    # The last allowed attempt: now the answers and explanations of both attempts are shown.
    second = _fail(q, trainee, item)
    for attempt in (first, second):
        assert EXPLANATION in client.get(reverse("quizzes:result", args=[attempt.pk])).content.decode()
    assert client.get(f"/api/v1/attempts/{first.pk}/result/").json()["answers_visible"] is True


def test_unlimited_attempts_show_answers_only_when_the_quiz_closes(client, trainee, item):
    from datetime import timedelta

    from django.utils import timezone

    q = quiz([item], max_attempts=0, closes_at=timezone.now() + timedelta(hours=1))
    attempt = _fail(q, trainee, item)
    client.force_login(trainee)
    assert EXPLANATION not in client.get(reverse("quizzes:result", args=[attempt.pk])).content.decode()
    Quiz.objects.filter(pk=q.pk).update(closes_at=timezone.now() - timedelta(seconds=1))
    assert EXPLANATION in client.get(reverse("quizzes:result", args=[attempt.pk])).content.decode()


def test_a_gate_withholds_answers_the_policy_would_show_and_staff_still_see_them(client, trainee, trainer, item):
    q = quiz([item], max_attempts=1)
    attempt = services.submit_attempt(
        attempt=services.start_attempt(quiz=q, user=trainee), user=trainee, answers={item.pk: right_answer(item)}
    )

    def sitting_still_open(a, *, now):
        return False if a.quiz_id == q.pk else None

    register_review_gate(sitting_still_open)
    register_review_gate(sitting_still_open)  # idempotent
    try:
        client.force_login(trainee)
        assert EXPLANATION not in client.get(reverse("quizzes:result", args=[attempt.pk])).content.decode()
        assert client.get(f"/api/v1/attempts/{attempt.pk}/result/").json()["answers_visible"] is False
        client.force_login(trainer)
        assert EXPLANATION in client.get(reverse("quizzes:result", args=[attempt.pk])).content.decode()
    finally:
        unregister_review_gate(sitting_still_open)
    client.force_login(trainee)
    assert EXPLANATION in client.get(reverse("quizzes:result", args=[attempt.pk])).content.decode()


def test_a_gate_can_open_answers_the_policy_keeps_closed(client, trainee, item):
    q = quiz([item], max_attempts=3)
    attempt = _fail(q, trainee, item)

    def sitting_closed(a, *, now):
        return True if a.quiz_id == q.pk else None

    register_review_gate(sitting_closed)
    try:
        client.force_login(trainee)
        assert EXPLANATION in client.get(reverse("quizzes:result", args=[attempt.pk])).content.decode()
    finally:
        unregister_review_gate(sitting_closed)


def test_demo_exams_review_after_the_last_attempt():
    from quizzes.demo import ensure_quizzes

    for q in ensure_quizzes().values():
        assert q.review_policy == ReviewPolicy.AFTER_LAST_ATTEMPT and q.max_attempts == 3
