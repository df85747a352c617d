"""Writes on people, teams and roles, and the audit log that other apps write to."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import Group
from django.db import transaction

from .models import AuditEvent, CountyTeam, Membership, Role, TrainerSupervision, User
from .permissions import forget_roles

# The Wagtail admin groups each role is given; created by the migration that sets up permissions.
ROLE_GROUPS = {
    Role.TRAINEE: "学员",
    Role.TRAINER: "培训讲师",
    Role.BUREAU_ADMIN: "市局管理员",
}
# One group per county team, holding the rights a supervising trainer has on that team's trainees' things.
SUPERVISOR_GROUP_PREFIX = "督导·"


def record_audit(
    *,
    actor: User | None,
    action: str,
    obj: Any = None,
    team: CountyTeam | None = None,
    before: dict | None = None,
    after: dict | None = None,
    note: str = "",
) -> AuditEvent:
    """Append an audit event. Call it inside the transaction of the change it records,
    so the event and the change commit or roll back together."""
    return AuditEvent.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=str(obj)[:200] if obj is not None else "",
        team=team,
        before=before,
        after=after,
        note=note,
    )


def sync_role_groups(user: User) -> None:
    """Give the user exactly the admin groups their roles call for."""
    roles = set(Membership.objects.filter(user=user).values_list("role", flat=True))
    for role, group_name in ROLE_GROUPS.items():
        group, _ = Group.objects.get_or_create(name=group_name)
        if role in roles:
            user.groups.add(group)
        else:
            user.groups.remove(group)
    # Staff roles author in the Wagtail admin; trainees work there too, in their own practice area
    # (what each may touch is decided by page permissions); team leads only use the site.
    wants_admin = bool(roles & set(ROLE_GROUPS)) or user.is_superuser
    if user.is_staff != wants_admin:
        user.is_staff = wants_admin
        user.save(update_fields=["is_staff"])
    sync_supervisor_groups(user)
    forget_roles(user)


def supervisor_group_name(team: CountyTeam) -> str:
    return f"{SUPERVISOR_GROUP_PREFIX}{team.code}"[:150]


def sync_supervisor_groups(user: User) -> None:
    """Put `user` in exactly the supervisor groups (督导·<team code>) of the teams they supervise as an active trainer.

    Wagtail grants page rights to groups: a team's supervisor group holds the rights on its trainees' practice
    areas (see quizzes.practical.practice), so a trainer helps on the areas of their own teams and nowhere else.
    """
    is_trainer = user.is_active and Membership.objects.filter(user=user, role=Role.TRAINER).exists()
    teams = list(CountyTeam.objects.filter(supervisions__trainer=user)) if is_trainer else []
    wanted = {Group.objects.get_or_create(name=supervisor_group_name(team))[0].pk for team in teams}
    current = set(user.groups.filter(name__startswith=SUPERVISOR_GROUP_PREFIX).values_list("pk", flat=True))
    if current - wanted:
        user.groups.remove(*(current - wanted))
    if wanted - current:
        user.groups.add(*(wanted - current))


@transaction.atomic
def assign_role(
    *, user: User, role: str, team: CountyTeam | None = None, title: str = "", actor: User | None = None
) -> Membership:
    """Give `user` a role (in `team` for trainees and team leads). A trainee moving teams is moved, not duplicated."""
    if role == Role.TRAINEE:
        membership, created = Membership.objects.select_for_update().get_or_create(
            user=user, role=role, defaults={"team": team, "title": title}
        )
        if not created and (membership.team_id != getattr(team, "pk", None) or membership.title != title):
            before = {"team": str(membership.team)}
            membership.team, membership.title = team, title
            membership.full_clean()
            membership.save()
            record_audit(actor=actor, action="membership.move", obj=membership, team=team, before=before, after={"team": str(team)})
    else:
        membership, created = Membership.objects.get_or_create(user=user, role=role, team=team, defaults={"title": title})
    if created:
        record_audit(actor=actor, action="membership.add", obj=membership, team=team, after={"role": role, "team": str(team or "")})
    sync_role_groups(user)
    return membership


@transaction.atomic
def set_supervision(*, trainer: User, teams: list[CountyTeam], actor: User | None = None) -> None:
    """Make `teams` exactly the set of teams `trainer` supervises."""
    wanted = {t.pk for t in teams}
    current = set(TrainerSupervision.objects.filter(trainer=trainer).values_list("team_id", flat=True))
    TrainerSupervision.objects.filter(trainer=trainer, team_id__in=current - wanted).delete()
    TrainerSupervision.objects.bulk_create([TrainerSupervision(trainer=trainer, team_id=pk) for pk in wanted - current])
    sync_supervisor_groups(trainer)
    if wanted != current:
        record_audit(
            actor=actor,
            action="supervision.set",
            obj=trainer,
            before={"teams": sorted(current)},
            after={"teams": sorted(wanted)},
        )
