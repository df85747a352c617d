"""Enrolled in a course: post_save of `courses.Enrollment` (created), after the enrolment commits; a whole
team enrolled at once (bulk_create, no post_save) is heard through its `enrollment.team` audit event."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.db import transaction
from django.db.models.signals import post_save

from . import audit

log = logging.getLogger(__name__)


def _enrolled(enrollment_id: int) -> None:
    from courses.models import Enrollment

    enrollment = Enrollment.objects.select_related("user", "course").filter(pk=enrollment_id).first()
    if enrollment is None:
        return
    try:
        _tell(enrollment)
    except Exception:
        log.exception("enrolment notification %s failed", enrollment_id)


def _tell(enrollment) -> None:
    from ..services import notify

    notify(
        "course.enrolled",
        [enrollment.user],
        {"name": enrollment.user.get_full_name() or enrollment.user.username, "course": enrollment.course.title},
        key=f"course.enrolled:{enrollment.pk}",
        link=enrollment.course.url or "",
    )


@audit.on_action("enrollment.team")
def team_enrolled(event) -> None:
    from courses.models import Enrollment

    recent = Enrollment.objects.filter(
        course_id=event.object_id, user__memberships__team=event.team, enrolled_at__gte=event.created_at - timedelta(minutes=5)
    ).select_related("user", "course")
    for enrollment in recent:
        _tell(enrollment)


def _saved(sender, instance, created, **kwargs):
    if created:
        transaction.on_commit(lambda: _enrolled(instance.pk))


def connect() -> None:
    from courses.models import Enrollment

    post_save.connect(_saved, sender=Enrollment, dispatch_uid="notifications.enrolled")
    audit.connect()
