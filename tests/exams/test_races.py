"""Real races on PostgreSQL: two tabs starting the same sitting at once, the whole room opening the
sitting at once. Threads with their own connections (tests/concurrency.py), no mocks."""

import pytest

from exams import services
from exams.models import ExamInvitation, SittingAttempt
from quizzes.models import Attempt
from tests.concurrency import all_at_once
from tests.factories import UserFactory

from .helpers import sitting

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_two_tabs_starting_at_once_get_one_attempt(bureau_admin, team, trainee):
    s = sitting(actor=bureau_admin, teams=[team])
    results = all_at_once([lambda: services.start_sitting_attempt(sitting=s, user=trainee) for _ in range(4)])
    attempts = {r.pk for r in results if isinstance(r, Attempt)}
    assert len(attempts) == 1, results
    assert SittingAttempt.objects.count() == 1 and Attempt.objects.filter(user=trainee).count() == 1


def test_second_attempt_refused_even_when_racing_after_submit(bureau_admin, team, trainee):
    from quizzes import services as quiz_services

    s = sitting(actor=bureau_admin, teams=[team])
    first = services.start_sitting_attempt(sitting=s, user=trainee)
    quiz_services.submit_attempt(attempt=first, user=trainee)
    results = all_at_once([lambda: services.start_sitting_attempt(sitting=s, user=trainee) for _ in range(3)])
    assert all(isinstance(r, services.NoAttemptsLeft) for r in results), results
    assert SittingAttempt.objects.count() == 1


def test_the_room_opening_at_once_computes_invitations_once(bureau_admin, team):
    people = [UserFactory(role="trainee", team=team) for _ in range(6)]
    s = sitting(actor=bureau_admin, teams=[team])
    results = all_at_once([lambda p=p: services.start_sitting_attempt(sitting=s, user=p) for p in people])
    assert all(isinstance(r, Attempt) for r in results), results
    assert ExamInvitation.objects.filter(sitting=s).count() == 6
    assert SittingAttempt.objects.count() == 6
