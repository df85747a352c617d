"""The exams API: a trainee's sittings and start (clear Chinese errors), results scoped like the page."""

from datetime import timedelta

import pytest
from django.urls import reverse

from exams.models import SittingAttempt

from .helpers import sitting

pytestmark = pytest.mark.django_db


def test_trainee_lists_and_starts_through_the_api(client, bureau_admin, team, trainee, other_trainee):
    s = sitting(actor=bureau_admin, teams=[team])
    later = sitting(actor=bureau_admin, teams=[team], opens_in=timedelta(hours=2), title="下午场")
    client.force_login(trainee)
    mine = client.get(reverse("exams-mine")).json()
    assert [x["id"] for x in mine["open"]] == [s.pk] and [x["id"] for x in mine["upcoming"]] == [later.pk]
    early = client.post(reverse("exams-start", args=[later.pk]))
    assert early.status_code == 409 and early.json()["code"] == "not_open_yet" and "考试尚未开始" in early.json()["detail"]
    started = client.post(reverse("exams-start", args=[s.pk]))
    assert started.status_code == 201
    again = client.post(reverse("exams-start", args=[s.pk]))
    assert again.json()["attempt"] == started.json()["attempt"]
    # The attempt is answered through the quiz API.
    assert client.get(reverse("quiz-attempt", args=[started.json()["attempt"]])).status_code == 200
    client.force_login(other_trainee)
    refused = client.post(reverse("exams-start", args=[s.pk]))
    assert refused.status_code == 404 and "未受邀" in refused.json()["detail"]
    assert client.get(reverse("exams-my-sitting", args=[s.pk])).status_code == 404
    assert SittingAttempt.objects.count() == 1


def test_results_api_follows_the_same_rules(client, bureau_admin, trainer, team, other_team, trainee, other_trainee):
    s = sitting(actor=bureau_admin, teams=[team, other_team])
    client.force_login(trainer)
    body = client.get(reverse("exams-results", args=[s.pk])).json()
    assert [t["team"] for t in body["teams"]] == ["hanshou"] and [p["username"] for p in body["people"]] == [trainee.username]
    assert body["total"]["invited"] == 1 and body["total"]["absent"] == 1
    assert [x["id"] for x in client.get(reverse("exams-sittings")).json()] == [s.pk]
    client.force_login(bureau_admin)
    assert client.get(reverse("exams-results", args=[s.pk])).json()["total"]["invited"] == 2
    client.force_login(trainee)
    assert client.get(reverse("exams-results", args=[s.pk])).status_code == 403
    assert client.get(reverse("exams-sittings")).status_code == 403
    client.logout()
    assert client.get(reverse("exams-results", args=[s.pk])).status_code in (401, 403)


def test_api_schema_documents_the_exams_endpoints(client):
    schema = client.get(reverse("api-schema")).content.decode()
    assert "/api/v1/exams/sittings/{id}/results/" in schema and "/api/v1/exams/sittings/{id}/start/" in schema


def test_a_sitting_start_on_exam_day_costs_a_fixed_few_queries(client, bureau_admin, team, trainee):
    """Everyone invited starts in the same minute: reads of the sitting, the invitation and the person's
    attempts, then one transaction writing the attempt and its link (asserted, never timed)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import UserFactory

    s = sitting(actor=bureau_admin, teams=[team])
    client.force_login(UserFactory(role="trainee", team=team))
    client.post(reverse("exams-start", args=[s.pk]))  # the sitting opens at its first start
    client.force_login(trainee)
    with CaptureQueriesContext(connection) as queries:
        started = client.post(reverse("exams-start", args=[s.pk]))
    assert started.status_code == 201
    statements = [q["sql"] for q in queries.captured_queries if not q["sql"].startswith(("BEGIN", "SAVEPOINT", "RELEASE", "COMMIT"))]
    # session, user with roles, sitting with quiz, invitation, attempts, INSERT attempt, INSERT link
    assert len(statements) <= 7, statements
