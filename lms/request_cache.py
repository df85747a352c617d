"""Objects already read while answering this request, so a later part of the same page need not read them again.

The lesson page reads its course's quizzes and tasks for the course outline, then renders the quiz and task
cards of its body, whose snippet choosers would read the same rows again. Readers `remember` what they
loaded; the choosers `recall` it. The store lives for one request only (RequestCacheMiddleware; Django
renders a page's template inside the middleware chain), and outside a request nothing is kept.

A page that knows which cache keys its parts will ask for reads them all at once (`read_ahead`); the parts read
through `get_many`, which answers those keys from that one read: with Redis, one round trip instead of one per part.
"""

from __future__ import annotations

from contextvars import ContextVar

from django.core.cache import cache

_store: ContextVar[dict | None] = ContextVar("lms_request_cache", default=None)
_NOT_FOUND = object()


def remember(instances) -> None:
    store = _store.get()
    if store is None:
        return
    for instance in instances:
        store[(type(instance)._meta.concrete_model, instance.pk)] = instance


def recall(model, pks) -> dict:
    """{pk: instance} for the pks of `model` read earlier in this request."""
    store = _store.get()
    if not store:
        return {}
    model = model._meta.concrete_model
    return {pk: store[(model, pk)] for pk in pks if (model, pk) in store}


def site_root_paths() -> list:
    """Wagtail's `Site.get_site_root_paths()`, read from the cache once per request.

    Wagtail reads them from the cache for every page whose `url` is asked without a request (each lesson of
    a course outline, each requirement's link): one cache round trip per page, nine on a lesson page with
    Redis. Pages loaded for a request are handed this list instead (`share_site_root_paths`)."""
    from wagtail.models import Site

    store = _store.get()
    if store is None:
        return Site.get_site_root_paths()
    if "site_root_paths" not in store:
        store["site_root_paths"] = Site.get_site_root_paths()
    return store["site_root_paths"]


def share_site_root_paths(*objects) -> None:
    """Give pages (or a request) this request's site root paths where Wagtail looks for them first
    (`Page._get_site_root_paths` reads `_wagtail_cached_site_root_paths` of its cache object, else of the page)."""
    if _store.get() is None:
        return  # outside a request the pages keep Wagtail's own behaviour
    paths = site_root_paths()
    for obj in objects:
        obj._wagtail_cached_site_root_paths = paths


def read_ahead(keys) -> None:
    """Read these cache keys now, in one round trip, for the parts of this request that will ask for them.

    What was read stands for the rest of the request (a snapshot, like any value read earlier in it): code that
    writes one of these keys and reads it back within the same request calls `forget_read_ahead` in between."""
    store = _store.get()
    if store is None:
        return
    ahead = store.setdefault("cache_read_ahead", {})
    keys = [key for key in dict.fromkeys(keys) if key not in ahead]
    if keys:
        found = cache.get_many(keys)
        ahead.update({key: found.get(key, _NOT_FOUND) for key in keys})


def get_many(keys) -> dict:
    """`cache.get_many(keys)`: the keys read ahead in this request from that read, only the others from the cache."""
    store = _store.get()
    ahead = store.get("cache_read_ahead") if store else None
    if not ahead:
        return cache.get_many(keys)
    result = {}
    rest = []
    for key in keys:
        value = ahead.get(key, ahead)
        if value is ahead:
            rest.append(key)
        elif value is not _NOT_FOUND:
            result[key] = value
    if rest:
        result.update(cache.get_many(rest))
    return result


def found_ahead(key) -> bool:
    """Whether the read ahead of this request found `key` in the cache (False when it was not read ahead)."""
    store = _store.get()
    ahead = store.get("cache_read_ahead") if store else None
    return bool(ahead) and ahead.get(key, _NOT_FOUND) is not _NOT_FOUND


def forget_read_ahead() -> None:
    """Something was written to the cache that a read ahead may hold: later reads in this request ask the cache."""
    store = _store.get()
    if store:
        store.pop("cache_read_ahead", None)


class RequestCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _store.set({})
        try:
            return self.get_response(request)
        finally:
            _store.reset(token)
