"""Reads for exam sittings: who is invited, what a trainee sees on 我的考试, the results per team."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Q, QuerySet
from django.utils import timezone

from lms.models import CountyTeam, Membership, Role, User
from quizzes.models import Attempt

from .models import ExamInvitation, ExamSitting, SittingAttempt


def sittings_opening_between(start: datetime, end: datetime) -> QuerySet[ExamSitting]:
    """Sittings (and make-ups) opening at or after `start` and before `end`, soonest first."""
    return (
        ExamSitting.objects.filter(opens_at__gte=start, opens_at__lt=end)
        .select_related("quiz", "parent")
        .order_by("opens_at", "pk")
    )


def roster_invitees(sitting: ExamSitting) -> dict[int, int | None]:
    """{user id: team id} of the people the sitting invites by today's roster: the active trainees of its
    teams and its active named people (with their trainee team, if any)."""
    team_ids = list(sitting.teams.values_list("pk", flat=True))
    rows = Membership.objects.filter(role=Role.TRAINEE, user__is_active=True).filter(
        Q(team_id__in=team_ids) | Q(user__in=sitting.people.all())
    )
    found = dict(rows.values_list("user_id", "team_id"))
    for user_id in sitting.people.filter(is_active=True).exclude(pk__in=found).values_list("pk", flat=True):
        found[user_id] = None
    return found


def invitees(sitting: ExamSitting) -> QuerySet[User]:
    """The people invited to `sitting`: its invitations once it has opened, before that today's roster."""
    if sitting.invitations_at is not None:
        return User.objects.filter(exam_invitations__sitting=sitting).order_by("pk")
    return User.objects.filter(pk__in=list(roster_invitees(sitting))).order_by("pk")


def sitting_chain(sitting: ExamSitting) -> list[ExamSitting]:
    """The main sitting followed by its make-ups, oldest first (make-ups always point at the main sitting)."""
    root = sitting.parent if sitting.parent_id else sitting
    return [root, *root.makeups.order_by("opens_at", "pk")]


# ---------------------------------------------------------------------------------------------
# A person's standing in a sitting


ABSENT, IN_PROGRESS, PASSED, FAILED = "absent", "in_progress", "passed", "failed"


@dataclass
class Standing:
    """One invited person's attempts in a sitting and what they add up to."""

    invitation: ExamInvitation
    attempts: list[Attempt] = field(default_factory=list)

    @property
    def started(self) -> bool:
        return bool(self.attempts)

    @property
    def submitted(self) -> bool:
        return any(a.is_finished for a in self.attempts)

    @property
    def passed(self) -> bool:
        return any(a.is_finished and a.passed for a in self.attempts)

    @property
    def best(self) -> Attempt | None:
        finished = [a for a in self.attempts if a.is_finished and a.percent is not None]
        return max(finished, key=lambda a: a.percent) if finished else None

    @property
    def open_attempt(self) -> Attempt | None:
        return next((a for a in self.attempts if not a.is_finished), None)

    @property
    def state(self) -> str:
        if self.passed:
            return PASSED
        if self.open_attempt is not None:
            return IN_PROGRESS
        if self.submitted:
            return FAILED
        return ABSENT


def standings(sitting_ids, *, user_ids=None, team_ids=None) -> list[Standing]:
    """Standings of the invitations of `sitting_ids` (optionally only some people or teams), two queries."""
    invitations = ExamInvitation.objects.filter(sitting_id__in=sitting_ids).select_related("user", "team", "sitting")
    if user_ids is not None:
        invitations = invitations.filter(user_id__in=user_ids)
    if team_ids is not None:
        invitations = invitations.filter(team_id__in=team_ids)
    result = {
        inv.pk: Standing(invitation=inv) for inv in invitations.order_by("team__sort_order", "team__code", "user__username")
    }
    links = SittingAttempt.objects.filter(invitation_id__in=list(result)).select_related("attempt").order_by("number")
    for link in links:
        result[link.invitation_id].attempts.append(link.attempt)
    return list(result.values())


def not_passed_in_chain(root: ExamSitting) -> list[int]:
    """Ids of the people invited to `root` who passed neither it nor any of its make-ups (absent or failed)."""
    chain_ids = [s.pk for s in sitting_chain(root)]
    invited = set(ExamInvitation.objects.filter(sitting=root).values_list("user_id", flat=True))
    passed = set(
        SittingAttempt.objects.filter(
            invitation__sitting_id__in=chain_ids, attempt__passed=True, attempt__status="submitted"
        ).values_list("invitation__user_id", flat=True)
    )
    return sorted(invited - passed)


def pending_makeup(*, user_id: int, sitting: ExamSitting, now: datetime) -> bool:
    """Is the person invited to a make-up of `sitting`'s chain that has not closed yet?"""
    root_id = sitting.parent_id or sitting.pk
    return (
        ExamSitting.objects.filter(parent_id=root_id, closes_at__gt=now)
        .filter(Q(people__pk=user_id) | Q(invitations__user_id=user_id))
        .exists()
    )


# ---------------------------------------------------------------------------------------------
# 我的考试


