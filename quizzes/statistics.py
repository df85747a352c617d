"""Item analysis of a quiz, after Moodle's quiz statistics.

For each question, over every submitted attempt that contained it:
- facility index: mean credit earned, in % (how easy the question is);
- standard deviation of the credit, in %;
- discrimination index: the correlation, in %, between the credit on this question and the score on
  the rest of the attempt (Moodle's definition). Good questions discriminate (≥ 30); a negative index
  means stronger trainees do worse on it: usually a wrong key or an ambiguous stem.
Figures from fewer than RELIABLE_ATTEMPTS attempts are shown with a warning.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from .models import Attempt, AttemptStatus, Question, Quiz, Response

RELIABLE_ATTEMPTS = 20


@dataclass
class ItemStats:
    question: Question
    attempts: int
    facility: float | None
    sd: float | None
    discrimination: float | None
    flags: list[str] = field(default_factory=list)

    @property
    def broken(self) -> bool:
        return bool(self.flags)


@dataclass
class QuizStats:
    attempts: int
    mean_percent: float | None
    median_percent: float | None
    items: list[ItemStats]

    @property
    def reliable(self) -> bool:
        return self.attempts >= RELIABLE_ATTEMPTS


def _mean(values: list[float]) -> float:
    return sum(values) / len(values)


def _sd(values: list[float]) -> float:
    if len(values) < 2:
        return 0.0
    mean = _mean(values)
    return math.sqrt(sum((v - mean) ** 2 for v in values) / (len(values) - 1))


def _correlation(xs: list[float], ys: list[float]) -> float | None:
    if len(xs) < 2:
        return None
    mx, my = _mean(xs), _mean(ys)
    sxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True))
    sxx = sum((x - mx) ** 2 for x in xs)
    syy = sum((y - my) ** 2 for y in ys)
    if sxx == 0 or syy == 0:
        return None
    return sxy / math.sqrt(sxx * syy)


def _flags(facility: float, discrimination: float | None) -> list[str]:
    flags = []
    if discrimination is not None and discrimination < 0:
        flags.append(_("Negative discrimination: stronger trainees do worse. Check the right answer and the wording."))
    elif discrimination is not None and discrimination < 15:
        flags.append(_("Weak discrimination: the question hardly separates strong from weak trainees."))
    if facility < 10:
        flags.append(_("Very hard: almost nobody gets it right. Check the right answer."))
    elif facility > 95:
        flags.append(_("Very easy: almost everybody gets it right."))
    return flags


def quiz_statistics(*, quiz: Quiz) -> QuizStats:
    """Item analysis of `quiz` over all submitted attempts: three queries."""
    attempts = {
        a.pk: a for a in Attempt.objects.filter(quiz=quiz, status=AttemptStatus.SUBMITTED).only("pk", "score", "percent", "max_score")
    }
    per_question: dict[int, list[tuple[float, float, float]]] = {}
    rows = Response.objects.filter(attempt_id__in=attempts).values_list("attempt_id", "question_id", "score", "fraction")
    for attempt_id, question_id, score, fraction in rows:
        attempt = attempts[attempt_id]
        rest = float((attempt.score or Decimal("0")) - (score or Decimal("0")))
        per_question.setdefault(question_id, []).append((float(fraction or 0), rest, float(score or 0)))
    questions = Question.objects.in_bulk(list(per_question))
    items = []
    for question_id, values in per_question.items():
        credits = [v[0] for v in values]
        facility = 100 * _mean(credits)
        correlation = _correlation(credits, [v[1] for v in values])
        discrimination = None if correlation is None else 100 * correlation
        items.append(
            ItemStats(
                question=questions[question_id],
                attempts=len(values),
                facility=facility,
                sd=100 * _sd(credits),
                discrimination=discrimination,
                flags=_flags(facility, discrimination) if len(values) >= 2 else [],
            )
        )
    items.sort(key=lambda item: (item.question.category_id, item.question.pk))
    percents = sorted(float(a.percent) for a in attempts.values() if a.percent is not None)
    median = None
    if percents:
        mid = len(percents) // 2
        median = percents[mid] if len(percents) % 2 else (percents[mid - 1] + percents[mid]) / 2
    return QuizStats(
        attempts=len(attempts), mean_percent=_mean(percents) if percents else None, median_percent=median, items=items
    )
