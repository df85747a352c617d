"""Builders for exam sittings in tests."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from exams import services
from exams.models import ExamSitting
from tests.quizzes.factories import question, quiz


def exam_quiz(n: int = 2, **rules):
    return quiz([question(name=f"题{i}", stem=f"<p>考题{i}</p>", explanation=f"<p>解析{i}</p>") for i in range(n)], **rules)


def sitting(
    *, actor, teams=(), people=(), quiz_=None, opens_in=timedelta(minutes=-1), length=timedelta(hours=1), entry=None, **fields
):
    now = timezone.now()
    opens = now + opens_in
    s = ExamSitting(
        quiz=quiz_ or exam_quiz(),
        title=fields.pop("title", "站长资格考试"),
        opens_at=opens,
        closes_at=opens + length,
        latest_entry_at=opens + entry if entry is not None else None,
        **fields,
    )
    return services.schedule_sitting(actor=actor, sitting=s, teams=teams, people=people)
