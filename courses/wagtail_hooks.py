"""Admin views for enrolments and progress (read-mostly: trainees enrol themselves on the site)."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import Enrollment


class EnrollmentViewSet(SnippetViewSet):
    model = Enrollment
    icon = "user"
    menu_label = _("Enrolments")
    menu_order = 310
    add_to_admin_menu = True
    list_display = ["user", "course", "enrolled_at", "last_activity_at", "completed_at"]
    list_filter = ["course", "completed_at"]
    search_fields = ["user__full_name", "user__username"]
    panels = [FieldPanel("user"), FieldPanel("course")]


register_snippet(EnrollmentViewSet)
