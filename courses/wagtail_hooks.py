"""Admin views for enrolments and progress (read-mostly: trainees enrol themselves on the site)."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet

from lms import permissions
from lms.admin_scope import ScopedPermissionPolicy, ScopedSnippetViewSet

from . import admin_views
from .models import Enrollment


def enrolments_in_reach(user, queryset):
    """A trainer sees the enrolments of the teams they supervise; the bureau every one."""
    return queryset.filter(user__in=permissions.admin_visible_people(user))


class EnrollmentViewSet(ScopedSnippetViewSet):
    model = Enrollment
    scope = staticmethod(enrolments_in_reach)
    icon = "user"
    menu_label = _("Enrolments")
    menu_order = 310
    add_to_admin_menu = True
    list_display = ["user", "course", "enrolled_at", "last_activity_at", "completed_at"]
    list_filter = ["course", "completed_at"]
    search_fields = ["user__full_name", "user__username"]
    panels = [FieldPanel("user"), FieldPanel("course")]


register_permission_policy(Enrollment, ScopedPermissionPolicy(Enrollment, enrolments_in_reach))
register_snippet(EnrollmentViewSet)


@hooks.register("register_admin_urls")
def register_enroll_team_url():
    return [path("courses/enroll-team/", admin_views.enroll_team, name="courses_enroll_team")]


class AdminOnlyMenuItem(MenuItem):
    def is_shown(self, request):
        return permissions.is_bureau_admin(request.user)


@hooks.register("register_admin_menu_item")
def register_enroll_team_menu_item():
    return AdminOnlyMenuItem(_("Enrol a team"), reverse("courses_enroll_team"), icon_name="group", order=311)
