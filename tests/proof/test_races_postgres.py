"""Races at the scale of a class on PostgreSQL: 50 or 20 threads, each on its own database connection,
connected first and then released together by a barrier, run the real services at the same instant.

The rules under test:
- an attempt is graded once however many submits arrive together (one grade event in the audit log);
- a trainee's attempts at a quiz are numbered 1, 2, 3… in the order they are started, without a gap or a
  duplicate, and at most one is open at a time (starting while one is open resumes it);
- one person completing their programme gets one certificate, however many requests finish at once;
- people completing at once get consecutive serials: every number used once, none skipped.
"""

from __future__ import annotations

from collections import Counter

import pytest
from django.utils import timezone

from certificates.models import Certificate, SerialCounter
from courses.models import Enrollment
from courses.services import mark_lesson_done
from lms.models import AuditEvent
from quizzes import services as quiz_services
from quizzes.models import Attempt, Response
from tests.certificates.factories import ProgrammeFactory
from tests.concurrency import all_at_once
from tests.factories import CourseFactory, LessonFactory, UserFactory
from tests.quizzes.factories import question, quiz, right_answer

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def unexpected(results, *allowed):
    return [r for r in results if isinstance(r, BaseException) and not isinstance(r, allowed)]


# ---------------------------------------------------------------------------------------------
# Quizzes


def test_fifty_simultaneous_submits_grade_the_attempt_once(trainee):
    items = [question(name=f"题{n}") for n in range(4)]
    q = quiz(items)
    attempt = quiz_services.start_attempt(quiz=q, user=trainee)
    # Half of the submits bring last answers (all right), half bring none: whichever wins decides the
    # grade, and the grade must be that winner's and nobody else's.
    answers = {item.pk: right_answer(item) for item in items}
    results = all_at_once(
        [
            (lambda n=n: quiz_services.submit_attempt(attempt=attempt, user=trainee, answers=answers if n % 2 else None))
            for n in range(50)
        ]
    )
    assert not unexpected(results, quiz_services.AttemptClosed), results
    won = [r for r in results if isinstance(r, Attempt)]
    assert len(won) == 1
    assert sum(isinstance(r, quiz_services.AttemptClosed) for r in results) == 49
    attempt.refresh_from_db()
    assert attempt.status == "submitted" and attempt.percent == won[0].percent
    assert attempt.percent in (0, 100)
    assert AuditEvent.objects.filter(action="quiz.attempt.grade", object_id=str(attempt.pk)).count() == 1
    # Every question of the attempt has exactly one stored response, graded.
    per_question = Counter(Response.objects.filter(attempt=attempt).values_list("question_id", flat=True))
    assert per_question == Counter({item.pk: 1 for item in items})
    assert not Response.objects.filter(attempt=attempt, score__isnull=True).exists()


def test_fifty_simultaneous_starts_are_numbered_without_gaps_or_duplicates(trainee):
    """Rule: each of the 50 threads starts an attempt and submits it; when the attempt it got back was
    another thread's open one (start resumes) and that thread submitted first, it starts again.
    So 50 attempts end up submitted, and they must be numbered exactly 1…50."""
    q = quiz([question()], max_attempts=0)

    def start_and_submit_one():
        for tries in range(1, 200):
            attempt = quiz_services.start_attempt(quiz=q, user=trainee)
            try:
                quiz_services.submit_attempt(attempt=attempt, user=trainee)
                return attempt.number, tries
            except quiz_services.AttemptClosed:
                continue
        raise AssertionError("could not submit an attempt in 200 tries")

    results = all_at_once([start_and_submit_one for _ in range(50)])
    assert not unexpected(results), results
    submitted_numbers = sorted(number for number, _ in results)
    assert submitted_numbers == list(range(1, 51))
    rows = list(Attempt.objects.filter(quiz=q, user=trainee).order_by("number").values_list("number", "status"))
    assert [number for number, _ in rows] == list(range(1, 51))
    assert {status for _, status in rows} == {"submitted"}
    assert (
        AuditEvent.objects.filter(
            action="quiz.attempt.grade",
            object_id__in=[str(pk) for pk in Attempt.objects.filter(quiz=q).values_list("pk", flat=True)],
        ).count()
        == 50
    )
    # The threads really met: at least one had to start again after losing a race.
    assert max(tries for _, tries in results) > 1


