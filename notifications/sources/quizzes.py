"""Reviewed work accepted or returned, with the reviewer's comment (heard through the audit log)."""

from __future__ import annotations

from django.urls import reverse

from . import audit


@audit.on_action("submission.accept", "submission.return")
def reviewed(event) -> None:
    from quizzes.models import Submission

    from ..services import notify

    submission = Submission.objects.select_related("task", "user", "reviewer").filter(pk=event.object_id).first()
    if submission is None:
        return
    accepted = event.action == "submission.accept"
    notify(
        "work.accepted" if accepted else "work.returned",
        [submission.user],
        {
            "name": submission.user.get_full_name() or submission.user.username,
            "task": submission.task.title,
            "reviewer": submission.reviewer.get_full_name() if submission.reviewer else "",
            "comment": submission.feedback,
        },
        key=f"{event.action}:{submission.pk}",
        team=event.team,
        link=reverse("practical:task", kwargs={"task_id": submission.task_id}),
    )


def connect() -> None:
    audit.connect()
