"""Thin views: start a single sign-on, take the provider's answer, sign the roster person in or say why not."""

from __future__ import annotations

import logging

import requests
from authlib.integrations.base_client.errors import MismatchingStateError, OAuthError
from django.conf import settings
from django.contrib.auth import authenticate, login
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from joserfc.errors import JoseError

from lms.views import LOGOUT_CONTINUE_SESSION_KEY

from . import oidc
from .conf import enabled
from .services import refusal_message, refuse_before_authentication

logger = logging.getLogger(__name__)
NEXT_SESSION_KEY = "sso_next"
# What cannot reach the provider, or gets nonsense back from it (an HTML error page instead of JSON).
UNREACHABLE = (requests.RequestException, OSError, ValueError)


def _safe_next(request, value: str | None) -> str:
    if value and url_has_allowed_host_and_scheme(value, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return value
    return reverse(settings.LOGIN_REDIRECT_URL)


def refused(request, message: str, status: int = 403):
    """The page for an identity that may not sign in here; the local login form stays one click away."""
    return render(request, "sso/refused.html", {"message": message}, status=status)


def oidc_login(request):
    if not enabled("oidc"):
        raise Http404
    request.session[NEXT_SESSION_KEY] = _safe_next(request, request.GET.get("next"))
    try:
        # Authlib adds state, nonce and the PKCE challenge, and keeps them in the session for the callback.
        return oidc.client().authorize_redirect(request, request.build_absolute_uri(reverse("sso:oidc_callback")))
    except UNREACHABLE as error:
        logger.warning("OIDC provider unreachable: %s", error)
        refuse_before_authentication(request, method="oidc", identity="?", reason="unavailable", detail=str(error))
        return refused(request, refusal_message("unavailable"), status=503)


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
    except MismatchingStateError:
        refuse_before_authentication(request, method="oidc", identity="?", reason="state")
        return refused(request, refusal_message("state"), status=400)
    except (OAuthError, JoseError, KeyError) as error:
        refuse_before_authentication(request, method="oidc", identity="?", reason="token", detail=repr(error))
        return refused(request, refusal_message("token"), status=400)
    except UNREACHABLE as error:
        logger.warning("OIDC provider unreachable: %s", error)
        refuse_before_authentication(request, method="oidc", identity="?", reason="unavailable", detail=str(error))
        return refused(request, refusal_message("unavailable"), status=503)

    identity = f"{claims.get('iss', '')}#{claims.get('sub', '')}"
    user = authenticate(request, username=f"oidc:{identity}"[:150], oidc_claims=claims)
    if user is None:
        return refused(request, getattr(request, "login_refusal", None) or refusal_message("token"))
    next_url = request.session.pop(NEXT_SESSION_KEY, None) or reverse(settings.LOGIN_REDIRECT_URL)
    login(request, user)
    end_session = provider.load_server_metadata().get("end_session_endpoint")
    if end_session:
        # Signing out of the academy then also ends the provider's session (RP-initiated logout).
        request.session[LOGOUT_CONTINUE_SESSION_KEY] = provider.create_logout_url(
            post_logout_redirect_uri=request.build_absolute_uri(reverse("lms:login")),
            id_token_hint=token.get("id_token"),
            client_id=settings.SSO_OIDC_CLIENT_ID,
        )["url"]
    return HttpResponseRedirect(next_url)
