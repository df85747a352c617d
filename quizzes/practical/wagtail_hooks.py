"""Admin for hands-on tasks, and guards that keep the practice site's structure out of trainees' reach."""

from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from lms import permissions
from quizzes.models import PracticalTask, PracticeAreaPage, PracticeIndexPage


class PracticalTaskViewSet(SnippetViewSet):
    model = PracticalTask
    icon = "tasks"
    menu_label = _("Hands-on tasks")
    menu_order = 250
    add_to_admin_menu = True
    list_display = ["title", "kind", "needs_confirmation", "max_submissions", "updated_at"]
    list_filter = ["kind"]
    search_fields = ["title"]


register_snippet(PracticalTaskViewSet)


def _guard_structure(request, page):
    # A trainee owns what is under their area, not the area (or the practice site) itself.
    if isinstance(page.specific, (PracticeAreaPage, PracticeIndexPage)) and not permissions.is_bureau_admin(request.user):
        raise PermissionDenied


@hooks.register("before_delete_page")
def guard_delete(request, page):
    _guard_structure(request, page)


@hooks.register("before_move_page")
def guard_move(request, page, destination):
    _guard_structure(request, page)


class ReviewQueueMenuItem(MenuItem):
    def is_shown(self, request):
        return permissions.reviewable_teams(request.user).exists()


@hooks.register("register_admin_menu_item")
def review_queue_menu_item():
    return ReviewQueueMenuItem(_("Review queue"), reverse("practical:review_queue"), icon_name="check", order=260)


@hooks.register("register_admin_urls")
def pinyin_slug_url():
    from django.urls import path

    from .views import pinyin_slug

    return [path("practice/pinyin-slug/", pinyin_slug, name="practice_pinyin_slug")]


@hooks.register("insert_editor_js")
def pinyin_slug_js():
    from django.templatetags.static import static
    from django.utils.html import format_html

    # Acts only on practice pages' editors (their slug field carries data-pinyin-slug-url).
    return format_html('<script src="{}" defer></script>', static("quizzes/pinyin-slug.js"))
