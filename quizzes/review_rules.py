"""A seam for "who else decides when a trainee sees the right answers of an attempt".

An app that runs attempts under its own rules (exams: a sitting's review policy) registers a rule at
start-up; `answers_visible` asks the rules before the quiz's own policy. A rule returns True or False
when the attempt is its business, None otherwise. The quizzes app imports none of them.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

ReviewRule = Callable[..., "bool | None"]
_rules: list[ReviewRule] = []


def register_review_rule(rule: ReviewRule) -> ReviewRule:
    if rule not in _rules:
        _rules.append(rule)
    return rule


def verdict(*, attempt, now: datetime) -> bool | None:
    """The first rule's answer for the trainee's own finished `attempt`, or None when no rule decides."""
    for rule in list(_rules):
        answer = rule(attempt=attempt, now=now)
        if answer is not None:
            return answer
    return None
