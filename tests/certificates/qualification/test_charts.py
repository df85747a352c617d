"""The monthly certificate chart reads at its size: short month names centred under their bars, the year where it
starts, in the person's language (twelve “26-01” labels at 9px were unreadable)."""

import datetime

from django.template.loader import render_to_string
from django.utils import translation

from certificates.qualification.charts import month_bars

TREND = [(datetime.date(2025, m, 1), m % 3) for m in (11, 12)] + [(datetime.date(2026, m, 1), m % 4) for m in range(1, 11)]


def test_month_labels_are_short_and_the_year_marks_where_it_starts():
    with translation.override("zh-hans"):
        chart = month_bars(TREND)
    assert [bar.axis_label for bar in chart["bars"]][:4] == ["11月", "12月", "1月", "2月"]
    assert [bar.axis_note for bar in chart["bars"]][:4] == ["2025", "", "2026", ""]
    assert chart["bars"][0].label == "2025年11月"
    with translation.override("en"):
        assert [bar.axis_label for bar in month_bars(TREND)["bars"]][:3] == ["Nov", "Dec", "Jan"]


def test_each_label_fits_under_its_bar_at_a_readable_size():
    with translation.override("zh-hans"):
        chart = month_bars(TREND)
    slot = (chart["width"] - 40) / len(TREND)
    font_size = 13  # .q-chart .label--month, in the chart's own units
    for bar in chart["bars"]:
        # A Han character is one em wide, a digit about half of one.
        width = sum(font_size if ord(ch) > 0x2E80 else font_size * 0.55 for ch in bar.axis_label)
        assert width <= slot, (bar.axis_label, width, slot)


def test_the_chart_centres_its_labels_and_says_what_each_bar_is():
    with translation.override("zh-hans"):
        chart = month_bars(TREND)
        svg = render_to_string("certificates/qualification/_month_chart.html", {"chart": chart})
    first = chart["bars"][0]
    assert f'x="{first.center:.1f}"' in svg
    assert "<title>2025年11月：2</title>" in svg
    assert ">2026</text>" in svg
