"""The quiz block in a lesson, and passing the quiz as a course completion requirement."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from courses import completion
from courses.models import Enrollment
from courses.services import enroll, mark_lesson_done
from quizzes import services
from tests.factories import CourseFactory, LessonFactory

from .factories import question, quiz, right_answer, wrong_answer

pytestmark = pytest.mark.django_db


def quiz_lesson(course, q, title="结业测验"):
    return LessonFactory(parent=course, title=title, body=[("text", "<p>学完了，来测一测。</p>"), ("quiz", {"quiz": q, "intro": "检验你是否掌握了本课程"})])


def test_passing_the_embedded_quiz_completes_the_course(client, course, trainee):
    item = question()
    q = quiz([item], pass_mark=100)
    lesson = quiz_lesson(course, q)
    enroll(user=trainee, course=course)
    for each in course.lessons():
        mark_lesson_done(user=trainee, lesson=each)
    requirements = completion.course_requirements(trainee, course)
    quiz_req = [r for r in requirements if r.kind == "quiz"]
    assert len(quiz_req) == 1 and not quiz_req[0].done and q.title in quiz_req[0].label
    assert Enrollment.objects.get(user=trainee, course=course).completed_at is None
    # A failed attempt does not complete it; a pass does, through lms.progress.
    services.submit_attempt(attempt=services.start_attempt(quiz=q, user=trainee), user=trainee, answers={item.pk: wrong_answer(item)})
    assert Enrollment.objects.get(user=trainee, course=course).completed_at is None
    services.submit_attempt(attempt=services.start_attempt(quiz=q, user=trainee), user=trainee, answers={item.pk: right_answer(item)})
    assert Enrollment.objects.get(user=trainee, course=course).completed_at is not None
    # The lesson shows the quiz card with the trainee's standing.
    client.force_login(trainee)
    html = client.get(lesson.url).content.decode()
    assert "检验你是否掌握了本课程" in html and f"/quizzes/{q.pk}/" in html and "100%" in html


def test_requirement_provider_is_bulk(catalogue, trainee):
    def build(n):
        courses = []
        for i in range(n):
            course = CourseFactory(parent=catalogue)
            LessonFactory(parent=course)
            quiz_lesson(course, quiz([question(name=f"题{i}")]))
            courses.append(course)
        return courses

    few, many = build(1), build(5)

    def count(courses):
        with CaptureQueriesContext(connection) as queries:
            result = completion.requirements_by_course(trainee, courses)
        assert all(any(r.kind == "quiz" for r in result[c.pk]) for c in courses)
        return len(queries)

    count(few)  # warm the per-process caches (site root paths, content types)
    count(many)  # and the shared course outlines (courses/outline_cache.py)
    assert count(few) == count(many)


def test_unpublished_quiz_is_not_a_requirement(course, trainee):
    q = quiz([question()], is_published=False)
    quiz_lesson(course, q)
    assert not [r for r in completion.course_requirements(trainee, course) if r.kind == "quiz"]
