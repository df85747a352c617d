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


class RequestCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _store.set({})
        try:
            return self.get_response(request)
        finally:
            _store.reset(token)
