"""A programme of one course (the shared `course` fixture) and helpers to put people through it."""

import pytest
from django.utils import timezone

from courses.models import Enrollment
from quizzes import services as quiz_services
from tests.factories import LessonFactory, UserFactory
from tests.quizzes.factories import question, quiz, right_answer, wrong_answer
from tests.quizzes.practical.factories import TaskFactory

from .factories import ProgrammeFactory


@pytest.fixture
def programme(course):
    return ProgrammeFactory(name="常德市商务网站管理员资格", slug="webmaster", courses=[course])


@pytest.fixture
def complete():
    """complete(user, course): the user has completed the course (enrolment marked complete)."""

    def _complete(user, course, when=None):
        enrollment, _ = Enrollment.objects.get_or_create(user=user, course=course)
        enrollment.completed_at = when or timezone.now()
        enrollment.last_activity_at = when or timezone.now()
        enrollment.save()
        return enrollment

    return _complete


@pytest.fixture
def make_trainees():
    def _make(team, n, **kwargs):
        return [UserFactory(role="trainee", team=team, **kwargs) for _ in range(n)]

    return _make


@pytest.fixture
def exam(course):
    """A two-question quiz (pass mark 60) embedded in a lesson of the programme's course."""
    items = [question(name="一"), question(name="二")]
    q = quiz(items, title="结业测验", pass_mark=60)
    LessonFactory(parent=course, title="测验", body=[("quiz", {"quiz": q, "intro": ""})])
    return q, items


def take(q, items, user, right: int):
    """Submit an attempt with `right` of the questions answered correctly."""
    attempt = quiz_services.start_attempt(quiz=q, user=user)
    answers = {item.pk: (right_answer(item) if n < right else wrong_answer(item)) for n, item in enumerate(items)}
    return quiz_services.submit_attempt(attempt=attempt, user=user, answers=answers)


@pytest.fixture
def task(course):
    work = TaskFactory(title="专题策划书", kind="reviewed", spec={}, accept_text=True, accept_file=False)
    LessonFactory(parent=course, title="交作业", body=[("practical_task", {"task": work, "note": ""})])
    return work
