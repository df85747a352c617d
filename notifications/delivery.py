"""Deliver what is due: claim with a lease, respect quiet hours, caps and robot rate limits, send, record.

A worker claims a few due deliveries (`SELECT … FOR UPDATE SKIP LOCKED`, then stamps them `sending` with its
lease token and `lease_until`). A worker that dies leaves them `sending`; once the lease has run out any
worker claims them again. Each delivery's lease is renewed just before it is sent, and its result is recorded
only while the token still matches, so two workers never both send or both record one delivery. The one
window left is a worker killed after the far end accepted a message and before the result committed: that
message is sent again after the lease (e-mail carries a stable Message-ID, SMS the OutId, for the far end
to recognise it).
"""

from __future__ import annotations

import logging
import random
import time
import uuid
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .channels.base import FAILED, RETRY, SENT, Outcome
from .channels.email import send_email
from .channels.robots import send_dingtalk, send_wecom
from .channels.sms import sms_provider
from .models import ROBOT_CHANNELS, Channel, Delivery, DeliveryStatus, RobotWebhook
from .rendering import render, sms_params
from .selectors import policy_for

log = logging.getLogger(__name__)


def _setting(name: str, default):
    return getattr(settings, name, default)


def http_timeout() -> float:
    return float(_setting("NOTIFY_HTTP_TIMEOUT", 8))


def lease_seconds() -> int:
    return _setting("NOTIFY_LEASE_SECONDS", 120)


def backoff(attempt: int) -> timedelta:
    """30 s, 1 min, 2 min, 4 min … capped at 6 h, with ±20 % jitter so retries of a burst spread out."""
    base = min(_setting("NOTIFY_RETRY_BASE_SECONDS", 30) * 2 ** max(0, attempt - 1), 6 * 3600)
    return timedelta(seconds=base * random.uniform(0.8, 1.2))


def _due(now: datetime) -> Q:
    return Q(status=DeliveryStatus.QUEUED, next_try_at__lte=now) | Q(status=DeliveryStatus.SENDING, lease_until__lt=now)


def claim(*, token: str, limit: int = 20, now: datetime | None = None) -> list[Delivery]:
    """Take up to `limit` due deliveries for this worker (`token`)."""
    now = now or timezone.now()
    with transaction.atomic():
        ids = list(
            Delivery.objects.select_for_update(skip_locked=True)
            .filter(_due(now))
            .order_by("next_try_at", "pk")
            .values_list("pk", flat=True)[:limit]
        )
        if not ids:
            return []
        # Re-checked in the UPDATE: on databases without row locks (SQLite) two workers may read the same ids,
        # and only the first UPDATE still finds them due.
        Delivery.objects.filter(pk__in=ids).filter(_due(now)).update(
            status=DeliveryStatus.SENDING,
            lease_token=token,
            lease_until=now + timedelta(seconds=lease_seconds()),
            attempts=F("attempts") + 1,
        )
    return list(
        Delivery.objects.filter(pk__in=ids, lease_token=token, status=DeliveryStatus.SENDING).select_related(
            "notification", "recipient", "robot", "robot__team"
        )
    )


def _renew(delivery: Delivery, token: str) -> bool:
    """Make sure the lease still holds before sending. While less than half of it has passed since the claim
    nobody else can have taken the delivery over, and the UPDATE is saved."""
    now = timezone.now()
    if delivery.lease_until and delivery.lease_until - now > timedelta(seconds=lease_seconds() / 2):
        return True
    until = now + timedelta(seconds=lease_seconds())
    return bool(
        Delivery.objects.filter(pk=delivery.pk, lease_token=token, status=DeliveryStatus.SENDING).update(lease_until=until)
    )


def _finish(delivery: Delivery, token: str, **fields) -> bool:
    fields.setdefault("lease_until", None)
    return bool(Delivery.objects.filter(pk=delivery.pk, lease_token=token, status=DeliveryStatus.SENDING).update(**fields))


def _postpone(delivery: Delivery, token: str, until: datetime, reason: str) -> None:
    """Not a failed attempt (quiet hours, the robot's minute is full): back in the queue without counting it."""
    _finish(delivery, token, status=DeliveryStatus.QUEUED, next_try_at=until, attempts=F("attempts") - 1, last_error=reason)
    _schedule_wakeup(until)


def _schedule_wakeup(when: datetime) -> None:
    from django_tasks import default_task_backend

    from .tasks import deliver_due

    if default_task_backend.supports_defer:
        transaction.on_commit(lambda: deliver_due.using(run_after=when).enqueue())


# Quiet hours and caps -------------------------------------------------------------------------------------


