"""整改 items opened by a site inspection run (the `inspection` app's `rectification_opened` signal).

A run can open dozens of items at once; the team hears about them once per run (the idempotency key is the run),
with the count and the earliest deadline, and the page that lists every item with its lesson. Connected only when
`inspection` is installed."""

from __future__ import annotations

import logging

from django.db.models import Min
from django.urls import reverse

log = logging.getLogger(__name__)


def run_items_opened(sender=None, item=None, **kwargs) -> None:
    from inspection.models import Rectification
    from lms.models import Membership, Role

    from ..services import notify

    if item is None:
        return
    # Items opened by hand (no run) are announced one by one; a run's items once for the run.
    scope = {"opened_run_id": item.opened_run_id} if item.opened_run_id else {"pk": item.pk}
    opened = Rectification.objects.filter(site_id=item.site_id, **scope)
    figures = opened.aggregate(first_deadline=Min("deadline"))
    webmasters = [
        m.user
        for m in Membership.objects.filter(team_id=item.team_id, role__in=[Role.TRAINEE, Role.TEAM_LEAD], user__is_active=True)
        .select_related("user")
        .order_by("user_id")
    ]
    site = item.site
    try:
        notify(
            "inspection.rectification_opened",
            webmasters,
            {
                "team": item.team.name,
                "site": site.name or site.base_url,
                "date": item.opened_at.date().isoformat(),
                "count": opened.count(),
                "deadline": figures["first_deadline"].isoformat() if figures["first_deadline"] else "",
            },
            key=f"inspection.rectification_opened:{item.site_id}:{item.opened_run_id or 'item-' + str(item.pk)}",
            team=item.team,
            link=reverse("inspection:my_items"),
        )
    except Exception:
        # News about a run must never undo or break the run that found the items.
        log.exception("notifying the 整改 items of site %s failed", item.site_id)


def connect() -> None:
    from inspection import signals

    signals.rectification_opened.connect(run_items_opened, dispatch_uid="notifications.inspection_opened")
