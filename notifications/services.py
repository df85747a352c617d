"""Writes: create notifications and their deliveries, mark them read, store preferences."""

from __future__ import annotations

import hashlib
import math
from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from lms.models import CountyTeam, User

from .events import get_event
from .models import PERSONAL_CHANNELS, Channel, Delivery, EventPolicy, Notification, Preference, RobotWebhook
from .selectors import forget_unread_counts, policy_for


class UnknownEvent(ValueError):
    pass


def idempotency_key(event_key: str, target: str, channel: str) -> str:
    """UNIQUE per (event key, recipient or robot, channel): a second notify() of the same event adds nothing."""
    return hashlib.sha256(f"{event_key}\x1f{target}\x1f{channel}".encode()).hexdigest()


def _jsonable(context: dict) -> dict:
    return {str(k): (v if isinstance(v, (int, float, bool)) or v is None else str(v)) for k, v in (context or {}).items()}


def wanted_channels(*, event: str, users: list[User], policy: EventPolicy | None) -> dict[int, set[str]]:
    """Per person, the personal channels this event goes out on: the event's defaults, changed by the person's
    own choices, unless the bureau made the event mandatory. SMS needs a template id and a phone number,
    e-mail an address."""
    definition = get_event(event)
    defaults = set(definition.default_channels) & set(PERSONAL_CHANNELS)
    mandatory = bool(policy and policy.mandatory)
    choices: dict[tuple[int, str], bool] = {}
    if not mandatory and users:
        for user_id, channel, enabled in Preference.objects.filter(event=event, user__in=[u.pk for u in users]).values_list(
            "user_id", "channel", "enabled"
        ):
            choices[(user_id, channel)] = enabled
    from .channels.sms import sms_provider

    sms_ready = bool(policy and policy.sms_template_code) and sms_provider() is not None
    result = {}
    for user in users:
        channels = set()
        for channel in PERSONAL_CHANNELS:
            on = choices.get((user.pk, channel), channel in defaults)
            if mandatory:
                on = channel in defaults
            if not on:
                continue
            if channel == Channel.EMAIL and not user.email:
                continue
            if channel == Channel.SMS and not (sms_ready and user.phone):
                continue
            channels.add(channel)
        result[user.pk] = channels
    return result


def _robots_for(*, event: str, team: CountyTeam | None, policy: EventPolicy | None) -> list[RobotWebhook]:
    definition = get_event(event)
    if definition.robot is None or (policy is not None and not policy.robots):
        return []
    if definition.robot == "team":
        if team is None:
            return []
        return list(RobotWebhook.objects.filter(team=team, is_active=True))
    return list(RobotWebhook.objects.filter(team__isnull=True, is_active=True))


