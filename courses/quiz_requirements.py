"""Course completion: every quiz embedded in a course's lessons must be passed.

A requirement provider (see courses/completion.py): one query for any number of courses, the trainee's
attempts. The quiz ids are read from the lessons' raw StreamField data; the quizzes, with their question
counts, come from the course outline cache (courses/outline_cache.py), kept per course.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from django.utils.translation import gettext as _

from lms.compiled_query import CompiledQuery
from lms.request_cache import remember
from quizzes.blocks import quiz_ids_in
from quizzes.models import Attempt
from quizzes.selectors import QuizOutcome, outcomes

from . import outline_cache
from .completion import Requirement

# The reader's attempts, read on every lesson page of a course with quizzes: compiled once (lms/compiled_query.py).
_ATTEMPTS = CompiledQuery(
    Attempt,
    lambda user_id, quiz_ids: Attempt.objects.filter(user_id=user_id, quiz_id__in=quiz_ids).order_by("number").defer("layout"),
    ids=("user_id",), lists=("quiz_ids",),
)


def _outcomes(user, wanted: dict) -> dict[int, QuizOutcome]:
    """`quizzes.selectors.outcomes` for the quizzes of `wanted` ({course: [quiz id]}), with the quizzes (and their
    question counts) read through the course outline cache, per course: only the trainee's attempts are read on
    every request."""
    ids_by_path = {course.path: ids for course, ids in wanted.items()}

    def load(paths) -> dict:
        # `outcomes` for nobody reads the quizzes with their question counts and no attempts.
        found = outcomes(user=AnonymousUser(), quiz_ids={pk for path in paths for pk in ids_by_path[path]})
        return {path: {pk: found[pk].quiz for pk in ids_by_path[path] if pk in found} for path in paths}

    by_path = outline_cache.cached("quizzes", list(ids_by_path), load)
    result = {pk: QuizOutcome(quiz=quiz) for quizzes in by_path.values() for pk, quiz in quizzes.items()}
    remember(outcome.quiz for outcome in result.values())  # a quiz card of the same page reuses them
    if user.is_authenticated and result:
        for attempt in _ATTEMPTS.objects(user_id=user.pk, quiz_ids=list(result)):
            result[attempt.quiz_id].attempts.append(attempt)
    return result


def quiz_requirements(*, user, lessons_by_course) -> dict[int, list[Requirement]]:
    wanted: dict = {}
    for course, lessons in lessons_by_course.items():
        ids: list[int] = []
        for lesson in lessons:
            for quiz_id in quiz_ids_in(lesson.body.raw_data):
                if quiz_id not in ids:
                    ids.append(quiz_id)
        if ids:
            wanted[course] = ids
    if not wanted:
        return {}
    found = _outcomes(user, wanted)
    result: dict[int, list[Requirement]] = {}
    for course, ids in wanted.items():
        result[course.pk] = [
            Requirement(
                key=f"quiz:{quiz_id}",
                label=_("Pass the quiz “%(title)s”") % {"title": found[quiz_id].quiz.title},
                done=found[quiz_id].passed,
                url=reverse("quizzes:detail", args=[quiz_id]),
                kind="quiz",
                action=_("Take the quiz “%(title)s”") % {"title": found[quiz_id].quiz.title},
                state=found[quiz_id],
            )
            for quiz_id in ids
            # A deleted or unpublished quiz cannot be a requirement nobody can meet.
            if quiz_id in found and found[quiz_id].quiz.is_published
        ]
    return result
