"""The overview and a team's detail as spreadsheets: XLSX (one sheet per view) and CSV (UTF-8 with BOM).

Both are built from the same selector rows as the pages, so a report sent upward says what the page says.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from . import extra_columns
from .selectors import Overview, TeamDetail


@dataclass
class Sheet:
    title: str
    headers: list[str]
    rows: list[list]
    widths: list[int]


def _when(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def _date(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d") if value else ""


def _extra_value(extra, value):
    # Numbers stay numbers in the workbook (sortable in Excel); anything else is written as the page shows it.
    if value is None:
        return ""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value
    return extra_columns.shown(extra, value)


def overview_sheets(overview: Overview) -> list[Sheet]:
    teams = Sheet(
        title=pgettext("qualification", "Teams"),
        headers=[
            pgettext("qualification", "Rank"), pgettext("qualification", "County team"), pgettext("qualification", "Code"), pgettext("qualification", "Members"), _("Certified"), _("% qualified"),
            _("Expiring within 60 days"), pgettext("qualification", "Expired"), _("All courses completed"), _("Course completion %"),
            _("Average quiz score"), _("Tasks waiting for review"), pgettext("qualification", "Last activity"),
            _("Supervising trainer"),
        ] + [str(extra.label) for extra in extra_columns.columns()],
        rows=[
            [
                r.rank, r.team.name, r.team.code, r.members, r.certified, r.percent_qualified, r.expiring, r.expired,
                r.trained, r.course_completion_percent, r.average_score, r.tasks_waiting, _when(r.last_activity),
                pgettext("qualification", "yes") if r.has_trainer else _("no supervising trainer"),
            ] + [_extra_value(extra, r.extra.get(extra.key)) for extra in extra_columns.columns()]
            for r in overview.rows
        ],
        widths=[8, 16, 14, 10, 10, 12, 16, 10, 16, 14, 14, 16, 18, 14] + [14 for _extra in extra_columns.columns()],
    )
    ranking = Sheet(
        title=pgettext("qualification", "Ranking"),
        headers=[pgettext("qualification", "Rank"), pgettext("qualification", "County team"), _("% qualified"), _("Certified"), pgettext("qualification", "Members"), _("Top ten")],
        rows=[
            [r.rank, r.team.name, r.percent_qualified, r.certified, r.members, pgettext("qualification", "yes") if r.top_ten else ""]
            for r in overview.ranking
        ],
        widths=[8, 16, 12, 10, 10, 10],
    )
    trend = Sheet(
        title=_("Certificates by month"),
        headers=[pgettext("qualification", "Month"), _("Certificates issued")],
        rows=[[month.strftime("%Y-%m"), count] for month, count in overview.trend],
        widths=[12, 16],
    )
    return [teams, ranking, trend]




def _certificate_state(state: str) -> str:
    return {"none": pgettext("qualification", "none"), "valid": pgettext("qualification", "valid"), "expiring": pgettext("qualification", "expiring soon"), "expired": pgettext("qualification", "expired")}[state]


def _course_state(status) -> str:
    if status.state == "completed":
        return _("completed %(date)s") % {"date": _date(status.completed_at)}
    if status.state == "not_enrolled":
        return pgettext("qualification", "not enrolled")
    if status.state == "lessons_done":
        return _("lessons read; quiz or task left")
    return _("%(done)s/%(total)s lessons") % {"done": status.lessons_done, "total": status.lessons_total}


def _quiz_state(status) -> str:
    grade = status.grade
    if status.state == "passed":
        return _("passed (%(grade)s%%)") % {"grade": f"{grade:.0f}"}
    if status.state == "failed":
        return _("not passed (%(grade)s%%)") % {"grade": f"{grade:.0f}"}
    if status.state == "in_progress":
        return pgettext("qualification", "in progress")
    return pgettext("qualification", "not started")


def _task_state(status) -> str:
    return {
        "accepted": pgettext("qualification", "accepted"),
        "review": pgettext("qualification", "waiting for review"),
        "checking": pgettext("qualification", "being checked"),
        "returned": pgettext("qualification", "returned for revision"),
        "failed": pgettext("qualification", "did not pass the check"),
        "error": pgettext("qualification", "did not pass the check"),
    }.get(status.state, pgettext("qualification", "not submitted"))


def team_sheets(detail: TeamDetail) -> list[Sheet]:
    members = Sheet(
        title=_("Team members"),
        headers=[
            pgettext("qualification", "Name"), pgettext("qualification", "Username"), pgettext("qualification", "Post"), pgettext("qualification", "Certificate"), _("Serial number"), pgettext("qualification", "Expires"),
            _("Required courses completed"), _("Average quiz score"), _("Stuck at"), pgettext("qualification", "Last activity"),
        ],
        rows=[
            [
                str(m.person), m.person.username, m.title, _certificate_state(m.certificate_state),
                m.certificate.serial if m.certificate else "", _date(m.certificate.expires_at) if m.certificate else "",
                f"{m.courses_completed}/{len(detail.courses)}", m.average_score, m.stuck_at.course.title if m.stuck_at else "",
                _when(m.last_activity),
            ]
            for m in detail.members
        ],
        widths=[12, 16, 14, 12, 20, 12, 14, 14, 24, 18],
    )
    courses = Sheet(
        title=_("Course progress"),
        headers=[pgettext("qualification", "Name")] + [c.title for c in detail.courses] + [_("Quiz: %(title)s") % {"title": q.title} for q in detail.quizzes]
        + [_("Task: %(title)s") % {"title": t.title} for t in detail.tasks],
        rows=[
            [str(m.person)] + [_course_state(s) for s in m.courses] + [_quiz_state(q) for q in m.quizzes] + [_task_state(t) for t in m.tasks]
            for m in detail.members
        ],
        widths=[12] + [max(14, min(30, len(c.title) * 2 + 2)) for c in detail.courses] + [16 for _q in detail.quizzes] + [16 for _t in detail.tasks],
    )
    return [members, courses]


def to_xlsx(sheets: Iterable[Sheet]) -> bytes:
    """A workbook with one sheet per view: bold frozen header row, column widths set."""
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill

    workbook = Workbook(write_only=True)
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDE7F3")
    from openpyxl.cell import WriteOnlyCell

    for spec in sheets:
        sheet = workbook.create_sheet(title=spec.title[:31])
        for index, width in enumerate(spec.widths, start=1):
            sheet.column_dimensions[_column_letter(index)].width = width
        sheet.freeze_panes = "A2"
        header = []
        for title in spec.headers:
            cell = WriteOnlyCell(sheet, value=title)
            cell.font, cell.fill = bold, fill
            header.append(cell)
        sheet.append(header)
        for row in spec.rows:
            sheet.append([_xlsx_value(sheet, value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _xlsx_value(sheet, value):
    from openpyxl.cell import WriteOnlyCell

    if isinstance(value, str) and value.startswith("="):
        # openpyxl would store it as a formula; a name or title is text.
        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type = "s"
        return cell
    return value


def _column_letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index)


def to_csv(sheet: Sheet) -> bytes:
    """One view as CSV, UTF-8 with a byte-order mark so that Excel shows the Chinese correctly."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(sheet.headers)
    for row in sheet.rows:
        writer.writerow(["" if value is None else _csv_safe(value) for value in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _csv_safe(value):
    # A name starting with = + - @ would run as a formula when the bureau opens the file in Excel.
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value
