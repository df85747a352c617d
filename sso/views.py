"""Thin views: start a single sign-on, take the provider's answer, sign the roster person in or say why not.

OIDC and CAS share the start (a safe `next` kept in the session), the finish (the roster backend decides,
then login) and the pages for a refusal or an unreachable provider; only the protocol step differs."""

from __future__ import annotations

import logging
from xml.etree.ElementTree import ParseError

import requests
from authlib.integrations.base_client.errors import MismatchingStateError, OAuthError
from django.conf import settings
from django.contrib.auth import authenticate, login
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import csrf_exempt
from joserfc.errors import JoseError

from lms.views import LOGOUT_CONTINUE_SESSION_KEY

from . import cas, oidc
from .conf import enabled
from .services import end_sessions_for_logout_request, refusal_message, refuse_before_authentication, remember_cas_ticket

logger = logging.getLogger(__name__)
NEXT_SESSION_KEY = "sso_next"
CAS_PENDING_SESSION_KEY = "sso_cas_pending"
# What cannot reach the provider, or gets nonsense back from it (an HTML error page instead of JSON/XML).
UNREACHABLE = (requests.RequestException, OSError, ValueError, ParseError)


def _safe_next(request, value: str | None) -> str:
    if value and url_has_allowed_host_and_scheme(value, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return value
    return reverse(settings.LOGIN_REDIRECT_URL)


def refused(request, message: str, status: int = 403):
    """The page for an identity that may not sign in here; the local login form stays one click away."""
    return render(request, "sso/refused.html", {"message": message}, status=status)


def _begin(request, method: str) -> None:
    if not enabled(method):
        raise Http404
    request.session[NEXT_SESSION_KEY] = _safe_next(request, request.GET.get("next"))


def _unavailable(request, method: str, error: Exception):
    logger.warning("%s provider unreachable: %s", method, error)
    refuse_before_authentication(request, method=method, identity="?", reason="unavailable", detail=str(error))
    return refused(request, refusal_message("unavailable"), status=503)


def _finish(request, *, method: str, identity: str, attributes: dict, logout_url: str | None):
    """Sign in the roster person the verified identity belongs to (the backend audits a refusal), then go on
    to where they were headed; signing out later continues to `logout_url` at the provider.
    Returns (the person signed in or None, the response)."""
    user = authenticate(request, username=f"{method}:{identity}"[:150], sso_method=method, sso_identity=identity, sso_attributes=attributes)
    if user is None:
        return None, refused(request, getattr(request, "login_refusal", None) or refusal_message("token"))
    next_url = request.session.pop(NEXT_SESSION_KEY, None) or reverse(settings.LOGIN_REDIRECT_URL)
    login(request, user)
    if logout_url:
        request.session[LOGOUT_CONTINUE_SESSION_KEY] = logout_url
    return user, HttpResponseRedirect(next_url)


def oidc_login(request):
    _begin(request, "oidc")
    try:
        # Authlib adds state, nonce and the PKCE challenge, and keeps them in the session for the callback.
        return oidc.client().authorize_redirect(request, request.build_absolute_uri(reverse("sso:oidc_callback")))
    except UNREACHABLE as error:
        return _unavailable(request, "oidc", error)


def oidc_callback(request):
    if not enabled("oidc"):
        raise Http404
    provider = oidc.client()
    try:
        # Exchanges the code (with the PKCE verifier) and verifies the ID token: JWKS signature, issuer,
        # audience, expiry and the nonce of this session's own request. The state is used up here.
        token = provider.authorize_access_token(request)
        claims = dict(token.get("userinfo") or {})
        if not claims:
            raise OAuthError(description="no ID token")
        match_claim = settings.SSO_OIDC_MATCH_CLAIM
        if match_claim not in claims and provider.load_server_metadata().get("userinfo_endpoint"):
            extra = dict(provider.userinfo(token=token))
            if extra.get("sub") == claims.get("sub"):  # OIDC Core 5.3.2: userinfo must be about the same subject
                claims = {**extra, **claims}
        end_session = provider.load_server_metadata().get("end_session_endpoint")
    except MismatchingStateError:
        refuse_before_authentication(request, method="oidc", identity="?", reason="state")
        return refused(request, refusal_message("state"), status=400)
    except (OAuthError, JoseError, KeyError) as error:
        refuse_before_authentication(request, method="oidc", identity="?", reason="token", detail=repr(error))
        return refused(request, refusal_message("token"), status=400)
    except UNREACHABLE as error:
        return _unavailable(request, "oidc", error)

    # Signing out of the academy then also ends the provider's session (RP-initiated logout).
    logout_url = end_session and provider.create_logout_url(
        post_logout_redirect_uri=request.build_absolute_uri(reverse("lms:login")),
        id_token_hint=token.get("id_token"),
        client_id=settings.SSO_OIDC_CLIENT_ID,
    )["url"]
    identity = f"{claims.get('iss', '')}#{claims.get('sub', '')}"
    return _finish(request, method="oidc", identity=identity, attributes=claims, logout_url=logout_url)[1]


def cas_login(request):
    _begin(request, "cas")
    # Only a sign-in this browser started may come back with a ticket (see cas_callback).
    request.session[CAS_PENDING_SESSION_KEY] = True
    return HttpResponseRedirect(cas.client().get_login_url())


@csrf_exempt  # the CAS server's single-logout POST carries no CSRF token; GET (the ticket) changes nothing without one
def cas_callback(request):
    """The service URL: the CAS server sends the browser back here with a service ticket, and POSTs its
    single-logout requests here."""
    if not enabled("cas"):
        raise Http404
    if request.method == "POST":
        end_sessions_for_logout_request(request, cas.client())
        return HttpResponse("ok", content_type="text/plain")
    ticket = request.GET.get("ticket", "")
    if not ticket or not request.session.pop(CAS_PENDING_SESSION_KEY, False):
        # Not started in this browser: a tile on the province's portal, or someone else's ticket pushed into
        # this browser (login CSRF). Start afresh: with a session at the CAS server that costs no typing.
        return HttpResponseRedirect(reverse("sso:cas_login"))
    try:
        # The server checks the ticket was issued for our service URL, is unused (tickets are single-use) and fresh.
        username, attributes = cas.validate(ticket)
    except UNREACHABLE as error:
        return _unavailable(request, "cas", error)
    if not username:
        refuse_before_authentication(request, method="cas", identity="?", reason="ticket", detail=ticket[:64])
        return refused(request, refusal_message("ticket"), status=400)
    user, response = _finish(
        request,
        method="cas",
        identity=f"{settings.CAS_SERVER_URL}#{username}",
        attributes=attributes,
        logout_url=cas.logout_url(settings.SITE_URL.rstrip("/") + reverse("lms:login")),
    )
    if user is not None:
        remember_cas_ticket(session_key=request.session.session_key, ticket=ticket)
    return response
