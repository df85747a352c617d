"""Where events come from. Each module connects listeners to another app's signals or seams, so those apps
never import notifications. Connecting a new source is a module here with a `connect()` and a line below."""

from __future__ import annotations

from importlib.util import find_spec


def connect_all() -> None:
    from . import certificates, courses, quizzes

    for module in (courses, quizzes, certificates):
        module.connect()
    if find_spec("exams") is not None:
        from django.apps import apps

        if apps.is_installed("exams"):
            from . import exams

            exams.connect()
