"""Per-team figures that other apps add to the overview, its exports, its API and the team page.

The qualification dashboard is where the bureau looks, but exam results and site inspection verdicts live in apps
built on top of this one. They register a column here from their AppConfig.ready(); this app never imports them.

A column computes its values for every team shown in one call (one query, whatever the number of teams), so the
overview keeps a constant number of queries. A team without a value shows "—".
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class ExtraColumn:
    """One figure per team.

    key: unique; the sort parameter, the API field under "extra" and the export header's identity.
    label: a lazy translation; the column heading.
    values: (team ids, now) → {team id: value}; values are numbers or short strings (None when unknown).
    display: how a value reads on the page and in the exports; "—" is shown for None without calling it.
    tone: value → "" | "warn" | "bad" | "ok"; colours the cell on the page.
    url: (team) → a link for the cell (e.g. the team's results), or "" for none.
    ranking_weight: () → the share (0–1) of the ranking this figure takes, as the bureau set it; None when it
        never counts. Its values must then be 0–100 (a score), blended with the share qualified (ranking_figure).
    """

    key: str
    label: object
    values: Callable[[list[int], datetime.datetime], dict[int, object]]
    display: Callable[[object], str] = str
    tone: Callable[[object], str] = lambda value: ""
    url: Callable[[object], str] = lambda team: ""
    ranking_weight: Callable[[], float] | None = None


_columns: dict[str, ExtraColumn] = {}


def register_column(column: ExtraColumn) -> None:
    """Idempotent by key: AppConfig.ready() may run more than once in tests."""
    _columns[column.key] = column


def columns() -> list[ExtraColumn]:
    return list(_columns.values())


def column(key: str) -> ExtraColumn | None:
    return _columns.get(key)


def values_for(team_ids: Iterable[int], now: datetime.datetime) -> dict[int, dict[str, object]]:
    """{team id: {column key: value}} for every registered column."""
    ids = list(team_ids)
    by_team: dict[int, dict[str, object]] = {team_id: {} for team_id in ids}
    if not ids:
        return by_team
    for extra in _columns.values():
        found = extra.values(ids, now)
        for team_id in ids:
            by_team[team_id][extra.key] = found.get(team_id)
    return by_team


def ranking_weights() -> dict[str, float]:
    """{column key: weight} of the columns that count in the ranking now (weight > 0)."""
    weights = {}
    for extra in _columns.values():
        if extra.ranking_weight is not None:
            weight = min(max(float(extra.ranking_weight() or 0), 0.0), 1.0)
            if weight > 0:
                weights[extra.key] = weight
    return weights


def ranking_figure(percent_qualified: float, values: dict[str, object], weights: dict[str, float]) -> float:
    """The share qualified blended with the weighted figures (e.g. 30 % site score, 70 % share qualified).

    A team without a value for a weighted figure (no site inspected yet) is ranked on what it has: that figure's
    weight goes back to the share qualified rather than counting as zero."""
    blended, used = 0.0, 0.0
    for key, weight in weights.items():
        value = values.get(key)
        if isinstance(value, int | float) and not isinstance(value, bool):
            blended += weight * float(value)
            used += weight
    used = min(used, 1.0)
    return round(blended + (1.0 - used) * percent_qualified, 2)


def shown(extra: ExtraColumn, value) -> str:
    return "—" if value is None else extra.display(value)


@dataclass(frozen=True)
class Cell:
    """What a template needs for one extra cell, so templates hold no lookups by key."""

    key: str
    label: object
    text: str
    tone: str
    url: str
    value: object


def cells(values: dict[str, object], team) -> list[Cell]:
    result = []
    for extra in _columns.values():
        value = values.get(extra.key)
        result.append(
            Cell(
                key=extra.key,
                label=extra.label,
                text=shown(extra, value),
                tone="" if value is None else extra.tone(value),
                url=extra.url(team) if team is not None else "",
                value=value,
            )
        )
    return result
