"""The CAS client (django-cas-ng's settings-driven client over python-cas): the login URL for our one fixed
service URL, ticket validation (CAS 3 /p3/serviceValidate with attributes; CAS 2 /serviceValidate), and the
server's logout URL. Single logout lives in services (it ends sessions)."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django_cas_ng.utils import get_cas_client


def service_url() -> str:
    """The service URL registered at the CAS server. From configuration, never from the request's Host
    header: a ticket is only good for the service it was issued to, and that must be us."""
    return settings.SSO_CAS_SERVICE_URL or settings.SITE_URL.rstrip("/") + reverse("sso:cas_callback")


def client():
    return get_cas_client(service_url=service_url())


def validate(ticket: str) -> tuple[str, dict]:
    """(user, attributes) when the CAS server confirms `ticket` was issued for our service URL and is used
    for the first time; ("", {}) when it says no (another service, replayed, expired, made up). A server
    that cannot be reached raises requests' errors; one that answers with something not XML, ParseError."""
    user, attributes, _pgtiou = client().verify_ticket(ticket)
    return (user or "", dict(attributes or {})) if user else ("", {})


def logout_url(return_to: str) -> str:
    return client().get_logout_url(return_to)
