"""Real races on PostgreSQL: two submits of one attempt grade it once; parallel starts are numbered
without gaps or duplicates. Threads with their own connections, no mocks."""


import pytest

from lms.models import AuditEvent
from quizzes import services
from quizzes.models import Attempt
from tests.concurrency import all_at_once

from .factories import question, quiz, right_answer

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_two_parallel_submits_grade_once(trainee):
    item = question()
    q = quiz([item])
    for _ in range(3):
        attempt = services.start_attempt(quiz=q, user=trainee)
        results = all_at_once([
            lambda a=attempt: services.submit_attempt(attempt=a, user=trainee, answers={item.pk: right_answer(item)}),
            lambda a=attempt: services.submit_attempt(attempt=a, user=trainee),
        ])
        won = [r for r in results if isinstance(r, Attempt)]
        lost = [r for r in results if isinstance(r, services.AttemptClosed)]
        assert len(won) == 1 and len(lost) == 1, results
        assert AuditEvent.objects.filter(action="quiz.attempt.grade", object_id=str(attempt.pk)).count() == 1
        attempt.refresh_from_db()
        assert attempt.is_finished and attempt.percent == won[0].percent


def test_parallel_starts_number_attempts_without_gaps(trainee):
    q = quiz([question()])

    def start_and_submit():
        numbers = []
        for _ in range(3):
            try:
                attempt = services.start_attempt(quiz=q, user=trainee)
                services.submit_attempt(attempt=attempt, user=trainee)
                numbers.append(attempt.number)
            except services.AttemptClosed:
                # The other thread resumed the same open attempt and submitted it first.
                pass
        return numbers

    results = all_at_once([start_and_submit for _ in range(4)])
    assert not [r for r in results if isinstance(r, Exception)], results
    numbers = sorted(Attempt.objects.filter(quiz=q, user=trainee).values_list("number", flat=True))
    assert numbers == list(range(1, len(numbers) + 1)) and len(numbers) >= 3
    assert not Attempt.objects.filter(quiz=q, user=trainee, status="in_progress").exists()


def test_simultaneous_first_starts_share_one_attempt(trainee):
    q = quiz([question()])
    results = all_at_once([lambda: services.start_attempt(quiz=q, user=trainee) for _ in range(3)])
    assert all(isinstance(r, Attempt) for r in results), results
    assert len({r.pk for r in results}) == 1
    assert Attempt.objects.filter(quiz=q, user=trainee).count() == 1
