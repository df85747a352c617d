"""Which client answers an attempt: one browser (session) or one API client at a time.

A holder is an opaque id stored on the attempt. A browser's is derived from its session, so tabs of
one browser share it and a second browser (another session) that opens the attempt takes it over.
An API client's is derived from its token plus the optional `X-Client-Id` header, so two devices
sharing a token can still tell themselves apart. Nothing secret is stored: only a truncated hash.
"""

from __future__ import annotations

import hashlib

from django.conf import settings


def _digest(*parts: str) -> str:
    text = "|".join((settings.SECRET_KEY, *parts))
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def holder_of(request) -> str:
    """The holder id of the client making `request` ("" when it cannot be told apart)."""
    client = (request.headers.get("X-Client-Id") or "")[:64]
    auth = getattr(request, "auth", None)  # DRF: the Token when the call signed in with one
    key = getattr(auth, "key", None)
    if key:
        return _digest("token", key, client)
    session_key = getattr(getattr(request, "session", None), "session_key", None)
    if session_key:
        return _digest("session", session_key, client)
    return ""
