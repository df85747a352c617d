"""Real races on PostgreSQL: parallel completions issue one certificate; parallel issues use every
serial exactly once. Threads with their own connections, released together by a barrier."""

import threading

import pytest
from django.utils import timezone

from certificates import services
from certificates.models import Certificate, SerialCounter
from courses.models import Enrollment
from tests.factories import UserFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _in_parallel(functions):
    barrier = threading.Barrier(len(functions))
    errors = []

    def run(function):
        from django.db import connections

        try:
            barrier.wait(timeout=10)
            function()
        except Exception as exc:  # collected and re-raised in the test thread
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(f,)) for f in functions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors


def test_parallel_completions_issue_exactly_one_certificate(trainee, programme, course, second_course):
    now = timezone.now()
    for c in (course, second_course):
        Enrollment.objects.create(user=trainee, course=c, completed_at=now)
    calls = [
        (lambda course_id=c.pk: services.handle_completion(user_id=trainee.pk, course_id=course_id))
        for c in (course, second_course) * 4
    ]
    _in_parallel(calls)
    assert Certificate.objects.filter(holder=trainee).count() == 1
    certificate = Certificate.objects.get()
    assert certificate.serial.endswith("-000001") and certificate.sha256
    assert SerialCounter.objects.get(programme=programme).last_number == 1


def test_parallel_issues_use_every_serial_once_without_gaps(programme):
    people = [UserFactory() for _ in range(10)]
    _in_parallel([(lambda p=p: services.issue_certificate(holder=p, programme=programme, manual=False)) for p in people])
    numbers = sorted(int(serial[-6:]) for serial in Certificate.objects.values_list("serial", flat=True))
    assert numbers == list(range(1, 11))
