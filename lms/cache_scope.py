"""How long a figure may stay cached when only this process would hear that it changed.

Our caches (a course's outline, a lesson's rendered body, the bell's unread count) are forgotten by the code that
changes what they show. With a shared cache (Redis, files) every process sees that; with a process's own memory
(the default without CACHE_URL) another gunicorn worker, or the task worker beside `make run`, keeps its copy. There a
short lifetime bounds how stale a page can be; with a shared cache the long one saves the work.
"""

from __future__ import annotations

from django.conf import settings

PROCESS_LOCAL_BACKENDS = (
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
)
LOCAL_SECONDS = 30


def shared() -> bool:
    return settings.CACHES["default"]["BACKEND"] not in PROCESS_LOCAL_BACKENDS


def lifetime(seconds: int) -> int:
    """`seconds` with a shared cache; at most LOCAL_SECONDS with a process's own memory."""
    return seconds if shared() else min(seconds, LOCAL_SECONDS)
