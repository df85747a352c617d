"""On PostgreSQL, workers claiming at the same instant take disjoint deliveries (FOR UPDATE SKIP LOCKED), and
the same event notified from many requests at once creates one row per person and channel."""

import pytest
from django.utils import timezone

from notifications import delivery
from notifications.models import Delivery, Notification
from notifications.services import notify
from tests.concurrency import all_at_once
from tests.factories import TeamFactory, UserFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture(autouse=True)
def no_inline_delivery(monkeypatch):
    """The test settings run tasks inline: here the deliveries must stay queued for the workers to claim."""
    monkeypatch.setattr("notifications.services.enqueue_delivery", lambda count: None)


def test_concurrent_claims_are_disjoint():
    team = TeamFactory(code="race")
    users = [UserFactory(role="trainee", team=team, email=f"u{n}@example.cn") for n in range(60)]
    notify("work.accepted", users, {"task": "报告"}, key="race:claims")
    now = timezone.now()
    claimed = all_at_once([lambda n=n: [d.pk for d in delivery.claim(token=f"w{n}", limit=20, now=now)] for n in range(6)])
    flat = [pk for batch in claimed for pk in batch]
    assert len(flat) == len(set(flat)) == 60
    assert Delivery.objects.filter(status="sending").count() == 60


def test_same_event_from_many_requests_at_once_is_recorded_once():
    team = TeamFactory(code="race2")
    users = [UserFactory(role="trainee", team=team, email=f"v{n}@example.cn") for n in range(10)]
    results = all_at_once([lambda: notify("work.accepted", users, {"task": "报告"}, key="race:same") for _ in range(8)])
    assert not [r for r in results if isinstance(r, Exception)]
    assert Notification.objects.filter(event_key="race:same").count() == 10
    assert Delivery.objects.filter(event_key="race:same").count() == 10
