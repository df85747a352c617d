"""Reads of site inspection: latest runs per site, open 整改 items, per-team figures for the bureau overview."""

from __future__ import annotations

from django.db.models import Count, Min, OuterRef, Q, Subquery
from django.utils import timezone

from .models import InspectedSite, InspectionRun, Rectification


def sites_with_latest(*, teams):
    """Sites of `teams` with their latest finished run's verdict, score and deciding rule, and open items."""
    latest = InspectionRun.objects.filter(site=OuterRef("pk"), state=InspectionRun.State.DONE).order_by("-finished_at", "-pk")
    return (
        InspectedSite.objects.filter(team__in=teams)
        .select_related("team")
        .annotate(
            latest_run_id=Subquery(latest.values("pk")[:1]),
            latest_verdict=Subquery(latest.values("verdict")[:1]),
            latest_score=Subquery(latest.values("score")[:1]),
            latest_rule=Subquery(latest.values("deciding_rule")[:1]),
            latest_at=Subquery(latest.values("finished_at")[:1]),
            open_items=Count("rectifications", filter=Q(rectifications__closed_at__isnull=True)),
            oldest_open=Min("rectifications__opened_at", filter=Q(rectifications__closed_at__isnull=True)),
        )
        .order_by("team__sort_order", "name")
    )


def team_figures(*, team_ids, now=None) -> dict[int, dict]:
    """Per team: latest verdict and score (worst of its sites), open items, days the oldest has been open.
    One query whatever the number of teams."""
    figures: dict[int, dict] = {}
    now = now or timezone.now()
    for site in sites_with_latest(teams=list(team_ids)):
        entry = figures.setdefault(site.team_id, {"verdict": "", "score": None, "open_items": 0, "days_open": 0})
        if site.latest_verdict:
            if entry["verdict"] != "fail":
                entry["verdict"] = site.latest_verdict
            score = float(site.latest_score) if site.latest_score is not None else None
            entry["score"] = score if entry["score"] is None else min(entry["score"], score)
        entry["open_items"] += site.open_items
        if site.oldest_open:
            entry["days_open"] = max(entry["days_open"], (now - site.oldest_open).days)
    return figures


def open_items(*, teams):
    return (
        Rectification.objects.filter(team__in=teams, closed_at__isnull=True)
        .select_related("site", "team")
        .order_by("deadline", "pk")
    )


def recent_closed(*, teams, limit: int = 20):
    return (
        Rectification.objects.filter(team__in=teams, closed_at__isnull=False)
        .select_related("site")
        .order_by("-closed_at")[:limit]
    )


def trend(*, site, limit: int = 30) -> list[InspectionRun]:
    """The site's finished runs, oldest first (the score trend)."""
    runs = list(InspectionRun.objects.filter(site=site, state=InspectionRun.State.DONE).order_by("-finished_at")[:limit])
    return runs[::-1]
