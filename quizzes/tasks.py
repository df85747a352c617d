"""Background work of the question bank."""

from django_tasks import task
from wagtail.search.backends import get_search_backends

from .models import Question

BATCH = 500


@task()
def index_questions(question_ids: list[int]) -> None:
    """Search-index imported questions once the import has committed (bulk writes send no post_save,
    so Wagtail's own per-save indexing task does not run for them)."""
    for start in range(0, len(question_ids), BATCH):
        questions = list(Question.objects.filter(pk__in=question_ids[start:start + BATCH]))
        for backend in get_search_backends():
            backend.add_bulk(Question, questions)
