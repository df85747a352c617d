"""“继续学习” leads to the next thing left to do: an unread lesson, then the quiz, then the task, then the review
being waited on; and a completed programme shows its certificate on 我的课程."""

import re

import pytest

from certificates import services as certificate_services
from courses import selectors
from courses.services import enroll, mark_lesson_done
from quizzes import services as quiz_services
from quizzes.practical.services import review_submission, submit_work
from tests.certificates.factories import ProgrammeFactory
from tests.factories import LessonFactory
from tests.quizzes.factories import question, quiz, right_answer
from tests.quizzes.practical.factories import TaskFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def assessed(course):
    """The shared three-lesson course plus a quiz lesson and a reviewed-task lesson."""
    item = question()
    exam = quiz([item], title="后台管理结业测验", pass_mark=100, is_published=True)
    LessonFactory(parent=course, title="第4课 测验", body=[("quiz", {"quiz": exam, "intro": ""})])
    task = TaskFactory(kind="reviewed", spec={}, accept_text=True, title="网站安全自查报告")
    LessonFactory(parent=course, title="第5课 实操", body=[("practical_task", {"task": task, "note": ""})])
    return {"course": course, "quiz": exam, "item": item, "task": task}


def read_all(user, course):
    for lesson in course.lessons():
        mark_lesson_done(user=user, lesson=lesson)


def test_next_step_walks_lessons_then_quiz_then_task_then_review(assessed, trainee, trainer):
    course, exam, task = assessed["course"], assessed["quiz"], assessed["task"]
    enroll(user=trainee, course=course)
    step = selectors.course_outline(user=trainee, course=course).next_step
    assert step.kind == "lesson" and step.url == course.lessons().first().url

    read_all(trainee, course)
    step = selectors.course_outline(user=trainee, course=course).next_step
    assert (step.kind, step.url) == ("quiz", f"/quizzes/{exam.pk}/") and exam.title in step.label

    attempt = quiz_services.start_attempt(quiz=exam, user=trainee)
    quiz_services.submit_attempt(attempt=attempt, user=trainee, answers={assessed["item"].pk: right_answer(assessed["item"])})
    step = selectors.course_outline(user=trainee, course=course).next_step
    assert (step.kind, step.url, step.waiting) == ("task", f"/hands-on/tasks/{task.pk}/", False)

    submission = submit_work(task=task, user=trainee, text="自查报告")
    step = selectors.course_outline(user=trainee, course=course).next_step
    assert step.kind == "task" and step.waiting and "等待" in step.label

    review_submission(submission=submission, reviewer=trainer, accept=True, feedback="好")
    outline = selectors.course_outline(user=trainee, course=course)
    assert outline.completed and outline.next_step is None


def test_course_page_and_my_courses_point_to_the_quiz_not_lesson_one(client, assessed, trainee):
    course, exam = assessed["course"], assessed["quiz"]
    enroll(user=trainee, course=course)
    read_all(trainee, course)
    client.force_login(trainee)
    for url in (course.url, "/my/"):
        page = client.get(url).content.decode()
        primary = re.search(r'<a class="button button--primary[^"]*" href="([^"]+)"', page).group(1)
        assert primary == f"/quizzes/{exam.pk}/", url
        assert exam.title in page


def test_a_finished_lesson_list_with_a_failed_quiz_still_points_to_the_quiz(assessed, trainee):
    course, exam = assessed["course"], assessed["quiz"]
    enroll(user=trainee, course=course)
    read_all(trainee, course)
    attempt = quiz_services.start_attempt(quiz=exam, user=trainee)
    quiz_services.submit_attempt(attempt=attempt, user=trainee, answers={})
    assert selectors.course_outline(user=trainee, course=course).next_step.kind == "quiz"


def test_my_courses_shows_the_certificate_of_a_completed_programme(client, course, trainee, bureau_admin):
    programme = ProgrammeFactory(name="常德市商务网站管理员资格", courses=[course])
    enroll(user=trainee, course=course)
    read_all(trainee, course)
    certificate = certificate_services.issue_certificate(holder=trainee, programme=programme, actor=bureau_admin)
    client.force_login(trainee)
    page = client.get("/my/").content.decode()
    assert programme.name in page and certificate.serial in page
    assert "/my/certificates/" in page and f"/certificates/{certificate.pk}/pdf/" in page
