"""Data set-up and read-back for the journeys, run inside the server's environment through
`manage.py shell` (see conftest.django_shell): each function prints one JSON line."""

from __future__ import annotations

import json

from django.db import transaction

DEMO_PASSWORD = "changde2026"


def _say(value) -> None:
    print(json.dumps(value, ensure_ascii=False, default=str))


@transaction.atomic
def _make_trainee(username: str, full_name: str, team_code: str):
    from lms.models import CountyTeam, Role, User
    from lms.services import assign_role

    user = User.objects.create(username=username, full_name=full_name)
    user.set_password(DEMO_PASSWORD)
    user.save()
    assign_role(user=user, role=Role.TRAINEE, team=CountyTeam.objects.get(code=team_code), title="网站管理员")
    return user


def trainee_with_all_but(
    *, username: str, full_name: str, team_code: str, lesson_slug: str, quiz_course: str, task_titles: list[str]
) -> None:
    """A fresh trainee who has done every requirement of the demo programme except the lesson
    `lesson_slug`, the quiz of course `quiz_course` and the tasks `task_titles`: those are left to
    the browser. Prints the ids the journey needs, the quiz's answer key and the image task's spec."""
    from certificates.demo import ensure_programme
    from courses.completion import lessons_by_course
    from courses.services import enroll, mark_lesson_done
    from courses.task_requirements import task_ids_in
    from quizzes import services as quiz_services
    from quizzes.blocks import quiz_ids_in
    from quizzes.models import PracticalTask, Quiz
    from quizzes.practical import services as task_services
    from quizzes.practical.checkers.report import CheckReport
    from quizzes.practical.practice import ensure_practice_area
    from quizzes.selectors import full_marks_answers

    user = _make_trainee(username, full_name, team_code)
    programme = ensure_programme()
    courses = list(programme.required_courses.all())
    left = {"lesson": None, "quiz": None, "tasks": {}}
    for course, lessons in lessons_by_course(courses).items():
        enroll(user=user, course=course)
        for lesson in lessons:
            if lesson.slug == lesson_slug and lesson.get_parent().slug == quiz_course:
                left["lesson"] = {"id": lesson.pk, "url": lesson.url}
                continue
            mark_lesson_done(user=user, lesson=lesson)
        for quiz_id in {pk for lesson in lessons for pk in quiz_ids_in(lesson.body.raw_data)}:
            if course.slug == quiz_course:
                left["quiz"] = quiz_id
                continue
            attempt = quiz_services.start_attempt(quiz=Quiz.objects.get(pk=quiz_id), user=user)
            attempt = quiz_services.submit_attempt(attempt=attempt, user=user, answers=full_marks_answers(attempt=attempt))
            assert attempt.passed, attempt.pk
        for task in PracticalTask.objects.filter(pk__in=task_ids_in(lessons)):
            if task.title in task_titles:
                left["tasks"][task.kind] = task.pk
                continue
            if task.is_automatic:
                # Only the browser's tasks are really checked; this one is recorded as passed directly.
                submission = task_services.submit_work(task=task, user=user, upload=_set_up_picture() if task.kind == "image" else None)
                report = CheckReport()
                report.add("setup", "journey set-up", required="done", measured="done", passed=True)
                task_services.record_check(submission_id=submission.pk, report=report)
            else:
                submission = task_services.submit_work(
                    task=task, user=user, text="自查报告：杀毒软件已更新，涉密计算机物理隔离，软件清单已登记。"
                )
                task_services.review_submission(
                    submission=submission,
                    reviewer=_reviewer_of(team_code),
                    accept=True,
                    feedback="合格。",
                    levels={str(c.pk): c.levels()[0][0] for c in task.rubric_criteria.all()},
                )
    ensure_practice_area(user=user)
    image_task = PracticalTask.objects.filter(pk=left["tasks"].get("image")).first()
    _say({"user_id": user.pk, **left, "key": _answer_key(left["quiz"]), "image_spec": image_task.spec if image_task else None})


def _set_up_picture():
    """A small real JPEG handed in for an image task that set-up records as passed (the browser does the real one)."""
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 30, 30)).save(out, "JPEG")
    return SimpleUploadedFile("set-up.jpg", out.getvalue(), content_type="image/jpeg")


def _reviewer_of(team_code: str):
    from lms.models import TrainerSupervision

    return TrainerSupervision.objects.select_related("trainer").get(team__code=team_code).trainer


def _answer_key(quiz_id: int) -> dict:
    """{question id: {"qtype", "right", "best", "text", "order"}} for every question of a quiz, from the
    choices' weights: what the journey answers."""
    from quizzes.models import Question

    key = {}
    for question in Question.objects.filter(slots__quiz_id=quiz_id).prefetch_related("choices"):
        choices = sorted(question.choices.all(), key=lambda c: (c.sort_order, c.pk))
        key[question.pk] = {
            "qtype": question.qtype,
            "right": [c.pk for c in choices if c.fraction > 0],
            "best": max(choices, key=lambda c: c.fraction).pk if choices else None,
            "text": choices[0].text if choices else "",
            "order": [c.pk for c in choices],
        }
    return key


