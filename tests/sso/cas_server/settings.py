"""A real CAS server (django-cas-server) for the single sign-on tests: its own Django process, SQLite file
and URLconf, started by tests/sso/servers.py on a free loopback port. Never part of the academy."""

import os

SECRET_KEY = "cas-server-for-tests-only"
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "cas_server",
]
MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
]
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ]
        },
    }
]
ROOT_URLCONF = "tests.sso.cas_server.urls"
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": os.environ["CAS_SERVER_DB"]}}
USE_TZ = True
LANGUAGE_CODE = "zh-hans"
STATIC_URL = "/static/"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# The academy runs on 127.0.0.1 too, on another port: browsers share cookies across ports, so the CAS
# server's cookies get names of their own.
SESSION_COOKIE_NAME = "cas_sessionid"
CSRF_COOKIE_NAME = "cas_csrftoken"

# People: passwords are Django auth users; their attributes (工号, mobile, …) are cas_server UserAttributes rows.
CAS_AUTH_CLASS = "tests.sso.cas_server.people.DirectoryUser"
CAS_NEW_VERSION_HTML_WARNING = False  # no network in tests
CAS_NEW_VERSION_EMAIL_WARNING = False
CAS_SHOW_POWERED = False
CAS_SLO_TIMEOUT = 3
# No CDN: the login page works offline (unstyled).
CAS_COMPONENT_URLS = dict.fromkeys(
    ["bootstrap3_css", "bootstrap3_js", "html5shiv", "respond", "bootstrap4_css", "bootstrap4_js", "jquery"], "data:,"
)
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"  # what cas_server's migrations were made with
