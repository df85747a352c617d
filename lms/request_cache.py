"""Objects already read while answering this request, so a later part of the same page need not read them again.

The lesson page reads its course's quizzes and tasks for the course outline, then renders the quiz and task
cards of its body, whose snippet choosers would read the same rows again. Readers `remember` what they
loaded; the choosers `recall` it. The store lives for one request only (RequestCacheMiddleware; Django
renders a page's template inside the middleware chain), and outside a request nothing is kept.
"""

from __future__ import annotations

from contextvars import ContextVar

_store: ContextVar[dict | None] = ContextVar("lms_request_cache", default=None)


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


class RequestCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _store.set({})
        try:
            return self.get_response(request)
        finally:
            _store.reset(token)
