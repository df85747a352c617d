"""Wagtail admin view: enrol a whole county team in a course (bureau admins)."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lms import permissions
from lms.models import CountyTeam

from . import selectors, services
from .models import CoursePage


class EnrollTeamForm(forms.Form):
    team = forms.ModelChoiceField(label=gettext_lazy("County team"), queryset=CountyTeam.objects.filter(is_active=True))
    course = forms.ModelChoiceField(label=gettext_lazy("Course"), queryset=CoursePage.objects.none())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Set per request: "published and public" is read from the page tree, not fixed at import.
        self.fields["course"].queryset = selectors.published_courses()


def enroll_team(request):
    if not permissions.is_bureau_admin(request.user):
        raise PermissionDenied
    form = EnrollTeamForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        team, course = form.cleaned_data["team"], form.cleaned_data["course"]
        count = services.enroll_team(team=team, course=course, actor=request.user)
        messages.success(
            request,
            _("%(count)d trainees of %(team)s newly enrolled in “%(course)s”.") % {"count": count, "team": team, "course": course.title},
        )
        return redirect("courses_enroll_team")
    return TemplateResponse(request, "courses/admin/enroll_team.html", {"form": form, "page_title": _("Enrol a team")})
