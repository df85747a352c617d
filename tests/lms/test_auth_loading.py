"""The signed-in user is read with their roles by one precompiled query, by session or by API token;
bad tokens, inactive people and tampered session ids sign nobody in."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from rest_framework import exceptions
from rest_framework.authtoken.models import Token

from lms.auth_backends import RolesModelBackend, RolesTokenAuthentication
from lms.models import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_token_user_comes_with_roles_in_one_query(team):
    trainer = UserFactory(role="trainer", team=team)
    key = Token.objects.create(user=trainer).key
    for _round in range(2):  # compiled on the first, reused on the second
        with CaptureQueriesContext(connection) as queries:
            user, token = RolesTokenAuthentication().authenticate_credentials(key)
        assert len(queries) == 1
        assert user == trainer and token.key == key and token.user_id == trainer.pk
        assert user._lms_roles == frozenset({Role.TRAINER})


def test_wrong_or_inactive_tokens_are_refused(team):
    person = UserFactory(role="trainee", team=team)
    key = Token.objects.create(user=person).key
    with pytest.raises(exceptions.AuthenticationFailed):
        RolesTokenAuthentication().authenticate_credentials(key[:-1] + ("0" if key[-1] != "0" else "1"))
    person.is_active = False
    person.save()
    with pytest.raises(exceptions.AuthenticationFailed):
        RolesTokenAuthentication().authenticate_credentials(key)
    response = Client(HTTP_AUTHORIZATION=f"Token {key}").get("/api/v1/quizzes/")
    assert response.status_code in (401, 403) and response.json()["detail"]  # DRF: 403 when sessions come first


def test_a_token_that_is_sql_gets_nobody(team):
    UserFactory(role="trainee", team=team)
    for key in ("' OR 1=1 --", "%", "\x00", "x" * 500):
        with pytest.raises(exceptions.AuthenticationFailed):
            RolesTokenAuthentication().authenticate_credentials(key)


def test_session_user_with_roles_and_tampered_ids(team):
    lead = UserFactory(role="team_lead", team=team)
    backend = RolesModelBackend()
    with CaptureQueriesContext(connection) as queries:
        user = backend.get_user(str(lead.pk))
    assert len(queries) == 1 and user == lead and user._lms_roles == frozenset({Role.TEAM_LEAD})
    for tampered in ("abc", "", None, "1 OR 1=1", 10**30, "-1"):
        assert backend.get_user(tampered) is None
    lead.is_active = False
    lead.save()
    assert backend.get_user(lead.pk) is None
