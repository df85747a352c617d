"""Admin for county teams, memberships, supervision and the audit log."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from . import permissions
from .models import AuditEvent, CountyTeam, Membership, TrainerSupervision


class ReadOnlyPermissionPolicy(ModelPermissionPolicy):
    """May look (with the model's view/change permission), may never add, change or delete."""

    def user_has_permission(self, user, action):
        if action in {"add", "change", "delete"}:
            return False
        return super().user_has_permission(user, "change") or super().user_has_permission(user, "view")

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)


class CountyTeamViewSet(ModelViewSet):
    model = CountyTeam
    icon = "group"
    menu_label = _("County teams")
    list_display = ["name", "code", "region", "is_active"]
    search_fields = ["name", "code"]
    form_fields = ["name", "code", "region", "parent_bureau", "sort_order", "is_active"]


class MembershipViewSet(ModelViewSet):
    model = Membership
    icon = "user"
    menu_label = _("Memberships")
    list_display = ["user", "team", "role", "title"]
    list_filter = ["role", "team"]
    search_fields = ["user__full_name", "user__username", "title"]
    form_fields = ["user", "team", "role", "title"]


class TrainerSupervisionViewSet(ModelViewSet):
    model = TrainerSupervision
    icon = "view"
    menu_label = _("Trainer supervision")
    list_display = ["trainer", "team"]
    list_filter = ["team"]
    form_fields = ["trainer", "team"]


class AuditEventViewSet(ModelViewSet):
    """Read-only: audit events are written by the services, never edited by hand."""

    model = AuditEvent
    icon = "history"
    menu_label = _("Audit log")
    list_display = ["created_at", "actor", "action", "object_repr", "team"]
    list_filter = ["action", "team"]
    search_fields = ["action", "object_repr", "note"]
    form_fields = ["note"]
    inspect_view_enabled = True


register_permission_policy(AuditEvent, ReadOnlyPermissionPolicy(AuditEvent))


class PeopleGroup(ViewSetGroup):
    menu_label = _("People & teams")
    menu_icon = "group"
    menu_order = 300
    items = (CountyTeamViewSet, MembershipViewSet, TrainerSupervisionViewSet, AuditEventViewSet)


@hooks.register("register_admin_viewset")
def register_people_viewsets():
    return PeopleGroup()


class RosterMenuItem(MenuItem):
    def is_shown(self, request):
        return permissions.can_manage_rosters(request.user)


@hooks.register("register_admin_urls")
def register_roster_urls():
    from .admin_roster import roster_import

    return [path("roster/import/", roster_import, name="lms_roster_import")]


@hooks.register("register_admin_menu_item")
def register_roster_menu_item():
    return RosterMenuItem(_("Import roster"), reverse("lms_roster_import"), icon_name="upload", order=301)


@hooks.register("insert_editor_js")
def editor_autosave_wait_js():
    from django.templatetags.static import static
    from django.utils.html import format_html

    # Publishing while Wagtail's background autosave is creating the page would create it twice (see the script).
    return format_html('<script src="{}" defer></script>', static("lms/editor-autosave-wait.js"))
