"""OIDC sign-in against a real OpenID Provider (node oidc-provider): PKCE, discovery, JWKS, logout, and attacks."""

from __future__ import annotations

import base64
import json
import time
from urllib.parse import parse_qs, urlparse

import pytest
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import RSAKey

from lms.models import AuditEvent, Membership, Role, User
from lms.views import LOGOUT_CONTINUE_SESSION_KEY
from sso import oidc
from sso.models import GroupRoleMapping
from tests.factories import UserFactory

from .conftest import switch_on
from .servers import OIDC_CLIENT_ID, free_port, oidc_env, provider_sign_in

pytestmark = pytest.mark.django_db
CALLBACK = "http://testserver/sso/oidc/callback/"


@pytest.fixture
def roster(team):
    trainee = UserFactory(username="hanshou1", full_name="李明", phone="13907360101", role=Role.TRAINEE, team=team)
    leaver = UserFactory(username="hanshou2", full_name="离职者", phone="13907360102", role=Role.TRAINEE, team=team, is_active=False)
    return {"trainee": trainee, "leaver": leaver}


def start(client, next_url="/my/"):
    response = client.get(f"/sso/oidc/login/?next={next_url}")
    assert response.status_code == 302
    return response["Location"]


def come_back(client, callback_url):
    parts = urlparse(callback_url)
    return client.get(f"{parts.path}?{parts.query}")


def sign_in(client, login):
    return come_back(client, provider_sign_in(start(client), login, CALLBACK))


def test_trainee_signs_in_through_the_provider_as_their_roster_self(client, oidc_on, oidc_provider, roster):
    authorize = start(client)
    query = parse_qs(urlparse(authorize).query)
    # Authorization code flow with PKCE (S256), state and nonce, to the endpoint the discovery document named.
    assert authorize.startswith(f"{oidc_provider.url}/auth?")
    assert query["response_type"] == ["code"] and query["code_challenge_method"] == ["S256"] and query["code_challenge"][0]
    assert query["state"][0] and query["nonce"][0] and query["client_id"] == [OIDC_CLIENT_ID]
    users_before = User.objects.count()
    response = come_back(client, provider_sign_in(authorize, "li.ming", CALLBACK))
    assert response.status_code == 302 and response["Location"] == "/my/"
    assert int(client.session["_auth_user_id"]) == roster["trainee"].pk  # matched by mobile (+86 139-0736-0101)
    assert User.objects.count() == users_before
    assert AuditEvent.objects.filter(action="sso.login", actor=roster["trainee"], after={"method": "oidc"}).exists()
    assert client.get("/my/").status_code == 200


def test_signing_out_also_ends_the_provider_session(client, oidc_on, oidc_provider, roster):
    sign_in(client, "li.ming")
    response = client.post("/accounts/logout/")
    assert "_auth_user_id" not in client.session
    end_session = urlparse(response["Location"])
    query = parse_qs(end_session.query)
    assert response["Location"].startswith(f"{oidc_provider.url}/session/end")
    assert query["post_logout_redirect_uri"] == ["http://testserver/accounts/login/"] and query["id_token_hint"][0]


def test_unmatched_identity_gets_the_clear_page_and_nothing_is_created(client, oidc_on, roster):
    users_before, memberships_before = User.objects.count(), Membership.objects.count()
    response = sign_in(client, "stranger")
    assert response.status_code == 403 and "_auth_user_id" not in client.session
    assert "未在培训名册中找到你，请联系市商务局" in response.content.decode()
    assert (User.objects.count(), Membership.objects.count()) == (users_before, memberships_before)
    assert AuditEvent.objects.filter(action="sso.login_failed", after__reason="unmatched").exists()


def test_identity_without_the_match_claim_is_refused(client, oidc_on, roster):
    response = sign_in(client, "no.phone")
    assert response.status_code == 403 and "手机号或工号" in response.content.decode()


def test_person_deactivated_by_a_roster_reimport_cannot_sign_in(client, oidc_on, roster):
    response = sign_in(client, "leaver")
    assert response.status_code == 403 and "_auth_user_id" not in client.session
    assert "已停用" in response.content.decode()


def test_replayed_state_is_refused(client, oidc_on, roster):
    callback = provider_sign_in(start(client), "li.ming", CALLBACK)
    assert come_back(client, callback).status_code == 302
    client.logout()
    replay = come_back(client, callback)
    assert replay.status_code == 400 and "_auth_user_id" not in client.session
    assert "统一身份认证未能完成" in replay.content.decode()
    assert AuditEvent.objects.filter(action="sso.login_failed", after__reason="state").exists()


def test_a_callback_started_in_another_browser_is_refused(client, django_user_model, oidc_on, roster):
    """Login CSRF: an attacker's code and state, pushed into a victim's browser, sign no one in."""
    from django.test import Client

    callback = provider_sign_in(start(Client()), "li.ming", CALLBACK)
    response = come_back(client, callback)
    assert response.status_code == 400 and "_auth_user_id" not in client.session


