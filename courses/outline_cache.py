"""The part of a course outline every reader sees alike, kept in the cache per course and language.

A lesson page shows its course's outline: the published lessons in order (titles, links, which quiz or task
each embeds) and, for the quiz and task requirements, the quizzes (with their question counts) and tasks.
None of that depends on the reader, yet reading it was most of the page's queries. It is kept here under a
generation token replaced whenever a page, a site, a view restriction, a quiz, a quiz slot or a task is saved
or deleted, and when a page is published, unpublished or moved (see courses/apps.py). The token is replaced
at once and again after the commit, as for the lesson bodies (courses/lesson_body.py), so a page rendered
meanwhile cannot keep what it read before the change under the new token.

What is the reader's own (enrolment, lessons done, attempts, submissions) is never kept here: it is read on
every request.

Everything kept for a course is keyed by the course's path (its lessons, the quizzes and the tasks they embed), so
a page showing one course reads it all, with the rest of what the page needs, in one cache read (`course_keys`
with lms.request_cache.read_ahead).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils.translation import get_language

from lms import request_cache
from lms.cache_scope import lifetime

GENERATION_KEY = "course-outline:generation"
# The format of a cached entry; change it when what is stored changes.
FORMAT = 2
# What is kept for each course, under the course's path.
COURSE_KINDS = ("lessons", "quizzes", "tasks")


def forget_outlines(**kwargs) -> None:
    """Something an outline shows changed: every cached outline is stale, now and after the commit."""
    _new_generation()
    transaction.on_commit(_new_generation)


def _new_generation() -> None:
    cache.set(GENERATION_KEY, uuid.uuid4().hex, timeout=None)
    request_cache.forget_read_ahead()


def _generation(current) -> str:
    if current is None:
        cache.add(GENERATION_KEY, uuid.uuid4().hex, timeout=None)
        current = cache.get(GENERATION_KEY)
    return current


def _timeout() -> int:
    return lifetime(getattr(settings, "COURSE_OUTLINE_CACHE_TIMEOUT", 24 * 3600))


def _key(kind: str, ident) -> str:
    return f"course-outline:{FORMAT}:{kind}:{ident}:{get_language() or settings.LANGUAGE_CODE}"


def course_keys(course_path: str) -> list[str]:
    """The cache keys of everything kept for the course at `course_path`, its generation token included."""
    return [GENERATION_KEY, *(_key(kind, course_path) for kind in COURSE_KINDS)]


def cached(kind: str, idents, load) -> dict:
    """{ident: value} for each ident, from the cache where this generation holds it, else from `load(missing)`
    (which returns {ident: value} for those it found; the others are remembered as absent). One cache read."""
    idents = list(dict.fromkeys(idents))
    if not idents:
        return {}
    keys = {ident: _key(kind, ident) for ident in idents}
    found = request_cache.get_many([GENERATION_KEY, *keys.values()])
    generation = _generation(found.get(GENERATION_KEY))
    result = {}
    missing = []
    for ident, key in keys.items():
        entry = found.get(key)
        if entry is not None and entry[0] == generation:
            if not (isinstance(entry[1], str) and entry[1] == _ABSENT):
                result[ident] = entry[1]
        else:
            missing.append(ident)
    if missing:
        loaded = load(missing)
        cache.set_many({keys[ident]: (generation, loaded.get(ident, _ABSENT)) for ident in missing}, timeout=_timeout())
        result.update({ident: value for ident, value in loaded.items() if ident in keys})
    return result


# Stored for an ident the loader did not find (a deleted quiz), so it is not asked again on every request.
_ABSENT = "course-outline:absent"
