"""Focus losses (切屏): only the attempt's owner can report them, bounded so a script cannot flood the
table, and the trainer sees them on the results page."""

import pytest
from django.test import Client
from django.urls import reverse

from quizzes import focus, services
from quizzes.models import FocusLoss
from quizzes.selectors import focus_loss_counts
from tests.quizzes.factories import question, quiz

pytestmark = pytest.mark.django_db


@pytest.fixture
def attempt(trainee):
    from datetime import timedelta

    from django.utils import timezone

    q = quiz([question()])
    attempt = services.start_attempt(quiz=q, user=trainee)
    # Started ten minutes ago: a report can say the page was away for up to that long.
    attempt.started_at = timezone.now() - timedelta(minutes=10)
    attempt.save(update_fields=["started_at"])
    return attempt


def _post(client, attempt_id, events):
    return client.post(f"/api/v1/attempts/{attempt_id}/focus/", {"events": events}, content_type="application/json")


def test_owner_records_focus_losses_and_the_trainer_sees_them(client, trainee, trainer, attempt):
    client.force_login(trainee)
    response = _post(client, attempt.pk, [{"kind": "hidden", "ms": 12_500}, {"kind": "blur", "ms": 800}])
    assert response.status_code == 202 and response.json() == {"recorded": 2}
    assert focus_loss_counts([attempt.pk]) == {attempt.pk: 2}
    rows = list(FocusLoss.objects.filter(attempt=attempt).order_by("pk"))
    assert [(r.kind, r.duration_ms) for r in rows] == [("hidden", 12_500), ("blur", 800)] and rows[0].returned_at
    # Never blocking: the attempt goes on and is submitted as usual.
    services.submit_attempt(attempt=attempt, user=trainee)
    client.force_login(trainer)
    html = client.get(reverse("quizzes:results", args=[attempt.quiz_id])).content.decode()
    assert "quiz-focus" in html and "13" in html
    api = client.get(f"/api/v1/quizzes/{attempt.quiz_id}/results/").json()
    assert api[0]["attempts"][0]["focus_losses"] == 2 and api[0]["attempts"][0]["seconds_away"] == 13


def test_nobody_else_can_report_for_an_attempt(client, other_trainee, trainer, attempt):
    for user in (other_trainee, trainer):
        client.force_login(user)
        assert _post(client, attempt.pk, [{"kind": "hidden", "ms": 1000}]).status_code == 404
    assert _post(Client(), attempt.pk, [{"kind": "hidden", "ms": 1000}]).status_code in (401, 403)
    assert not FocusLoss.objects.exists()


def test_bad_reports_are_refused_or_skipped(client, trainee, attempt):
    client.force_login(trainee)
    assert _post(client, attempt.pk, "many").status_code == 400
    assert client.post(f"/api/v1/attempts/{attempt.pk}/focus/", "not json", content_type="application/json").status_code == 400
    weird = [
        {"kind": "hidden", "ms": -5},
        {"kind": "<script>", "ms": 10},
        {"kind": "blur", "ms": True},
        "x",
        {"kind": "blur", "ms": 10**12},
    ]
    response = _post(client, attempt.pk, weird)
    assert response.status_code == 202 and response.json() == {"recorded": 1}
    # A duration longer than the attempt has run is cut to the attempt's age.
    assert 590_000 <= FocusLoss.objects.get().duration_ms <= 610_000


def test_a_script_cannot_flood_the_table(client, trainee, attempt, monkeypatch):
    client.force_login(trainee)
    many = [{"kind": "blur", "ms": 1}] * 100
    assert _post(client, attempt.pk, many).json() == {"recorded": focus.MAX_PER_POST}
    for _ in range(focus.MAX_POSTS_PER_MINUTE - 1):
        assert _post(client, attempt.pk, many).status_code == 202
    limited = _post(client, attempt.pk, many)
    assert limited.status_code == 429 and limited.json()["code"] == "too_many_reports"
    assert FocusLoss.objects.count() == min(focus.MAX_PER_ATTEMPT, focus.MAX_PER_POST * focus.MAX_POSTS_PER_MINUTE)
    # The per-attempt cap holds across minutes too.
    monkeypatch.setattr(focus, "MAX_PER_ATTEMPT", FocusLoss.objects.count())
    from django.core.cache import cache

    cache.clear()
    assert _post(client, attempt.pk, many).json() == {"recorded": 0}


def test_submitted_attempt_takes_no_more_reports(client, trainee, attempt):
    services.submit_attempt(attempt=attempt, user=trainee)
    client.force_login(trainee)
    response = _post(client, attempt.pk, [{"kind": "hidden", "ms": 1000}])
    assert response.status_code == 409 and response.json()["code"] == "attempt_closed"
