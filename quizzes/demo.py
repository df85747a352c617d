"""Demo quizzes for `manage.py seed_demo`: one per demo course (questions in quizzes/demo_content.py)
and attempts by the demo trainees, so results and the item analysis show real figures. Idempotent."""

from __future__ import annotations

import random
from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from lms.models import Role, User

from . import services
from .demo_content import QUIZZES
from .importing import ensure_category
from .models import Choice, Question, Quiz, QuizSlot, ReviewPolicy
from .question_rules import check_question

PASS_MARK = 70
WRONG_TEXTS = ["不知道", "显示", "CMYK", "5", "删除", "集体"]


def _choices(qtype: str, options) -> list[tuple[str, Decimal, str]]:
    if qtype == "truefalse":
        return [("正确", Decimal(100 if options else 0), ""), ("错误", Decimal(0 if options else 100), "")]
    if qtype == "short":
        return [(text, Decimal(100), "") for text in options]
    if qtype == "ordering":
        return [(text, Decimal(0), "") for text in options]
    return [(text, Decimal(str(weight)), "") for text, weight in options]


@transaction.atomic
def ensure_quizzes() -> dict[str, Quiz]:
    """The demo quizzes by course slug, created with their questions when missing."""
    result = {}
    for slug, spec in QUIZZES.items():
        quiz = Quiz.objects.filter(title=spec["title"]).first()
        if quiz is None:
            category = ensure_category(spec["category"])
            quiz = Quiz.objects.create(
                title=spec["title"], instructions=spec["instructions"], pass_mark=PASS_MARK, time_limit_minutes=20,
                max_attempts=3, shuffle_questions=True, shuffle_choices=True,
                # Fixed questions and three attempts: answers shown after a failed one would pass the next.
                review_policy=ReviewPolicy.AFTER_LAST_ATTEMPT,
            )
            for order, (qtype, name, stem, options, explanation) in enumerate(spec["questions"]):
                choices = _choices(qtype, options)
                problems = check_question(qtype=qtype, choices=[(t, w) for t, w, _f in choices])
                assert not problems, (name, problems)
                question = Question.objects.create(
                    category=category, qtype=qtype, name=name, stem=f"<p>{stem}</p>", explanation=f"<p>{explanation}</p>"
                )
                Choice.objects.bulk_create(
                    Choice(question=question, text=t, fraction=w, feedback=f, sort_order=i) for i, (t, w, f) in enumerate(choices)
                )
                QuizSlot.objects.create(quiz=quiz, question=question, sort_order=order)
        result[slug] = quiz
    return result


def _answer(item: dict, question: Question, right: bool, rng: random.Random) -> dict:
    choices = sorted(question.choices.all(), key=lambda c: (c.sort_order, c.pk))
    if question.qtype == "short":
        if right:
            text = choices[0].text
            return {"text": text.upper() if rng.random() < 0.5 else text}
        return {"text": rng.choice(WRONG_TEXTS)}
    if question.qtype == "ordering":
        order = [c.pk for c in choices]
        if not right:
            i = rng.randrange(len(order) - 1)
            order[i], order[i + 1] = order[i + 1], order[i]
        return {"order": order}
    good = [c.pk for c in choices if c.fraction > 0]
    bad = [c.pk for c in choices if c.fraction <= 0]
    if question.qtype == "multiple":
        if right:
            return {"choices": good}
        partial = rng.sample(good, max(1, len(good) - 1))
        return {"choices": partial + ([rng.choice(bad)] if rng.random() < 0.5 else [])}
    return {"choices": [good[0]] if right else [rng.choice(bad)]}


def _take(quiz: Quiz, user: User, ability: float, difficulty: dict[int, float], when, rng: random.Random):
    attempt = services.start_attempt(quiz=quiz, user=user, now=when)
    questions = {q.pk: q for q in Question.objects.filter(pk__in=attempt.question_ids()).prefetch_related("choices")}
    answers = {}
    for item in attempt.layout:
        question = questions[item["q"]]
        if rng.random() < 0.03:
            continue  # left blank
        answers[question.pk] = _answer(item, question, rng.random() < ability - difficulty[question.pk], rng)
    return services.submit_attempt(attempt=attempt, user=user, answers=answers, now=when + timedelta(minutes=rng.randint(7, 18)))


def _attempts(quiz: Quiz, trainees: list[User], seed: int) -> int:
    rng = random.Random(seed)
    question_ids = list(quiz.slots.values_list("question_id", flat=True))
    # Most questions are easy for someone who read the lessons; a few are harder.
    difficulty = {pk: rng.choice([0.0, 0.0, 0.05, 0.1, 0.15, 0.25]) for pk in question_ids}
    now = timezone.now()
    taken = 0
    for index, user in enumerate(trainees):
        ability = rng.uniform(0.4, 1.05)
        when = (now - timedelta(days=rng.randint(3, 40))).replace(hour=9 + index % 8, minute=rng.randint(0, 59))
        attempt = _take(quiz, user, ability, difficulty, when, rng)
        taken += 1
        if not attempt.passed and rng.random() < 0.7:
            _take(quiz, user, min(1.0, ability + 0.2), difficulty, when + timedelta(days=rng.randint(1, 3)), rng)
            taken += 1
    return taken


def seed(stdout=None) -> None:
    quizzes = ensure_quizzes()
    trainees = list(User.objects.filter(memberships__role=Role.TRAINEE).order_by("pk"))
    taken = 0
    for number, quiz in enumerate(quizzes.values()):
        if quiz.attempts.exists() or not trainees:
            continue
        # Different trainees for each quiz, about two thirds of them, so the analysis has 20+ attempts.
        offset = number * 7 % len(trainees)
        group = (trainees[offset:] + trainees[:offset])[: max(1, len(trainees) * 2 // 3)]
        taken += _attempts(quiz, group, seed=2026 + number)
    if stdout:
        stdout.write(f"quizzes: {len(quizzes)} quizzes, {Question.objects.count()} questions, {taken} new demo attempts")
