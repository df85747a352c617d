"""The role rules as a matrix: who may see which team and whose progress. Each row tries to break a rule."""

import pytest

from lms import permissions
from lms.services import assign_role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_bureau_admin_sees_every_team(bureau_admin, team, other_team):
    assert set(permissions.visible_teams(bureau_admin)) == {team, other_team}


def test_trainer_sees_only_supervised_teams(trainer, team, other_team):
    assert list(permissions.visible_teams(trainer)) == [team]
    assert not permissions.can_view_team(trainer, other_team)


def test_team_lead_sees_only_own_team(team_lead, team, other_team):
    assert list(permissions.visible_teams(team_lead)) == [team]
    assert not permissions.can_view_team(team_lead, other_team)


def test_trainee_sees_no_team(trainee, team):
    assert not permissions.visible_teams(trainee).exists()
    assert not permissions.can_view_team(trainee, team)


@pytest.mark.parametrize(
    "viewer, subject, allowed",
    [
        ("trainee", "trainee", True),  # oneself
        ("trainee", "teammate", False),
        ("trainee", "other_trainee", False),
        ("team_lead", "trainee", True),
        ("team_lead", "other_trainee", False),
        ("trainer", "trainee", True),
        ("trainer", "other_trainee", False),
        ("bureau_admin", "other_trainee", True),
    ],
)
def test_who_may_view_whose_progress(request, team, viewer, subject, allowed):
    if subject == "teammate":
        person = UserFactory(role="trainee", team=team)
    else:
        person = request.getfixturevalue(subject)
    assert permissions.can_view_person(request.getfixturevalue(viewer), person) is allowed


def test_trainer_reviews_only_supervised_teams(trainer, trainee, other_trainee):
    assert permissions.can_review_person(trainer, trainee)
    assert not permissions.can_review_person(trainer, other_trainee)


def test_team_lead_is_not_a_reviewer(team_lead, trainee):
    assert not permissions.can_review_person(team_lead, trainee)


def test_anonymous_has_no_rights(trainee):
    from django.contrib.auth.models import AnonymousUser

    anonymous = AnonymousUser()
    assert not permissions.visible_teams(anonymous).exists()
    assert not permissions.can_view_person(anonymous, trainee)
    assert not permissions.is_bureau_admin(anonymous)


def test_roles_sync_admin_groups(team):
    user = UserFactory()
    assign_role(user=user, role="trainer")
    user.refresh_from_db()
    assert user.is_staff
    assert user.groups.filter(name="培训讲师").exists()
    assert permissions.can_author_courses(user)


def test_trainee_enters_the_admin_but_authors_nothing(trainee):
    # Trainees work in the Wagtail admin on their own practice site; page permissions limit them to it.
    trainee.refresh_from_db()
    assert trainee.is_staff
    assert trainee.groups.filter(name="学员").exists()
    assert not permissions.can_author_courses(trainee)


def test_team_lead_gets_no_admin_access(team_lead):
    team_lead.refresh_from_db()
    assert not team_lead.is_staff
    assert not team_lead.groups.exists()


def test_admin_people_follow_supervision(trainer, trainee, other_trainee, bureau_admin, team, other_team):
    """Who a person's admin listings and filters may name: a trainer their supervised teams' people and themselves."""
    assert set(permissions.admin_visible_people(trainer)) == {trainer, trainee}
    assert other_trainee in permissions.admin_visible_people(bureau_admin)
    assert list(permissions.admin_visible_people(other_trainee)) == [other_trainee]


def test_supervision_rows_keep_the_supervisor_groups(trainer, team, other_team):
    """A supervision row added or removed in any way (here: the ORM, as the admin's model form does) moves the
    trainer in or out of that team's supervisor group, which holds the rights on its trainees' practice areas."""
    from lms.models import Membership, TrainerSupervision

    def groups():
        return set(trainer.groups.filter(name__startswith="督导·").values_list("name", flat=True))

    assert groups() == {"督导·hanshou"}
    row = TrainerSupervision.objects.create(trainer=trainer, team=other_team)
    assert groups() == {"督导·hanshou", "督导·lixian"}
    row.delete()
    assert groups() == {"督导·hanshou"}
    Membership.objects.filter(user=trainer, role="trainer").delete()
    assert groups() == set()


def test_deleting_a_trainer_or_trainee_leaves_no_group_rows_behind(trainer, trainee):
    """The group sync runs while a person's rows are deleted: it must not re-add what the deletion removes."""
    from django.contrib.auth.models import Group

    from lms.models import User

    trainer.delete()
    trainee.delete()
    assert not User.objects.filter(pk__in=[trainer.pk, trainee.pk]).exists()
    assert not Group.user_set.through.objects.filter(user_id__in=[trainer.pk, trainee.pk]).exists()
