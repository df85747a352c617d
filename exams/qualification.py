"""The exam figure on the bureau's team qualification overview (through certificates' extra_columns seam):
of the people a team had invited to sittings, the share who passed one (a main sitting or a make-up)."""

from __future__ import annotations

from django.db.models import Count, Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from certificates.qualification.extra_columns import ExtraColumn

from .models import ExamInvitation, SittingAttempt


def exam_pass_rates(team_ids, now) -> dict[int, int]:
    """{team id: % of invited people who passed a sitting}, one query for all teams; teams never invited are left out."""
    passed = SittingAttempt.objects.filter(
        invitation__user_id=OuterRef("user_id"),
        invitation__team_id=OuterRef("team_id"),
        attempt__passed=True,
        attempt__status="submitted",
    )
    rows = (
        ExamInvitation.objects.filter(team_id__in=list(team_ids))
        .annotate(ok=Exists(passed))
        .values("team_id")
        .annotate(invited=Count("user_id", distinct=True), passed=Count("user_id", distinct=True, filter=Q(ok=True)))
        .order_by()
    )
    return {row["team_id"]: round(100 * row["passed"] / row["invited"]) for row in rows if row["invited"]}


COLUMN = ExtraColumn(
    key="exam_pass_rate",
    label=_("Exam pass rate"),
    values=exam_pass_rates,
    display=lambda value: f"{value}%",
    tone=lambda value: "warn" if value < 60 else "",
)
