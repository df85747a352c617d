"""One attempt is answered from one browser (or API client) at a time: a second session that opens it
takes it over, and the first is told so on its next save or submit, with nothing interleaved."""

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.authtoken.models import Token

from quizzes.models import Attempt, Response
from tests.quizzes.factories import question, quiz

pytestmark = pytest.mark.django_db


@pytest.fixture
def exam():
    items = [question(name=f"题{n}", options=[("对", 100, ""), ("错", 0, "")]) for n in range(2)]
    return quiz(items, max_attempts=1), items


def _browser(user):
    client = Client()
    client.force_login(user)  # each force_login makes its own session: two browsers
    return client


def _put(client, attempt_id, qid, cid, **headers):
    return client.put(
        f"/api/v1/attempts/{attempt_id}/answers/",
        {"answers": {str(qid): {"choices": [cid]}}},
        content_type="application/json",
        headers=headers,
    )


def test_second_browser_takes_over_and_the_first_is_told(trainee, exam):
    q, items = exam
    first, second = _browser(trainee), _browser(trainee)
    first.post(reverse("quizzes:start", args=[q.pk]))
    attempt = Attempt.objects.get(user=trainee)
    right, wrong = (c.pk for c in items[0].choices.order_by("sort_order"))
    assert _put(first, attempt.pk, items[0].pk, right).status_code == 200

    # The second browser opens the same attempt: it answers from now on.
    assert second.get(reverse("quizzes:attempt", args=[attempt.pk])).status_code == 200
    assert _put(second, attempt.pk, items[0].pk, wrong).status_code == 200

    # The first browser's autosave is refused, and nothing it sent is stored.
    refused = _put(first, attempt.pk, items[0].pk, right)
    assert refused.status_code == 409 and refused.json()["code"] == "taken_over" and "另一个" in refused.json()["detail"]
    assert Response.objects.get(attempt=attempt, question=items[0]).answer == {"choices": [wrong]}

    # Its form submit is refused too, with a page offering to take the attempt back.
    page = first.post(reverse("quizzes:submit", args=[attempt.pk]), {f"q{items[0].pk}": str(right)})
    assert page.status_code == 409 and "另一个" in page.content.decode()
    assert reverse("quizzes:attempt", args=[attempt.pk]) in page.content.decode()
    saved = first.post(reverse("quizzes:save", args=[attempt.pk]), {f"q{items[0].pk}": str(right)})
    assert saved.status_code == 409
    attempt.refresh_from_db()
    assert not attempt.is_finished

    # Taking it back: the first browser opens the attempt again; now the second is refused.
    assert first.get(reverse("quizzes:attempt", args=[attempt.pk])).status_code == 200
    assert _put(first, attempt.pk, items[0].pk, right).status_code == 200
    assert _put(second, attempt.pk, items[0].pk, wrong).json()["code"] == "taken_over"
    done = first.post(f"/api/v1/attempts/{attempt.pk}/submit/", {}, content_type="application/json")
    assert done.status_code == 200 and done.json()["percent"] == "50.00"


def test_two_tabs_of_one_browser_share_the_attempt(trainee, exam):
    q, items = exam
    browser = _browser(trainee)
    browser.post(reverse("quizzes:start", args=[q.pk]))
    attempt = Attempt.objects.get(user=trainee)
    browser.get(reverse("quizzes:attempt", args=[attempt.pk]))
    browser.get(reverse("quizzes:attempt", args=[attempt.pk]))
    right = items[1].choices.get(fraction=100).pk
    assert _put(browser, attempt.pk, items[1].pk, right).status_code == 200


def test_api_clients_take_over_from_each_other(trainee, exam):
    q, items = exam
    token = Token.objects.create(user=trainee)
    phone = Client(HTTP_AUTHORIZATION=f"Token {token.key}", HTTP_X_CLIENT_ID="phone")
    laptop = Client(HTTP_AUTHORIZATION=f"Token {token.key}", HTTP_X_CLIENT_ID="laptop")
    attempt_id = phone.post(f"/api/v1/quizzes/{q.pk}/attempts/").json()["id"]
    right = items[0].choices.get(fraction=100).pk
    assert _put(phone, attempt_id, items[0].pk, right).status_code == 200
    # The laptop resumes the attempt through start (200): it takes it over.
    assert laptop.post(f"/api/v1/quizzes/{q.pk}/attempts/").status_code == 200
    assert _put(phone, attempt_id, items[0].pk, right).json()["code"] == "taken_over"
    refused = phone.post(f"/api/v1/attempts/{attempt_id}/submit/", {}, content_type="application/json")
    assert refused.status_code == 409 and refused.json()["code"] == "taken_over"
    assert laptop.post(f"/api/v1/attempts/{attempt_id}/submit/", {}, content_type="application/json").status_code == 200


def test_someone_else_cannot_take_over_an_attempt(trainee, other_trainee, exam):
    q, items = exam
    owner = _browser(trainee)
    owner.post(reverse("quizzes:start", args=[q.pk]))
    attempt = Attempt.objects.get(user=trainee)
    intruder = _browser(other_trainee)
    assert intruder.get(reverse("quizzes:attempt", args=[attempt.pk])).status_code == 404
    assert intruder.get(f"/api/v1/attempts/{attempt.pk}/").status_code == 404
    right = items[0].choices.get(fraction=100).pk
    assert _put(intruder, attempt.pk, items[0].pk, right).status_code == 404
    assert _put(owner, attempt.pk, items[0].pk, right).status_code == 200


def test_quiz_page_with_an_unfinished_attempt_offers_to_continue(trainee, exam):
    q, _items = exam
    browser = _browser(trainee)
    browser.post(reverse("quizzes:start", args=[q.pk]))
    attempt = Attempt.objects.get(user=trainee)
    page = browser.get(reverse("quizzes:detail", args=[q.pk]))
    assert page.status_code == 200 and reverse("quizzes:attempt", args=[attempt.pk]) in page.content.decode()
