"""The audit log is the one place every reviewed grade, certificate and membership change is written: we
listen to it (post_save of `lms.AuditEvent`) and dispatch by action, after the change has committed."""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.db import transaction
from django.db.models.signals import post_save

log = logging.getLogger(__name__)
HANDLERS: dict[str, Callable] = {}


def on_action(*actions: str):
    def wrap(handler):
        for action in actions:
            HANDLERS[action] = handler
        return handler

    return wrap


def _dispatch(event_id: int, action: str) -> None:
    from lms.models import AuditEvent

    event = AuditEvent.objects.filter(pk=event_id).first()
    if event is not None:
        try:
            HANDLERS[action](event)
        except Exception:  # news must never break the change it reports
            log.exception("notification for audit event %s (%s) failed", event_id, action)


def _audit_saved(sender, instance, created, **kwargs):
    if created and instance.action in HANDLERS:
        transaction.on_commit(lambda: _dispatch(instance.pk, instance.action))


def connect() -> None:
    from lms.models import AuditEvent

    post_save.connect(_audit_saved, sender=AuditEvent, dispatch_uid="notifications.audit")
