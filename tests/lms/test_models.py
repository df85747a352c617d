import pytest
from django.db import IntegrityError, transaction

from lms.models import AuditEvent, Membership
from lms.services import assign_role, record_audit, set_supervision
from tests.factories import TeamFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_user_shows_chinese_full_name():
    user = UserFactory(username="liming", full_name="李明")
    assert str(user) == "李明"
    assert user.get_full_name() == "李明"


def test_phone_numbers_are_unique_but_blank_is_allowed():
    UserFactory(phone="13907360001")
    UserFactory(phone="")
    UserFactory(phone="")
    with pytest.raises(IntegrityError), transaction.atomic():
        UserFactory(phone="13907360001")


def test_a_trainee_belongs_to_one_team(trainee, other_team):
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(user=trainee, team=other_team, role="trainee")


def test_moving_a_trainee_moves_the_membership_and_is_audited(trainee, team, other_team, bureau_admin):
    assign_role(user=trainee, role="trainee", team=other_team, actor=bureau_admin)
    assert list(Membership.objects.filter(user=trainee).values_list("team__code", flat=True)) == ["lixian"]
    event = AuditEvent.objects.get(action="membership.move")
    assert event.actor == bureau_admin and event.before == {"team": "汉寿县"}


def test_trainee_role_needs_a_team():
    user = UserFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(user=user, team=None, role="trainee")


def test_supervision_is_set_exactly_and_audited():
    trainer = UserFactory(role="trainer")
    a, b, c = TeamFactory(), TeamFactory(), TeamFactory()
    set_supervision(trainer=trainer, teams=[a, b])
    set_supervision(trainer=trainer, teams=[b, c])
    assert set(trainer.supervisions.values_list("team_id", flat=True)) == {b.pk, c.pk}
    assert AuditEvent.objects.filter(action="supervision.set").count() == 2


def test_audit_event_records_object_and_actor(trainee, bureau_admin):
    event = record_audit(actor=bureau_admin, action="test.thing", obj=trainee, before={"a": 1}, after={"a": 2})
    assert event.object_type == "lms.user" and event.object_id == str(trainee.pk)
    assert event.object_repr == "李明"


@pytest.mark.parametrize("name", ["../x", "张/伟", "张\\伟", "张\t伟"])
def test_a_person_name_cannot_hold_path_characters(name):
    """Every form that edits a person (the admin's user forms are model forms) refuses a name that could steer a path."""
    from django.core.exceptions import ValidationError

    from lms.models import User

    with pytest.raises(ValidationError) as refused:
        User(username="x1", full_name=name).full_clean(exclude=["password"])
    assert "full_name" in refused.value.message_dict
