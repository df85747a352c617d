"""Enrolled in a course: post_save of `courses.Enrollment` (created), after the enrolment commits."""

from __future__ import annotations

import logging

from django.db import transaction
from django.db.models.signals import post_save

log = logging.getLogger(__name__)


def _enrolled(enrollment_id: int) -> None:
    from courses.models import Enrollment

    from ..services import notify

    enrollment = Enrollment.objects.select_related("user", "course").filter(pk=enrollment_id).first()
    if enrollment is None:
        return
    try:
        notify(
            "course.enrolled",
            [enrollment.user],
            {
                "name": enrollment.user.get_full_name() or enrollment.user.username,
                "course": enrollment.course.title,
            },
            key=f"course.enrolled:{enrollment.pk}",
            link=enrollment.course.url or "",
        )
    except Exception:
        log.exception("enrolment notification %s failed", enrollment_id)


def _saved(sender, instance, created, **kwargs):
    if created:
        transaction.on_commit(lambda: _enrolled(instance.pk))


def connect() -> None:
    from courses.models import Enrollment

    post_save.connect(_saved, sender=Enrollment, dispatch_uid="notifications.enrolled")
