"""A quiz's question content, built once per quiz version and shared by every start and attempt page.

In an exam storm hundreds of trainees start the same quiz within a second; each needs the same slots,
draw pools, questions and options, only in their own order. Reading them costs four queries and
~130 model objects per start; here they are read once per quiz version and kept in this process and
in the shared cache (Redis in production), keyed by `Quiz.content_version`, which comes with the quiz
row the view loads anyway, so no query is spent to learn whether the copy is still good.

Any save or delete of a question, option, category or slot bumps the versions (signals connected in
apps.py: cache purge is what signals are for here); bulk writes that bypass signals (the question
import) call `bank_changed()` themselves.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models import F, Q

from .models import Choice, Question, Quiz

CACHE_SECONDS = 6 * 3600
LOCAL_ENTRIES = 32  # quiz versions kept in this process


@dataclass
class Slot:
    question_id: int | None
    category_path: str
    include_subcategories: bool
    draw_count: int


@dataclass
class QuizContent:
    """Everything a start or an attempt page needs from the bank, in the stored order."""

    slots: list[Slot]
    pool: list[tuple[int, str]] = field(default_factory=list)  # (question id, category path), active, for draws
    questions: dict[int, Question] = field(default_factory=dict)
    choices: dict[int, list[Choice]] = field(default_factory=dict)  # by question, in sort order


_local: OrderedDict[tuple, QuizContent] = OrderedDict()
_lock = threading.Lock()


def _identity(quiz: Quiz) -> tuple:
    # The creation time too: a database restored or rebuilt (tests) can hand out the same id again.
    return (quiz.pk, quiz.created_at.timestamp() if quiz.created_at else 0, quiz.content_version)


def content_identity(quiz: Quiz) -> tuple:
    """What names this version of the quiz's content: a key for anything derived from it."""
    return _identity(quiz)


def _key(quiz: Quiz) -> str:
    pk, created, version = _identity(quiz)
    return f"quizzes:content:{pk}:{created}:{version}"


def build_content(quiz: Quiz) -> QuizContent:
    """Four queries: slots, the draw pools, questions, options."""
    slots = list(quiz.slots.select_related("category").order_by("sort_order", "pk"))
    content = QuizContent(
        slots=[
            Slot(s.question_id, s.category.path if s.category_id else "", s.include_subcategories, s.draw_count) for s in slots
        ]
    )
    ids = {s.question_id for s in slots if s.question_id}
    draws = [s for s in slots if s.category_id]
    if draws:
        match = Q()
        for slot in draws:
            match |= slot.category.subtree_q() if slot.include_subcategories else Q(category_id=slot.category_id)
        content.pool = list(Question.objects.filter(match, is_active=True).order_by("pk").values_list("pk", "category__path"))
        ids.update(pk for pk, _path in content.pool)
    content.questions = {q.pk: q for q in Question.objects.filter(pk__in=ids)}
    for choice in Choice.objects.filter(question_id__in=ids).order_by("sort_order", "pk"):
        content.choices.setdefault(choice.question_id, []).append(choice)
    return content


def quiz_content(quiz: Quiz) -> QuizContent:
    """The content of `quiz` at its current version: from this process, the shared cache, or built."""
    local_key = _identity(quiz)
    with _lock:
        content = _local.get(local_key)
        if content is not None:
            _local.move_to_end(local_key)
            return content
    content = cache.get(_key(quiz))
    if content is None:
        content = build_content(quiz)
        cache.set(_key(quiz), content, CACHE_SECONDS)
    with _lock:
        _local[local_key] = content
        while len(_local) > LOCAL_ENTRIES:
            _local.popitem(last=False)
    return content


def bank_changed() -> None:
    """A question, option or category changed: every quiz's content gets a new version.

    One UPDATE over the quizzes (tens of rows): which quizzes can draw a question depends on category
    paths and subcategory flags, and working that out would cost more than bumping them all.
    """
    Quiz.objects.update(content_version=F("content_version") + 1)


def quiz_changed(quiz_id: int) -> None:
    Quiz.objects.filter(pk=quiz_id).update(content_version=F("content_version") + 1)


def on_bank_change(sender, **kwargs) -> None:
    if kwargs.get("raw"):
        return  # loaddata
    bank_changed()


def on_slot_change(sender, instance, **kwargs) -> None:
    if kwargs.get("raw") or not instance.quiz_id:
        return
    quiz_changed(instance.quiz_id)


def on_quiz_saved(sender, instance, **kwargs) -> None:
    # A quiz saved from a form loaded before a bank edit would write its old version back.
    if kwargs.get("raw") or kwargs.get("created"):
        return
    quiz_changed(instance.pk)
