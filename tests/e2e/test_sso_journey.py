"""Single sign-on journeys in Chromium against a server configured only through SSO environment variables,
with a real OpenID provider (node oidc-provider), a real CAS server (django-cas-server) and a real directory
(Debian slapd) on loopback ports."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.sso import servers

from .conftest import ROOT, _free_port, _wait_for, shot

pytestmark = pytest.mark.e2e

# hanshou1 of the demo roster has mobile 13907360500; the provider also knows someone not on any roster.
ACCOUNTS = {
    "hanshou.webmaster": {"name": "郭婷", "phone_number": "13907360500", "phone_number_verified": True},
    "not.on.roster": {"name": "路人甲", "phone_number": "13800000000", "phone_number_verified": True},
}
# The CAS server knows the same webmaster under its own login; it releases her mobile number.
CAS_PEOPLE = {"guoting": {"cn": "郭婷", "mobile": "13907360500", "employeeNumber": "HS-0500"}}
# Both OIDC and CAS are on here, so each button names its protocol.
OIDC_BUTTON = "统一身份认证登录（OIDC）"
CAS_BUTTON = "统一身份认证登录（CAS）"


@pytest.fixture(scope="module")
def sso_site(tmp_path_factory, server_env):
    folder = tmp_path_factory.mktemp("sso-e2e")
    port = _free_port()
    site = f"http://127.0.0.1:{port}"
    try:
        directory = servers.start_slapd(folder / "slapd")
        provider = servers.start_oidc_provider(ACCOUNTS, [f"{site}/sso/oidc/callback/"], [f"{site}/accounts/login/"])
        cas = servers.start_cas_server(folder / "cas", CAS_PEOPLE, [servers.cas_service(f"{site}/sso/cas/callback/")])
    except FileNotFoundError as missing:
        pytest.skip(str(missing))
    env = {
        **server_env,
        **servers.ldap_env(directory.url),
        **servers.oidc_env(provider.url),
        **servers.cas_env(cas.url, SSO_CAS_MATCH_ATTRIBUTE="mobile", SSO_CAS_MATCH_FIELD="phone"),
        "SITE_URL": site,
    }
    # Switching SSO on installs the sso app: its table comes with migrate, as in a deployment.
    subprocess.run([sys.executable, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True, capture_output=True, timeout=300)
    # trainer1 (石建军) is in the directory as uid=shijj with employeeNumber CD-T001: give the roster person that 工号.
    subprocess.run([sys.executable, "manage.py", "shell", "-c",
                    "from lms.models import User; User.objects.filter(username='trainer1').update(employee_no='CD-T001')"],
                   cwd=ROOT, env=env, check=True, capture_output=True, timeout=120)
    app = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "lms.wsgi:application", "--bind", f"127.0.0.1:{port}", "--workers", "2",
         "--env", "DJANGO_SETTINGS_MODULE=lms.settings.dev", "--timeout", "120"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        _wait_for(f"{site}/accounts/login/")
        yield site
    finally:
        servers.stop(app)
        cas.stop()
        provider.stop()
        directory.stop()


@pytest.fixture
def tab(browser, sso_site):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    context.set_default_timeout(20_000)
    page = context.new_page()
    page.steps = 0
    yield page
    context.close()


def provider_login(page, login: str) -> None:
    """The provider's own sign-in page, then its consent page."""
    page.fill("input[name=login]", login)
    page.fill("input[name=password]", "any")
    page.click("button[type=submit]")
    page.wait_for_load_state()
    if page.locator("input[name=prompt][value=consent]").count():
        page.click("button[type=submit]")
    page.wait_for_load_state()


def test_trainee_signs_in_through_the_identity_platform_and_lands_on_my_courses(tab, sso_site):
    tab.goto(f"{sso_site}/accounts/login/")
    button = tab.get_by_role("link", name=OIDC_BUTTON)
    assert button.is_visible() and tab.locator("input[name=password]").is_visible()  # local form below
    shot(tab, "sso-login-page")
    button.click()
    provider_login(tab, "hanshou.webmaster")
    tab.wait_for_url(f"{sso_site}/my/")
    assert tab.locator(".site-user__name").inner_text() == "郭婷"  # hanshou1 on the demo roster
    assert "我的课程" in tab.content()
    shot(tab, "sso-trainee-my-courses")


def test_unmatched_identity_gets_the_clear_page(tab, sso_site):
    tab.goto(f"{sso_site}/accounts/login/")
    tab.get_by_role("link", name=OIDC_BUTTON).click()
    provider_login(tab, "not.on.roster")
    assert tab.get_by_text("未在培训名册中找到你，请联系市商务局").is_visible()
    assert tab.get_by_role("link", name="返回登录页").is_visible()
    shot(tab, "sso-unmatched")


def test_directory_user_signs_into_the_admin_as_a_trainer(tab, sso_site):
    tab.goto(f"{sso_site}/admin/login/")
    assert tab.get_by_role("link", name=OIDC_BUTTON).is_visible() and tab.get_by_role("link", name=CAS_BUTTON).is_visible()
    shot(tab, "sso-admin-login")
    tab.fill("input[name=username]", "shijj")
    tab.fill("input[name=password]", servers.LDAP_PASSWORD)
    tab.locator("form.login-form button[type=submit]").click()
    tab.wait_for_url(f"{sso_site}/admin/")
    assert "石建军" in tab.content()
    shot(tab, "sso-admin-trainer")


def test_trainee_signs_in_through_the_cas_login_page_and_lands_on_my_courses(tab, sso_site):
    tab.goto(f"{sso_site}/accounts/login/")
    tab.get_by_role("link", name=CAS_BUTTON).click()
    # The CAS server's own login form.
    tab.fill("input[name=username]", "guoting")
    tab.fill("input[name=password]", servers.CAS_PASSWORD)
    shot(tab, "sso-cas-login-form")
    tab.locator("#login_form button[type=submit]").click()
    tab.wait_for_url(f"{sso_site}/my/")
    assert tab.locator(".site-user__name").inner_text() == "郭婷"  # hanshou1 on the demo roster, matched by mobile
    assert "我的课程" in tab.content()
    shot(tab, "sso-cas-trainee-my-courses")
