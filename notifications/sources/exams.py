"""Exam sittings (the `exams` app's signals `sitting_scheduled`, `makeup_scheduled`; openings are found by the
scheduled command through `exams.selectors.sittings_opening_between`). Connected only when `exams` is installed."""

from __future__ import annotations

import logging

from django.db import transaction
from django.utils import timezone

log = logging.getLogger(__name__)


def sitting_context(sitting) -> dict:
    start = getattr(sitting, "opens_at", None) or getattr(sitting, "starts_at", None)
    return {
        "exam": str(getattr(sitting, "title", "") or sitting),
        "start": timezone.localtime(start).strftime("%Y-%m-%d %H:%M") if start else "",
        "link": sitting.get_absolute_url() if hasattr(sitting, "get_absolute_url") else "",
    }


def notify_sitting(event: str, sitting, *, key_suffix: str = "") -> None:
    from exams import selectors

    from ..services import notify

    for person in selectors.invitees(sitting):
        context = {**sitting_context(sitting), "name": person.get_full_name() or person.username}
        notify(event, [person], context, key=f"{event}:{sitting.pk}{key_suffix}")


def _later(event: str):
    def receiver(sender, sitting, **kwargs):
        def run():
            try:
                notify_sitting(event, sitting)
            except Exception:
                log.exception("%s for sitting %s failed", event, getattr(sitting, "pk", None))

        transaction.on_commit(run)

    return receiver


_scheduled = _later("exam.sitting_scheduled")
_makeup = _later("exam.makeup_scheduled")


def connect() -> None:
    from exams import signals

    signals.sitting_scheduled.connect(_scheduled, dispatch_uid="notifications.exam_scheduled")
    signals.makeup_scheduled.connect(_makeup, dispatch_uid="notifications.exam_makeup")
