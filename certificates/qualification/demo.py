"""Demo progress for the team dashboards: trainees of every county at different stages, so the bureau
overview, the ranking and "who is stuck where" have something true to show. Runs after certificates.demo.
Idempotent: progress already recorded is left as it is."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from courses.models import CoursePage, Enrollment
from courses.services import enroll, mark_lesson_done
from lms.models import CountyTeam, Membership, Role

from ..models import Programme

PROGRAMME_SLUG = "changde-webmaster"


def _programme() -> Programme | None:
    programme = Programme.objects.filter(is_active=True).order_by("name").first()
    if programme is not None:
        return programme
    # The certificates demo normally creates the programme; without it, one built on the first two courses.
    courses = list(CoursePage.objects.live().order_by("path")[:2])
    if not courses:
        return None
    programme = Programme.objects.create(
        name="常德市商务网站管理员资格", slug=PROGRAMME_SLUG, validity_months=24,
        description="完成网站后台管理和专题制作两门课程，取得常德市商务网站管理员资格。",
    )
    programme.required_courses.set(courses)
    programme.save()
    return programme


def _pass_quizzes(trainee, lessons) -> None:
    """Pass every quiz embedded in these lessons that the trainee has not passed yet."""
    from quizzes import services as quiz_services
    from quizzes.blocks import quiz_ids_in
    from quizzes.models import Quiz
    from quizzes.selectors import full_marks_answers, outcome

    quiz_ids = [pk for lesson in lessons for pk in quiz_ids_in(lesson.body.raw_data)]
    for quiz in Quiz.objects.filter(pk__in=quiz_ids, is_published=True):
        current = outcome(user=trainee, quiz=quiz)
        if current.passed or (current.attempts_left == 0):
            continue
        attempt = current.open_attempt or quiz_services.start_attempt(quiz=quiz, user=trainee)
        quiz_services.submit_attempt(attempt=attempt, user=trainee, answers=full_marks_answers(attempt=attempt))


@transaction.atomic
def seed(stdout=None) -> None:
    programme = _programme()
    if programme is None:
        return
    courses = list(CoursePage.objects.live().filter(programmes=programme).order_by("path"))
    now = timezone.now()
    touched = 0
    for index, team in enumerate(CountyTeam.objects.filter(is_active=True).order_by("sort_order", "code")):
        trainees = [m.user for m in Membership.objects.filter(team=team, role=Role.TRAINEE).select_related("user").order_by("user__username")]
        # The first trainee of each county (<code>1) is left to the other demos and the browser journeys,
        # which start from a fresh account.
        for n, trainee in enumerate(trainees[1:], start=1):
            # Teams differ: some have everyone through, some lag, some have not started.
            stage = (index * 2 + n) % 5  # 0 not started … 4 every required course done
            # Enrolled in every required course means this demo has been here already.
            if stage == 0 or Enrollment.objects.filter(user=trainee, course__in=courses).count() == len(courses):
                continue
            completed = {1: 0, 2: 1, 3: len(courses) - 1, 4: len(courses)}[stage]
            for position, course in enumerate(courses):
                enroll(user=trainee, course=course)
                lessons = list(course.lessons())
                required = [lesson for lesson in lessons if lesson.is_required]
                if position < completed:
                    todo = required
                elif position == completed:
                    todo = required[: max(1, len(required) // 2)]
                else:
                    todo = []
                for lesson in todo:
                    mark_lesson_done(user=trainee, lesson=lesson)
                if position < completed:
                    # Passing the course's quizzes completes it (and, for the last course, earns the certificate).
                    _pass_quizzes(trainee, lessons)
                if stage in (1, 2):
                    # Nothing moved for weeks: these show up under "who is stuck where".
                    Enrollment.objects.filter(user=trainee, course=course).update(
                        last_activity_at=now - datetime.timedelta(days=18 + index + n)
                    )
            touched += 1
    if stdout:
        stdout.write(f"qualification: progress for {touched} trainees against “{programme.name}”")