def test_fifty_simultaneous_first_starts_open_one_attempt(trainee):
    q = quiz([question()], max_attempts=0)
    results = all_at_once([(lambda: quiz_services.start_attempt(quiz=q, user=trainee)) for _ in range(50)])
    assert not unexpected(results), results
    assert {r.pk for r in results} == {Attempt.objects.get(quiz=q, user=trainee).pk}
    assert Attempt.objects.get(quiz=q, user=trainee).number == 1


# ---------------------------------------------------------------------------------------------
# Certificates


@pytest.fixture
def two_courses(catalogue):
    courses = []
    for title in ("网站后台管理", "专题制作"):
        course = CourseFactory(parent=catalogue, title=title)
        lessons = [LessonFactory(parent=course, title=f"{title}第{n + 1}课") for n in range(2)]
        courses.append((course, lessons))
    return courses


@pytest.fixture
def programme(two_courses):
    return ProgrammeFactory(name="常德市商务网站管理员资格", slug="changde-webmaster", courses=[c for c, _ in two_courses])


def test_twenty_simultaneous_completions_by_one_trainee_issue_one_certificate(trainee, two_courses, programme):
    """The trainee has one lesson left in each of the programme's two courses. 20 requests finish them
    at once (10 the first course's, 10 the second's, as from several tabs and a retrying client): each
    course completes once and whichever completes last issues the certificate, once."""
    (course_a, lessons_a), (course_b, lessons_b) = two_courses
    mark_lesson_done(user=trainee, lesson=lessons_a[0])
    mark_lesson_done(user=trainee, lesson=lessons_b[0])
    last = [lessons_a[1], lessons_b[1]]
    results = all_at_once([(lambda n=n: mark_lesson_done(user=trainee, lesson=last[n % 2])) for n in range(20)])
    assert not unexpected(results), results
    assert Enrollment.objects.filter(user=trainee, completed_at__isnull=False).count() == 2
    assert AuditEvent.objects.filter(action="course.complete").count() == 2
    certificate = Certificate.objects.get(holder=trainee, programme=programme)
    assert certificate.serial.endswith("-000001")
    assert SerialCounter.objects.get(programme=programme).last_number == 1
    assert AuditEvent.objects.filter(action="certificate.issue").count() == 1
    assert certificate.sha256 and certificate.pdf.storage.exists(certificate.pdf.name)


def test_twenty_trainees_completing_at_once_get_gap_free_serials(team, two_courses, programme):
    """20 trainees, each with the first course done and one lesson left in the second, finish it at
    the same instant: 20 certificates, serials 000001…000020 each used once, every PDF written."""
    (course_a, _), (course_b, lessons_b) = two_courses
    trainees = [UserFactory(full_name=f"学员{n:02d}", role="trainee", team=team) for n in range(20)]
    now = timezone.now()
    Enrollment.objects.bulk_create([Enrollment(user=t, course=course_a, completed_at=now) for t in trainees])
    for t in trainees:
        mark_lesson_done(user=t, lesson=lessons_b[0])
    results = all_at_once([(lambda t=t: mark_lesson_done(user=t, lesson=lessons_b[1])) for t in trainees])
    assert not unexpected(results), results
    certificates = list(Certificate.objects.filter(programme=programme))
    assert sorted(c.holder_id for c in certificates) == sorted(t.pk for t in trainees)
    year = timezone.localtime(now).year
    assert sorted(c.serial for c in certificates) == [f"CD-{year}-{n:06d}" for n in range(1, 21)]
    assert SerialCounter.objects.get(programme=programme, year=year).last_number == 20
    assert AuditEvent.objects.filter(action="certificate.issue").count() == 20
    assert all(c.sha256 and c.pdf.storage.exists(c.pdf.name) for c in certificates)
