"""Trainee pages outside the page tree: "my courses", enrol, mark a lesson as done."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lms import permissions
from lms.models import User

from . import completion, selectors, services
from .models import CoursePage, LessonPage


@login_required
def my_courses(request):
    entries = selectors.my_courses(user=request.user)
    current = next((e for e in entries if not e.completed), None)
    return render(
        request,
        "courses/my_courses.html",
        {
            "entries": entries,
            "current": current,
            "awards": completion.awards_for(request.user),
            "catalogue": selectors.published_courses().exclude(enrollments__user=request.user),
        },
    )


@login_required
@require_POST
def enroll(request, course_id: int):
    course = get_object_or_404(selectors.published_courses(), pk=course_id)
    services.enroll(user=request.user, course=course)
    messages.success(request, _("You are enrolled in “%(course)s”.") % {"course": course.title})
    step = selectors.course_outline(user=request.user, course=course).next_step
    return redirect(step.url if step and step.url else course.url)


@login_required
@require_POST
def mark_done(request, lesson_id: int):
    lesson = get_object_or_404(LessonPage.objects.live().public(), pk=lesson_id)
    services.mark_lesson_done(user=request.user, lesson=lesson)
    course: CoursePage = lesson.get_parent().specific
    context = selectors.lesson_context(user=request.user, lesson=lesson, course=course)
    if context["outline"].completed:
        messages.success(request, _("Well done: you have completed “%(course)s”.") % {"course": course.title})
        return redirect(course.url)
    messages.success(request, _("Lesson marked as done."))
    nxt = context["next_lesson"]
    return redirect(nxt.url if nxt else course.url)


@login_required
def person_progress(request, user_id: int):
    person = get_object_or_404(User, pk=user_id)
    if not permissions.can_view_person(request.user, person):
        # Not 403: whether the person exists is not the viewer's business either.
        raise Http404
    return render(
        request,
        "courses/person_progress.html",
        {"person": person, "entries": selectors.person_progress(person=person)},
    )
