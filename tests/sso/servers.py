"""Real identity servers for the tests, on 127.0.0.1 free ports: Debian's slapd, node's oidc-provider and django-cas-server. Each start function returns a handle and a stop(); the fixtures make them session-wide."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
SLAPD = shutil.which("slapd") or "/usr/sbin/slapd"
SLAPADD = shutil.which("slapadd") or "/usr/sbin/slapadd"
LDAP_BASE = "dc=changde,dc=gov,dc=cn"
LDAP_ADMIN = f"cn=admin,{LDAP_BASE}"
LDAP_ADMIN_PASSWORD = "directory-secret"
LDAP_PASSWORD = "Ldap-pass-2026"

# The directory: uid, full name, employeeNumber (工号), mobile; the tests put the matching roster people in the database.
LDAP_PEOPLE = [
    ("shijj", "石建军", "CD-T001", "13907360001"),  # a trainer on the roster
    ("liming", "李明", "CD-0101", "13907360101"),  # a trainee on the roster
    ("stranger", "路人甲", "CD-9999", "13907369999"),  # in the directory, not on the roster
    ("leaver", "离职者", "CD-0102", "13907360102"),  # on the roster once, deactivated by a re-import
]
LDAP_GROUPS = {"trainers": ["shijj"]}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, seconds: float = 20, process: subprocess.Popen | None = None) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"nothing answered on 127.0.0.1:{port}")


def wait_for_url(url: str, seconds: float = 30, process: subprocess.Popen | None = None) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status < 500:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer")


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@dataclass
class Server:
    url: str
    process: subprocess.Popen
    extra: dict = field(default_factory=dict)

    def stop(self) -> None:
        stop(self.process)


def ldap_ldif() -> str:
    entries = [
        f"dn: {LDAP_BASE}\nobjectClass: top\nobjectClass: dcObject\nobjectClass: organization\no: 常德市商务局\ndc: changde\n",
        f"dn: ou=people,{LDAP_BASE}\nobjectClass: organizationalUnit\nou: people\n",
        f"dn: ou=groups,{LDAP_BASE}\nobjectClass: organizationalUnit\nou: groups\n",
    ]
    for uid, name, number, mobile in LDAP_PEOPLE:
        entries.append(
            f"dn: uid={uid},ou=people,{LDAP_BASE}\nobjectClass: inetOrgPerson\nuid: {uid}\ncn: {name}\nsn: {name[0]}\n"
            f"employeeNumber: {number}\nmobile: {mobile}\nuserPassword: {LDAP_PASSWORD}\n"
        )
    for group, members in LDAP_GROUPS.items():
        lines = "".join(f"member: uid={m},ou=people,{LDAP_BASE}\n" for m in members)
        entries.append(f"dn: cn={group},ou=groups,{LDAP_BASE}\nobjectClass: groupOfNames\ncn: {group}\n{lines}")
    return "\n".join(entries)


def start_slapd(folder: Path) -> Server:
    """Debian's slapd with a throw-away MDB database loaded by slapadd, listening on a free loopback port."""
    if not (os.path.exists(SLAPD) and os.path.exists(SLAPADD)):
        raise FileNotFoundError("slapd is not installed (make test installs Debian's slapd and ldap-utils)")
    (folder / "db").mkdir(parents=True, exist_ok=True)
    conf = folder / "slapd.conf"
    schemas = "".join(f"include /etc/ldap/schema/{name}.schema\n" for name in ("core", "cosine", "inetorgperson", "nis"))
    conf.write_text(
        f"{schemas}modulepath /usr/lib/ldap\nmoduleload back_mdb\npidfile {folder}/slapd.pid\n"
        f"database mdb\nmaxsize 10485760\nsuffix \"{LDAP_BASE}\"\nrootdn \"{LDAP_ADMIN}\"\nrootpw {LDAP_ADMIN_PASSWORD}\n"
        f"directory {folder}/db\n"
        "access to attrs=userPassword by anonymous auth by self read by * none\n"
        "access to * by * read\n"
    )
    ldif = folder / "people.ldif"
    ldif.write_text(ldap_ldif(), encoding="utf-8")
    subprocess.run([SLAPADD, "-f", str(conf), "-l", str(ldif)], check=True, capture_output=True, timeout=60)
    port = free_port()
    # -d 0: stay in the foreground (so the test owns the process) without debug output.
    process = subprocess.Popen([SLAPD, "-f", str(conf), "-h", f"ldap://127.0.0.1:{port}/", "-d", "0"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_for_port(port, process=process)
    return Server(url=f"ldap://127.0.0.1:{port}", process=process)


def ldap_env(server_url: str) -> dict[str, str]:
    """The environment a deployment would set for this directory (README: 统一身份认证)."""
    return {
        "SSO_LDAP_SERVER_URI": server_url,
        "SSO_LDAP_USER_SEARCH_BASE": f"ou=people,{LDAP_BASE}",
        "SSO_LDAP_USER_FILTER": "(uid=%(user)s)",
        "SSO_LDAP_MATCH_ATTRIBUTE": "employeeNumber",
        "SSO_LDAP_MATCH_FIELD": "employee_no",
        "SSO_LDAP_GROUP_SEARCH_BASE": f"ou=groups,{LDAP_BASE}",
    }


def settings_for_env(env: dict[str, str]) -> dict:
    """The Django settings lms/settings/sso.py derives from these variables, exactly as a deployment gets them."""
    import importlib

    import lms.settings.sso as module

    saved = {k: v for k, v in os.environ.items() if k.startswith("SSO_")}
    try:
        for key in saved:
            del os.environ[key]
        os.environ.update(env)
        importlib.reload(module)
        return {name: getattr(module, name) for name in dir(module) if name.isupper()}
    finally:
        for key in env:
            os.environ.pop(key, None)
        os.environ.update(saved)
        importlib.reload(module)


OIDC_DIR = HERE / "oidc_server"
OIDC_CLIENT_ID = "academy"
OIDC_CLIENT_SECRET = "academy-client-secret"


def signing_key():
    """An RSA private key in JWK form: the provider signs with it; a test may forge with it too."""
    from joserfc.jwk import RSAKey

    return RSAKey.generate_key(2048, parameters={"kid": "provider-key-1", "use": "sig", "alg": "RS256"}, private=True)


def start_oidc_provider(accounts: dict, redirect_uris: list[str], post_logout_redirect_uris: list[str]) -> Server:
    """node's oidc-provider (tests/sso/oidc_server) on a free port, with the academy registered as a client."""
    node = shutil.which("node")
    if not node or not (OIDC_DIR / "node_modules" / "oidc-provider").exists():
        raise FileNotFoundError("node or the oidc-provider package is missing (make test runs npm install in tests/sso/oidc_server)")
    key = signing_key()
    port = free_port()
    client = {
        "client_id": OIDC_CLIENT_ID,
        "client_secret": OIDC_CLIENT_SECRET,
        "redirect_uris": redirect_uris,
        "post_logout_redirect_uris": post_logout_redirect_uris,
        "grant_types": ["authorization_code"],
        "response_types": ["code"],
        "token_endpoint_auth_method": "client_secret_basic",
    }
    env = {
        **os.environ,
        "PORT": str(port),
        "OIDC_CLIENTS": json.dumps([client]),
        "OIDC_JWKS": json.dumps({"keys": [key.as_dict(private=True)]}),
        "OIDC_ACCOUNTS": json.dumps(accounts, ensure_ascii=False),
        "NODE_ENV": "test",
    }
    process = subprocess.Popen([node, "server.mjs"], cwd=OIDC_DIR, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    issuer = f"http://127.0.0.1:{port}"
    wait_for_url(f"{issuer}/.well-known/openid-configuration", process=process)
    return Server(url=issuer, process=process, extra={"key": key})


def oidc_env(issuer: str) -> dict[str, str]:
    return {
        "SSO_OIDC_DISCOVERY_URL": f"{issuer}/.well-known/openid-configuration",
        "SSO_OIDC_CLIENT_ID": OIDC_CLIENT_ID,
        "SSO_OIDC_CLIENT_SECRET": OIDC_CLIENT_SECRET,
        "SSO_OIDC_SCOPES": "openid profile phone groups",
        "SSO_OIDC_MATCH_CLAIM": "phone_number",
        "SSO_OIDC_MATCH_FIELD": "phone",
        "SSO_OIDC_TIMEOUT": "5",
    }


def provider_sign_in(authorize_url: str, login: str, stop_at: str) -> str:
    """Go through the provider's own sign-in and consent pages as a browser would (plain HTTP); returns the
    redirect back to the academy (a URL starting with `stop_at`) without following it."""
    import re
    from urllib.parse import urljoin

    import requests

    session = requests.Session()
    url, method, data = authorize_url, "GET", None
    for _ in range(12):
        response = session.request(method, url, data=data, allow_redirects=False, timeout=10)
        if response.is_redirect:
            location = urljoin(url, response.headers["Location"])
            if location.startswith(stop_at):
                return location
            url, method, data = location, "GET", None
            continue
        form = re.search(r'<form[^>]*action="([^"]+)"', response.text)
        prompt = re.search(r'name="prompt" value="(\w+)"', response.text)
        if not form or not prompt:
            raise AssertionError(f"unexpected provider page {response.status_code}: {response.text[:500]}")
        url, method = urljoin(url, form.group(1)), "POST"
        data = {"prompt": prompt.group(1), "login": login, "password": "any"} if prompt.group(1) == "login" else {"prompt": prompt.group(1)}
    raise AssertionError("the provider never redirected back")


CAS_PASSWORD = "Cas-pass-2026"


def start_cas_server(folder: Path, people: dict, services: list[dict]) -> Server:
    """django-cas-server (tests/sso/cas_server) as its own Django process on a free port, with its own SQLite
    file: `people` maps login → attributes (password CAS_PASSWORD); `services` are its allowed service
    patterns with the attributes each is released (see tests/sso/cas_server/seed.py)."""
    import sys

    try:
        import cas_server  # noqa: F401
    except ImportError as missing:
        raise FileNotFoundError(f"django-cas-server is not installed ({missing}; it is in requirements-dev.txt)") from missing
    folder.mkdir(parents=True, exist_ok=True)
    seed = {"people": {login: {"password": CAS_PASSWORD, "attributes": attrs} for login, attrs in people.items()}, "services": services}
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("SSO_", "DJANGO_SETTINGS_MODULE", "DATABASE_URL"))},
        "DJANGO_SETTINGS_MODULE": "tests.sso.cas_server.settings",
        "CAS_SERVER_DB": str(folder / "cas.sqlite3"),
        "CAS_SERVER_SEED": json.dumps(seed, ensure_ascii=False),
        "PYTHONPATH": str(ROOT),
    }
    subprocess.run([sys.executable, "-m", "django", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True, capture_output=True, timeout=300)
    subprocess.run([sys.executable, "-m", "tests.sso.cas_server.seed"], cwd=ROOT, env=env, check=True, capture_output=True, timeout=120)
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "django", "runserver", f"127.0.0.1:{port}", "--noreload", "--skip-checks"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}/cas/"
    wait_for_url(f"{url}login", process=process)
    return Server(url=url, process=process)


