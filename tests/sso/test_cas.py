"""CAS 2.0/3.0 sign-in against a real CAS server (django-cas-server in its own process): the CAS login form,
service tickets validated for our service URL only and only once, attributes matched to the roster by 工号,
single logout, and a server that cannot be reached."""

from __future__ import annotations

from urllib.parse import parse_qs, quote, urlparse

import pytest
import requests

from lms.models import AuditEvent, Membership, Role, User
from lms.views import LOGOUT_CONTINUE_SESSION_KEY
from sso.models import GroupRoleMapping
from tests.factories import UserFactory

from .conftest import CAS_SERVICE, OTHER_SERVICE, switch_on
from .servers import cas_env, cas_sign_in, free_port, oidc_env

pytestmark = pytest.mark.django_db


@pytest.fixture
def roster(team):
    trainee = UserFactory(username="hanshou1", full_name="李明", employee_no="CD-0101", role=Role.TRAINEE, team=team)
    leaver = UserFactory(username="hanshou2", full_name="离职者", employee_no="CD-0102", role=Role.TRAINEE, team=team, is_active=False)
    return {"trainee": trainee, "leaver": leaver}


def start(client, next_url="/my/"):
    response = client.get(f"/sso/cas/login/?next={next_url}")
    assert response.status_code == 302
    return response["Location"]


def come_back(client, service_url_with_ticket):
    parts = urlparse(service_url_with_ticket)
    return client.get(f"{parts.path}?{parts.query}")


def sign_in(client, login, browser=None):
    return come_back(client, cas_sign_in(start(client), login, CAS_SERVICE, session=browser))


def ticket_of(url: str) -> str:
    return parse_qs(urlparse(url).query)["ticket"][0]


@pytest.mark.parametrize("version", ["3", "2"])
def test_trainee_signs_in_through_the_cas_login_form_as_their_roster_self(client, settings, cas_server, roster, version):
    switch_on(settings, cas_env(cas_server.url, SSO_CAS_VERSION=version))
    login_url = start(client)
    # The CAS login page, for our one service URL (from SITE_URL, not the Host header).
    assert login_url == f"{cas_server.url}login?service={quote(CAS_SERVICE, safe='')}"
    users_before, memberships_before = User.objects.count(), Membership.objects.count()
    response = come_back(client, cas_sign_in(login_url, "liming", CAS_SERVICE))
    assert response.status_code == 302 and response["Location"] == "/my/"
    assert int(client.session["_auth_user_id"]) == roster["trainee"].pk  # matched by the released 工号 CD-0101
    assert client.session["_auth_user_backend"] == "sso.backends.CASBackend"
    assert (User.objects.count(), Membership.objects.count()) == (users_before, memberships_before)
    assert AuditEvent.objects.filter(action="sso.login", actor=roster["trainee"], after={"method": "cas"}).exists()
    assert client.get("/my/").status_code == 200
    roster["trainee"].refresh_from_db()
    assert roster["trainee"].username == "hanshou1" and roster["trainee"].full_name == "李明"


def test_matching_by_mobile_when_configured(client, settings, cas_server, team):
    trainee = UserFactory(username="hanshou9", full_name="李明", phone="13907360101", employee_no="", role=Role.TRAINEE, team=team)
    switch_on(settings, cas_env(cas_server.url, SSO_CAS_MATCH_ATTRIBUTE="mobile", SSO_CAS_MATCH_FIELD="phone"))
    assert sign_in(client, "liming").status_code == 302
    assert int(client.session["_auth_user_id"]) == trainee.pk


def test_unmatched_identity_gets_the_clear_page_and_nothing_is_created(client, cas_on, roster):
    users_before, memberships_before = User.objects.count(), Membership.objects.count()
    response = sign_in(client, "stranger")
    assert response.status_code == 403 and "_auth_user_id" not in client.session
    assert "未在培训名册中找到你，请联系市商务局" in response.content.decode()
    assert (User.objects.count(), Membership.objects.count()) == (users_before, memberships_before)
    assert AuditEvent.objects.filter(action="sso.login_failed", after__method="cas", after__reason="unmatched").exists()


def test_identity_without_the_match_attribute_is_refused(client, cas_on, roster):
    response = sign_in(client, "no.number")
    assert response.status_code == 403 and "手机号或工号" in response.content.decode()


def test_person_deactivated_by_a_roster_reimport_cannot_sign_in(client, cas_on, roster):
    response = sign_in(client, "leaver")
    assert response.status_code == 403 and "_auth_user_id" not in client.session
    assert "已停用" in response.content.decode()
    assert AuditEvent.objects.filter(action="sso.login_failed", after__reason="inactive", object_id=str(roster["leaver"].pk)).exists()


def test_a_ticket_issued_for_another_service_is_refused(client, cas_on, cas_server, roster):
    # A real ticket for liming, but issued to another site (which could replay it to us).
    other = cas_sign_in(f"{cas_server.url}login?service={quote(OTHER_SERVICE, safe='')}", "liming", OTHER_SERVICE)
    start(client)
    response = client.get(f"/sso/cas/callback/?ticket={ticket_of(other)}")
    assert response.status_code == 400 and "_auth_user_id" not in client.session
    assert "统一身份认证未能完成" in response.content.decode()
    assert AuditEvent.objects.filter(action="sso.login_failed", after__method="cas", after__reason="ticket").exists()


def test_a_replayed_ticket_is_refused(client, cas_on, roster):
    back = cas_sign_in(start(client), "liming", CAS_SERVICE)
    assert come_back(client, back).status_code == 302
    client.logout()
    start(client)
    replay = come_back(client, back)
    assert replay.status_code == 400 and "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(action="sso.login_failed", after__reason="ticket").count() == 1


