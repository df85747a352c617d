"""When a trainee may see the right answers and feedback of their own submitted attempt.

The quiz's review policy decides first. Other apps add their own rule through a gate, without this
app importing them: the exams app says "not until the sitting closes" for an attempt made in a sitting.

    from quizzes.review import register_review_gate
    register_review_gate(lambda attempt, *, now: False if sitting_still_open(attempt, now) else None)

A gate answers False (withhold, whatever the policy says), True (show, even if the policy would not:
e.g. the sitting closed) or None (no opinion). Any False wins over any True.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from django.utils import timezone

from .models import Attempt, ReviewPolicy

# gate(attempt, *, now) -> True | False | None; `now` is the moment asked about (a test may pass a later one).
ReviewGate = Callable[..., "bool | None"]
_gates: list[ReviewGate] = []


def register_review_gate(gate: ReviewGate) -> ReviewGate:
    """Add a gate (idempotent: registering the same function twice keeps one). Usable as a decorator."""
    if gate not in _gates:
        _gates.append(gate)
    return gate


def unregister_review_gate(gate: ReviewGate) -> None:
    if gate in _gates:
        _gates.remove(gate)


def policy_allows(attempt: Attempt, *, used: int, now: datetime) -> bool:
    """What the quiz's own policy says for a submitted attempt, `used` being the trainee's attempt count."""
    quiz = attempt.quiz
    closed = quiz.closes_at is not None and now >= quiz.closes_at
    policy = quiz.review_policy
    if policy == ReviewPolicy.IMMEDIATELY:
        return True
    if policy == ReviewPolicy.AFTER_CLOSE:
        return closed
    if policy == ReviewPolicy.AFTER_LAST_ATTEMPT:
        return closed or bool(quiz.max_attempts and used >= quiz.max_attempts)
    return False


def trainee_may_review(attempt: Attempt, *, used: int, now: datetime | None = None) -> bool:
    """The policy, then the gates, for the trainee's own submitted attempt."""
    if not attempt.is_finished:
        return False
    now = now or timezone.now()
    allowed = policy_allows(attempt, used=used, now=now)
    verdicts = [gate(attempt, now=now) for gate in _gates]
    if any(verdict is False for verdict in verdicts):
        return False
    return allowed or any(verdict is True for verdict in verdicts)


def answers_help_retries(quiz) -> bool:
    """True when the quiz shows right answers right after an attempt while retries remain and a retry
    asks the same questions (a fixed question, or a draw from a category with no more questions than
    it draws). The admin warns the trainer who saves such a quiz; it does not refuse it (a practice quiz
    may want exactly that)."""
    from django.db.models import Q

    from .models import Question

    if quiz.review_policy != ReviewPolicy.IMMEDIATELY or quiz.max_attempts == 1:
        return False
    for slot in quiz.slots.select_related("category"):
        if slot.question_id:
            return True
        match = slot.category.subtree_q() if slot.include_subcategories else Q(category_id=slot.category_id)
        if Question.objects.filter(match, is_active=True).count() <= slot.draw_count:
            return True
    return False
