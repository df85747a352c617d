"""Who may schedule, see and report on which sittings: the bureau every team, a trainer the teams they
supervise (TrainerSupervision), a team lead their own team's results. Asked by the admin, the pages,
the API and the services alike."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from lms import permissions as lms_permissions
from lms.models import CountyTeam, Membership, Role, User

from .models import ExamSitting


def schedulable_teams(user: User) -> QuerySet[CountyTeam]:
    """Teams `user` may schedule sittings for."""
    if lms_permissions.is_bureau_admin(user):
        return CountyTeam.objects.all()
    if user.is_authenticated and user.is_active and lms_permissions.is_trainer(user):
        return CountyTeam.objects.filter(supervisions__trainer=user)
    return CountyTeam.objects.none()


def can_schedule(user: User) -> bool:
    return lms_permissions.is_bureau_admin(user) or (user.is_authenticated and lms_permissions.is_trainer(user))


def schedulable_people(user: User) -> QuerySet[User]:
    """People `user` may invite by name: trainees of the teams they may schedule."""
    if lms_permissions.is_bureau_admin(user):
        return User.objects.filter(memberships__role=Role.TRAINEE).distinct()
    members = Membership.objects.filter(role=Role.TRAINEE, team__in=schedulable_teams(user)).values("user_id")
    return User.objects.filter(pk__in=members)


def manageable_sittings(user: User, queryset: QuerySet[ExamSitting] | None = None) -> QuerySet[ExamSitting]:
    """Sittings `user` may edit and make up: every one for the bureau; for a trainer those whose teams and
    named people all lie within the teams they supervise."""
    queryset = ExamSitting.objects.all() if queryset is None else queryset
    if lms_permissions.is_bureau_admin(user):
        return queryset
    if not can_schedule(user):
        return queryset.none()
    allowed = schedulable_teams(user).values("pk")
    # A sitting with even one team (or named person) outside the trainer's teams is not theirs to edit.
    outside_teams = ExamSitting.teams.through.objects.exclude(countyteam_id__in=allowed).values("examsitting_id")
    inside_people = Membership.objects.filter(role=Role.TRAINEE, team__in=allowed).values("user_id")
    outside_people = ExamSitting.people.through.objects.exclude(user_id__in=inside_people).values("examsitting_id")
    return queryset.exclude(pk__in=outside_teams).exclude(pk__in=outside_people)


def can_manage_sitting(user: User, sitting: ExamSitting) -> bool:
    return manageable_sittings(user, ExamSitting.objects.filter(pk=sitting.pk)).exists()


def can_see_results(user: User) -> bool:
    return lms_permissions.is_staff_member(user)


def result_teams(user: User) -> QuerySet[CountyTeam]:
    """Teams whose figures in a sitting `user` may see (the product's one rule: lms visible_teams)."""
    return lms_permissions.visible_teams(user)


def visible_sittings(user: User) -> QuerySet[ExamSitting]:
    """Sittings whose results `user` may open: the bureau all; others those inviting one of their teams
    (by team, or a person invited from it)."""
    if lms_permissions.is_bureau_admin(user):
        return ExamSitting.objects.all()
    if not can_see_results(user):
        return ExamSitting.objects.none()
    teams = result_teams(user).values("pk")
    by_team = ExamSitting.objects.filter(teams__in=teams).values("pk")
    by_invitation = ExamSitting.objects.filter(invitations__team__in=teams).values("pk")
    people = Membership.objects.filter(role=Role.TRAINEE, team__in=teams).values("user_id")
    by_people = ExamSitting.objects.filter(people__in=people).values("pk")
    return ExamSitting.objects.filter(Q(pk__in=by_team) | Q(pk__in=by_invitation) | Q(pk__in=by_people))
