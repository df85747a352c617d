"""Admin: the provider-group → role mapping, where the bureau sees and edits it (only admins with its model permissions)."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSet

from .models import GroupRoleMapping


class GroupRoleMappingViewSet(ModelViewSet):
    model = GroupRoleMapping
    icon = "key"
    menu_label = _("Single sign-on: group mapping")
    menu_order = 310
    add_to_admin_menu = True
    list_display = ["method", "group", "role", "team"]
    list_filter = ["method", "role"]
    search_fields = ["group"]
    form_fields = ["method", "group", "role", "team"]


@hooks.register("register_admin_viewset")
def register_group_mapping():
    return GroupRoleMappingViewSet("sso_group_mapping")
