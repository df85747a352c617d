"""Admin: exam sittings as a scoped snippet (the bureau every team, a trainer their supervised teams),
with links to each sitting's results and the 创建补考 action."""

from django import forms
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet

from lms.admin_scope import ScopedPermissionPolicy, ScopedSnippetViewSet

from . import admin_views, permissions
from .admin_forms import SittingForm
from .models import ExamSitting


def sittings_in_reach(user, queryset):
    return permissions.manageable_sittings(user, queryset)


class SittingLinksColumn(Column):
    def get_value(self, instance):
        return format_html(
            '<a href="{}">{}</a> · <a href="{}">{}</a>',
            reverse("exams:results", args=[instance.pk]),
            _("Results"),
            reverse("exams_create_makeup", args=[instance.pk]),
            _("Create make-up"),
        )


class ExamSittingViewSet(ScopedSnippetViewSet):
    model = ExamSitting
    scope = staticmethod(sittings_in_reach)
    icon = "date"
    menu_label = gettext_lazy("Exam sittings")
    menu_order = 260
    add_to_admin_menu = True
    list_display = [
        "title",
        "quiz",
        "opens_at",
        "closes_at",
        "parent",
        SittingLinksColumn("links", label=gettext_lazy("Actions")),
    ]
    list_filter = ["quiz"]
    search_fields = ["title"]
    edit_handler = ObjectList(
        [
            FieldPanel("title"),
            FieldPanel("quiz", widget=forms.Select),
            MultiFieldPanel(
                [FieldPanel("teams", widget=forms.CheckboxSelectMultiple), FieldPanel("people")],
                heading=gettext_lazy("Who is invited"),
            ),
            MultiFieldPanel(
                [
                    FieldRowPanel([FieldPanel("opens_at"), FieldPanel("latest_entry_at"), FieldPanel("closes_at")]),
                    FieldPanel("contact"),
                ],
                heading=gettext_lazy("When"),
            ),
            MultiFieldPanel(
                [FieldRowPanel([FieldPanel("max_attempts"), FieldPanel("focus_loss_limit")]), FieldPanel("review_policy")],
                heading=gettext_lazy("Rules"),
            ),
        ],
        base_form_class=SittingForm,
    )


register_permission_policy(ExamSitting, ScopedPermissionPolicy(ExamSitting, sittings_in_reach))
register_snippet(ExamSittingViewSet)


@hooks.register("register_admin_urls")
def register_makeup_url():
    return [path("exams/sittings/<int:sitting_id>/makeup/", admin_views.create_makeup, name="exams_create_makeup")]
