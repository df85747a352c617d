from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoursesConfig(AppConfig):
    name = "courses"
    verbose_name = _("Courses")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from lms import progress

        from . import completion, services, task_requirements
        from .quiz_requirements import quiz_requirements

        progress.register(services.refresh_user_completions)
        _forget_rendered_bodies_on_change()
        _forget_outlines_on_change()
        completion.register_requirement_provider(quiz_requirements)
        completion.register_requirement_provider(task_requirements.task_requirements)


def _forget_rendered_bodies_on_change() -> None:
    """Lesson bodies are cached as HTML (courses/lesson_body.py): a change to anything a body shows clears them."""
    from django.db.models.signals import post_delete, post_save
    from wagtail.signals import page_published, page_unpublished, post_page_move

    from .lesson_body import forget_rendered_bodies

    shown = _models_a_body_shows()

    def changed(sender, **kwargs):
        if issubclass(sender, shown):
            forget_rendered_bodies()

    def rendition_deleted(sender, **kwargs):
        from wagtail.images.models import AbstractRendition

        # A new rendition changes no HTML already rendered; a deleted one leaves it pointing at a missing file.
        if issubclass(sender, AbstractRendition):
            forget_rendered_bodies()

    post_save.connect(changed, weak=False, dispatch_uid="courses_lesson_body_saved")
    post_delete.connect(changed, weak=False, dispatch_uid="courses_lesson_body_deleted")
    post_delete.connect(rendition_deleted, weak=False, dispatch_uid="courses_lesson_body_rendition_deleted")
    for signal in (page_published, page_unpublished, post_page_move):
        signal.connect(forget_rendered_bodies, weak=False, dispatch_uid=f"courses_lesson_body_{id(signal)}")


def _forget_outlines_on_change() -> None:
    """Course outlines are cached (courses/outline_cache.py): a change to a page, a site, a view restriction,
    a quiz, its slots or a task gives fresh ones."""
    from django.db.models.signals import m2m_changed, post_delete, post_save
    from wagtail.models import Page, PageViewRestriction, Site
    from wagtail.signals import page_published, page_unpublished, post_page_move

    from quizzes.models import PracticalTask, Quiz, QuizSlot

    from .outline_cache import forget_outlines

    shown = (Page, Site, PageViewRestriction, Quiz, QuizSlot, PracticalTask)

    def changed(sender, **kwargs):
        if issubclass(sender, shown):
            forget_outlines()

    def groups_changed(sender, **kwargs):
        forget_outlines()

    # A restriction's groups are set after it is saved: no post_save then.
    m2m_changed.connect(
        groups_changed, sender=PageViewRestriction.groups.through, weak=False, dispatch_uid="courses_outline_restriction_groups"
    )
    post_save.connect(changed, weak=False, dispatch_uid="courses_outline_saved")
    post_delete.connect(changed, weak=False, dispatch_uid="courses_outline_deleted")
    for signal in (page_published, page_unpublished, post_page_move):
        signal.connect(forget_outlines, weak=False, dispatch_uid=f"courses_outline_{id(signal)}")


def _models_a_body_shows() -> tuple:
    """Pages (links and their URLs), sites (URLs), images, documents and embeds."""
    from wagtail.documents.models import AbstractDocument
    from wagtail.embeds.models import Embed
    from wagtail.images.models import AbstractImage
    from wagtail.models import Page, Site

    return (Page, Site, AbstractImage, AbstractDocument, Embed)