def certificate_of(*, username: str) -> None:
    from certificates.models import Certificate

    found = Certificate.objects.filter(holder__username=username).order_by("-pk").first()
    _say(
        None
        if found is None
        else {"id": found.pk, "serial": found.serial, "code": found.verification_code, "revoked": found.revoked_at is not None}
    )


def submission_for_review(*, username: str) -> None:
    from quizzes.models import Submission

    found = Submission.objects.filter(user__username=username, status="review").order_by("-pk").first()
    _say(None if found is None else {"id": found.pk, "task_id": found.task_id, "task": found.task.title})


def enrolled_trainee(*, username: str, full_name: str, team_code: str) -> None:
    """A new trainee enrolled, through the product's own service, in every course of the demo catalogue:
    nothing else is set up (whatever their practice site holds, enrolment put there). Prints every hands-on
    task of a required lesson (all kinds), with its spec, and who reviews the trainee's team."""
    from courses.completion import lessons_by_course
    from courses.models import CoursePage
    from courses.services import enroll
    from courses.task_requirements import task_ids_in
    from quizzes.models import PracticalTask

    user = _make_trainee(username, full_name, team_code)
    courses = list(CoursePage.objects.live().order_by("path"))
    tasks = []
    for course, lessons in lessons_by_course(courses).items():
        enroll(user=user, course=course)
        required = [lesson for lesson in lessons if lesson.is_required]
        for task in PracticalTask.objects.filter(pk__in=task_ids_in(required)):
            tasks.append({"id": task.pk, "kind": task.kind, "title": task.title, "spec": task.spec, "course": course.slug})
    from lms.models import TrainerSupervision

    supervision = TrainerSupervision.objects.select_related("trainer").filter(team__code=team_code).first()
    _say({"user_id": user.pk, "tasks": tasks, "reviewer": supervision.trainer.username if supervision else None})


def practice_results(*, username: str) -> None:
    """Read back the trainee's latest submission per task and the practice site's news pages."""
    from lms.models import User
    from quizzes.models import NewsPage, Submission, TopicPage
    from quizzes.practical.practice import practice_area_of

    user = User.objects.get(username=username)
    latest = {}
    for submission in Submission.objects.filter(user=user).order_by("number"):
        latest[submission.task_id] = {"status": submission.status, "passed": bool(submission.report and submission.report.get("passed"))}
    area = practice_area_of(user)
    news = [
        {"title": p.title, "section": p.get_parent().title, "live": p.live, "slug": p.slug}
        for p in NewsPage.objects.descendant_of(area).order_by("path")
    ] if area else []
    topics = [
        {"title": p.title, "live": p.live, "slug": p.slug} for p in TopicPage.objects.descendant_of(area).order_by("path")
    ] if area else []
    _say({"latest": latest, "news": news, "topics": topics})


def task_requirements_of(*, username: str) -> None:
    """The trainee's hands-on task requirements in every course, as the completion rule sees them:
    {task requirement key: done}."""
    from courses.completion import requirements_by_course
    from courses.models import CoursePage
    from lms.models import User

    user = User.objects.get(username=username)
    by_course = requirements_by_course(user, list(CoursePage.objects.live().order_by("path")))
    _say({r.key: r.done for requirements in by_course.values() for r in requirements if r.kind == "task"})


def notification_journey(*, username: str, full_name: str, team_code: str, robot_url: str, secret: str) -> None:
    """A fresh trainee whose reviewed report waits for their trainer, and the team's DingTalk robot pointing at
    the test's local platform server (created directly: the admin accepts only the platforms' own hosts)."""
    from lms.models import CountyTeam
    from notifications.models import RobotWebhook
    from quizzes.models import PracticalTask
    from quizzes.practical.services import submit_work

    user = _make_trainee(username, full_name, team_code)
    team = CountyTeam.objects.get(code=team_code)
    RobotWebhook.objects.filter(team=team).delete()
    RobotWebhook.objects.create(team=team, kind="dingtalk", name=f"{team.name}网站工作群", url=robot_url, secret=secret)
    task = PracticalTask.objects.filter(kind="reviewed").order_by("pk").first()
    submission = submit_work(task=task, user=user, text="本单位网站安全自查报告：已完成弱口令排查。")
    _say({"submission": submission.pk, "task_id": task.pk, "task": task.title, "reviewer": _reviewer_of(team_code).username})


def close_sitting(*, title: str) -> None:
    """The sitting's time is over (the journey does not wait for its minute-precise close)."""
    from django.utils import timezone

    from exams.models import ExamSitting

    now = timezone.now()
    sitting = ExamSitting.objects.get(title=title)
    ExamSitting.objects.filter(pk=sitting.pk).update(closes_at=now, latest_entry_at=None, opens_at=min(sitting.opens_at, now - timezone.timedelta(seconds=1)))
    _say({"id": sitting.pk})
