"""Reads on people and teams."""

from __future__ import annotations

from django.db.models import QuerySet

from .models import CountyTeam, Membership, Role, User


def team_of(user: User) -> CountyTeam | None:
    """The county team a trainee (or team lead) belongs to, or None for bureau-wide staff."""
    memberships = list(Membership.objects.filter(user=user, team__isnull=False).select_related("team"))
    # A person has at most a handful of memberships; the trainee one decides their team.
    memberships.sort(key=lambda m: (m.role != Role.TRAINEE, m.pk))
    return memberships[0].team if memberships else None


def team_trainees(team: CountyTeam) -> QuerySet[User]:
    return User.objects.filter(memberships__team=team, memberships__role=Role.TRAINEE, is_active=True).distinct()