@dataclass
class MySitting:
    sitting: ExamSitting
    standing: Standing | None
    phase: str  # upcoming, open, entry_closed, past

    @property
    def attempts_left(self) -> int:
        used = len(self.standing.attempts) if self.standing else 0
        return max(self.sitting.max_attempts - used, 0)


def phase(sitting: ExamSitting, now: datetime) -> str:
    if now < sitting.opens_at:
        return "upcoming"
    if now >= sitting.closes_at:
        return "past"
    if now > sitting.entry_deadline:
        return "entry_closed"
    return "open"


def my_sittings(*, user: User, now: datetime | None = None) -> dict[str, list[MySitting]]:
    """The sittings `user` is invited to, as 我的考试 groups them: upcoming, open (incl. entry closed), past.

    Opened sittings count by their invitations; not yet opened ones by today's roster."""
    now = now or timezone.now()
    if not user.is_active:
        return {"upcoming": [], "open": [], "past": []}
    team_ids = list(Membership.objects.filter(user=user, role=Role.TRAINEE).values_list("team_id", flat=True))
    invited = ExamSitting.objects.filter(invitations__user=user)
    planned = ExamSitting.objects.filter(invitations_at__isnull=True).filter(Q(teams__in=team_ids) | Q(people=user))
    sittings = list(
        ExamSitting.objects.filter(Q(pk__in=invited.values("pk")) | Q(pk__in=planned.values("pk")))
        .select_related("quiz")
        .order_by("opens_at", "pk")
    )
    by_sitting = {s.invitation.sitting_id: s for s in standings([s.pk for s in sittings], user_ids=[user.pk])}
    groups: dict[str, list[MySitting]] = defaultdict(list)
    for sitting in sittings:
        current = phase(sitting, now)
        if sitting.invitations_at is not None and sitting.pk not in by_sitting:
            continue  # opened without this person (e.g. joined the team after it opened)
        entry = MySitting(sitting=sitting, standing=by_sitting.get(sitting.pk), phase=current)
        groups["open" if current in ("open", "entry_closed") else current].append(entry)
    groups["past"].reverse()
    return {"upcoming": groups["upcoming"], "open": groups["open"], "past": groups["past"]}


def my_sitting(*, user: User, sitting: ExamSitting, now: datetime | None = None) -> MySitting | None:
    """`user`'s view of one sitting, or None when they are not invited."""
    now = now or timezone.now()
    if not user.is_active:
        return None
    if sitting.invitations_at is not None:
        found = standings([sitting.pk], user_ids=[user.pk])
        if not found:
            return None
        return MySitting(sitting=sitting, standing=found[0], phase=phase(sitting, now))
    if user.pk not in roster_invitees(sitting):
        return None
    return MySitting(sitting=sitting, standing=None, phase=phase(sitting, now))


# ---------------------------------------------------------------------------------------------
# Results


@dataclass
class TeamFigures:
    team: CountyTeam | None
    invited: int = 0
    started: int = 0
    submitted: int = 0
    passed: int = 0
    absent: int = 0


@dataclass
class SittingResults:
    sitting: ExamSitting
    teams: list[TeamFigures]
    total: TeamFigures
    people: list[Standing]


def sitting_results(*, sitting: ExamSitting, teams: QuerySet[CountyTeam] | None) -> SittingResults:
    """Invited, started, submitted, passed and absent per team (limited to `teams`; None: every team and
    people invited without one), and each person's standing."""
    team_ids = None if teams is None else list(teams.values_list("pk", flat=True))
    people = standings([sitting.pk], team_ids=team_ids)
    figures: dict[int | None, TeamFigures] = {}
    total = TeamFigures(team=None)
    for standing in people:
        team = standing.invitation.team
        row = figures.setdefault(team.pk if team else None, TeamFigures(team=team))
        for target in (row, total):
            target.invited += 1
            target.started += standing.started
            target.submitted += standing.submitted
            target.passed += standing.passed
            target.absent += not standing.started
    ordered = sorted(
        figures.values(), key=lambda f: (f.team is None, f.team.sort_order if f.team else 0, f.team.code if f.team else "")
    )
    return SittingResults(sitting=sitting, teams=ordered, total=total, people=people)


def team_exam_figures(*, team_ids) -> dict[int, dict[str, int]]:
    """Per team, over every sitting: people invited, and how many of them passed a sitting or its make-up."""
    invited: dict[int, set[int]] = defaultdict(set)
    for team_id, user_id in ExamInvitation.objects.filter(team_id__in=team_ids).values_list("team_id", "user_id"):
        invited[team_id].add(user_id)
    passed: dict[int, set[int]] = defaultdict(set)
    rows = SittingAttempt.objects.filter(
        invitation__team_id__in=team_ids, attempt__passed=True, attempt__status="submitted"
    ).values_list("invitation__team_id", "invitation__user_id")
    for team_id, user_id in rows:
        passed[team_id].add(user_id)
    return {team_id: {"invited": len(invited[team_id]), "passed": len(passed[team_id])} for team_id in team_ids}
