"""Fixtures for single sign-on: the real servers (session-wide) and a switch that turns a method on in
Django's settings exactly as its environment variables would."""

from __future__ import annotations

import queue
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

import pytest

from . import servers


@pytest.fixture(scope="session")
def slapd(tmp_path_factory):
    try:
        server = servers.start_slapd(tmp_path_factory.mktemp("slapd"))
    except FileNotFoundError as missing:
        pytest.skip(str(missing))
    yield server
    server.stop()


def switch_on(settings, env: dict[str, str]) -> dict:
    """Apply what lms/settings/sso.py makes of `env` to the running settings (the app is installed in tests)."""
    values = servers.settings_for_env(env)
    for name, value in values.items():
        if name.startswith(("SSO_", "AUTH_LDAP_", "CAS_")) and name not in ("SSO_APPS", "SSO_BACKENDS"):
            setattr(settings, name, value)
    settings.AUTHENTICATION_BACKENDS = [
        "axes.backends.AxesStandaloneBackend",
        "lms.auth_backends.RolesModelBackend",
        *values["SSO_BACKENDS"],
    ]
    return values


@pytest.fixture
def ldap_on(settings, slapd):
    return switch_on(settings, servers.ldap_env(slapd.url))


# Who the provider knows: login name → claims. The roster side is made by the tests.
OIDC_ACCOUNTS = {
    "li.ming": {"name": "李明", "phone_number": "+86 139-0736-0101", "phone_number_verified": True, "groups": ["webmasters"]},
    "stranger": {"name": "路人甲", "phone_number": "13907369999", "phone_number_verified": True},
    "leaver": {"name": "离职者", "phone_number": "13907360102", "phone_number_verified": True},
    "no.phone": {"name": "无手机"},
}


@pytest.fixture(scope="session")
def oidc_provider():
    try:
        server = servers.start_oidc_provider(
            OIDC_ACCOUNTS,
            redirect_uris=["http://testserver/sso/oidc/callback/"],
            post_logout_redirect_uris=["http://testserver/accounts/login/"],
        )
    except FileNotFoundError as missing:
        pytest.skip(str(missing))
    yield server
    server.stop()


@pytest.fixture
def oidc_on(settings, oidc_provider):
    return switch_on(settings, servers.oidc_env(oidc_provider.url))


# Who the CAS server knows: login → attributes (password servers.CAS_PASSWORD); the roster side is made by the tests.
CAS_PEOPLE = {
    "liming": {"cn": "李明", "employeeNumber": "CD-0101", "mobile": "13907360101", "groups": ["webmasters"]},
    "stranger": {"cn": "路人甲", "employeeNumber": "CD-9999", "mobile": "13907369999"},
    "leaver": {"cn": "离职者", "employeeNumber": "CD-0102", "mobile": "13907360102"},
    "no.number": {"cn": "无工号"},
}
CAS_SERVICE = "http://testserver/sso/cas/callback/"
OTHER_SERVICE = "http://other.example.gov.cn/cas/callback/"


class LogoutRequests(ThreadingHTTPServer):
    """Where the CAS server POSTs its single-logout requests for the academy: the test process is not
    reachable over HTTP (Django's test client), so a test takes the real request from here and delivers it."""

    def __init__(self):
        self.received: queue.Queue = queue.Queue()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode()
                outer.received.put(parse_qs(body))
                self.send_response(200)
                self.end_headers()

            def log_message(self, *args):
                pass

        super().__init__(("127.0.0.1", servers.free_port()), Handler)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/slo"


@pytest.fixture(scope="session")
def cas_logout_requests():
    listener = LogoutRequests()
    thread = threading.Thread(target=listener.serve_forever, daemon=True)
    thread.start()
    yield listener
    listener.shutdown()
    listener.server_close()


@pytest.fixture(scope="session")
def cas_server(tmp_path_factory, cas_logout_requests):
    services = [
        servers.cas_service(CAS_SERVICE, single_log_out=True, single_log_out_callback=cas_logout_requests.url),
        servers.cas_service(OTHER_SERVICE),
    ]
    try:
        server = servers.start_cas_server(tmp_path_factory.mktemp("cas"), CAS_PEOPLE, services)
    except FileNotFoundError as missing:
        pytest.skip(str(missing))
    yield server
    server.stop()


@pytest.fixture
def cas_on(settings, cas_server):
    return switch_on(settings, servers.cas_env(cas_server.url))
