"""Builders for question banks and quizzes in tests."""

from __future__ import annotations

from decimal import Decimal

from quizzes.importing import ensure_category
from quizzes.models import Choice, Question, Quiz, QuizSlot


def question(category=None, *, qtype="single", name="题目", stem="<p>题目</p>", options=None, points="1", explanation=""):
    """`options`: [(text, weight %, feedback)] in the stored order."""
    category = category or ensure_category("测试/题库")
    if options is None:
        options = [("对的", 100, "很好"), ("错的", 0, "再想想")]
    q = Question.objects.create(category=category, qtype=qtype, name=name, stem=stem, points=Decimal(points), explanation=explanation)
    Choice.objects.bulk_create(
        [Choice(question=q, text=text, fraction=Decimal(str(weight)), feedback=fb, sort_order=i) for i, (text, weight, fb) in enumerate(options)]
    )
    return q


def quiz(questions=(), *, draws=(), **rules):
    """A quiz with fixed `questions` and `draws` = [(category, n)]."""
    defaults = {"title": "结业测验", "pass_mark": 60, "shuffle_questions": False, "shuffle_choices": False}
    defaults.update(rules)
    q = Quiz.objects.create(**defaults)
    order = 0
    for item in questions:
        QuizSlot.objects.create(quiz=q, question=item, sort_order=order)
        order += 1
    for category, n in draws:
        QuizSlot.objects.create(quiz=q, category=category, draw_count=n, sort_order=order)
        order += 1
    return q


def right_answer(q: Question) -> dict:
    choices = list(q.choices.order_by("sort_order", "pk"))
    if q.qtype == "short":
        return {"text": next(c.text for c in choices if c.fraction == 100)}
    if q.qtype == "ordering":
        return {"order": [c.pk for c in choices]}
    return {"choices": [c.pk for c in choices if c.fraction > 0]}


def wrong_answer(q: Question) -> dict:
    choices = list(q.choices.order_by("sort_order", "pk"))
    if q.qtype == "short":
        return {"text": "完全不对的答案"}
    if q.qtype == "ordering":
        return {"order": [c.pk for c in reversed(choices)]}
    return {"choices": [next(c.pk for c in choices if c.fraction <= 0)]}
