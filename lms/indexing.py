"""Wagtail's reference and search index, updated in bulk while loading many objects at once."""

from __future__ import annotations

from contextlib import contextmanager

from django.db.models.signals import post_save


@contextmanager
def index_updates_in_bulk():
    """Inside: saving a page or snippet queues nothing; on leaving, each object saved is indexed once, here.

    Wagtail queues a reference-index task and a search-index task for every save. Loading the demo
    saved the same pages over and over and left 2,329 such tasks, which kept the worker busy for most
    of a minute after the site said it was serving. Here the saves are only noted, and each object is
    indexed once at the end with Wagtail's own task code, run inline.
    """
    from modelsearch import index as search_index
    from modelsearch.signal_handlers import post_save_signal_handler
    from modelsearch.tasks import insert_or_update_object_task
    from wagtail.models import ReferenceIndex
    from wagtail.signal_handlers import disable_reference_index_auto_update
    from wagtail.tasks import update_reference_index_task

    searchable = {model for model in search_index.get_indexed_models() if getattr(model, "search_auto_update", True)}
    referencing = set(ReferenceIndex.tracked_models)
    saved: dict[tuple[type, object], None] = {}  # an ordered set: index in the order things were made

    def note(sender, instance, raw=False, **kwargs):
        if not raw and (sender in searchable or sender in referencing):
            saved[(sender, instance.pk)] = None

    for model in searchable:
        post_save.disconnect(post_save_signal_handler, sender=model)
    post_save.connect(note, dispatch_uid="lms.indexing.note", weak=False)
    try:
        with disable_reference_index_auto_update():
            yield
    finally:
        post_save.disconnect(dispatch_uid="lms.indexing.note")
        for model in searchable:
            post_save.connect(post_save_signal_handler, sender=model)
    for model, pk in saved:
        if not model._default_manager.filter(pk=pk).exists():
            continue  # saved, then deleted while seeding
        label = (model._meta.app_label, model._meta.model_name, str(pk))
        if model in searchable:
            insert_or_update_object_task.call(*label)
        if model in referencing:
            update_reference_index_task.call(*label)


def queued_task_count() -> int | None:
    """Tasks waiting for the worker, when tasks go through the database (None with another backend)."""
    from django_tasks import task_backends

    if type(task_backends["default"]).__module__.split(".")[0] != "django_tasks_db":
        return None
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.ready().count()
