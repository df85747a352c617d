"""Who may see and do what in site inspection (asked by views, the admin and tests)."""

from __future__ import annotations

from lms import permissions
from lms.models import CountyTeam, Membership


def can_manage(user) -> bool:
    """Register sites, correct columns, edit the error list and weights, start runs: the bureau only."""
    return permissions.is_bureau_admin(user)


def teams_for(user):
    """Teams whose inspection results `user` may see: the bureau all, trainers and leads as elsewhere,
    and a county webmaster their own team (their 整改 items)."""
    if not user.is_authenticated:
        return CountyTeam.objects.none()
    own = Membership.objects.filter(user=user, team__isnull=False).values("team_id")
    return permissions.visible_teams(user) | CountyTeam.objects.filter(pk__in=own)


def can_view_site(user, site) -> bool:
    return teams_for(user).filter(pk=site.team_id).exists()
