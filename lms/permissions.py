"""Who may see and do what: every role rule of the product is answered here, in one place.

Views, the API and dashboards ask these functions; they never test roles themselves.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet

from .models import CountyTeam, Membership, Role, TrainerSupervision, User


def roles_of(user: User) -> frozenset[str]:
    """The user's roles, read once per request object and cached on it."""
    if not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_lms_roles", None)
    if cached is None:
        cached = frozenset(Membership.objects.filter(user=user).values_list("role", flat=True))
        user._lms_roles = cached
    return cached


def with_roles(users: QuerySet[User]) -> QuerySet[User]:
    """`users` with their roles read in the same query (one EXISTS per role); `roles_of` then asks nothing.

    The signed-in user is loaded this way on every request (lms.auth_backends), so a page that checks roles
    costs no query for them."""
    return users.annotate(**{
        f"has_role_{role}": Exists(Membership.objects.filter(user_id=OuterRef("pk"), role=role)) for role in Role.values
    })


def remember_annotated_roles(user: User) -> User:
    """Keep the roles a `with_roles` query read as the user's roles for this request."""
    user._lms_roles = frozenset(role for role in Role.values if getattr(user, f"has_role_{role}", False))
    return user


def forget_roles(user: User) -> None:
    user.__dict__.pop("_lms_roles", None)


def is_bureau_admin(user: User) -> bool:
    return user.is_authenticated and (user.is_superuser or Role.BUREAU_ADMIN in roles_of(user))


def is_trainer(user: User) -> bool:
    return Role.TRAINER in roles_of(user)


def is_staff_member(user: User) -> bool:
    """Trainers, team leads and bureau admins: people who look at others' progress."""
    return is_bureau_admin(user) or bool(roles_of(user) & {Role.TRAINER, Role.TEAM_LEAD})


def can_author_courses(user: User) -> bool:
    return is_bureau_admin(user) or is_trainer(user)


def visible_teams(user: User) -> QuerySet[CountyTeam]:
    """The teams whose people and figures this user may see.

    Bureau admins see every team; a trainer the teams they supervise; a team lead their own team.
    A trainee sees no team's figures (only their own progress).
    """
    if not user.is_authenticated:
        return CountyTeam.objects.none()
    if is_bureau_admin(user):
        return CountyTeam.objects.all()
    supervised = TrainerSupervision.objects.filter(trainer=user).values("team_id")
    led = Membership.objects.filter(user=user, role=Role.TEAM_LEAD).values("team_id")
    return CountyTeam.objects.filter(pk__in=supervised) | CountyTeam.objects.filter(pk__in=led)


def can_view_team(user: User, team: CountyTeam) -> bool:
    return visible_teams(user).filter(pk=team.pk).exists()


def reviewable_teams(user: User) -> QuerySet[CountyTeam]:
    """Teams whose hands-on submissions this user may review: a trainer's supervised teams (all for bureau admins)."""
    if is_bureau_admin(user):
        return CountyTeam.objects.all()
    if not is_trainer(user):
        return CountyTeam.objects.none()
    return CountyTeam.objects.filter(supervisions__trainer=user)


def admin_visible_people(user: User) -> QuerySet[User]:
    """People whose records (enrolments, practice work) `user` may see in the Wagtail admin.

    Bureau admins: everyone. Anyone else: themselves and the members of the teams they may see (a trainer:
    the teams they supervise), the same line the site draws with visible_teams.
    """
    if is_bureau_admin(user):
        return User.objects.all()
    if not user.is_authenticated:
        return User.objects.none()
    members = Membership.objects.filter(team__in=visible_teams(user)).values("user_id")
    return User.objects.filter(Q(pk=user.pk) | Q(pk__in=members))


def can_view_person(viewer: User, person: User) -> bool:
    """May `viewer` see `person`'s progress, attempts and submissions?"""
    if not viewer.is_authenticated:
        return False
    if viewer.pk == person.pk or is_bureau_admin(viewer):
        return True
    if not is_staff_member(viewer):
        return False
    person_teams = Membership.objects.filter(user=person, team__isnull=False).values("team_id")
    return visible_teams(viewer).filter(pk__in=person_teams).exists()


def can_review_person(reviewer: User, person: User) -> bool:
    person_teams = Membership.objects.filter(user=person, team__isnull=False).values("team_id")
    return reviewable_teams(reviewer).filter(pk__in=person_teams).exists()


def can_manage_rosters(user: User) -> bool:
    """Rosters (花名册) are the bureau's to import: they create and deactivate people in every county."""
    return is_bureau_admin(user)


def can_see_commendation(user: User) -> bool:
    """Commendation candidates (先进单位/先进个人) are the bureau's decision, made across all teams."""
    return is_bureau_admin(user)


def can_see_qualification(user: User) -> bool:
    """Whether the team qualification dashboard has anything to show this person."""
    return is_bureau_admin(user) or visible_teams(user).exists()


def can_manage_quizzes(user: User) -> bool:
    """Author questions and quizzes, import and export, see item analysis, regrade: trainers and bureau admins."""
    return can_author_courses(user)


def can_see_quiz_results(user: User) -> bool:
    """See quiz results of the teams one may see (visible_teams): trainers, team leads, bureau admins."""
    return is_staff_member(user)


def can_manage_certificates(user: User) -> bool:
    """Issue, revoke, re-render and bulk-export certificates: the bureau only."""
    return is_bureau_admin(user)


def can_view_certificate(user: User, certificate) -> bool:
    """The holder, the bureau, and trainers/team leads of the team the certificate was issued in."""
    if not user.is_authenticated:
        return False
    if user.pk == certificate.holder_id or is_bureau_admin(user):
        return True
    return certificate.team_id is not None and visible_teams(user).filter(pk=certificate.team_id).exists()


def can_see_work(viewer: User, person: User) -> bool:
    """May `viewer` open `person`'s hands-on submissions (files, reports)? The person, and who may review them."""
    return viewer.is_authenticated and (viewer.pk == person.pk or can_review_person(viewer, person))
