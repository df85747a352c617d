"""Wagtail admin for the bureau: sites per team, their columns (class corrections, exclusions), the
severe-error expression list, deduction weights and runs. Model permissions are the bureau admins'
group's only (inspection/apps.py), so trainers, leads and trainees see none of it."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.widgets import ListingButton
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from . import permissions
from .models import ExpressionRule, InspectedSite, InspectionRun, RuleWeight, SiteColumn


class SiteViewSet(SnippetViewSet):
    model = InspectedSite
    icon = "site"
    menu_label = _("Inspected sites")
    list_display = ["name", "team", "base_url", "is_active"]
    list_filter = ["team", "is_active"]
    search_fields = ["name", "base_url"]


class ColumnViewSet(SnippetViewSet):
    model = SiteColumn
    icon = "list-ul"
    menu_label = _("Site columns")
    list_display = ["name", "site", "detected_kind", "kind", "excluded"]
    list_filter = ["site", "detected_kind", "kind", "excluded"]
    search_fields = ["name", "url"]


class ExpressionViewSet(SnippetViewSet):
    model = ExpressionRule
    icon = "warning"
    menu_label = _("Severe-error expressions")
    list_display = ["wrong", "right", "is_active"]
    search_fields = ["wrong", "right"]


class WeightViewSet(SnippetViewSet):
    model = RuleWeight
    icon = "cogs"
    menu_label = _("Deduction weights")
    list_display = ["rule", "points", "cap"]


class RunViewSet(SnippetViewSet):
    model = InspectionRun
    icon = "history"
    menu_label = _("Inspection runs")
    list_display = ["site", "today", "state", "verdict", "deciding_rule", "score", "finished_at"]
    list_filter = ["state", "verdict", "site"]
    inspect_view_enabled = True


class InspectionGroup(SnippetViewSetGroup):
    items = (SiteViewSet, ColumnViewSet, ExpressionViewSet, WeightViewSet, RunViewSet)
    menu_icon = "site"
    menu_label = _("Site inspection")
    menu_order = 340


register_snippet(InspectionGroup)


class InspectionPagesMenuItem(MenuItem):
    def is_shown(self, request):
        return permissions.can_manage(request.user)


@hooks.register("register_admin_menu_item")
def inspection_overview_menu_item():
    return InspectionPagesMenuItem(_("Site inspection overview"), reverse("inspection:overview"), icon_name="view", order=341)


@hooks.register("register_snippet_listing_buttons")
def inspect_site_button(snippet, user, next_url=None):
    """Start an inspection by hand from the admin: the site's page, with its 立即检查 button and results."""
    if isinstance(snippet, InspectedSite) and permissions.can_manage(user):
        yield ListingButton(_("Inspect / results"), reverse("inspection:site", args=[snippet.pk]), priority=5)
