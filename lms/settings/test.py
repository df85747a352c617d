"""The test suite: fast hashing, in-memory cache, tasks run inline."""

from .base import *  # noqa: F401,F403

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
WAGTAILADMIN_BASE_URL = "http://testserver"
SITE_URL = "http://testserver"
ALLOWED_HOSTS = ["*"]
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
# The test client logs in without a request; throttling has its own tests that switch it on.
AXES_ENABLED = False
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# The sso app is installed for its own tests (tests/sso), which switch each method on against a real
# server; with no method configured it offers nothing, as in a deployment without SSO variables.
if "sso" not in INSTALLED_APPS:  # noqa: F405
    INSTALLED_APPS = ["sso", *INSTALLED_APPS]  # noqa: F405
    TEMPLATES[0]["OPTIONS"]["context_processors"].append("sso.context_processors.sign_in_methods")  # noqa: F405
if "django_cas_ng" not in INSTALLED_APPS:  # noqa: F405  (CAS single logout's session tickets)
    INSTALLED_APPS = [*INSTALLED_APPS, "django_cas_ng"]  # noqa: F405
# Site inspection: no politeness delay against the tests' own loopback servers.
INSPECTION_LIMITS = {"delay": 0.0}