def test_unreachable_provider_shows_a_clear_page_and_local_login_still_works(client, settings, roster):
    switch_on(settings, {**oidc_env(f"http://127.0.0.1:{free_port()}"), "SSO_OIDC_TIMEOUT": "2"})
    response = client.get("/sso/oidc/login/?next=/my/")
    assert response.status_code == 503
    assert "统一身份认证平台暂时无法访问" in response.content.decode()
    login_page = client.get("/accounts/login/")
    assert "统一身份认证登录" in login_page.content.decode()
    local = client.post("/accounts/login/", {"username": "hanshou1", "password": "pass12345"})
    assert local.status_code == 302 and int(client.session["_auth_user_id"]) == roster["trainee"].pk


def test_failed_sign_ins_are_throttled_by_axes(client, settings, oidc_on, roster):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 2
    assert sign_in(client, "stranger").status_code == 403
    # The limit is reached: axes answers with its lockout page instead of signing anyone in.
    locked = sign_in(client, "stranger")
    assert locked.status_code == 429 and "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(action="sso.login_failed", after__method="oidc").count() >= 1


def test_provider_groups_give_roles_only_when_mapped(client, oidc_on, roster, other_team):
    sign_in(client, "li.ming")
    assert set(Membership.objects.filter(user=roster["trainee"]).values_list("role", "team")) == {(Role.TRAINEE, roster["trainee"].memberships.get().team_id)}
    client.logout()
    GroupRoleMapping.objects.create(method="oidc", group="webmasters", role=Role.TEAM_LEAD, team=other_team)
    sign_in(client, "li.ming")
    assert Membership.objects.filter(user=roster["trainee"], role=Role.TEAM_LEAD, team=other_team).exists()


# --- The ID token checks, against the provider's real JWKS (fetched through discovery).


@pytest.fixture
def real_token(client, oidc_on, roster):
    """An ID token the provider really issued in a sign-in (kept in the session for logout), and its nonce."""
    sign_in(client, "li.ming")
    id_token = parse_qs(urlparse(client.session[LOGOUT_CONTINUE_SESSION_KEY]).query)["id_token_hint"][0]
    payload = json.loads(base64.urlsafe_b64decode(id_token.split(".")[1] + "=="))
    return {"id_token": id_token, "access_token": "unused"}, payload


def forge(key, **claims):
    return jwt.encode({"alg": "RS256", "kid": key.kid}, claims, key)


def good_claims(provider_url, **changes):
    now = int(time.time())
    return {"iss": provider_url, "aud": OIDC_CLIENT_ID, "sub": "li.ming", "iat": now, "exp": now + 300, "nonce": "n-1", **changes}


def test_a_real_id_token_verifies(real_token):
    token, payload = real_token
    claims = oidc.verify_id_token({"id_token": token["id_token"]}, nonce=payload["nonce"])
    assert claims["sub"] == "li.ming"


def test_tampered_id_token_is_rejected(real_token):
    token, payload = real_token
    header, body, signature = token["id_token"].split(".")
    changed = base64.urlsafe_b64encode(json.dumps({**payload, "sub": "someone.else"}).encode()).rstrip(b"=").decode()
    with pytest.raises(JoseError):
        oidc.verify_id_token({"id_token": f"{header}.{changed}.{signature}"}, nonce=payload["nonce"])


def test_replayed_nonce_is_rejected(real_token):
    token, payload = real_token
    with pytest.raises(JoseError):
        oidc.verify_id_token({"id_token": token["id_token"]}, nonce="the-nonce-of-a-later-sign-in")


def test_forged_tokens_signed_with_the_providers_key(oidc_on, oidc_provider):
    key = oidc_provider.extra["key"]
    # Control: a well-formed token signed with the provider's key passes, so the rejections below are for their one fault.
    assert oidc.verify_id_token({"id_token": forge(key, **good_claims(oidc_provider.url))}, nonce="n-1")["sub"] == "li.ming"
    faults = {
        "expired": good_claims(oidc_provider.url, iat=int(time.time()) - 7200, exp=int(time.time()) - 3600),
        "wrong audience": good_claims(oidc_provider.url, aud="another-client"),
        "wrong issuer": good_claims(oidc_provider.url, iss="http://evil.example"),
        "no nonce": {k: v for k, v in good_claims(oidc_provider.url).items() if k != "nonce"},
    }
    for fault, claims in faults.items():
        with pytest.raises(JoseError):
            oidc.verify_id_token({"id_token": forge(key, **claims)}, nonce="n-1")
            pytest.fail(f"{fault} token was accepted")


def test_token_signed_with_another_key_under_the_providers_key_id_is_rejected(oidc_on, oidc_provider):
    impostor = RSAKey.generate_key(2048, parameters={"kid": oidc_provider.extra["key"].kid}, private=True)
    with pytest.raises(JoseError):
        oidc.verify_id_token({"id_token": forge(impostor, **good_claims(oidc_provider.url))}, nonce="n-1")
