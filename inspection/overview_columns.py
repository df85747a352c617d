"""The team figures site inspection adds to the bureau overview, its exports and the team page, through
the qualification dashboard's extra_columns seam (certificates never imports this app)."""

from __future__ import annotations

import threading

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from certificates.qualification.extra_columns import ExtraColumn, register_column

# Four columns ask for the same figures in one overview: read them once per call set. Per thread, so two requests
# served at once by one process never see (or clear) each other's figures.
_last = threading.local()


def _figures(team_ids: list[int], now) -> dict[int, dict]:
    key = (tuple(team_ids), now)
    if getattr(_last, "key", None) != key:
        from .selectors import team_figures

        _last.key, _last.figures = key, team_figures(team_ids=team_ids, now=now)
    return _last.figures


def forget_figures() -> None:
    _last.key = None


def _pick(field: str):
    def values(team_ids, now):
        return {
            team_id: figures[field]
            for team_id, figures in _figures(team_ids, now).items()
            if figures.get("verdict") or field == "open_items"
        }

    return values


def _verdict_text(value) -> str:
    return _("合格") if value == "pass" else _("不合格") if value == "fail" else "—"


def register() -> None:
    link = lambda team: reverse("inspection:team", args=[team.code])  # noqa: E731
    register_column(
        ExtraColumn(
            key="site_verdict",
            label=gettext_lazy("Site inspection"),
            values=_pick("verdict"),
            display=_verdict_text,
            tone=lambda value: "bad" if value == "fail" else "ok",
            url=link,
        )
    )
    register_column(
        ExtraColumn(
            key="site_score",
            label=gettext_lazy("Site score"),
            values=_pick("score"),
            ranking_weight=ranking_weight,
            display=lambda v: f"{v:g}",
            tone=lambda value: "bad" if value < 60 else "",
            url=link,
        )
    )
    register_column(
        ExtraColumn(
            key="site_open_items",
            label=gettext_lazy("Open rectification items"),
            values=_pick("open_items"),
            display=str,
            tone=lambda value: "warn" if value else "",
            url=link,
        )
    )
    register_column(
        ExtraColumn(
            key="site_days_open",
            label=gettext_lazy("Days open (oldest item)"),
            values=_pick("days_open"),
            display=str,
            tone=lambda value: "bad" if value > 30 else "",
        )
    )


RANKING_WEIGHT_KEY = "inspection:ranking-weight"


def ranking_weight() -> float:
    """The bureau's weight of the site score in the team ranking (0–1); cached, forgotten when the setting is saved."""
    from django.core.cache import cache

    weight = cache.get(RANKING_WEIGHT_KEY)
    if weight is None:
        from .models import InspectionSettings

        weight = (InspectionSettings.load().ranking_weight or 0) / 100
        cache.set(RANKING_WEIGHT_KEY, weight, 600)
    return weight


def forget_ranking_weight(**kwargs) -> None:
    from django.core.cache import cache
    from django.db import transaction

    cache.delete(RANKING_WEIGHT_KEY)
    transaction.on_commit(lambda: cache.delete(RANKING_WEIGHT_KEY))
