"""Geometry for the server-rendered SVG charts (no JavaScript, no CDN): bars per team and per month."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.formats import date_format
from django.utils.translation import pgettext

from .selectors import TeamRow

MAX_TEAM_BARS = 30


@dataclass
class Bar:
    label: str
    value: float
    x: float
    y: float
    width: float
    height: float
    highlight: bool = False
    secondary_value: float = 0.0
    secondary_width: float = 0.0
    axis_label: str = ""
    axis_note: str = ""

    @property
    def center(self) -> float:
        return self.x + self.width / 2


def team_bars(rows: list[TeamRow], *, width: int = 480, bar_height: int = 16, gap: int = 6, label_width: int = 90) -> dict:
    """Horizontal bars of % qualified, in ranking order. Beyond 30 teams: the first and last 15."""
    ranked = sorted(rows, key=lambda r: (r.rank, r.team.sort_order, r.team.code))
    truncated = len(ranked) > MAX_TEAM_BARS
    if truncated:
        half = MAX_TEAM_BARS // 2
        ranked = ranked[:half] + ranked[-half:]
    plot = width - label_width - 50
    bars = []
    for index, row in enumerate(ranked):
        y = index * (bar_height + gap) + 24
        bars.append(
            Bar(
                label=row.team.name,
                value=row.percent_qualified,
                x=label_width,
                y=y,
                width=max(0.0, plot * row.percent_qualified / 100),
                height=bar_height,
                highlight=row.top_ten,
                secondary_value=row.trained_percent,
                secondary_width=max(0.0, plot * row.trained_percent / 100),
            )
        )
    return {
        "bars": bars,
        "width": width,
        "height": len(bars) * (bar_height + gap) + 30,
        "plot_width": plot,
        "label_width": label_width,
        "ticks": [{"x": label_width + plot * p / 100, "label": f"{p}%"} for p in (0, 25, 50, 75, 100)],
        "truncated": truncated,
        "total": len(rows),
    }


def month_bars(trend: list, *, width: int = 400, height: int = 190) -> dict:
    """Vertical bars of certificates issued per month. Under each bar its month, short (“1月”, “Jan”), with the
    year under the first bar and under each January: 12 slots leave no room for “2026-01” at a readable size."""
    top = max([count for _, count in trend] + [1])
    slot = (width - 40) / max(1, len(trend))
    plot = height - 64
    bars = []
    for index, (month, count) in enumerate(trend):
        h = plot * count / top
        bars.append(
            Bar(
                label=date_format(month, "YEAR_MONTH_FORMAT"),
                value=count,
                x=30 + index * slot + slot * 0.15,
                y=20 + plot - h,
                width=slot * 0.7,
                height=h,
                axis_label=date_format(month, pgettext("month under a chart bar (date format)", "M")),
                axis_note=date_format(month, "Y") if index == 0 or month.month == 1 else "",
            )
        )
    return {"bars": bars, "width": width, "height": height, "baseline": 20 + plot, "max": top, "empty": not any(c for _, c in trend)}
