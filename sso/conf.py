"""Which sign-in methods are on, read from settings at call time (tests switch methods per test)."""

from django.conf import settings

METHODS = ("oidc", "cas", "ldap")


def enabled(method: str) -> bool:
    return method in getattr(settings, "SSO_METHODS", ())


def setting(name: str, default=""):
    return getattr(settings, name, default)
