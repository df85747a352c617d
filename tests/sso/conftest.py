"""Fixtures for single sign-on: the real servers (session-wide) and a switch that turns a method on in
Django's settings exactly as its environment variables would."""

from __future__ import annotations

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
        if name.startswith(("SSO_", "AUTH_LDAP_")) and name not in ("SSO_APPS", "SSO_BACKENDS"):
            setattr(settings, name, value)
    settings.AUTHENTICATION_BACKENDS = [
        "axes.backends.AxesStandaloneBackend",
        "django.contrib.auth.backends.ModelBackend",
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
