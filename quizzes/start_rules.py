"""A seam for "may this person start a new attempt at this quiz outside any other app's rules?".

An app that runs a quiz under its own rules (exams: a sitting, with make-ups for those who fail) registers a
rule at start-up; `begin_attempt` asks the rules before it creates a new attempt (resuming an unfinished one is
never refused). A rule returns a refusal message, or None when the start is not its business. The quizzes app
imports none of them.
"""

from __future__ import annotations

from collections.abc import Callable

StartRule = Callable[..., "str | None"]
_rules: list[StartRule] = []


def register_start_rule(rule: StartRule) -> StartRule:
    if rule not in _rules:
        _rules.append(rule)
    return rule


def refusal(*, quiz, user) -> str | None:
    for rule in list(_rules):
        message = rule(quiz=quiz, user=user)
        if message:
            return message
    return None
