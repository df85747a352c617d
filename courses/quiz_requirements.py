"""Course completion: every quiz embedded in a course's lessons must be passed.

A requirement provider (see courses/completion.py): three queries for any number of courses: none
for the quiz ids (read from the lessons' raw StreamField data), two for the quizzes and attempts.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from quizzes.blocks import quiz_ids_in
from quizzes.selectors import outcomes

from .completion import Requirement


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
    found = outcomes(user=user, quiz_ids={pk for ids in wanted.values() for pk in ids})
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