def quiet_until(now: datetime) -> datetime | None:
    """The end of the quiet hours `now` falls in (local time), or None outside them."""
    start, end = _setting("NOTIFY_QUIET_HOURS", (22, 7))
    if start == end:
        return None
    local = timezone.localtime(now)
    hour = local.hour
    inside = (start <= hour or hour < end) if start > end else (start <= hour < end)
    if not inside:
        return None
    wake = local.replace(hour=end, minute=0, second=0, microsecond=0)
    if wake <= local:
        wake += timedelta(days=1)
    return wake


def _team_cap_reached(delivery: Delivery, now: datetime) -> bool:
    cap = _setting("NOTIFY_TEAM_DAILY_CAP", 100)
    if not cap or delivery.team_id is None:
        return False
    midnight = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    sent = Delivery.objects.filter(
        team_id=delivery.team_id, channel__in=[*ROBOT_CHANNELS, Channel.SMS], status=DeliveryStatus.SENT, sent_at__gte=midnight
    ).count()
    return sent >= cap


def _take_robot_slot(robot_id: int, now: datetime) -> datetime | None:
    """Reserve one of the robot's messages in the current minute; returns when to try again if it is full."""
    per_minute = _setting("NOTIFY_ROBOT_PER_MINUTE", 20)
    with transaction.atomic():
        robot = RobotWebhook.objects.select_for_update().get(pk=robot_id)
        if robot.window_start is None or robot.window_start <= now - timedelta(seconds=60):
            robot.window_start, robot.window_count = now, 0
        if robot.window_count >= per_minute:
            return robot.window_start + timedelta(seconds=61)
        robot.window_count += 1
        robot.save(update_fields=["window_start", "window_count"])
    return None


# Sending --------------------------------------------------------------------------------------------------


_policies: dict[str, tuple[float, object]] = {}


def _policy(event: str):
    """The event's policy, read at most every 30 s per worker (a burst of 10,000 SMS reads it once)."""
    cached = _policies.get(event)
    if cached is None or time.monotonic() - cached[0] > 30:
        cached = _policies[event] = (time.monotonic(), policy_for(event))
    return cached[1]


def _context_of(delivery: Delivery) -> dict:
    return delivery.notification.context if delivery.notification_id else delivery.context


def _send(delivery: Delivery) -> Outcome:
    context, event, link = _context_of(delivery), delivery.event, delivery.link
    with translation.override(settings.LANGUAGE_CODE):
        link_label = _("Open in Webmaster Academy")
    if delivery.channel in ROBOT_CHANNELS:
        robot = delivery.robot
        text = render(event, context, fmt="markdown", link=link)
        if robot.kind == Channel.DINGTALK:
            return send_dingtalk(
                robot.url, robot.secret, text.title, text.body, text.url, link_label=link_label, timeout=http_timeout()
            )
        return send_wecom(robot.url, text.title, text.body, text.url, link_label=link_label, timeout=http_timeout())
    if delivery.channel == Channel.EMAIL:
        plain, html = render(event, context, fmt="text", link=link), render(event, context, fmt="html", link=link)
        return send_email(
            to=delivery.recipient.email,
            subject=plain.title,
            text=plain.body,
            html_title=html.title,
            html_body=html.body,
            url=plain.url,
            link_label=link_label,
            message_id=delivery.idempotency_key,
        )
    if delivery.channel == Channel.SMS:
        provider, policy = sms_provider(), _policy(event)
        if provider is None or policy is None or not policy.sms_template_code:
            return Outcome(FAILED, code="sms_off", message="SMS is not configured for this event")
        return provider.send(
            phone=delivery.recipient.phone,
            template_code=policy.sms_template_code,
            params=sms_params(event, context),
            out_id=delivery.idempotency_key[:32],
        )
    return Outcome(FAILED, code="unknown_channel")


def _skip_reason(delivery: Delivery) -> str | None:
    if delivery.channel in ROBOT_CHANNELS:
        if delivery.robot is None or not delivery.robot.is_active:
            return "robot switched off"
    elif delivery.recipient is None or not delivery.recipient.is_active:
        return "recipient inactive"
    elif delivery.channel == Channel.EMAIL and not delivery.recipient.email:
        return "no e-mail address"
    elif delivery.channel == Channel.SMS and not delivery.recipient.phone:
        return "no mobile number"
    return None


