"""Demo sittings for `manage.py seed_demo` (idempotent): an exam tomorrow morning for 武陵区 and 鼎城区, and a
sitting that closed yesterday for 汉寿县 and 安乡县 with results (one passed, one failed, one absent per team),
ready for the 创建补考 action in the admin."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from lms.models import CountyTeam, Role, User
from quizzes import services as quiz_services
from quizzes.demo import ensure_quizzes
from quizzes.selectors import full_marks_answers

from . import services
from .models import ExamSitting

CONTACT = "市商务局电子商务科 王老师 0736-7255555"
UPCOMING = "2026年度站长资格考试（武陵区、鼎城区）"
PAST = "2026年度站长资格考试（汉寿县、安乡县）"


def _at(day, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def _schedule(*, actor, quiz, title, teams, opens_at) -> ExamSitting:
    sitting = ExamSitting(
        quiz=quiz,
        title=title,
        opens_at=opens_at,
        latest_entry_at=opens_at + timedelta(minutes=15),
        closes_at=opens_at + timedelta(minutes=90),
        contact=CONTACT,
        focus_loss_limit=3,
    )
    return services.schedule_sitting(actor=actor, sitting=sitting, teams=teams, people=[], now=opens_at - timedelta(days=1))


@transaction.atomic
def seed(stdout=None) -> None:
    bureau = User.objects.filter(username="bureau").first()
    quizzes = ensure_quizzes()
    quiz = quizzes.get("rules-security") or next(iter(quizzes.values()), None)
    if bureau is None or quiz is None:
        return
    today = timezone.localdate()
    created = 0
    if not ExamSitting.objects.filter(title=UPCOMING).exists():
        teams = list(CountyTeam.objects.filter(code__in=["wuling", "dingcheng"]))
        _schedule(actor=bureau, quiz=quiz, title=UPCOMING, teams=teams, opens_at=_at(today + timedelta(days=1), 9))
        created += 1
    if not ExamSitting.objects.filter(title=PAST).exists():
        teams = list(CountyTeam.objects.filter(code__in=["hanshou", "anxiang"]))
        opens = _at(today - timedelta(days=1), 9)
        past = _schedule(actor=bureau, quiz=quiz, title=PAST, teams=teams, opens_at=opens)
        services.open_sitting(sitting=past, now=opens)
        for team in teams:
            trainees = list(
                User.objects.filter(memberships__role=Role.TRAINEE, memberships__team=team, is_active=True).order_by("username")
            )
            # The first passes, the second fails, the third stays away.
            for index, trainee in enumerate(trainees[:2]):
                start = opens + timedelta(minutes=3 + index)
                try:
                    attempt = services.start_sitting_attempt(sitting=past, user=trainee, now=start)
                except services.SittingError:
                    continue
                answers = full_marks_answers(attempt=attempt) if index == 0 else {}
                quiz_services.submit_attempt(attempt=attempt, user=trainee, answers=answers, now=start + timedelta(minutes=8))
        created += 1
    if stdout:
        stdout.write(f"exams: {ExamSitting.objects.count()} sittings ({created} new)")