@transaction.atomic
def notify(
    event: str,
    recipients: Iterable[User],
    context: dict,
    *,
    key: str,
    team: CountyTeam | None = None,
    urgent: bool = False,
    link: str = "",
) -> int:
    """Record `event` for each recipient (inbox row + deliveries on their channels) and for the team's or the
    bureau's group robots, then queue delivery after commit. Idempotent per `key`: calling it again with the
    same key (a retried request, a cron run twice) creates nothing new. Returns how many deliveries were queued.
    """
    definition = get_event(event)
    if definition is None:
        raise UnknownEvent(event)
    users = [u for u in {u.pk: u for u in recipients if u is not None and u.is_active}.values()]
    context = _jsonable(context)
    link = link or str(context.get("link", ""))
    urgent = urgent or definition.urgent
    key = key[:200]
    policy = policy_for(event)
    now = timezone.now()

    Notification.objects.bulk_create(
        [Notification(recipient=u, event=event, event_key=key, context=context, link=link, urgent=urgent) for u in users],
        ignore_conflicts=True,
        batch_size=1000,
    )
    notifications = (
        dict(Notification.objects.filter(event_key=key, recipient__in=[u.pk for u in users]).values_list("recipient_id", "pk"))
        if users
        else {}
    )
    channels = wanted_channels(event=event, users=users, policy=policy)
    teams = _teams_of(users)
    deliveries = [
        Delivery(
            notification_id=notifications.get(u.pk),
            recipient=u,
            team_id=teams.get(u.pk),
            channel=channel,
            event=event,
            event_key=key,
            link=link,
            urgent=urgent,
            idempotency_key=idempotency_key(key, f"user:{u.pk}", channel),
            next_try_at=now,
        )
        for u in users
        for channel in sorted(channels[u.pk])
    ]
    deliveries += [
        Delivery(
            robot=robot,
            team=robot.team,
            channel=robot.kind,
            event=event,
            event_key=key,
            context=context,
            link=link,
            urgent=urgent,
            idempotency_key=idempotency_key(key, f"robot:{robot.pk}", robot.kind),
            next_try_at=now,
        )
        for robot in _robots_for(event=event, team=team, policy=policy)
    ]
    Delivery.objects.bulk_create(deliveries, ignore_conflicts=True, batch_size=1000)
    recipient_ids = [u.pk for u in users]
    # Now, and again after commit: a page read between the two would have cached the old figure.
    forget_unread_counts(recipient_ids)
    transaction.on_commit(lambda: forget_unread_counts(recipient_ids))
    if deliveries:
        transaction.on_commit(lambda: enqueue_delivery(len(deliveries)))
    return len(deliveries)


def _teams_of(users: list[User]) -> dict[int, int]:
    from lms.models import Membership

    if not users:
        return {}
    return dict(
        Membership.objects.filter(user__in=[u.pk for u in users], team__isnull=False)
        .order_by("pk")
        .values_list("user_id", "team_id")
    )


def enqueue_delivery(count: int) -> None:
    """Queue enough delivery tasks for the workers to share the batch (each one loops until nothing is due)."""
    from .tasks import deliver_due

    per_task = getattr(settings, "NOTIFY_BATCH_SIZE", 50)
    wanted = max(1, min(math.ceil(count / per_task), getattr(settings, "NOTIFY_PARALLEL_TASKS", 2)))
    for _ in range(wanted - _tasks_waiting()):
        deliver_due.enqueue()


def _tasks_waiting() -> int:
    """Delivery tasks queued and not yet started: each will claim whatever is due when it runs, so a burst of
    events (a bulk issue of 500 certificates) does not queue 500 tasks. Only the database backend can tell."""
    from django_tasks import default_task_backend

    if default_task_backend.__class__.__name__ != "DatabaseBackend":
        return 0
    from django.db.models import Q
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult, get_date_max

    return DBTaskResult.objects.filter(
        Q(run_after=get_date_max()) | Q(run_after__lte=timezone.now()),
        task_path="notifications.tasks.deliver_due",
        status="READY",
    ).count()


def mark_read(*, user: User, notification_id: int) -> Notification | None:
    """Mark one of the user's own notifications read (someone else's: None, nothing changes)."""
    notification = Notification.objects.filter(pk=notification_id, recipient=user).first()
    if notification is None:
        return None
    if notification.read_at is None:
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=timezone.now())
        forget_unread_counts([user.pk])
        notification.refresh_from_db(fields=["read_at"])
    return notification


def mark_all_read(*, user: User) -> int:
    count = Notification.objects.filter(recipient=user, read_at__isnull=True).update(read_at=timezone.now())
    forget_unread_counts([user.pk])
    return count


@transaction.atomic
def set_preferences(*, user: User, choices: dict[tuple[str, str], bool]) -> None:
    """Store the user's channel choices; mandatory events are not theirs to switch off (ignored)."""
    mandatory = set(EventPolicy.objects.filter(mandatory=True).values_list("event", flat=True))
    for (event, channel), enabled in choices.items():
        if get_event(event) is None or channel not in PERSONAL_CHANNELS or event in mandatory:
            continue
        Preference.objects.update_or_create(user=user, event=event, channel=channel, defaults={"enabled": enabled})