def deliver_one(delivery: Delivery, *, token: str, now: datetime | None = None) -> str:
    """Send one claimed delivery and record the result; returns its new status."""
    now = now or timezone.now()
    reason = _skip_reason(delivery)
    if reason:
        _finish(delivery, token, status=DeliveryStatus.SKIPPED, last_error=reason)
        return DeliveryStatus.SKIPPED
    loud = delivery.channel in ROBOT_CHANNELS or delivery.channel == Channel.SMS
    if loud and not delivery.urgent:
        wake = quiet_until(now)
        if wake is not None:
            _postpone(delivery, token, wake, "quiet hours")
            return DeliveryStatus.QUEUED
    if loud and _team_cap_reached(delivery, now):
        _finish(delivery, token, status=DeliveryStatus.SKIPPED, last_error="team's daily cap reached", error_code="daily_cap")
        return DeliveryStatus.SKIPPED
    if delivery.channel in ROBOT_CHANNELS:
        retry_at = _take_robot_slot(delivery.robot_id, now)
        if retry_at is not None:
            _postpone(delivery, token, retry_at, "robot's 20 messages a minute used")
            return DeliveryStatus.QUEUED
    if not _renew(delivery, token):
        return "lost"  # another worker took it over after our lease ran out
    try:
        outcome = _send(delivery)
    except Exception as exc:  # a bug in a channel must not leave the delivery stuck in "sending"
        log.exception("delivery %s failed", delivery.pk)
        outcome = Outcome(RETRY, code=exc.__class__.__name__, message=str(exc)[:300])
    return record(delivery, outcome, token=token)


def record(delivery: Delivery, outcome: Outcome, *, token: str) -> str:
    now = timezone.now()
    with transaction.atomic():
        if outcome.status == SENT:
            status = DeliveryStatus.SENT
            _finish(delivery, token, status=status, sent_at=now, last_error="", error_code="")
            if delivery.robot_id:
                RobotWebhook.objects.filter(pk=delivery.robot_id, auth_failures__gt=0).update(auth_failures=0)
        elif outcome.status == RETRY and delivery.attempts < _setting("NOTIFY_MAX_ATTEMPTS", 6):
            status = DeliveryStatus.QUEUED
            next_try = now + backoff(delivery.attempts)
            _finish(delivery, token, status=status, next_try_at=next_try, last_error=outcome.message, error_code=outcome.code)
            _schedule_wakeup(next_try)
        else:
            status = DeliveryStatus.FAILED
            message = (
                outcome.message if outcome.status == FAILED else f"gave up after {delivery.attempts} attempts: {outcome.message}"
            )
            _finish(delivery, token, status=status, last_error=message, error_code=outcome.code)
        if outcome.auth_failure and delivery.robot_id:
            _count_refusal(delivery.robot_id, outcome)
    return status


def _count_refusal(robot_id: int, outcome: Outcome) -> None:
    """N refusals of its key/token/signature in a row switch a robot off, and the bureau hears of it."""
    limit = _setting("NOTIFY_ROBOT_DISABLE_AFTER", 3)
    robot = RobotWebhook.objects.select_for_update(of=("self",)).select_related("team").get(pk=robot_id)
    robot.auth_failures += 1
    if robot.auth_failures >= limit and robot.is_active:
        robot.is_active = False
        robot.disabled_reason = f"{outcome.code} {outcome.message}"[:300]
        robot.save(update_fields=["auth_failures", "is_active", "disabled_reason"])
        from lms.models import Role

        from .services import notify

        bureau = (
            get_user_model()
            .objects.filter(Q(is_superuser=True) | Q(memberships__role=Role.BUREAU_ADMIN), is_active=True)
            .distinct()
        )
        notify(
            "robot.disabled",
            list(bureau),
            {
                "robot": str(robot),
                "failures": robot.auth_failures,
                "error": robot.disabled_reason,
                "link": "/admin/snippets/notifications/robotwebhook/",
            },
            key=f"robot.disabled:{robot.pk}:{int(time.time())}",
        )
    else:
        robot.save(update_fields=["auth_failures"])


def deliver_due(*, now: datetime | None = None, budget_seconds: float | None = None) -> int:
    """Claim and deliver until nothing is due (or the time budget is spent: then queue a follow-up task)."""
    token = uuid.uuid4().hex
    budget = budget_seconds or _setting("NOTIFY_TASK_SECONDS", 240)
    started, handled = time.monotonic(), 0
    while True:
        batch = claim(token=token, limit=_setting("NOTIFY_CLAIM_SIZE", 20), now=now)
        if not batch:
            return handled
        for delivery in batch:
            deliver_one(delivery, token=token, now=now)
            handled += 1
        if time.monotonic() - started > budget:
            from .services import enqueue_delivery

            transaction.on_commit(lambda: enqueue_delivery(1))
            return handled