def cas_service(service_url: str, **options) -> dict:
    """A service pattern allowing exactly `service_url`, released 工号 (the directory's employeeNumber under
    the name a Chinese platform uses), mobile, cn and groups."""
    import re

    return {
        "name": service_url,
        "pattern": f"^{re.escape(service_url)}$",
        "release": {"employeeNumber": "工号", "mobile": "", "cn": "", "groups": ""},
        **options,
    }


def cas_env(server_url: str, **overrides) -> dict[str, str]:
    return {
        "SSO_CAS_SERVER_URL": server_url,
        "SSO_CAS_VERSION": "3",
        "SSO_CAS_MATCH_ATTRIBUTE": "工号",
        "SSO_CAS_MATCH_FIELD": "employee_no",
        "SSO_CAS_TIMEOUT": "5",
        **overrides,
    }


def cas_sign_in(login_url: str, login: str, stop_at: str, password: str = CAS_PASSWORD, session=None) -> str:
    """Post the CAS server's own login form as a browser would (plain HTTP, its cookies kept in `session`);
    returns the redirect back to the service (a URL starting with `stop_at`) without following it."""
    import re
    from urllib.parse import urljoin

    import requests

    session = session or requests.Session()
    page = session.get(login_url, allow_redirects=False, timeout=10)
    if page.is_redirect:  # already signed in at the CAS server: straight back with a ticket
        location = urljoin(login_url, page.headers["Location"])
        assert location.startswith(stop_at), location
        return location
    form = re.search(r'<form[^>]*id="login_form"[^>]*>(.*?)</form>', page.text, re.S)
    if not form:
        raise AssertionError(f"unexpected CAS page {page.status_code}: {page.text[:500]}")
    data = {name: value for name, value in re.findall(r'<input type="hidden" name="(\w+)"(?: value="([^"]*)")?', form.group(1))}
    data.update(username=login, password=password)
    answer = session.post(page.url, data=data, allow_redirects=False, timeout=10, headers={"Referer": page.url})
    if not answer.is_redirect:
        raise AssertionError(f"the CAS server did not sign {login} in: {answer.status_code} {answer.text[:300]}")
    location = urljoin(login_url, answer.headers["Location"])
    assert location.startswith(stop_at), location
    return location
