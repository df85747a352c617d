"""Writes on enrolment and progress; the place where a course becomes complete."""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.utils import timezone

from lms import request_cache
from lms.models import CountyTeam, User
from lms.selectors import team_trainees
from lms.services import record_audit

from . import completion, task_requirements
from .models import CoursePage, Enrollment, LessonPage, LessonProgress


class CourseNotAvailable(Exception):
    """The course or lesson is not published."""


def enroll(*, user: User, course: CoursePage, enrolled_by: User | None = None) -> Enrollment:
    """Enrol `user` in `course`; enrolling twice returns the existing enrolment."""
    if not course.live:
        raise CourseNotAvailable(course.pk)
    try:
        with transaction.atomic():
            enrollment, created = Enrollment.objects.get_or_create(
                user=user, course=course, defaults={"enrolled_by": enrolled_by, "last_activity_at": timezone.now()}
            )
    except IntegrityError:
        # Two requests enrolled at once; the other one won, and that row is ours too.
        enrollment, created = Enrollment.objects.get(user=user, course=course), False
    if created:
        task_requirements.prepare_practice_sites(users=[user], course=course)
    return enrollment


@transaction.atomic
def enroll_team(*, team: CountyTeam, course: CoursePage, actor: User | None = None) -> int:
    """Enrol every active trainee of `team` in `course`; returns how many were newly enrolled."""
    if not course.live:
        raise CourseNotAvailable(course.pk)
    trainees = list(team_trainees(team).values_list("pk", flat=True))
    existing = set(Enrollment.objects.filter(course=course, user_id__in=trainees).values_list("user_id", flat=True))
    now = timezone.now()
    new = [
        Enrollment(user_id=pk, course=course, enrolled_by=actor, last_activity_at=now) for pk in trainees if pk not in existing
    ]
    Enrollment.objects.bulk_create(new, ignore_conflicts=True)
    task_requirements.prepare_practice_sites(users=User.objects.filter(pk__in=[e.user_id for e in new]), course=course)
    record_audit(actor=actor, action="enrollment.team", obj=course, team=team, after={"enrolled": len(new)})
    return len(new)


# A lesson re-read or reloaded within this many seconds is not written again (see record_lesson_visit).
VISIT_WRITE_INTERVAL = 300


def visit_key(*, user: User, lesson: LessonPage) -> str:
    """The cache key of the marker saying this person's visit to this lesson was recorded lately."""
    return f"lesson-visit:{user.pk}:{lesson.pk}"


def record_lesson_visit(*, user: User, lesson: LessonPage, course: CoursePage) -> None:
    """Remember where the trainee is, for "continue where you left off". Only enrolled trainees are tracked.

    At most one write per person and lesson every VISIT_WRITE_INTERVAL seconds: every page view used to
    UPDATE the enrolment. A marker in the (shared) cache says the visit was recorded; "last activity"
    is therefore precise to a few minutes, which is all the dashboards need.
    """
    interval = getattr(settings, "LESSON_VISIT_WRITE_INTERVAL", VISIT_WRITE_INTERVAL)
    key = visit_key(user=user, lesson=lesson)
    # The marker already read ahead by the page (lms.request_cache): recorded, no round trip to add it.
    if request_cache.found_ahead(key) or not cache.add(key, 1, timeout=interval):
        return
    Enrollment.objects.filter(user=user, course=course).update(last_lesson=lesson, last_activity_at=timezone.now())


def mark_lesson_done(*, user: User, lesson: LessonPage) -> LessonProgress:
    """Record that `user` finished `lesson`, enrolling them if needed, and re-check course completion."""
    if not lesson.live:
        raise CourseNotAvailable(lesson.pk)
    course = lesson.get_parent().specific
    enroll(user=user, course=course)
    try:
        with transaction.atomic():
            progress, _ = LessonProgress.objects.get_or_create(user=user, lesson=lesson)
    except IntegrityError:
        progress = LessonProgress.objects.get(user=user, lesson=lesson)
    Enrollment.objects.filter(user=user, course=course).update(last_lesson=lesson, last_activity_at=timezone.now())
    refresh_completion(user=user, course=course)
    return progress


@transaction.atomic
def refresh_completion(*, user: User, course: CoursePage) -> bool:
    """Mark the enrolment complete when every requirement is met; returns whether it is complete.

    The enrolment row is locked so two requests that finish the last requirement at once complete
    the course once and notify the listeners once.
    """
    enrollment = Enrollment.objects.select_for_update().filter(user=user, course=course).first()
    if enrollment is None:
        return False
    if enrollment.completed_at is not None:
        return True
    if not completion.is_complete(completion.course_requirements(user, course)):
        return False
    enrollment.completed_at = timezone.now()
    enrollment.save(update_fields=["completed_at"])
    record_audit(actor=user, action="course.complete", obj=enrollment, after={"course": course.pk})
    completion.notify_completion(user=user, course=course, enrollment=enrollment)
    return True


def refresh_user_completions(user: User, *, source: object = None) -> None:
    """Progress listener: re-check every course the user has not completed yet."""
    enrollments = Enrollment.objects.filter(user=user, completed_at__isnull=True).select_related("course")
    for enrollment in enrollments:
        refresh_completion(user=user, course=enrollment.course)
