"""The OpenID Connect client (Authlib): discovery, authorization code flow with PKCE (S256), ID tokens
verified against the provider's JWKS (signature, issuer, audience, expiry, nonce), and RP-initiated logout."""

from __future__ import annotations

import threading

from authlib.integrations.django_client import OAuth

from .conf import setting

_lock = threading.Lock()
_clients: dict[tuple, object] = {}


def client():
    """One client per configuration; it keeps the discovery document and JWKS it fetched (the JWKS is
    fetched again when a token names a key it does not know, so the provider can rotate keys)."""
    key = tuple(setting(name) for name in ("SSO_OIDC_DISCOVERY_URL", "SSO_OIDC_CLIENT_ID", "SSO_OIDC_CLIENT_SECRET", "SSO_OIDC_SCOPES"))
    with _lock:
        if key not in _clients:
            registry = OAuth()
            _clients[key] = registry.register(
                "academy",
                client_id=key[1],
                client_secret=key[2] or None,
                server_metadata_url=key[0],
                client_kwargs={
                    "scope": key[3] or "openid",
                    "code_challenge_method": "S256",
                    "token_endpoint_auth_method": "client_secret_basic" if key[2] else "none",
                    "default_timeout": float(setting("SSO_OIDC_TIMEOUT", 10) or 10),
                },
            )
        return _clients[key]


def verify_id_token(token: dict, nonce: str) -> dict:
    """Claims of `token['id_token']` if it is signed by one of the provider's keys, issued by the discovered
    issuer to this client, unexpired, and carries `nonce`; else authlib/joserfc raises."""
    return dict(client().parse_id_token(token, nonce=nonce, leeway=30))
