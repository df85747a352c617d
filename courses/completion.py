"""The course completion rule, in one place.

A course is complete for a trainee when every requirement is met. Requirements come from providers:
the built-in one asks for every required lesson to be marked done; other parts of the product add
theirs (a quiz to pass, a hands-on task to be accepted) with `register_requirement_provider`.
When a course becomes complete, the listeners registered with `register_completion_listener` are
called (certificates issue from there). What a trainee has earned by completing courses (a certificate)
is shown on 我的课程 through `register_award_provider`, so this app never imports the ones that award.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db.models import Q


@dataclass(frozen=True)
class Requirement:
    """One thing a trainee must do to complete a course, and whether it is done."""

    key: str
    label: str
    done: bool
    url: str = ""
    kind: str = "lesson"
    # Handed in and waiting on someone else (a trainer's review, an automatic check): nothing to do meanwhile.
    waiting: bool = False
    # What the trainee is asked to do next, as a button says it (e.g. “参加测验：…”); the label when empty.
    action: str = ""
    # What the provider read to decide (a quiz's outcome, a task's latest submission), so a page showing the
    # same quiz or task reuses it instead of asking again. Not part of the requirement's identity.
    state: object = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class Award:
    """Something earned by completing courses (a certificate), as 我的课程 shows it."""

    title: str
    detail: str
    url: str
    download_url: str = ""


def next_requirement(requirements: list[Requirement]) -> Requirement | None:
    """The first unmet requirement the trainee can act on; failing that, the first one they wait on."""
    open_ = [r for r in requirements if not r.done]
    return next((r for r in open_ if not r.waiting), None) or next(iter(open_), None)


# A provider gets (user, lessons_by_course) — {course: [lessons]} for many courses at once, so pages
# listing several courses stay at a constant number of queries — and returns {course_pk: [Requirement]}.
RequirementProvider = Callable[..., dict[int, Iterable[Requirement]]]
CompletionListener = Callable[..., None]

AwardProvider = Callable[..., list[Award]]

_providers: list[RequirementProvider] = []
_completion_listeners: list[CompletionListener] = []
_award_providers: list[AwardProvider] = []


def register_requirement_provider(provider: RequirementProvider) -> RequirementProvider:
    if provider not in _providers:
        _providers.append(provider)
    return provider


def register_completion_listener(listener: CompletionListener) -> CompletionListener:
    """`listener(user=..., course=..., enrollment=...)` runs inside the completing transaction."""
    if listener not in _completion_listeners:
        _completion_listeners.append(listener)
    return listener


def register_award_provider(provider: AwardProvider) -> AwardProvider:
    """`provider(user=...)` returns the user's [Award]; it runs once per 我的课程 page, so keep it to a query or two."""
    if provider not in _award_providers:
        _award_providers.append(provider)
    return provider


def awards_for(user) -> list[Award]:
    if not user.is_authenticated:
        return []
    return [award for provider in _award_providers for award in provider(user=user)]


def lessons_by_course(courses) -> dict:
    """{course: [published lessons in tree order]} for many courses, in one query."""
    from wagtail.models import PageViewRestriction

    from lms.request_cache import share_site_root_paths

    from . import outline_cache
    from .models import LessonPage

    courses = list(courses)
    if not courses:
        return {}
    by_path = {course.path: course for course in courses}

    def load(paths) -> dict:
        match = Q()
        for path in paths:
            match |= Q(path__startswith=path, depth=by_path[path].depth + 1)
        loaded = {path: [] for path in paths}
        lessons = list(LessonPage.objects.live().filter(match).order_by("path"))
        # Each lesson carries its own view restrictions, so an outline can leave out, per reader, the lessons
        # that reader may not open (courses.selectors.visible_lessons) without a query.
        restrictions: dict[int, list] = {}
        if lessons:
            for restriction in PageViewRestriction.objects.filter(page__in=lessons).prefetch_related("groups"):
                restrictions.setdefault(restriction.page_id, []).append(restriction)
        for lesson in lessons:
            lesson.own_view_restrictions = restrictions.get(lesson.pk, [])
            lesson.remember_url_parts()
            loaded[lesson.path[: -LessonPage.steplen]].append(lesson)
        return loaded

    # The lessons are the same for every reader: kept in the cache by course path (a moved course is a new key).
    found = outline_cache.cached("lessons", list(by_path), load)
    result = {course: found.get(course.path, []) for course in courses}
    # Each lesson's `url` would otherwise read the site root paths from the cache again (Redis: a round trip).
    share_site_root_paths(*(lesson for lessons in result.values() for lesson in lessons), *courses)
    return result


def requirements_by_course(user, courses, *, by_course=None, done_ids=None) -> dict[int, list[Requirement]]:
    """Every requirement of each course for `user`: required lessons first, then what providers add.

    Callers that already hold the lessons and the done lesson ids pass them to save the queries.
    """
    from .models import LessonProgress

    if by_course is None:
        by_course = lessons_by_course(courses)
    all_lesson_ids = [lesson.pk for lessons in by_course.values() for lesson in lessons]
    if done_ids is None:
        done_ids = set()
        if user.is_authenticated and all_lesson_ids:
            done_ids = set(
                LessonProgress.objects.filter(user=user, lesson_id__in=all_lesson_ids).values_list("lesson_id", flat=True)
            )
    result = {
        course.pk: [
            Requirement(key=f"lesson:{lesson.pk}", label=str(lesson.title), done=lesson.pk in done_ids, url=lesson.url or "")
            for lesson in lessons
            if lesson.is_required
        ]
        for course, lessons in by_course.items()
    }
    if user.is_authenticated:
        for provider in _providers:
            for course_pk, extra in provider(user=user, lessons_by_course=by_course).items():
                result.setdefault(course_pk, []).extend(extra)
    return result


def course_requirements(user, course) -> list[Requirement]:
    return requirements_by_course(user, [course])[course.pk]


def is_complete(requirements: list[Requirement]) -> bool:
    # A course with nothing required is not "completed" by enrolling in it.
    return bool(requirements) and all(r.done for r in requirements)


def percent_done(requirements: list[Requirement]) -> int:
    if not requirements:
        return 0
    return round(100 * sum(r.done for r in requirements) / len(requirements))


def notify_completion(*, user, course, enrollment) -> None:
    for listener in list(_completion_listeners):
        listener(user=user, course=course, enrollment=enrollment)
