"""Admin for the question bank and quizzes: snippets, and the import / export views."""

import base64

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import ObjectList
from wagtail.admin.ui.tables import BooleanColumn, Column
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from lms import permissions

from .exporting import CONTENT_TYPES, EXPORT_FORMATS, SUFFIXES, export_category
from .forms import ImportForm, QuestionForm
from .importers import xlsx_writer
from .importing import ImportFileError, guess_format, import_questions, parse_file
from .models import Question, QuestionCategory, QuestionType, Quiz
from .review import answers_help_retries

SESSION_KEY = "quizzes_import"


class QuestionCategoryViewSet(SnippetViewSet):
    model = QuestionCategory
    icon = "folder-open-inverse"
    menu_label = gettext_lazy("Question categories")
    list_display = ["path", "description"]
    search_fields = ["name", "path"]


class QuestionViewSet(SnippetViewSet):
    model = Question
    icon = "help"
    menu_label = gettext_lazy("Questions")
    list_display = ["name", "qtype", "category", "points", BooleanColumn("is_active"), "updated_at"]
    list_filter = ["qtype", "category", "is_active"]
    search_fields = ["name", "stem"]
    edit_handler = ObjectList(Question.panels, base_form_class=QuestionForm)


class QuizLinksColumn(Column):
    """Links from the admin list to the quiz's pages on the site: overview, results, item analysis."""

    def get_value(self, instance):
        return format_html(
            '<a href="{}">{}</a> · <a href="{}">{}</a> · <a href="{}">{}</a>',
            reverse("quizzes:detail", args=[instance.pk]), _("View"),
            reverse("quizzes:results", args=[instance.pk]), _("Results"),
            reverse("quizzes:analysis", args=[instance.pk]), _("Item analysis"),
        )


class QuizViewSet(SnippetViewSet):
    model = Quiz
    icon = "form"
    menu_label = gettext_lazy("Quizzes")
    list_display = [
        "title", "pass_mark", "time_limit_minutes", "max_attempts", BooleanColumn("is_published"), QuizLinksColumn("links", label=gettext_lazy("On the site")),
    ]
    list_filter = ["is_published"]
    search_fields = ["title"]


class QuizBankGroup(SnippetViewSetGroup):
    items = (QuizViewSet, QuestionViewSet, QuestionCategoryViewSet)
    menu_icon = "form"
    menu_label = gettext_lazy("Quizzes & questions")
    menu_name = "quizzes"
    menu_order = 250


register_snippet(QuizBankGroup)


def _require_manager(request):
    if not permissions.can_manage_quizzes(request.user):
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied


def import_view(request):
    """Upload → preview → confirm. Nothing is stored before confirming, and nothing at all while any
    question of the file has an error: the preview lists them and offers no import button."""
    _require_manager(request)
    form = ImportForm(request.POST or None, request.FILES or None)
    context = {"form": form, "preview": None}
    if request.method == "POST" and request.POST.get("confirm"):
        pending = request.session.get(SESSION_KEY)
        if not pending:
            form.add_error(None, _("The upload has expired; choose the file again."))
        else:
            try:
                report = import_questions(
                    data=base64.b64decode(pending["data"]), fmt=pending["fmt"], category_path=pending["category"], actor=request.user
                )
            except ImportFileError as error:
                form.add_error(None, error.message)
            else:
                del request.session[SESSION_KEY]
                if report.refused:  # the service refuses on its own, whatever was posted
                    return TemplateResponse(request, "quizzes/admin/import.html", {**context, **_preview_context(report, pending)})
                context.update({"report": report, "form": ImportForm(), "skipped": _kind(report.issues, "skipped"), "notes": _kind(report.issues, "note")})
                return TemplateResponse(request, "quizzes/admin/import.html", context)
    elif request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        data = upload.read()
        fmt = form.cleaned_data["fmt"] or guess_format(data=data, filename=upload.name)
        request.session.pop(SESSION_KEY, None)
        try:
            preview = parse_file(data=data, fmt=fmt)
        except ImportFileError as error:
            form.add_error("file", error.message)
        else:
            pending = {"data": base64.b64encode(data).decode("ascii"), "fmt": fmt, "category": form.cleaned_data["category"], "filename": upload.name}
            if not preview.errors:
                # The file waits in the session (signed, server-side) until the trainer confirms the preview.
                request.session[SESSION_KEY] = pending
            context.update(_preview_context(preview, pending))
    return TemplateResponse(request, "quizzes/admin/import.html", context)


