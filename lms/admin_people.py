"""The people the Wagtail admin's filters offer (owner, edited by, user, locked by…) are the people one may see.

Wagtail's listings and reports are filtered by page permissions, but their "who" filters list every user who
owns, edited or locked any page: a trainer would read the names of every county's trainees there. Each such
filter's choices are narrowed to lms.permissions.admin_visible_people (the rule everything else uses).
"""

from __future__ import annotations

import importlib

from django.contrib.auth import get_user_model
from django_filters.filters import QuerySetRequestMixin
from wagtail.admin.filters import WagtailFilterSet

from . import permissions

# The modules defining Wagtail's filter sets (imported so that their classes exist before they are scoped).
FILTERSET_MODULES = [
    "wagtail.admin.views.pages.listing",
    "wagtail.admin.views.pages.history",
    "wagtail.admin.views.generic.history",
    "wagtail.admin.views.reports.audit_logging",
    "wagtail.admin.views.reports.locked_pages",
    "wagtail.admin.views.reports.aging_pages",
    "wagtail.admin.views.reports.workflows",
]


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def _scoped(original):
    def queryset(request):
        choices = original(request) if callable(original) else original.all()
        if choices.model is get_user_model() and request is not None:
            choices = choices.filter(pk__in=permissions.admin_visible_people(request.user).values("pk"))
        return choices

    queryset.lms_scoped = True
    return queryset


def _scoped_method(original):
    def get_users_queryset(self):
        return original(self).filter(pk__in=permissions.admin_visible_people(self.request.user).values("pk"))

    get_users_queryset.lms_scoped = True
    return get_users_queryset


def scope_people_filters() -> int:
    """Narrow every model-choice filter of Wagtail's filter sets that lists users; returns how many were found."""
    for module in FILTERSET_MODULES:
        importlib.import_module(module)
    count = 0
    for filterset in _subclasses(WagtailFilterSet):
        # History filter sets fill their "user" filter in __init__ from this method instead.
        method = filterset.__dict__.get("get_users_queryset")
        if method is not None and not getattr(method, "lms_scoped", False):
            filterset.get_users_queryset = _scoped_method(method)
            count += 1
        for item in filterset.base_filters.values():
            # A filter without a queryset gets one when its form is built (e.g. content types): not people.
            if isinstance(item, QuerySetRequestMixin) and item.queryset is not None and not getattr(item.queryset, "lms_scoped", False):
                item.queryset = _scoped(item.queryset)
                count += 1
    return count
