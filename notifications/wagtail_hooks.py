"""Wagtail admin, for the bureau only: group robots, event policies and the delivery log (filters by team,
channel, status). Trainers and team leads get no menu entry and 403 on every URL."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.permission_policies.base import BasePermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from lms import permissions
from lms.models import Role

from .events import event_choices
from .models import Delivery, EventPolicy, RobotWebhook


class BureauOnlyPolicy(BasePermissionPolicy):
    """Bureau admins may do `actions`; nobody else may do anything (model permissions are not consulted)."""

    def __init__(self, model, actions=("add", "change", "delete", "view")):
        super().__init__(model)
        self.actions = set(actions)

    def user_has_permission(self, user, action):
        return action in self.actions and user.is_authenticated and user.is_active and permissions.is_bureau_admin(user)

    def users_with_any_permission(self, actions):
        if not set(actions) & self.actions:
            return get_user_model().objects.none()
        return (
            get_user_model()
            .objects.filter(Q(is_superuser=True) | Q(memberships__role=Role.BUREAU_ADMIN), is_active=True)
            .distinct()
        )


register_permission_policy(RobotWebhook, BureauOnlyPolicy(RobotWebhook))
register_permission_policy(EventPolicy, BureauOnlyPolicy(EventPolicy))
register_permission_policy(Delivery, BureauOnlyPolicy(Delivery, actions=("view",)))


class RobotViewSet(SnippetViewSet):
    model = RobotWebhook
    icon = "comment"
    menu_label = _("Group robots")
    list_display = ["__str__", "team", "kind", "is_active", "auth_failures", "disabled_reason"]
    list_filter = ["kind", "is_active", "team"]


class EventPolicyViewSet(SnippetViewSet):
    model = EventPolicy
    icon = "cog"
    menu_label = _("Event policies")
    list_display = ["__str__", "event", "mandatory", "robots", "sms_template_code"]

    def get_form_class(self, for_update=False):
        form_class = super().get_form_class(for_update)
        from django import forms

        class Form(form_class):
            event = forms.ChoiceField(label=_("event"), choices=event_choices())

        return Form


class DeliveryViewSet(SnippetViewSet):
    model = Delivery
    icon = "list-ul"
    menu_label = _("Delivery log")
    list_display = [
        "created_at",
        "event",
        "channel",
        "status",
        "team",
        Column("recipient", label=_("recipient")),
        "robot",
        "attempts",
        "error_code",
        "last_error",
        "sent_at",
    ]
    list_filter = ["team", "channel", "status", "event"]
    list_per_page = 50
    inspect_view_enabled = True

    def get_queryset(self, request):
        return Delivery.objects.select_related("team", "recipient", "robot", "robot__team")


class NotificationsGroup(ViewSetGroup):
    menu_label = _("Notifications")
    menu_icon = "mail"
    menu_order = 340
    items = (RobotViewSet, EventPolicyViewSet, DeliveryViewSet)


register_snippet(NotificationsGroup)
