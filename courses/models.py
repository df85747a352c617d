"""Courses as Wagtail pages (catalogue → course → lesson), and each trainee's enrolment and progress."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from lms.fields import SafeRichTextField
from lms.models import OneQueryViewRestrictions

from .blocks import LessonBodyBlock


class CourseIndexPage(OneQueryViewRestrictions, Page):
    """The course catalogue (课程目录): lists the published courses under it."""

    intro = SafeRichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["lms.HomePage", "wagtailcore.Page"]
    subpage_types = ["courses.CoursePage"]
    template = "courses/course_index_page.html"

    class Meta:
        verbose_name = _("course catalogue")

    def courses(self):
        return CoursePage.objects.child_of(self).live().public().select_related("cover_image").order_by("path")

    def get_context(self, request, *args, **kwargs):
        from .selectors import catalogue_progress

        context = super().get_context(request, *args, **kwargs)
        courses = list(self.courses())
        progress = catalogue_progress(user=request.user, courses=courses)
        context["entries"] = [progress[course.pk] for course in courses]
        return context


class CoursePage(OneQueryViewRestrictions, Page):
    """A course (课程): a summary, a cover, and its lessons as ordered child pages."""

    summary = models.TextField(_("summary"), max_length=500, help_text=_("One or two sentences shown in the catalogue."))
    description = SafeRichTextField(_("description"), blank=True, features=["h3", "bold", "italic", "link", "ol", "ul"])
    cover_image = models.ForeignKey(
        "wagtailimages.Image", verbose_name=_("cover image"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    estimated_hours = models.DecimalField(
        _("estimated hours"),
        max_digits=4,
        decimal_places=1,
        default=1,
        validators=[MinValueValidator(0), MaxValueValidator(999)],
    )
    audience = models.CharField(
        _("audience"), max_length=200, blank=True, help_text=_("Who this course is for, e.g. 区县网站管理员")
    )

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        FieldPanel("description"),
        FieldPanel("cover_image"),
        FieldPanel("estimated_hours"),
        FieldPanel("audience"),
    ]
    search_fields = Page.search_fields + [index.SearchField("summary"), index.SearchField("description")]
    parent_page_types = ["courses.CourseIndexPage"]
    subpage_types = ["courses.LessonPage"]
    template = "courses/course_page.html"

    class Meta:
        verbose_name = _("course")

    def lessons(self):
        """The published lessons in the order the trainer arranged them in the page tree."""
        return LessonPage.objects.child_of(self).live().order_by("path")

    def get_context(self, request, *args, **kwargs):
        from .selectors import outline_for_request

        context = super().get_context(request, *args, **kwargs)
        context["outline"] = outline_for_request(request=request, course=self)
        return context


class LessonPage(OneQueryViewRestrictions, Page):
    """A lesson (课时): a StreamField body the trainee reads and marks as done."""

    intro = models.TextField(
        _("lesson goal"), blank=True, max_length=500, help_text=_("What the trainee will be able to do afterwards.")
    )
    body = StreamField(LessonBodyBlock(), verbose_name=_("body"), blank=True)
    is_required = models.BooleanField(
        _("required"), default=True, help_text=_("Required lessons count towards course completion.")
    )
    estimated_minutes = models.PositiveIntegerField(_("estimated minutes"), default=15)

    content_panels = Page.content_panels + [
        FieldPanel("intro"),
        FieldPanel("body"),
        FieldPanel("is_required"),
        FieldPanel("estimated_minutes"),
    ]
    search_fields = Page.search_fields + [index.SearchField("intro"), index.SearchField("body")]
    parent_page_types = ["courses.CoursePage"]
    subpage_types = []
    template = "courses/lesson_page.html"

    class Meta:
        verbose_name = _("lesson")

    def remember_url_parts(self) -> None:
        """Work out this lesson's URL now and keep it with the instance, for a copy kept in the course outline
        cache: an outline links every lesson of its course, and Wagtail would reverse each one's URL on every page
        view. The cache is cleared whenever a page or a site changes (courses/apps.py), so the URL cannot go stale.
        Only for a lesson under exactly one site: otherwise Wagtail picks among the sites by the request."""
        from wagtail.models import Site

        if len({root.site_id for root in Site.get_site_root_paths() if self.url_path.startswith(root.root_path)}) == 1:
            self._remembered_url_parts = super().get_url_parts()

    def get_url_parts(self, request=None):
        remembered = self.__dict__.get("_remembered_url_parts")
        return remembered if remembered is not None else super().get_url_parts(request)

    def serve(self, request, *args, **kwargs):
        # Lessons are for signed-in learners; the catalogue and course summaries stay public.
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return super().serve(request, *args, **kwargs)

    def get_context(self, request, *args, **kwargs):
        from lms.request_cache import read_ahead

        from .lesson_body import body_keys, body_parts
        from .outline_cache import course_keys
        from .selectors import lesson_context
        from .services import record_lesson_visit, visit_key

        context = super().get_context(request, *args, **kwargs)
        # The course's own fields (summary, cover…) are not shown here: its page row is enough, no query for them.
        course = self.get_parent().specific_deferred
        preview = getattr(request, "is_preview", False)
        track = request.user.is_authenticated and not preview
        if not preview:
            # What the outline, the body and the visit marker will ask the cache for: in one round trip.
            visit = [visit_key(user=request.user, lesson=self)] if track else []
            read_ahead([*course_keys(course.path), *body_keys(self), *visit])
        if track:
            record_lesson_visit(user=request.user, lesson=self, course=course)
        context.update(lesson_context(user=request.user, lesson=self, course=course, request=request))
        # A preview shows a draft: rendered afresh, never cached.
        context["body_parts"] = body_parts(self, use_cache=not preview)
        return context


class Enrollment(models.Model):
    """A trainee's place in a course, with where they left off and when they completed it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enrollments", verbose_name=_("trainee")
    )
    course = models.ForeignKey(CoursePage, on_delete=models.CASCADE, related_name="enrollments", verbose_name=_("course"))
    enrolled_at = models.DateTimeField(_("enrolled"), auto_now_add=True)
    enrolled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("enrolled by"),
    )
    last_lesson = models.ForeignKey(
        LessonPage, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("last lesson")
    )
    last_activity_at = models.DateTimeField(_("last activity"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True, db_index=True)

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        constraints = [models.UniqueConstraint(fields=["user", "course"], name="courses_enrollment_unique")]
        indexes = [models.Index(fields=["user", "-last_activity_at"])]

    def __str__(self) -> str:
        return f"{self.user} · {self.course}"


class LessonProgress(models.Model):
    """That a trainee finished a lesson (marked it as done)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="lesson_progress", verbose_name=_("trainee")
    )
    lesson = models.ForeignKey(LessonPage, on_delete=models.CASCADE, related_name="progress", verbose_name=_("lesson"))
    completed_at = models.DateTimeField(_("completed"), auto_now_add=True)

    class Meta:
        verbose_name = _("lesson progress")
        verbose_name_plural = _("lesson progress")
        constraints = [models.UniqueConstraint(fields=["user", "lesson"], name="courses_lessonprogress_unique")]

    def __str__(self) -> str:
        return f"{self.user} ✓ {self.lesson}"
