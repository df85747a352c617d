"""Renewal by re-passing an assessment: the seam for the quiz engine.

quizzes cannot import certificates (the arrows go lms ← quizzes ← courses ← certificates), so the quiz
engine only calls `lms.progress.progress_changed(user, source=attempt)`. Certificates listen to that and
ask the resolvers registered here which programmes a progress `source` renews:

    register_renewal_resolver(lambda *, user, source: programmes_renewed_by_quiz(source))

A resolver returns the programmes (possibly none); each holder certificate of those programmes that is
expiring or expired is renewed. Register resolvers in CertificatesConfig.ready().
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.utils.translation import gettext as _

RenewalResolver = Callable[..., Iterable]
_resolvers: list[RenewalResolver] = []


def register_renewal_resolver(resolver: RenewalResolver) -> RenewalResolver:
    if resolver not in _resolvers:
        _resolvers.append(resolver)
    return resolver


def unregister_renewal_resolver(resolver: RenewalResolver) -> None:
    if resolver in _resolvers:
        _resolvers.remove(resolver)


def progress_listener(user, *, source: object = None) -> list:
    """`lms.progress` listener: renew what the resolvers say `source` renews; returns the new certificates."""
    from . import services

    if source is None or not _resolvers:
        return []
    renewed = []
    for resolver in list(_resolvers):
        for programme in resolver(user=user, source=source) or ():
            certificate = services.renew_if_due(holder=user, programme=programme, reason=_("Assessment passed again"))
            if certificate is not None:
                services.render_certificate(certificate=certificate)
                renewed.append(certificate)
    return renewed


def programmes_renewed_by_quiz(*, user, source) -> list:
    """A passed quiz attempt renews the programmes whose required or refresher courses embed that quiz."""
    from courses.completion import lessons_by_course
    from quizzes.blocks import quiz_ids_in
    from quizzes.models import Attempt

    from .models import Programme

    if not isinstance(source, Attempt) or not source.passed:
        return []
    programmes = list(Programme.objects.filter(is_active=True).prefetch_related("required_courses", "refresher_courses"))
    courses_of = {p.pk: {*p.required_courses.all(), *p.refresher_courses.all()} for p in programmes}
    lessons = lessons_by_course({course for courses in courses_of.values() for course in courses})
    with_quiz = {
        course.pk
        for course, course_lessons in lessons.items()
        if any(source.quiz_id in quiz_ids_in(lesson.body.raw_data) for lesson in course_lessons)
    }
    return [p for p in programmes if with_quiz & {course.pk for course in courses_of[p.pk]}]
