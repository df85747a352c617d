"""A sitting's results as XLSX or CSV, written by the qualification exports' formula-safe writers."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from certificates.qualification.exports import Sheet, to_csv, to_xlsx

from .selectors import ABSENT, FAILED, IN_PROGRESS, PASSED, SittingResults

CONTENT_TYPES = {"csv": "text/csv; charset=utf-8", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def state_label(state: str) -> str:
    return {ABSENT: _("Absent"), IN_PROGRESS: _("In progress"), PASSED: _("Passed"), FAILED: _("Not passed")}[state]


def sheets(report: SittingResults) -> list[Sheet]:
    figures = [_("Invited"), _("Started"), _("Submitted"), _("Passed"), _("Absent")]
    teams = Sheet(
        title=_("Teams"),
        headers=[_("County team"), *figures],
        rows=[
            [row.team.name if row.team else _("No team"), row.invited, row.started, row.submitted, row.passed, row.absent]
            for row in [*report.teams, report.total]
        ],
        widths=[18, 10, 10, 10, 10, 10],
    )
    teams.rows[-1][0] = _("Total")
    people = Sheet(
        title=_("People"),
        headers=[
            _("Trainee name"),
            _("Username"),
            _("County team"),
            _("Result"),
            _("Best score (%)"),
            _("Attempts"),
            _("Submitted at"),
        ],
        rows=[],
        widths=[14, 16, 14, 10, 12, 8, 18],
    )
    for standing in report.people:
        best = standing.best
        last = max((a.submitted_at for a in standing.attempts if a.submitted_at), default=None)
        people.rows.append(
            [
                standing.invitation.user.get_full_name() or standing.invitation.user.username,
                standing.invitation.user.username,
                standing.invitation.team.name if standing.invitation.team else "",
                state_label(standing.state),
                float(best.percent) if best else None,
                len(standing.attempts),
                timezone.localtime(last).strftime("%Y-%m-%d %H:%M") if last else "",
            ]
        )
    return [teams, people]


def render(report: SittingResults, wanted: str) -> tuple[bytes, str, str]:
    built = sheets(report)
    if wanted == "xlsx":
        return to_xlsx(built), CONTENT_TYPES["xlsx"], "xlsx"
    return to_csv(built[0] if wanted == "csv-teams" else built[1]), CONTENT_TYPES["csv"], "csv"