def _kind(issues, kind: str) -> list:
    return [issue for issue in issues if issue.kind == kind]


def _preview_context(preview, pending: dict) -> dict:
    for question in preview.questions:
        question.type_label = QuestionType(question.qtype).label
    return {
        "preview": preview, "pending": {k: v for k, v in pending.items() if k != "data"},
        "errors": _kind(preview.issues, "error"), "skipped": _kind(preview.issues, "skipped"), "notes": _kind(preview.issues, "note"),
    }


def template_view(request):
    _require_manager(request)
    response = HttpResponse(xlsx_writer.template(), content_type=CONTENT_TYPES["xlsx"])
    response["Content-Disposition"] = "attachment; filename*=UTF-8''%E9%A2%98%E5%BA%93%E5%AF%BC%E5%85%A5%E6%A8%A1%E6%9D%BF.xlsx"
    return response


def export_view(request, category_id: int, fmt: str = "gift"):
    _require_manager(request)
    if fmt not in EXPORT_FORMATS:
        raise Http404
    category = get_object_or_404(QuestionCategory, pk=category_id)
    result = export_category(category=category, fmt=fmt)
    response = HttpResponse(result.content, content_type=CONTENT_TYPES[fmt])
    filename = slugify(category.path, allow_unicode=False) or f"category-{category.pk}"
    response["Content-Disposition"] = f'attachment; filename="{filename}{SUFFIXES[fmt]}"'
    response["X-Skipped-Questions"] = str(len(result.skipped))
    return response


def export_index(request):
    _require_manager(request)
    return TemplateResponse(request, "quizzes/admin/export.html", {"categories": QuestionCategory.objects.all()})


@hooks.register("register_admin_urls")
def register_urls():
    return [
        path("quizzes/import/", import_view, name="quizzes_import"),
        path("quizzes/export/", export_index, name="quizzes_export"),
        path("quizzes/import/template/", template_view, name="quizzes_import_template"),
        path("quizzes/export/<int:category_id>/", export_view, name="quizzes_export_category"),
        path("quizzes/export/<int:category_id>/<str:fmt>/", export_view, name="quizzes_export_category_format"),
    ]


class ManagerMenuItem(MenuItem):
    def is_shown(self, request):
        return permissions.can_manage_quizzes(request.user)


@hooks.register("register_admin_menu_item")
def import_menu_item():
    return ManagerMenuItem(gettext_lazy("Import questions"), reverse("quizzes_import"), icon_name="upload", order=251)


@hooks.register("register_admin_menu_item")
def export_menu_item():
    return ManagerMenuItem(gettext_lazy("Export questions"), reverse("quizzes_export"), icon_name="download", order=252)




@hooks.register("after_create_snippet")
@hooks.register("after_edit_snippet")
def warn_when_answers_help_retries(request, instance):
    """A visible warning, not a refusal: the quiz is saved as the trainer asked."""
    if isinstance(instance, Quiz) and answers_help_retries(instance):
        messages.warning(
            request,
            _(
                "“%(quiz)s” shows the right answers right after each attempt while retries remain, and a retry asks "
                "the same questions: a trainee can pass by copying the answers. Consider “Score right away; answers "
                "after the last allowed attempt”, one attempt, or drawing questions from a larger category."
            )
            % {"quiz": instance.title},
        )
