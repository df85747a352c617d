"""Reads: the bell's count (cached), the inbox, policies, the delivery log."""

from __future__ import annotations

from django.core.cache import cache
from django.db.models import QuerySet

from lms.cache_scope import lifetime

from .models import EventPolicy, Notification

# Every write that changes a count forgets it, so it can be kept long; the TTL only bounds a figure made stale
# by a change outside the services (a person deleted with their messages).
UNREAD_TTL = 24 * 3600


def _unread_key(user_id: int) -> str:
    return f"notifications:unread:{user_id}"


def unread_count(user) -> int:
    """The number on the bell: one indexed COUNT on a cache miss, nothing otherwise (every write that changes
    it forgets the cached figure)."""
    key = _unread_key(user.pk)
    count = cache.get(key)
    if count is None:
        count = Notification.objects.filter(recipient_id=user.pk, read_at__isnull=True).count()
        cache.set(key, count, lifetime(UNREAD_TTL))
    return count


def warm_unread_count(sender, request, user, **kwargs) -> None:
    unread_count(user)


def forget_unread_counts(user_ids) -> None:
    cache.delete_many([_unread_key(pk) for pk in user_ids])


def inbox(user) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=user).order_by("-created_at", "-pk")


def policy_for(event: str) -> EventPolicy | None:
    return EventPolicy.objects.filter(event=event).first()


def events_for(user) -> list:
    """The event types this person can receive, by role (a trainee's events for everyone)."""
    from lms import permissions
    from lms.models import Role

    from .events import EVENTS

    roles = permissions.roles_of(user)
    audiences = {"trainee"}
    if Role.TRAINER in roles:
        audiences.add("trainer")
    if Role.TEAM_LEAD in roles:
        audiences.add("lead")
    if permissions.is_bureau_admin(user):
        audiences |= {"trainer", "lead", "bureau"}
    return [event for event in EVENTS.values() if event.audience in audiences]


def current_preferences(user, events) -> dict[tuple[str, str], bool]:
    """Every (event, personal channel) with what applies now: the person's choice, else the event's default."""
    from .models import PERSONAL_CHANNELS, Preference

    saved = {(e, c): on for e, c, on in Preference.objects.filter(user=user).values_list("event", "channel", "enabled")}
    return {
        (event.code, channel.value): saved.get((event.code, channel.value), channel in event.default_channels)
        for event in events
        for channel in PERSONAL_CHANNELS
    }


def mandatory_events() -> set[str]:
    return set(EventPolicy.objects.filter(mandatory=True).values_list("event", flat=True))
