"""Enrolment, lesson progress and the course completion rule."""

import pytest

from courses import completion, selectors, services
from courses.models import Enrollment, LessonProgress
from lms.models import AuditEvent
from tests.factories import LessonFactory

pytestmark = pytest.mark.django_db


def test_enrol_is_idempotent(trainee, course):
    first = services.enroll(user=trainee, course=course)
    second = services.enroll(user=trainee, course=course)
    assert first.pk == second.pk
    assert Enrollment.objects.count() == 1


def test_cannot_enrol_in_an_unpublished_course(trainee, course):
    course.unpublish()
    with pytest.raises(services.CourseNotAvailable):
        services.enroll(user=trainee, course=course)


def test_marking_lessons_done_reaches_completion_once(trainee, course):
    lessons = list(course.lessons())
    heard = []
    listener = completion.register_completion_listener(lambda **kw: heard.append(kw["course"].pk))
    try:
        for lesson in lessons:
            services.mark_lesson_done(user=trainee, lesson=lesson)
        services.mark_lesson_done(user=trainee, lesson=lessons[0])  # again: nothing new
    finally:
        completion._completion_listeners.remove(listener)
    enrollment = Enrollment.objects.get(user=trainee, course=course)
    assert enrollment.completed_at is not None
    assert heard == [course.pk]
    assert LessonProgress.objects.filter(user=trainee).count() == 3
    assert AuditEvent.objects.filter(action="course.complete").count() == 1


def test_optional_lessons_do_not_block_completion(trainee, course):
    LessonFactory(parent=course, title="拓展阅读", is_required=False)
    for lesson in course.lessons().filter(is_required=True):
        services.mark_lesson_done(user=trainee, lesson=lesson)
    assert Enrollment.objects.get(user=trainee, course=course).completed_at is not None


def test_a_registered_requirement_holds_completion_back(trainee, course):
    def quiz_requirement(*, user, lessons_by_course):
        return {c.pk: [completion.Requirement(key="quiz:1", label="结业测验", done=False, kind="quiz")] for c in lessons_by_course}

    completion.register_requirement_provider(quiz_requirement)
    try:
        for lesson in course.lessons():
            services.mark_lesson_done(user=trainee, lesson=lesson)
        outline = selectors.course_outline(user=trainee, course=course)
        assert not outline.completed
        assert outline.percent == 75
    finally:
        completion._providers.remove(quiz_requirement)


def test_progress_percent_and_continue_lesson(trainee, course):
    lessons = list(course.lessons())
    services.mark_lesson_done(user=trainee, lesson=lessons[0])
    outline = selectors.course_outline(user=trainee, course=course)
    assert outline.percent == 33
    assert outline.continue_lesson == lessons[1]


def test_continue_where_you_left_off_prefers_the_last_visited_unfinished_lesson(trainee, course):
    lessons = list(course.lessons())
    services.enroll(user=trainee, course=course)
    services.record_lesson_visit(user=trainee, lesson=lessons[2], course=course)
    assert selectors.course_outline(user=trainee, course=course).continue_lesson == lessons[2]


def test_enrol_a_whole_team(team, trainee, course, bureau_admin):
    assert services.enroll_team(team=team, course=course, actor=bureau_admin) == 1
    assert services.enroll_team(team=team, course=course, actor=bureau_admin) == 0
    assert Enrollment.objects.filter(course=course).count() == 1


def test_draft_lessons_are_not_part_of_the_course(trainee, course):
    LessonFactory(parent=course, title="草稿课时", publish=False)
    assert [lesson.title for lesson in course.lessons()] == ["第1课", "第2课", "第3课"]
    with pytest.raises(services.CourseNotAvailable):
        draft = course.get_children().not_live().first().specific
        services.mark_lesson_done(user=trainee, lesson=draft)
