"""Reads for hands-on tasks: a trainee's submissions, the trainers' review queue, task summaries."""

from __future__ import annotations

from django.db.models import OuterRef, QuerySet, Subquery

from lms import permissions
from lms.compiled_query import CompiledQuery
from lms.models import CountyTeam, Membership, Role, User
from lms.selectors import has_trainer
from quizzes.models import PracticalTask, Submission, SubmissionStatus
from quizzes.models.tasks import NOT_COUNTED


def published_tasks() -> QuerySet[PracticalTask]:
    return PracticalTask.objects.select_related("original_image").order_by("title")


def my_submissions(*, user: User, task: PracticalTask | None = None) -> QuerySet[Submission]:
    submissions = Submission.objects.filter(user=user).select_related("task", "reviewer").order_by("-created_at", "-id")
    if task is not None:
        submissions = submissions.filter(task=task)
    return submissions


def submissions_used(submissions) -> int:
    """How many of a task's limited submissions these (one trainee's, one task's) use up."""
    return sum(1 for s in submissions if s.status not in NOT_COUNTED)


# Read on every lesson page of a course with tasks: compiled once (lms/compiled_query.py).
_SUBMISSIONS = CompiledQuery(
    Submission,
    lambda user_id, task_ids: Submission.objects.filter(user_id=user_id, task_id__in=task_ids).order_by("task_id", "-number"),
    ids=("user_id",), lists=("task_ids",),
)


def task_states(*, user: User, task_ids) -> dict[int, Submission]:
    """{task id: the user's latest submission} for many tasks, in one query."""
    latest: dict[int, Submission] = {}
    if not user.is_authenticated or not task_ids:
        return latest
    for submission in _SUBMISSIONS.objects(user_id=user.pk, task_ids=list(task_ids)):
        latest.setdefault(submission.task_id, submission)
    return latest


def _trainee_team(field: str = "user_id"):
    membership = Membership.objects.filter(user_id=OuterRef(field), role=Role.TRAINEE)
    return membership.values("team__name")[:1], membership.values("team_id")[:1]


def review_queue(
    *, reviewer: User, status: str | None = SubmissionStatus.AWAITING_REVIEW, team: CountyTeam | None = None,
    task: PracticalTask | None = None, kind: str | None = None, unsupervised: bool = False,
) -> QuerySet[Submission]:
    """Submissions of the trainees in the teams `reviewer` may review, oldest waiting first, with the team name
    and whether an active trainer supervises that team (`team_has_trainer`; work of a team without one waits
    for the bureau). `unsupervised` keeps only such teams' work."""
    teams = permissions.reviewable_teams(reviewer)
    if team is not None:
        teams = teams.filter(pk=team.pk)
    if unsupervised:
        teams = teams.exclude(has_trainer())
    trainees = Membership.objects.filter(role=Role.TRAINEE, team__in=teams).values("user_id")
    team_name, team_id = _trainee_team()
    queue = (
        Submission.objects.filter(user_id__in=trainees)
        .select_related("task", "user", "reviewer")
        .annotate(team_name=Subquery(team_name), team_id=Subquery(team_id))
        .annotate(team_has_trainer=has_trainer("team_id"))
    )
    if status:
        queue = queue.filter(status=status)
    if task is not None:
        queue = queue.filter(task=task)
    if kind:
        queue = queue.filter(task__kind=kind)
    return queue.order_by("created_at", "id")

