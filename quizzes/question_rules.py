"""What makes a question well-formed, checked the same way for the admin form and the importers."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _

from .models.bank import QuestionType

# More options than anyone reads in an exam; a file with 500 answers to one question is refused, not stored.
MAX_OPTIONS = 26


def check_question(*, qtype: str, choices: list[tuple[str, Decimal]]) -> list[str]:
    """Problems with a question of `qtype` whose options are (text, weight %) pairs; empty when fine."""
    problems: list[str] = []
    weights = [Decimal(w) for _t, w in choices]
    if len(choices) > MAX_OPTIONS:
        problems.append(_("A question can have at most %(max)d options (this one has %(n)d).") % {"max": MAX_OPTIONS, "n": len(choices)})
        return problems
    if any(not (text or "").strip() for text, _w in choices):
        problems.append(_("Every option needs a text."))
    if qtype in (QuestionType.SINGLE, QuestionType.TRUE_FALSE):
        if len(choices) < 2:
            problems.append(_("A choice question needs at least two options."))
        if not any(w == 100 for w in weights):
            problems.append(_("One option must have weight 100 (the right answer)."))
        # Moodle takes a negative single-choice mark off the quiz total; our total never goes below a
        # question's 0, so such a weight would silently mean 0. Refused instead, with the way out.
        if any(w < 0 for w in weights):
            problems.append(_("A single-choice option cannot have a negative weight: give wrong options 0, or make it a multiple-choice question."))
        if qtype == QuestionType.TRUE_FALSE and len(choices) != 2:
            problems.append(_("A true/false question has exactly two options."))
    elif qtype == QuestionType.MULTIPLE:
        if len(choices) < 2:
            problems.append(_("A choice question needs at least two options."))
        positive = sum((w for w in weights if w > 0), Decimal("0"))
        if abs(positive - 100) > Decimal("0.1"):
            problems.append(_("The positive weights of a multiple-choice question must add up to 100 (now %(sum)s).") % {"sum": positive.normalize()})
    elif qtype == QuestionType.SHORT:
        if not any(w == 100 for w in weights):
            problems.append(_("At least one accepted answer must have weight 100."))
        if any(w < 0 for w in weights):
            problems.append(_("Accepted answers cannot have negative weights."))
    elif qtype == QuestionType.ORDERING:
        if len(choices) < 2:
            problems.append(_("An ordering question needs at least two items."))
    return problems
