"""Single sign-on (统一身份认证), read from the environment: OIDC, CAS and LDAP.

A method is on only when its address is set (SSO_OIDC_DISCOVERY_URL with SSO_OIDC_CLIENT_ID,
SSO_CAS_SERVER_URL, SSO_LDAP_SERVER_URI); with none set the `sso` app is not even installed and the academy signs in with
local passwords only. `base.py` applies SSO_APPS and SSO_BACKENDS. Names are strings: lms never imports sso.
"""

import os


def _env(name: str, default: str = "") -> str:
    return os.environ.get(name, default).strip()


def _env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    return default if value is None else value.strip().lower() in {"1", "true", "yes", "on"}


# --- OIDC: authorization code flow with PKCE, endpoints and keys from the discovery document.
SSO_OIDC_DISCOVERY_URL = _env("SSO_OIDC_DISCOVERY_URL")  # e.g. https://idp.example.gov.cn/.well-known/openid-configuration
SSO_OIDC_CLIENT_ID = _env("SSO_OIDC_CLIENT_ID")
SSO_OIDC_CLIENT_SECRET = _env("SSO_OIDC_CLIENT_SECRET")
SSO_OIDC_SCOPES = _env("SSO_OIDC_SCOPES", "openid profile phone")
# Which claim carries the roster key, and which roster field it is compared with (phone or employee_no).
SSO_OIDC_MATCH_CLAIM = _env("SSO_OIDC_MATCH_CLAIM", "phone_number")
SSO_OIDC_MATCH_FIELD = _env("SSO_OIDC_MATCH_FIELD", "phone")
SSO_OIDC_GROUPS_CLAIM = _env("SSO_OIDC_GROUPS_CLAIM", "groups")
SSO_OIDC_LABEL = _env("SSO_OIDC_LABEL")  # button text; empty: 统一身份认证登录
SSO_OIDC_TIMEOUT = float(_env("SSO_OIDC_TIMEOUT", "10"))

# --- CAS 2.0/3.0 (django-cas-ng's client): the province's CAS login page, then a service ticket
# validated at the server, whose attributes (CAS 3, or CAS 2 servers that release them) carry the roster key.
SSO_CAS_SERVER_URL = _env("SSO_CAS_SERVER_URL")  # e.g. https://ids.example.gov.cn/cas/
SSO_CAS_VERSION = _env("SSO_CAS_VERSION", "3")  # 3: /p3/serviceValidate; 2: /serviceValidate
SSO_CAS_MATCH_ATTRIBUTE = _env("SSO_CAS_MATCH_ATTRIBUTE", "employeeNumber")  # e.g. 工号, mobile
SSO_CAS_MATCH_FIELD = _env("SSO_CAS_MATCH_FIELD", "employee_no")
SSO_CAS_GROUPS_ATTRIBUTE = _env("SSO_CAS_GROUPS_ATTRIBUTE", "groups")
# The service URL registered at the CAS server; empty: SITE_URL + /sso/cas/callback/ (never the Host header).
SSO_CAS_SERVICE_URL = _env("SSO_CAS_SERVICE_URL")
SSO_CAS_LABEL = _env("SSO_CAS_LABEL")  # button text; empty: 统一身份认证登录
SSO_CAS_TIMEOUT = float(_env("SSO_CAS_TIMEOUT", "10"))

# --- LDAP / Active Directory (django-auth-ldap): the login form's username and password are checked
# against the directory when no local password matches.
SSO_LDAP_SERVER_URI = _env("SSO_LDAP_SERVER_URI")  # e.g. ldaps://ldap.example.gov.cn
SSO_LDAP_BIND_DN = _env("SSO_LDAP_BIND_DN")
SSO_LDAP_BIND_PASSWORD = _env("SSO_LDAP_BIND_PASSWORD")
SSO_LDAP_USER_SEARCH_BASE = _env("SSO_LDAP_USER_SEARCH_BASE")
SSO_LDAP_USER_FILTER = _env("SSO_LDAP_USER_FILTER", "(uid=%(user)s)")  # AD: (sAMAccountName=%(user)s)
SSO_LDAP_MATCH_ATTRIBUTE = _env("SSO_LDAP_MATCH_ATTRIBUTE", "employeeNumber")
SSO_LDAP_MATCH_FIELD = _env("SSO_LDAP_MATCH_FIELD", "employee_no")
SSO_LDAP_GROUP_SEARCH_BASE = _env("SSO_LDAP_GROUP_SEARCH_BASE")  # groupOfNames under this base; empty: no groups
SSO_LDAP_START_TLS = _env_bool("SSO_LDAP_START_TLS")
SSO_LDAP_CA_CERT_FILE = _env("SSO_LDAP_CA_CERT_FILE")
SSO_LDAP_TLS_REQUIRE_CERT = _env("SSO_LDAP_TLS_REQUIRE_CERT", "demand")  # demand | allow | never (tests only)
SSO_LDAP_TIMEOUT = float(_env("SSO_LDAP_TIMEOUT", "5"))

