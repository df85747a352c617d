"""Reads for the catalogue, course and lesson pages, "my courses" and the API.

Every function here runs a constant number of queries however many courses or lessons there are.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from django.utils.translation import gettext

from lms.compiled_query import CompiledQuery
from lms.models import User

from . import completion
from .models import CoursePage, Enrollment, LessonPage, LessonProgress

# Read on every course and lesson page, for the reader alone: compiled once (lms/compiled_query.py).
_ENROLLMENTS = CompiledQuery(
    Enrollment, lambda user_id, course_ids: Enrollment.objects.filter(user_id=user_id, course_id__in=course_ids),
    ids=("user_id",), lists=("course_ids",),
)
_DONE_LESSONS = CompiledQuery(
    LessonProgress,
    lambda user_id, lesson_ids: LessonProgress.objects.filter(user_id=user_id, lesson_id__in=lesson_ids).values_list("lesson_id"),
    ids=("user_id",), lists=("lesson_ids",),
)


def published_courses():
    return CoursePage.objects.live().public().select_related("cover_image").order_by("path")


def published_lessons():
    return LessonPage.objects.live().public().order_by("path")


def course_ids_of(lessons) -> dict[int, int]:
    """{lesson pk: course pk} for many lessons, in one query (a lesson's course is its parent page)."""
    parent_paths = {lesson.path[: -LessonPage.steplen] for lesson in lessons}
    by_path = dict(CoursePage.objects.filter(path__in=parent_paths).values_list("path", "pk"))
    return {lesson.pk: by_path.get(lesson.path[: -LessonPage.steplen]) for lesson in lessons}


@dataclass(frozen=True)
class NextStep:
    """Where “继续学习” leads: an unread lesson, a quiz to pass, a task to hand in, or a review being waited on."""

    kind: str
    label: str
    url: str
    waiting: bool = False


@dataclass
class CourseProgress:
    """One course as a trainee sees it: enrolled?, how far, where to continue."""

    course: CoursePage
    enrollment: Enrollment | None
    requirements: list[completion.Requirement] = field(default_factory=list)
    lessons: list[LessonPage] = field(default_factory=list)
    done_lesson_ids: set[int] = field(default_factory=set)

    @property
    def enrolled(self) -> bool:
        return self.enrollment is not None

    @property
    def completed(self) -> bool:
        return bool(self.enrollment and self.enrollment.completed_at)

    @property
    def percent(self) -> int:
        return completion.percent_done(self.requirements)

    @property
    def done_lessons(self) -> list[int]:
        """Ids of this course's lessons the trainee has done, in course order."""
        return [lesson.pk for lesson in self.lessons if lesson.pk in self.done_lesson_ids]

    @property
    def done_count(self) -> int:
        return sum(r.done for r in self.requirements)

    @property
    def continue_lesson(self) -> LessonPage | None:
        """Where to pick up: the lesson after the last one visited if that one is done, else the first not done."""
        if not self.lessons:
            return None
        last = self.enrollment.last_lesson_id if self.enrollment else None
        for lesson in self.lessons:
            if lesson.pk == last:
                if lesson.pk not in self.done_lesson_ids:
                    return lesson
                break
        for lesson in self.lessons:
            if lesson.pk not in self.done_lesson_ids:
                return lesson
        return self.lessons[0]

    @property
    def next_step(self) -> NextStep | None:
        """The first unmet requirement: lessons first (where the trainee left off), then what providers ask for
        (each says its own label and address), so a course with every lesson read points to its quiz or task,
        not back to lesson 1. None once the course is complete."""
        if self.completed:
            return None
        unread = any(r.kind == "lesson" and not r.done for r in self.requirements)
        requirement = None if unread else completion.next_requirement(self.requirements)
        if requirement is not None:
            return NextStep(
                kind=requirement.kind,
                label=requirement.action or requirement.label,
                url=requirement.url,
                waiting=requirement.waiting,
            )
        lesson = self.continue_lesson
        if lesson is None or (not unread and lesson.pk in self.done_lesson_ids):
            return None
        return NextStep(kind="lesson", label=str(lesson.title), url=lesson.url or "")


def _progress_for(user: User, courses: list[CoursePage]) -> dict[int, CourseProgress]:
    courses = list(courses)
    enrollments = {}
    if user.is_authenticated:
        enrollments = {e.course_id: e for e in _ENROLLMENTS.objects(user_id=user.pk, course_ids=[c.pk for c in courses])}
    by_course = completion.lessons_by_course(courses)
    lesson_ids = [lesson.pk for lessons in by_course.values() for lesson in lessons]
    done_ids: set[int] = set()
    if user.is_authenticated and lesson_ids:
        done_ids = {lesson_id for (lesson_id,) in _DONE_LESSONS.rows(user_id=user.pk, lesson_ids=lesson_ids)}
    requirements = {}
    if user.is_authenticated:
        requirements = completion.requirements_by_course(user, courses, by_course=by_course, done_ids=done_ids)
    return {
        course.pk: CourseProgress(
            course=course,
            enrollment=enrollments.get(course.pk),
            requirements=requirements.get(course.pk, []),
            lessons=by_course.get(course, []),
            done_lesson_ids=done_ids,
        )
        for course in courses
    }


def catalogue_progress(*, user: User, courses: list[CoursePage]) -> dict[int, CourseProgress]:
    return _progress_for(user, courses)


def course_outline(*, user: User, course: CoursePage) -> CourseProgress:
    return _progress_for(user, [course])[course.pk]


def my_courses(*, user: User) -> list[CourseProgress]:
    """The user's enrolled courses, the most recently active first, completed ones last."""
    courses = list(CoursePage.objects.live().filter(enrollments__user=user).select_related("cover_image").order_by("path"))
    progress = _progress_for(user, courses)
    entries = list(progress.values())
    entries.sort(
        key=lambda p: (
            p.completed,
            -(p.enrollment.last_activity_at.timestamp() if p.enrollment and p.enrollment.last_activity_at else 0),
        )
    )
    return entries


def visible_lessons(lessons, request) -> list[LessonPage]:
    """The lessons this request may open: one restricted to a group, to signed-in users or by a password is left
    out of an outline for a reader it would refuse (its own restrictions ride with it, see lessons_by_course)."""
    return [lesson for lesson in lessons if all(r.accept_request(request) for r in getattr(lesson, "own_view_restrictions", ()))]


def outline_for_request(*, request, course: CoursePage) -> CourseProgress:
    """The course outline as the page shows it to this request: its lessons only those the reader may open."""
    outline = course_outline(user=request.user, course=course)
    visible = visible_lessons(outline.lessons, request)
    if len(visible) != len(outline.lessons):
        hidden = {f"lesson:{lesson.pk}" for lesson in outline.lessons} - {f"lesson:{lesson.pk}" for lesson in visible}
        # Still a requirement (the course's rule is the same for everyone), but neither its title nor its link shown.
        outline.requirements = [
            replace(r, label=gettext("A lesson you may not open"), url="", action="") if r.key in hidden else r
            for r in outline.requirements
        ]
        outline.lessons = visible
    return outline


def lesson_context(*, user: User, lesson: LessonPage, course: CoursePage, request=None) -> dict:
    """What a lesson page shows around its body: done?, position, previous/next, course progress."""
    outline = (
        outline_for_request(request=request, course=course) if request is not None else course_outline(user=user, course=course)
    )
    lessons = outline.lessons
    index = next((i for i, item in enumerate(lessons) if item.pk == lesson.pk), None)
    return {
        "course": course,
        "outline": outline,
        "lesson_done": lesson.pk in outline.done_lesson_ids,
        "position": (index + 1) if index is not None else None,
        "previous_lesson": lessons[index - 1] if index else None,
        "next_lesson": lessons[index + 1] if index is not None and index + 1 < len(lessons) else None,
        # The quiz and task cards in the body show what the course's requirements already read.
        "quiz_outcomes": {
            int(r.key.split(":")[1]): r.state for r in outline.requirements if r.kind == "quiz" and r.state is not None
        },
        "task_submissions": {int(r.key.split(":")[1]): r.state for r in outline.requirements if r.kind == "task"},
    }


def person_progress(*, person: User) -> list[CourseProgress]:
    """Another person's progress, for staff who may see it (check lms.permissions.can_view_person first)."""
    return my_courses(user=person)
