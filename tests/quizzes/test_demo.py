"""The demo quizzes: one per demo course, embedded in it, with enough attempts for the item analysis."""

import pytest
from django.core.management import call_command

from courses import completion
from courses.models import CoursePage
from quizzes.models import Attempt, Question, Quiz
from quizzes.statistics import quiz_statistics

pytestmark = pytest.mark.django_db


def test_demo_quizzes(client):
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    counts = (Quiz.objects.count(), Question.objects.count(), Attempt.objects.count())
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    assert (Quiz.objects.count(), Question.objects.count(), Attempt.objects.count()) == counts
    assert Attempt.objects.filter(status="in_progress").count() == 0

    for slug in ("backoffice", "topic-pages", "images", "rules-security"):
        course = CoursePage.objects.get(slug=slug)
        quiz_requirements = [r for r in completion.course_requirements(_any_trainee(), course) if r.kind == "quiz"]
        assert len(quiz_requirements) == 1
        quiz = Quiz.objects.get(pk=int(quiz_requirements[0].key.split(":")[1]))
        assert quiz.slots.count() >= 15
        assert set(quiz.slots.values_list("question__qtype", flat=True)) >= {"single", "multiple", "truefalse", "short", "ordering"}
        stats = quiz_statistics(quiz=quiz)
        assert stats.reliable and all(item.facility is not None for item in stats.items)

    assert client.login(username="hanshou1", password="changde2026")
    lesson = CoursePage.objects.get(slug="backoffice").lessons().get(slug="final-quiz")
    assert "结业测验" in client.get(lesson.url).content.decode()


def _any_trainee():
    from lms.models import User

    return User.objects.get(username="hanshou1")
