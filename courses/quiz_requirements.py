"""Course completion: every quiz embedded in a course's lessons must be passed.

A requirement provider (see courses/completion.py): one query for any number of courses, the trainee's
attempts. The quiz ids are read from the lessons' raw StreamField data; the quizzes, with their question
counts, come from the course outline cache (courses/outline_cache.py).
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from django.utils.translation import gettext as _

from lms.request_cache import remember
from quizzes.blocks import quiz_ids_in
from quizzes.models import Attempt
from quizzes.selectors import QuizOutcome, outcomes

from . import outline_cache
from .completion import Requirement


def _outcomes(user, quiz_ids) -> dict[int, QuizOutcome]:
    """`quizzes.selectors.outcomes`, with the quizzes (and their question counts) read through the course
    outline cache: only the trainee's attempts are read on every request."""
    # `outcomes` for nobody reads the quizzes with their question counts and no attempts.
    quizzes = outline_cache.cached(
        "quiz", quiz_ids, lambda ids: {pk: found.quiz for pk, found in outcomes(user=AnonymousUser(), quiz_ids=ids).items()}
    )
    result = {pk: QuizOutcome(quiz=quiz) for pk, quiz in quizzes.items()}
    remember(outcome.quiz for outcome in result.values())  # a quiz card of the same page reuses them
    if user.is_authenticated and result:
        for attempt in Attempt.objects.filter(user=user, quiz_id__in=result).order_by("number").defer("layout"):
            result[attempt.quiz_id].attempts.append(attempt)
    return result


def quiz_requirements(*, user, lessons_by_course) -> dict[int, list[Requirement]]:
    wanted: dict[int, list[int]] = {}
    for course, lessons in lessons_by_course.items():
        ids: list[int] = []
        for lesson in lessons:
            for quiz_id in quiz_ids_in(lesson.body.raw_data):
                if quiz_id not in ids:
                    ids.append(quiz_id)
        if ids:
            wanted[course.pk] = ids
    if not wanted:
        return {}
    found = _outcomes(user, {pk for ids in wanted.values() for pk in ids})
    result: dict[int, list[Requirement]] = {}
    for course_pk, ids in wanted.items():
        result[course_pk] = [
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
