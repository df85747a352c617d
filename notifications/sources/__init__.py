"""Where events come from. Each module connects listeners to another app's signals or seams, so those apps
never import notifications. Connecting a new source is a module here with a `connect()` and a line below."""

from __future__ import annotations


def connect_all() -> None:
    from django.apps import apps

    from . import certificates, courses, quizzes

    for module in (courses, quizzes, certificates):
        module.connect()
    # Apps built beside notifications: heard when installed, never required.
    if apps.is_installed("exams"):
        from . import exams

        exams.connect()
    if apps.is_installed("inspection"):
        from . import inspection

        inspection.connect()
