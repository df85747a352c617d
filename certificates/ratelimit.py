"""Rate limiting for the public verification pages, on Django's cache (no extra service).

A fixed window per client address: `limit` hits per `window` seconds. With several processes the
cache must be shared (CACHE_BACKEND=…RedisCache or DatabaseCache); with the default per-process
local-memory cache each process counts on its own, which still caps a single client per process.
The client address is REMOTE_ADDR: behind a reverse proxy, have the proxy set it (e.g. uWSGI/gunicorn
with the real-IP module) rather than trusting a client-supplied X-Forwarded-For.
"""

from __future__ import annotations

import time
from functools import wraps

from django.conf import settings
from django.core.cache import cache


def hit(*, scope: str, client: str, limit: int, window: int = 60) -> bool:
    """Count one hit; False when the client is over its limit in the current window."""
    bucket = int(time.time() // window)
    key = f"ratelimit:{scope}:{client}:{bucket}"
    cache.add(key, 0, timeout=window + 5)
    try:
        count = cache.incr(key)
    except ValueError:
        # Evicted between add and incr: start the window again.
        cache.set(key, 1, timeout=window + 5)
        count = 1
    return count <= limit


def client_of(request) -> str:
    return request.META.get("REMOTE_ADDR", "unknown")


def limited(scope: str, *, setting: str, default: int, methods=("GET", "POST"), on_limit):
    """Decorator: call `on_limit(request)` instead of the view once the client is over the limit."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            limit = getattr(settings, setting, default)
            if request.method in methods and not hit(scope=scope, client=client_of(request), limit=limit):
                return on_limit(request)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
