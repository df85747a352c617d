"""Hands-on tasks embedded in lessons are course requirements: done once a submission is accepted.

Also prepares a trainee's practice site when they enrol in a course whose tasks are done there.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from lms.request_cache import remember
from quizzes.models import PracticalTask, SubmissionStatus
from quizzes.models.tasks import PRACTICE_SITE_KINDS, RESUBMITTABLE
from quizzes.practical.practice import PracticeSiteMissing, provision_practice_site
from quizzes.practical.selectors import task_states

from . import outline_cache
from .completion import Requirement

BLOCK_NAME = "practical_task"


def task_ids_in(lessons) -> list[int]:
    """Task ids of the task blocks in these lessons' bodies, in reading order (read from the raw stream: no query)."""
    ids: list[int] = []
    for lesson in lessons:
        for item in lesson.body.raw_data:
            if item.get("type") == BLOCK_NAME:
                task_id = (item.get("value") or {}).get("task")
                if isinstance(task_id, int) and task_id not in ids:
                    ids.append(task_id)
    return ids


def task_requirements(*, user, lessons_by_course) -> dict:
    """{course pk: [Requirement]} for the tasks in each course's lessons: two queries however many courses."""
    ids_by_path = {course.path: task_ids_in(lessons) for course, lessons in lessons_by_course.items()}
    if not any(ids_by_path.values()):
        return {}

    def load(paths) -> dict:
        found = PracticalTask.objects.in_bulk({pk for path in paths for pk in ids_by_path[path]})
        return {path: {pk: found[pk] for pk in ids_by_path[path] if pk in found} for path in paths}

    # The tasks are the same for every reader: read through the course outline cache, per course.
    by_path = outline_cache.cached("tasks", [path for path, ids in ids_by_path.items() if ids], load)
    tasks = {pk: task for found in by_path.values() for pk, task in found.items()}
    all_ids = {pk for ids in ids_by_path.values() for pk in ids}
    remember(tasks.values())  # a task card of the same page reuses them
    titles = {pk: task.title for pk, task in tasks.items()}
    # The latest submission says it all: an accepted one is final (nothing can be handed in after it),
    # one being checked or waiting for review leaves the trainee nothing to do but wait.
    latest = task_states(user=user, task_ids=all_ids)
    return {
        course_pk: [_requirement(pk, titles[pk], latest.get(pk)) for pk in ids if pk in titles]
        for course_pk, ids in ((course.pk, ids_by_path[course.path]) for course in lessons_by_course)
    }


def _requirement(pk: int, title: str, submission) -> Requirement:
    status = submission.status if submission is not None else None
    if status == SubmissionStatus.AWAITING_REVIEW:
        action = _("Waiting for a trainer's review of “%(title)s”") % {"title": title}
    elif status == SubmissionStatus.CHECKING:
        action = _("Waiting for the automatic check of “%(title)s”") % {"title": title}
    elif status in RESUBMITTABLE:
        action = _("Hand in “%(title)s” again") % {"title": title}
    else:
        action = _("Do the hands-on task “%(title)s”") % {"title": title}
    return Requirement(
        key=f"task:{pk}",
        label=title,
        done=status == SubmissionStatus.ACCEPTED,
        url=reverse("practical:task", args=[pk]),
        kind="task",
        waiting=status in (SubmissionStatus.AWAITING_REVIEW, SubmissionStatus.CHECKING),
        action=action,
        state=submission,
    )


def prepare_practice_sites(*, users, course) -> None:
    """Give each trainee their practice area, holding what the course's topic-page and back-office tasks
    refer to, when the course has such a task (see quizzes.practical.practice.provision_practice_site)."""
    from .completion import lessons_by_course

    users = list(users)
    if not users:
        return
    ids = task_ids_in(lessons_by_course([course]).get(course, []))
    tasks = list(PracticalTask.objects.filter(pk__in=ids, kind__in=PRACTICE_SITE_KINDS)) if ids else []
    if tasks:
        for user in users:
            try:
                provision_practice_site(user=user, tasks=tasks)
            except PracticeSiteMissing:
                return
