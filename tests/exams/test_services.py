"""Scheduling, opening, starting and make-ups through the services, on a real database."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from exams import selectors, services
from exams.models import ExamInvitation, ExamSitting, SittingAttempt
from exams.signals import makeup_scheduled, sitting_opened, sitting_scheduled
from lms.models import AuditEvent
from lms.services import assign_role
from quizzes import services as quiz_services
from quizzes.selectors import answers_visible
from tests.factories import TeamFactory, UserFactory
from tests.quizzes.factories import right_answer, wrong_answer

from .helpers import exam_quiz, sitting

pytestmark = pytest.mark.django_db


def _answers(attempt, good: bool):
    from quizzes.models import Question

    qs = {q.pk: q for q in Question.objects.filter(pk__in=attempt.question_ids())}
    return {pk: (right_answer if good else wrong_answer)(q) for pk, q in qs.items()}


def test_invitations_come_from_the_roster_at_opening(bureau_admin, team, trainee):
    s = sitting(actor=bureau_admin, teams=[team], opens_in=timedelta(minutes=5))
    joined = UserFactory(role="trainee", team=team)
    leaving = UserFactory(role="trainee", team=team)
    leaving.is_active = False
    leaving.save()
    assert not ExamInvitation.objects.exists()
    assert services.open_sitting(sitting=s) is False  # not yet
    later = s.opens_at + timedelta(seconds=1)
    assert services.open_sitting(sitting=s, now=later) is True
    assert services.open_sitting(sitting=s, now=later) is False  # idempotent
    invited = set(ExamInvitation.objects.filter(sitting=s).values_list("user_id", flat=True))
    assert invited == {trainee.pk, joined.pk}
    assert set(selectors.invitees(s).values_list("pk", flat=True)) == invited
    assert AuditEvent.objects.filter(action="exam.sitting.open", object_id=str(s.pk)).count() == 1


def test_signals_are_sent_after_commit(bureau_admin, team, trainee, django_capture_on_commit_callbacks):
    heard = []
    for signal in (sitting_scheduled, sitting_opened, makeup_scheduled):
        signal.connect(
            lambda sender, sitting, signal=signal, **kw: heard.append((signal, sitting.pk)),
            weak=False,
            dispatch_uid=f"t{id(signal)}",
        )
    try:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            s = sitting(actor=bureau_admin, teams=[team])
        assert heard == []  # nothing before the commit
        for callback in callbacks:
            callback()
        assert heard == [(sitting_scheduled, s.pk)]
        with django_capture_on_commit_callbacks(execute=True):
            services.open_sitting(sitting=s)
        assert heard[-1] == (sitting_opened, s.pk)
    finally:
        for signal in (sitting_scheduled, sitting_opened, makeup_scheduled):
            signal.disconnect(dispatch_uid=f"t{id(signal)}")


def test_selector_sittings_opening_between(bureau_admin, team):
    soon = sitting(actor=bureau_admin, teams=[team], opens_in=timedelta(hours=1))
    sitting(actor=bureau_admin, teams=[team], opens_in=timedelta(days=3))
    now = timezone.now()
    assert list(selectors.sittings_opening_between(now, now + timedelta(days=1))) == [soon]


def test_start_rules_in_chinese(bureau_admin, team, trainee, other_trainee):
    s = sitting(actor=bureau_admin, teams=[team], opens_in=timedelta(minutes=10), entry=timedelta(minutes=15))
    with pytest.raises(services.NotOpenYet, match="考试尚未开始"):
        services.start_sitting_attempt(sitting=s, user=trainee)
    during = s.opens_at + timedelta(minutes=1)
    with pytest.raises(services.NotInvited, match="未受邀"):
        services.start_sitting_attempt(sitting=s, user=other_trainee, now=during)
    late = s.opens_at + timedelta(minutes=16)
    with pytest.raises(services.EntryClosed, match="已过入场时间"):
        services.start_sitting_attempt(sitting=s, user=trainee, now=late)
    with pytest.raises(services.SittingClosed, match="考试已于"):
        services.start_sitting_attempt(sitting=s, user=trainee, now=s.closes_at)
    assert not SittingAttempt.objects.exists()


def test_one_attempt_per_sitting_and_resume(bureau_admin, team, trainee):
    s = sitting(actor=bureau_admin, teams=[team])
    first = services.start_sitting_attempt(sitting=s, user=trainee)
    assert services.start_sitting_attempt(sitting=s, user=trainee) == first  # a second tab resumes
    quiz_services.submit_attempt(attempt=first, user=trainee, answers=_answers(first, good=False))
    with pytest.raises(services.NoAttemptsLeft, match="1 次"):
        services.start_sitting_attempt(sitting=s, user=trainee)
    assert SittingAttempt.objects.count() == 1


def test_deadline_is_capped_at_close_and_late_answers_do_not_count(bureau_admin, team, trainee):
    s = sitting(actor=bureau_admin, teams=[team], quiz_=exam_quiz(time_limit_minutes=600))
    attempt = services.start_sitting_attempt(sitting=s, user=trainee)
    assert attempt.deadline == s.closes_at
    after = s.closes_at + timedelta(minutes=5)
    with pytest.raises(quiz_services.AttemptClosed):
        quiz_services.save_answers(attempt=attempt, answers=_answers(attempt, good=True), now=after)
    attempt.refresh_from_db()
    assert attempt.is_finished and attempt.auto_submitted and attempt.passed is False


def test_sitting_review_policy_hides_answers_until_close(bureau_admin, team, trainee):
    s = sitting(actor=bureau_admin, teams=[team], quiz_=exam_quiz(review_policy="immediately"))
    attempt = services.start_sitting_attempt(sitting=s, user=trainee)
    attempt = quiz_services.submit_attempt(attempt=attempt, user=trainee, answers=_answers(attempt, good=False))
    assert answers_visible(attempt=attempt, viewer=trainee) is False
    assert answers_visible(attempt=attempt, viewer=bureau_admin) is True
    assert answers_visible(attempt=attempt, viewer=trainee, now=s.closes_at) is True


def test_changing_the_quiz_after_opening_is_refused(bureau_admin, team):
    s = sitting(actor=bureau_admin, teams=[team])
    s.quiz = exam_quiz()
    with pytest.raises(ValidationError):
        services.schedule_sitting(actor=bureau_admin, sitting=s, teams=[team], people=[])
    fresh = ExamSitting.objects.get(pk=s.pk)
    fresh.quiz = exam_quiz()
    with pytest.raises(ValidationError):
        fresh.full_clean()
    before = sitting(actor=bureau_admin, teams=[team], opens_in=timedelta(days=1))
    before.quiz = exam_quiz()
    services.schedule_sitting(actor=bureau_admin, sitting=before, teams=[team], people=[])


def test_trainer_schedules_only_supervised_teams(trainer, team, other_team, trainee, other_trainee):
    with pytest.raises(ValidationError) as error:
        sitting(actor=trainer, teams=[team, other_team])
    assert "teams" in error.value.message_dict
    with pytest.raises(ValidationError):
        sitting(actor=trainer, people=[other_trainee])
    with pytest.raises(ValidationError):
        sitting(actor=trainee, teams=[team])
    assert not ExamSitting.objects.exists()
    ok = sitting(actor=trainer, teams=[team], people=[trainee])
    assert AuditEvent.objects.filter(action="exam.sitting.create", object_id=str(ok.pk), actor=trainer).exists()


def test_makeup_invites_exactly_absent_and_failed(bureau_admin, team):
    passer, failer, absent = (UserFactory(role="trainee", team=team) for _ in range(3))
    s = sitting(actor=bureau_admin, teams=[team])
    for person, good in ((passer, True), (failer, False)):
        attempt = services.start_sitting_attempt(sitting=s, user=person)
        quiz_services.submit_attempt(attempt=attempt, user=person, answers=_answers(attempt, good))
    now = timezone.now()
    with pytest.raises(services.SittingError, match="结束后才能安排补考"):
        services.create_makeup(
            actor=bureau_admin, sitting=s, opens_at=now + timedelta(hours=2), closes_at=now + timedelta(hours=3)
        )
    after = s.closes_at + timedelta(minutes=1)
    makeup = services.create_makeup(
        actor=bureau_admin, sitting=s, opens_at=after + timedelta(hours=1), closes_at=after + timedelta(hours=2), now=after
    )
    assert set(makeup.people.values_list("pk", flat=True)) == {failer.pk, absent.pk}
    assert makeup.parent == s and "补考" in makeup.title
    assert AuditEvent.objects.filter(action="exam.makeup.create", object_id=str(makeup.pk)).exists()
    # The failing trainee may not see the answers of the sitting while the make-up is ahead.
    failed_attempt = SittingAttempt.objects.get(invitation__user=failer).attempt
    assert answers_visible(attempt=failed_attempt, viewer=failer, now=after) is False
    # In the make-up: the failer passes, the absent one stays away; a second make-up invites only them.
    during = makeup.opens_at + timedelta(minutes=1)
    attempt = services.start_sitting_attempt(sitting=makeup, user=failer, now=during)
    quiz_services.submit_attempt(attempt=attempt, user=failer, answers=_answers(attempt, True), now=during)
    with pytest.raises(services.NotInvited):
        services.start_sitting_attempt(sitting=makeup, user=passer, now=during)
    later = makeup.closes_at + timedelta(minutes=1)
    second = services.create_makeup(
        actor=bureau_admin, sitting=makeup, opens_at=later + timedelta(hours=1), closes_at=later + timedelta(hours=2), now=later
    )
    assert list(second.people.values_list("pk", flat=True)) == [absent.pk]
    assert second.parent == s


def test_trainer_cannot_make_up_a_sitting_of_other_teams(bureau_admin, trainer, other_team, other_trainee):
    s = sitting(actor=bureau_admin, teams=[other_team])
    after = s.closes_at + timedelta(minutes=1)
    with pytest.raises(services.NotAllowed):
        services.create_makeup(
            actor=trainer, sitting=s, opens_at=after + timedelta(hours=1), closes_at=after + timedelta(hours=2), now=after
        )


def test_deactivated_person_cannot_start(bureau_admin, team, trainee):
    s = sitting(actor=bureau_admin, teams=[team])
    services.open_sitting(sitting=s)
    trainee.is_active = False
    trainee.save()
    with pytest.raises(services.NotInvited):
        services.start_sitting_attempt(sitting=s, user=trainee)


def test_moved_trainee_keeps_invitation_team(bureau_admin, team, other_team, trainee):
    s = sitting(actor=bureau_admin, teams=[team])
    services.open_sitting(sitting=s)
    assign_role(user=trainee, role="trainee", team=other_team)
    assert ExamInvitation.objects.get(sitting=s, user=trainee).team == team
    TeamFactory(code="x")


def test_failing_the_sitting_does_not_open_a_free_retake(bureau_admin, team, trainee, other_trainee):
    """A failed trainee waits for the make-up: the quiz's own retakes (max_attempts 3) are refused to them, while
    someone never invited keeps taking the quiz as before."""
    exam = exam_quiz(max_attempts=3)
    s = sitting(actor=bureau_admin, teams=[team], quiz_=exam)
    attempt = services.start_sitting_attempt(sitting=s, user=trainee)
    quiz_services.submit_attempt(attempt=attempt, user=trainee, answers=_answers(attempt, good=False))
    with pytest.raises(quiz_services.QuizNotAvailable, match="我的考试"):
        quiz_services.start_attempt(quiz=exam, user=trainee)
    assert quiz_services.start_attempt(quiz=exam, user=other_trainee).number == 1


def test_a_makeup_draws_questions_not_asked_in_the_sitting(bureau_admin, team, trainee):
    from tests.quizzes.factories import ensure_category, question, quiz

    category = ensure_category("考试/随机题")
    for i in range(6):
        question(category, name=f"随机{i}")
    exam = quiz([], draws=[(category, 3)])
    first = sitting(actor=bureau_admin, teams=[team], quiz_=exam, length=timedelta(minutes=30))
    attempt = services.start_sitting_attempt(sitting=first, user=trainee)
    quiz_services.submit_attempt(attempt=attempt, user=trainee, answers=_answers(attempt, good=False))
    ExamSitting.objects.filter(pk=first.pk).update(closes_at=timezone.now() - timedelta(seconds=1))
    first.refresh_from_db()
    makeup = services.create_makeup(
        actor=bureau_admin,
        sitting=first,
        opens_at=timezone.now() - timedelta(seconds=1),
        closes_at=timezone.now() + timedelta(hours=1),
    )
    second = services.start_sitting_attempt(sitting=makeup, user=trainee)
    assert not set(second.question_ids()) & set(attempt.question_ids())
