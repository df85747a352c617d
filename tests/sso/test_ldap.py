"""LDAP sign-in against Debian's slapd: bind as the person, match them to the roster by 工号, never create anyone."""

from __future__ import annotations

import pytest

from lms.models import AuditEvent, Membership, Role, User
from sso.models import GroupRoleMapping
from tests.factories import UserFactory

from .conftest import switch_on
from .servers import LDAP_BASE, LDAP_PASSWORD, free_port, ldap_env

pytestmark = pytest.mark.django_db
LOGIN = "/accounts/login/"


@pytest.fixture
def roster(team):
    trainer = UserFactory(username="trainer-shi", full_name="石建军", employee_no="CD-T001", role=Role.TRAINER)
    trainee = UserFactory(username="hanshou1", full_name="李明", employee_no="CD-0101", role=Role.TRAINEE, team=team)
    leaver = UserFactory(username="hanshou2", full_name="离职者", employee_no="CD-0102", role=Role.TRAINEE, team=team, is_active=False)
    return {"trainer": trainer, "trainee": trainee, "leaver": leaver}


def sign_in(client, username, password=LDAP_PASSWORD, url=LOGIN):
    return client.post(url, {"username": username, "password": password})


def test_directory_password_signs_in_the_roster_person(client, ldap_on, roster):
    users_before = User.objects.count()
    response = sign_in(client, "liming")
    assert response.status_code == 302 and response["Location"] == "/my/"
    assert int(client.session["_auth_user_id"]) == roster["trainee"].pk
    assert client.session["_auth_user_backend"] == "sso.backends.RosterLDAPBackend"
    assert User.objects.count() == users_before
    event = AuditEvent.objects.get(action="sso.login")
    assert event.actor == roster["trainee"] and event.after == {"method": "ldap"}
    # The roster's fields stay the roster's: the directory's cn/mail never overwrite them.
    roster["trainee"].refresh_from_db()
    assert roster["trainee"].username == "hanshou1" and roster["trainee"].full_name == "李明"


def test_wrong_directory_password_is_refused_and_audited(client, ldap_on, roster):
    response = sign_in(client, "liming", "not-the-password")
    assert response.status_code == 200 and "_auth_user_id" not in client.session
    assert "用户名或密码不正确" in response.content.decode() or "not right" in response.content.decode()
    assert AuditEvent.objects.filter(action="sso.login_failed", after__method="ldap", after__reason="credentials").exists()


def test_directory_person_not_on_the_roster_gets_the_clear_message_and_nothing_is_created(client, ldap_on, roster):
    users_before = User.objects.count()
    response = sign_in(client, "stranger")
    page = response.content.decode()
    assert response.status_code == 200 and "_auth_user_id" not in client.session
    assert "未在培训名册中找到你，请联系市商务局" in page
    assert User.objects.count() == users_before and not User.objects.filter(username="stranger").exists()
    assert AuditEvent.objects.filter(action="sso.login_failed", after__reason="unmatched").exists()


def test_person_deactivated_by_a_roster_reimport_cannot_sign_in_through_the_directory(client, ldap_on, roster):
    response = sign_in(client, "leaver")
    assert response.status_code == 200 and "_auth_user_id" not in client.session
    assert "已停用" in response.content.decode()
    assert AuditEvent.objects.filter(action="sso.login_failed", after__reason="inactive", object_id=str(roster["leaver"].pk)).exists()


@pytest.mark.parametrize("username", ["*)(uid=*", "*", "liming)(|(uid=*", f"uid=liming,ou=people,{LDAP_BASE}"])
def test_ldap_injection_in_the_username_signs_in_nobody(client, ldap_on, roster, username):
    response = sign_in(client, username)
    assert response.status_code == 200 and "_auth_user_id" not in client.session


def test_unreachable_directory_says_so_and_local_passwords_still_work(client, settings, roster):
    switch_on(settings, {**ldap_env(f"ldap://127.0.0.1:{free_port()}"), "SSO_LDAP_TIMEOUT": "2"})
    response = sign_in(client, "liming")
    assert response.status_code == 200 and "_auth_user_id" not in client.session
    assert "LDAP" in response.content.decode() and "无法访问" in response.content.decode()
    assert AuditEvent.objects.filter(action="sso.login_failed", after__reason="unavailable").exists()
    local = sign_in(client, "hanshou1", "pass12345")
    assert local.status_code == 302 and int(client.session["_auth_user_id"]) == roster["trainee"].pk


def test_roles_come_from_the_roster_unless_groups_are_mapped(client, ldap_on, roster, team):
    sign_in(client, "liming")
    assert set(Membership.objects.filter(user=roster["trainee"]).values_list("role", flat=True)) == {Role.TRAINEE}
    client.logout()
    # A trainee who is in the directory's trainers group: with no mapping nothing changes...
    roster["trainer"].memberships.all().delete()
    sign_in(client, "shijj")
    assert not Membership.objects.filter(user=roster["trainer"]).exists()
    client.logout()
    # ...with a mapping the bureau set in the admin, the group gives the role.
    GroupRoleMapping.objects.create(method="ldap", group=f"cn=trainers,ou=groups,{LDAP_BASE}", role=Role.TRAINER)
    sign_in(client, "shijj")
    assert set(Membership.objects.filter(user=roster["trainer"]).values_list("role", flat=True)) == {Role.TRAINER}
    assert AuditEvent.objects.filter(action="membership.add", object_id__isnull=False, after__role=Role.TRAINER).exists()


def test_trainer_signs_into_the_admin_with_the_directory_password(client, ldap_on, roster, site):
    response = client.post("/admin/login/", {"username": "shijj", "password": LDAP_PASSWORD, "next": "/admin/"})
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_repeated_directory_failures_are_throttled_by_axes(client, settings, ldap_on, roster):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 3
    for _ in range(3):
        sign_in(client, "liming", "wrong")
    locked = sign_in(client, "liming")  # right password, but locked out now
    assert "_auth_user_id" not in client.session
    assert locked.status_code in (403, 429)


def test_no_method_is_on_without_configuration(client, roster):
    response = sign_in(client, "liming")
    assert response.status_code == 200 and "_auth_user_id" not in client.session
    assert not AuditEvent.objects.filter(action__startswith="sso.").exists()
