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
    forget_roles(user)


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
    if wanted != current:
        record_audit(
            actor=actor,
            action="supervision.set",
            obj=trainer,
            before={"teams": sorted(current)},
            after={"teams": sorted(wanted)},
        )
