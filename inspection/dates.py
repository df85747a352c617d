"""Publication dates as Chinese government sites write them.

"发布时间：2026-11-20 10:30", "2026年11月20日", "2026/11/20", "2026.11.20", a list item ending in "[11-20]".
Libraries tried (htmldate, dateparser) read whole documents or one free-text date; a county site needs
every date of a list, the labelled date of an article and month-day dates whose year comes from the
reference day, so this small extractor does exactly that and is tested on each form.
"""

from __future__ import annotations

import re
from datetime import date

_FULL = re.compile(r"(?<!\d)(?P<y>(?:19|20)\d{2})\s*(?:[-/.]|年)\s*(?P<m>\d{1,2})\s*(?:[-/.]|月)\s*(?P<d>\d{1,2})(?!\d)\s*日?")
# A month-day date standing alone (list items: "[11-20]", "11-20", "11月20日"): never inside a longer number.
_MONTH_DAY = re.compile(r"(?<![\d\-/.年])(?P<m>\d{1,2})(?:-|/|月)(?P<d>\d{1,2})(?:日)?(?![\d\-/.:])")
_LABEL = re.compile(r"(?:发布时间|发布日期|发文日期|成文日期|更新时间|日期|时间)\s*[:：]?\s*")


def _valid(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def full_dates(text: str) -> list[date]:
    """Every complete date (with a year) in `text`, in order."""
    found = []
    for match in _FULL.finditer(text):
        value = _valid(int(match["y"]), int(match["m"]), int(match["d"]))
        if value:
            found.append(value)
    return found


def labelled_date(text: str) -> date | None:
    """The date written after a label such as 发布时间/发布日期 (an article's own date), else None."""
    for label in _LABEL.finditer(text):
        following = text[label.end() : label.end() + 40]
        match = _FULL.match(following)
        if match:
            value = _valid(int(match["y"]), int(match["m"]), int(match["d"]))
            if value:
                return value
    return None


def month_day(text: str) -> tuple[int, int] | None:
    """A month-day date at the end of a list item's text ("[11-20]"), without a year."""
    tail = text.strip()[-12:]
    matches = list(_MONTH_DAY.finditer(tail))
    if not matches:
        return None
    m, d = int(matches[-1]["m"]), int(matches[-1]["d"])
    if 1 <= m <= 12 and 1 <= d <= 31:
        return m, d
    return None


def encode_item_date(text: str) -> list[str]:
    """The dates of a list item, stored as ISO strings; a month-day date as "--MM-DD" (year resolved later)."""
    dates = [value.isoformat() for value in full_dates(text)]
    if dates:
        return dates
    md = month_day(text)
    return [f"--{md[0]:02d}-{md[1]:02d}"] if md else []


def resolve(stored: str, today: date) -> date | None:
    """A stored date back to a `date`; a month-day date takes the latest year not after `today`."""
    if stored.startswith("--"):
        m, d = int(stored[2:4]), int(stored[5:7])
        value = _valid(today.year, m, d)
        if value is None or value > today:
            value = _valid(today.year - 1, m, d)
        return value
    try:
        return date.fromisoformat(stored)
    except ValueError:
        return None