def test_a_ticket_pushed_into_a_browser_that_did_not_ask_for_it_signs_no_one_in(client, cas_on, roster):
    """Login CSRF: someone else's ticket in this browser is not even validated; the sign-in starts afresh."""
    from django.test import Client

    back = cas_sign_in(start(Client()), "liming", CAS_SERVICE)
    response = come_back(client, back)
    assert response.status_code == 302 and response["Location"] == "/sso/cas/login/"
    assert "_auth_user_id" not in client.session


def test_unreachable_cas_server_shows_a_clear_page_and_local_login_still_works(client, settings, roster):
    switch_on(settings, {**cas_env(f"http://127.0.0.1:{free_port()}/cas/"), "SSO_CAS_TIMEOUT": "2"})
    start(client)
    # The browser may reach the CAS server while the academy cannot (a firewall between the two servers).
    response = client.get("/sso/cas/callback/?ticket=ST-whatever")
    assert response.status_code == 503 and "_auth_user_id" not in client.session
    assert "统一身份认证平台暂时无法访问" in response.content.decode()
    assert AuditEvent.objects.filter(action="sso.login_failed", after__method="cas", after__reason="unavailable").exists()
    assert "统一身份认证登录" in client.get("/accounts/login/").content.decode()
    local = client.post("/accounts/login/", {"username": "hanshou1", "password": "pass12345"})
    assert local.status_code == 302 and int(client.session["_auth_user_id"]) == roster["trainee"].pk


def test_signing_out_continues_to_the_cas_servers_logout(client, cas_on, cas_server, roster):
    sign_in(client, "liming")
    response = client.post("/accounts/logout/")
    assert "_auth_user_id" not in client.session
    assert response["Location"] == f"{cas_server.url}logout?service={quote('http://testserver/accounts/login/', safe='')}"
    # The CAS server sends the browser back to the login page.
    back = requests.get(response["Location"], allow_redirects=False, timeout=10)
    assert back.is_redirect and back.headers["Location"] == "http://testserver/accounts/login/"


def test_single_logout_from_the_cas_server_ends_the_academy_session(client, cas_on, cas_server, cas_logout_requests, roster):
    from django_cas_ng.models import SessionTicket

    while not cas_logout_requests.received.empty():
        cas_logout_requests.received.get_nowait()
    browser = requests.Session()
    back = cas_sign_in(start(client), "liming", CAS_SERVICE, session=browser)
    come_back(client, back)
    assert SessionTicket.objects.filter(ticket=ticket_of(back)).exists()
    # A logout request naming a ticket the academy never saw ends nothing (and does not fail).
    stray = '<samlp:LogoutRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol"><samlp:SessionIndex>ST-unknown</samlp:SessionIndex></samlp:LogoutRequest>'
    assert client.post("/sso/cas/callback/", {"logoutRequest": stray}).status_code == 200
    assert client.get("/my/").status_code == 200
    # The person signs out at the CAS server (another site, the portal): it POSTs a logout request for our ticket.
    browser.get(f"{cas_server.url}logout", timeout=10)
    logout_request = cas_logout_requests.received.get(timeout=15)
    assert ticket_of(back) in logout_request["logoutRequest"][0]
    assert client.post("/sso/cas/callback/", {k: v[0] for k, v in logout_request.items()}).status_code == 200
    assert client.get("/my/").status_code == 302  # back to the login page
    assert not SessionTicket.objects.filter(ticket=ticket_of(back)).exists()


def test_failed_sign_ins_are_throttled_by_axes(client, settings, cas_on, roster):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 2
    assert sign_in(client, "stranger").status_code == 403
    locked = sign_in(client, "stranger")
    assert locked.status_code == 429 and "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(action="sso.login_failed", after__method="cas").count() >= 1


def test_cas_groups_give_roles_only_when_mapped(client, cas_on, roster, other_team):
    sign_in(client, "liming")
    assert set(Membership.objects.filter(user=roster["trainee"]).values_list("role", flat=True)) == {Role.TRAINEE}
    client.logout()
    GroupRoleMapping.objects.create(method="cas", group="webmasters", role=Role.TEAM_LEAD, team=other_team)
    sign_in(client, "liming")
    assert Membership.objects.filter(user=roster["trainee"], role=Role.TEAM_LEAD, team=other_team).exists()


def test_login_pages_offer_cas_and_label_both_methods_when_oidc_is_on_too(client, settings, cas_on, cas_server, site):
    page = client.get("/accounts/login/").content.decode()
    assert 'data-method="cas"' in page and "统一身份认证登录" in page and "（CAS）" not in page
    assert 'href="/sso/cas/login/?next=' in client.get("/admin/login/").content.decode()
    switch_on(settings, {**cas_env(cas_server.url), **oidc_env("http://127.0.0.1:9")})
    page = client.get("/accounts/login/").content.decode()
    assert "统一身份认证登录（OIDC）" in page and "统一身份认证登录（CAS）" in page
    admin = client.get("/admin/login/").content.decode()
    assert "统一身份认证登录（OIDC）" in admin and "统一身份认证登录（CAS）" in admin


def test_cas_is_off_without_configuration(client, roster):
    assert client.get("/sso/cas/login/").status_code == 404
    assert client.get("/sso/cas/callback/?ticket=ST-1").status_code == 404
    assert 'data-method="cas"' not in client.get("/accounts/login/").content.decode()
    assert LOGOUT_CONTINUE_SESSION_KEY not in client.session
