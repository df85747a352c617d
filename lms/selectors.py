"""Reads on people and teams."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, QuerySet

from .models import CountyTeam, Membership, Role, TrainerSupervision, User


def team_of(user: User) -> CountyTeam | None:
    """The county team a trainee (or team lead) belongs to, or None for bureau-wide staff."""
    memberships = list(Membership.objects.filter(user=user, team__isnull=False).select_related("team"))
    # A person has at most a handful of memberships; the trainee one decides their team.
    memberships.sort(key=lambda m: (m.role != Role.TRAINEE, m.pk))
    return memberships[0].team if memberships else None


def team_trainees(team: CountyTeam) -> QuerySet[User]:
    return User.objects.filter(memberships__team=team, memberships__role=Role.TRAINEE, is_active=True).distinct()


def supervising() -> QuerySet[TrainerSupervision]:
    """Supervision rows that count: a trainer who left (deactivated, or no longer in the trainer role) reviews
    nobody's work, so their teams count as unsupervised."""
    return TrainerSupervision.objects.filter(trainer__is_active=True, trainer__memberships__role=Role.TRAINER)


def has_trainer(team_ref: str = "pk") -> Exists:
    """True where the team at `team_ref` (an outer reference) is supervised by an active trainer."""
    return Exists(supervising().filter(team_id=OuterRef(team_ref)))


def teams_without_trainer() -> QuerySet[CountyTeam]:
    """Active teams whose reviewed work no trainer would see: the bureau has to step in or assign one."""
    return CountyTeam.objects.filter(is_active=True).exclude(has_trainer())
