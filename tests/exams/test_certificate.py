"""The certificate follows the best passing result across a sitting and its make-ups, through the
existing seams (quiz outcome → course completion → certificate), without certificates knowing exams."""

from datetime import timedelta

import pytest
from django.utils import timezone

from certificates.models import Certificate
from exams import services
from quizzes import services as quiz_services
from tests.certificates.factories import ProgrammeFactory
from tests.factories import CourseFactory, LessonFactory
from tests.quizzes.factories import question, quiz, right_answer, wrong_answer

pytestmark = pytest.mark.django_db


def test_failing_the_sitting_then_passing_the_makeup_earns_the_certificate(
    catalogue, bureau_admin, team, trainee, django_capture_on_commit_callbacks
):
    from courses.services import mark_lesson_done

    item = question(name="资格题", explanation="<p>解析</p>")
    exam = quiz([item], pass_mark=100, title="资格考试")
    course = CourseFactory(parent=catalogue, title="网站管理员资格")
    LessonFactory(parent=course, title="第1课")
    LessonFactory(parent=course, title="资格考试", body=[("quiz", {"quiz": exam, "intro": ""})])
    ProgrammeFactory(name="常德市商务网站管理员资格", slug="changde-webmaster", courses=[course])
    for lesson in course.lessons():
        mark_lesson_done(user=trainee, lesson=lesson)

    now = timezone.now()
    from exams.models import ExamSitting

    main = services.schedule_sitting(
        actor=bureau_admin,
        teams=[team],
        people=[],
        sitting=ExamSitting(
            quiz=exam, title="资格考试", opens_at=now - timedelta(minutes=5), closes_at=now + timedelta(minutes=30)
        ),
    )
    attempt = services.start_sitting_attempt(sitting=main, user=trainee)
    with django_capture_on_commit_callbacks(execute=True):
        quiz_services.submit_attempt(attempt=attempt, user=trainee, answers={item.pk: wrong_answer(item)})
    assert not Certificate.objects.filter(holder=trainee).exists()

    after = main.closes_at + timedelta(minutes=1)
    makeup = services.create_makeup(
        actor=bureau_admin, sitting=main, opens_at=after + timedelta(minutes=1), closes_at=after + timedelta(hours=1), now=after
    )
    during = makeup.opens_at + timedelta(minutes=1)
    attempt = services.start_sitting_attempt(sitting=makeup, user=trainee, now=during)
    with django_capture_on_commit_callbacks(execute=True):
        quiz_services.submit_attempt(attempt=attempt, user=trainee, answers={item.pk: right_answer(item)}, now=during)
    assert Certificate.objects.filter(holder=trainee, programme__slug="changde-webmaster").count() == 1


def test_team_qualification_shows_the_exam_pass_rate(client, catalogue, bureau_admin, team, other_team, trainee, other_trainee):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from exams.models import ExamSitting
    from exams.qualification import exam_pass_rates
    from tests.factories import UserFactory

    second = UserFactory(role="trainee", team=team)
    exam = quiz([question()], pass_mark=100)
    now = timezone.now()
    sitting = services.schedule_sitting(
        actor=bureau_admin,
        teams=[team],
        people=[],
        sitting=ExamSitting(
            quiz=exam, title="资格考试", opens_at=now - timedelta(minutes=5), closes_at=now + timedelta(minutes=30)
        ),
    )
    for person, good in ((trainee, True), (second, False)):
        attempt = services.start_sitting_attempt(sitting=sitting, user=person)
        item = exam.slots.get().question
        quiz_services.submit_attempt(
            attempt=attempt, user=person, answers={item.pk: (right_answer if good else wrong_answer)(item)}
        )
    with CaptureQueriesContext(connection) as queries:
        rates = exam_pass_rates([team.pk, other_team.pk], now)
    assert rates == {team.pk: 50} and len(queries) == 1
