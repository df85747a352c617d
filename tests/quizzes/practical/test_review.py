"""Trainers review work of the teams they supervise, with a rubric; decisions are audited and feed course completion."""

from decimal import Decimal

import pytest

from courses.models import Enrollment
from courses.services import enroll
from lms.models import AuditEvent
from quizzes.practical import selectors
from quizzes.practical.services import ReviewRefused, review_submission, submit_work
from tests.factories import LessonFactory, UserFactory

from .factories import RubricCriterionFactory, TaskFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def reviewed_task(db):
    task = TaskFactory(kind="reviewed", spec={}, title="网站安全自查报告", accept_file=True, accept_link=True, accept_text=True, max_submissions=2)
    RubricCriterionFactory(task=task, title="内容完整", levels_text="优秀 | 10\n合格 | 6\n不合格 | 0")
    RubricCriterionFactory(task=task, title="格式规范", levels_text="规范 | 5\n不规范 | 0")
    return task


def levels_for(task, *names):
    return {str(c.pk): name for c, name in zip(task.rubric_criteria.all(), names, strict=False)}


def test_reviewed_work_waits_for_a_trainer(reviewed_task, trainee):
    submission = submit_work(task=reviewed_task, user=trainee, text="本单位已完成杀毒软件升级和涉密计算机物理隔离检查。")
    assert submission.status == "review"


def test_accept_with_rubric_scores_and_audit(reviewed_task, trainee, trainer):
    submission = submit_work(task=reviewed_task, user=trainee, link="https://example.cn/report")
    reviewed = review_submission(submission=submission, reviewer=trainer, accept=True, feedback="很好", levels=levels_for(reviewed_task, "优秀", "规范"))
    assert reviewed.status == "accepted" and reviewed.score == Decimal("15")
    assert [s["level"] for s in reviewed.rubric_scores] == ["优秀", "规范"]
    event = AuditEvent.objects.get(action="submission.accept")
    assert event.actor == trainer and event.team.code == "hanshou" and event.after["score"] == "15"


def test_accept_needs_a_level_for_every_criterion(reviewed_task, trainee, trainer):
    submission = submit_work(task=reviewed_task, user=trainee, text="报告")
    with pytest.raises(ReviewRefused) as refused:
        review_submission(submission=submission, reviewer=trainer, accept=True, levels=levels_for(reviewed_task, "优秀"))
    assert "格式规范" in refused.value.message
    with pytest.raises(ReviewRefused):
        review_submission(submission=submission, reviewer=trainer, accept=True, levels=levels_for(reviewed_task, "满分", "规范"))
    submission.refresh_from_db()
    assert submission.status == "review" and not AuditEvent.objects.filter(action__startswith="submission.").exists()


def test_return_needs_feedback_then_allows_resubmission(reviewed_task, trainee, trainer):
    submission = submit_work(task=reviewed_task, user=trainee, text="初稿")
    with pytest.raises(ReviewRefused):
        review_submission(submission=submission, reviewer=trainer, accept=False, feedback="  ")
    returned = review_submission(submission=submission, reviewer=trainer, accept=False, feedback="请补充软件清单。")
    assert returned.status == "returned" and returned.feedback == "请补充软件清单。"
    assert AuditEvent.objects.filter(action="submission.return", note="请补充软件清单。").exists()
    second = submit_work(task=reviewed_task, user=trainee, text="修改稿，附软件清单")
    assert second.number == 2


def test_a_decision_is_taken_once(reviewed_task, trainee, trainer, bureau_admin):
    submission = submit_work(task=reviewed_task, user=trainee, text="报告")
    review_submission(submission=submission, reviewer=trainer, accept=False, feedback="再改改")
    with pytest.raises(ReviewRefused) as refused:
        review_submission(submission=submission, reviewer=bureau_admin, accept=True, levels=levels_for(reviewed_task, "优秀", "规范"))
    assert "已退回修改" in refused.value.message


def test_trainers_review_only_their_supervised_teams(reviewed_task, trainee, other_trainee, trainer, team_lead):
    mine = submit_work(task=reviewed_task, user=trainee, text="汉寿县报告")
    other = submit_work(task=reviewed_task, user=other_trainee, text="澧县报告")
    assert list(selectors.review_queue(reviewer=trainer)) == [mine]
    assert selectors.review_queue(reviewer=trainer)[0].team_name == "汉寿县"
    assert list(selectors.review_queue(reviewer=team_lead)) == []
    assert list(selectors.review_queue(reviewer=trainee)) == []
    for reviewer in (trainer, team_lead, trainee, other_trainee):
        if reviewer is trainer:
            continue
        with pytest.raises(ReviewRefused):
            review_submission(submission=mine, reviewer=reviewer, accept=False, feedback="x")
    with pytest.raises(ReviewRefused):
        review_submission(submission=other, reviewer=trainer, accept=False, feedback="x")


def test_queue_filters(reviewed_task, trainee, trainer, team):
    other_task = TaskFactory(kind="reviewed", spec={}, accept_text=True)
    a = submit_work(task=reviewed_task, user=trainee, text="一")
    b = submit_work(task=other_task, user=trainee, text="二")
    review_submission(submission=b, reviewer=trainer, accept=False, feedback="改")
    assert list(selectors.review_queue(reviewer=trainer, task=reviewed_task)) == [a]
    assert list(selectors.review_queue(reviewer=trainer, status="returned")) == [b]
    assert set(selectors.review_queue(reviewer=trainer, status=None, team=team)) == {a, b}


def test_queue_query_count_does_not_grow(reviewed_task, trainer, team, django_assert_max_num_queries):
    for n in range(6):
        submit_work(task=reviewed_task, user=UserFactory(role="trainee", team=team), text=f"报告{n}")
    with django_assert_max_num_queries(3):
        rows = [(s.user.get_full_name(), s.task.title, s.team_name) for s in selectors.review_queue(reviewer=trainer)]
    assert len(rows) == 6


def test_accepted_task_completes_the_course(reviewed_task, trainee, trainer, course):
    from courses.completion import course_requirements
    from courses.services import mark_lesson_done

    lesson = LessonFactory(parent=course, title="安全自查实操", body=[("practical_task", {"task": reviewed_task, "note": "课后完成"})])
    enroll(user=trainee, course=course)
    for each in course.get_children().live().specific():
        mark_lesson_done(user=trainee, lesson=each)
    requirements = course_requirements(trainee, course)
    task_requirement = next(r for r in requirements if r.kind == "task")
    assert task_requirement.label == "网站安全自查报告" and not task_requirement.done
    assert not Enrollment.objects.get(user=trainee, course=course).completed_at
    submission = submit_work(task=reviewed_task, user=trainee, text="报告")
    review_submission(submission=submission, reviewer=trainer, accept=True, levels=levels_for(reviewed_task, "合格", "规范"))
    assert Enrollment.objects.get(user=trainee, course=course).completed_at is not None
    assert lesson.pk


def test_task_requirements_cost_constant_queries(site, catalogue, trainee, django_assert_max_num_queries):
    from courses.completion import lessons_by_course, requirements_by_course
    from tests.factories import CourseFactory

    courses = []
    for _n in range(4):
        course = CourseFactory(parent=catalogue)
        for _m in range(2):
            LessonFactory(parent=course, body=[("practical_task", {"task": TaskFactory(kind="reviewed", spec={}), "note": ""})])
        courses.append(course)
    by_course = lessons_by_course(courses)
    with django_assert_max_num_queries(4):
        result = requirements_by_course(trainee, courses, by_course=by_course, done_ids=set())
    assert all(sum(r.kind == "task" for r in result[c.pk]) == 2 for c in courses)