SSO_METHODS = [
    name
    for name, on in (
        ("oidc", SSO_OIDC_DISCOVERY_URL and SSO_OIDC_CLIENT_ID),
        ("cas", SSO_CAS_SERVER_URL),
        ("ldap", SSO_LDAP_SERVER_URI),
    )
    if on
]
# django_cas_ng for its session-ticket table (CAS single logout finds the session a ticket opened).
SSO_APPS = (["sso"] if SSO_METHODS else []) + (["django_cas_ng"] if "cas" in SSO_METHODS else [])
# After Django's ModelBackend: a local password is tried first, then the directory.
SSO_BACKENDS = [
    backend
    for method, backend in (
        ("oidc", "sso.backends.OIDCBackend"),
        ("cas", "sso.backends.CASBackend"),
        ("ldap", "sso.backends.RosterLDAPBackend"),
    )
    if method in SSO_METHODS
]


def _cas_http_session():
    """python-cas validates tickets with requests and no timeout: a CAS server that does not answer must
    not hang the callback, so its session gets one."""
    import functools

    import requests

    session = requests.Session()
    session.request = functools.partial(session.request, timeout=SSO_CAS_TIMEOUT)
    return session


# django-cas-ng reads CAS_*; set them only when CAS is on (its defaults fill in the rest).
if "cas" in SSO_METHODS:
    # urljoin(server, "login") drops the last path segment without a trailing slash (…/cas → /login).
    CAS_SERVER_URL = SSO_CAS_SERVER_URL if SSO_CAS_SERVER_URL.endswith("/") else SSO_CAS_SERVER_URL + "/"
    CAS_VERSION = SSO_CAS_VERSION
    CAS_SESSION_FACTORY = _cas_http_session
    CAS_CREATE_USER = False  # the roster is the source of people
    CAS_VERIFY_SSL_CERTIFICATE = True

# django-auth-ldap reads AUTH_LDAP_*; set them only when LDAP is on.
if "ldap" in SSO_METHODS:
    import ldap
    from django_auth_ldap.config import GroupOfNamesType, LDAPSearch

    AUTH_LDAP_SERVER_URI = SSO_LDAP_SERVER_URI
    AUTH_LDAP_BIND_DN = SSO_LDAP_BIND_DN
    AUTH_LDAP_BIND_PASSWORD = SSO_LDAP_BIND_PASSWORD
    AUTH_LDAP_USER_SEARCH = LDAPSearch(SSO_LDAP_USER_SEARCH_BASE, ldap.SCOPE_SUBTREE, SSO_LDAP_USER_FILTER)
    AUTH_LDAP_START_TLS = SSO_LDAP_START_TLS
    _require = {"demand": ldap.OPT_X_TLS_DEMAND, "allow": ldap.OPT_X_TLS_ALLOW, "never": ldap.OPT_X_TLS_NEVER}
    AUTH_LDAP_GLOBAL_OPTIONS = {ldap.OPT_X_TLS_REQUIRE_CERT: _require.get(SSO_LDAP_TLS_REQUIRE_CERT, ldap.OPT_X_TLS_DEMAND)}
    if SSO_LDAP_CA_CERT_FILE:
        AUTH_LDAP_GLOBAL_OPTIONS[ldap.OPT_X_TLS_CACERTFILE] = SSO_LDAP_CA_CERT_FILE
    # A directory that does not answer must not hang the login page.
    AUTH_LDAP_CONNECTION_OPTIONS = {
        ldap.OPT_NETWORK_TIMEOUT: SSO_LDAP_TIMEOUT,
        ldap.OPT_TIMEOUT: SSO_LDAP_TIMEOUT,
        ldap.OPT_REFERRALS: 0,
    }
    # The roster is the source of people: the directory never creates nor overwrites anyone.
    AUTH_LDAP_NO_NEW_USERS = True
    AUTH_LDAP_ALWAYS_UPDATE_USER = False
    AUTH_LDAP_USER_ATTR_MAP = {}
    if SSO_LDAP_GROUP_SEARCH_BASE:
        AUTH_LDAP_GROUP_SEARCH = LDAPSearch(SSO_LDAP_GROUP_SEARCH_BASE, ldap.SCOPE_SUBTREE, "(objectClass=groupOfNames)")
        AUTH_LDAP_GROUP_TYPE = GroupOfNamesType()
