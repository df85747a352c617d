"""Focus losses (切屏): the attempt page was hidden or the window lost focus. Recorded for the trainer to
see beside the result, never blocking: a trainee may have taken a phone call. The write is here; the
reads (`focus_loss_counts`, `focus_loss_summary`) are in selectors.py.

The browser reports how long it was away; the server stamps when it came back. A script cannot flood
the table: at most MAX_PER_POST events per request, MAX_POSTS_PER_MINUTE requests per attempt
(counted in the cache) and MAX_PER_ATTEMPT rows per attempt; past those, events are dropped and counted
as dropped, so the trainer still sees that the limit was reached.
"""

from __future__ import annotations

from datetime import datetime

from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Attempt, AttemptStatus, FocusLoss, FocusLossKind
from .services import AttemptClosed, QuizError

MAX_PER_POST = 20
MAX_POSTS_PER_MINUTE = 30
MAX_PER_ATTEMPT = 500
MAX_DURATION_MS = 24 * 3600 * 1000


class TooManyReports(QuizError):
    code = "too_many_reports"


def record_focus_losses(*, attempt_id: int, user_id: int, events: list[dict], now: datetime | None = None) -> int:
    """Store `events` ([{"kind": "hidden"|"blur", "ms": duration}]) for the caller's own unfinished attempt.

    Returns how many were stored. Attempt.DoesNotExist for someone else's attempt; AttemptClosed once it
    is submitted; TooManyReports past the per-minute limit. Malformed events are skipped, not fatal:
    the page sends them on its way out and cannot show an error.
    """
    now = now or timezone.now()
    attempt = Attempt.objects.only("pk", "user_id", "status", "started_at").get(pk=attempt_id, user_id=user_id)
    if attempt.status != AttemptStatus.IN_PROGRESS:
        raise AttemptClosed(_("This attempt has already been submitted."))
    minute_key = f"quizzes:focus:{attempt.pk}:{now:%Y%m%d%H%M}"
    if cache.get_or_set(minute_key, 0, 90) >= MAX_POSTS_PER_MINUTE:
        raise TooManyReports(_("Too many reports for this attempt; try again in a minute."))
    try:
        cache.incr(minute_key)
    except ValueError:
        cache.set(minute_key, 1, 90)
    longest = min(MAX_DURATION_MS, int((now - attempt.started_at).total_seconds() * 1000))
    rows = []
    kinds = set(FocusLossKind.values)
    for event in events[:MAX_PER_POST]:
        if not isinstance(event, dict) or event.get("kind") not in kinds:
            continue
        ms = event.get("ms")
        if isinstance(ms, bool) or not isinstance(ms, (int, float)) or ms < 0:
            continue
        ms = int(min(ms, longest))
        rows.append(FocusLoss(attempt=attempt, kind=event["kind"], duration_ms=ms, returned_at=now))
    if not rows:
        return 0
    room = MAX_PER_ATTEMPT - FocusLoss.objects.filter(attempt=attempt).count()
    if room <= 0:
        return 0
    FocusLoss.objects.bulk_create(rows[:room])
    return min(len(rows), room)
