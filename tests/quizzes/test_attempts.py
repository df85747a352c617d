"""Starting, answering, the deadline, submitting once, regrading."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from lms.models import AuditEvent
from quizzes import services
from quizzes.importing import ensure_category
from quizzes.models import Attempt, Response

from .factories import question, quiz, right_answer, wrong_answer

pytestmark = pytest.mark.django_db


def test_start_freezes_layout_and_resumes_the_open_attempt(trainee):
    questions = [question(name=f"题{i}") for i in range(3)]
    q = quiz(questions)
    first = services.start_attempt(quiz=q, user=trainee)
    assert first.number == 1 and first.question_ids() == [x.pk for x in questions]
    assert services.start_attempt(quiz=q, user=trainee).pk == first.pk
    # Editing the quiz later does not change the running attempt.
    q.slots.first().delete()
    first.refresh_from_db()
    assert len(first.layout) == 3


def test_numbers_follow_on_after_submits(trainee):
    q = quiz([question()])
    numbers = []
    for _ in range(3):
        attempt = services.start_attempt(quiz=q, user=trainee)
        services.submit_attempt(attempt=attempt, user=trainee)
        numbers.append(attempt.number)
    assert numbers == [1, 2, 3]


def test_max_attempts_and_dates(trainee):
    q = quiz([question()], max_attempts=1)
    services.submit_attempt(attempt=services.start_attempt(quiz=q, user=trainee), user=trainee)
    with pytest.raises(services.NoAttemptsLeft):
        services.start_attempt(quiz=q, user=trainee)
    later = quiz([question()], opens_at=timezone.now() + timedelta(days=1))
    with pytest.raises(services.QuizNotAvailable, match="开放|opens"):
        services.start_attempt(quiz=later, user=trainee)
    closed = quiz([question()], closes_at=timezone.now() - timedelta(minutes=1))
    with pytest.raises(services.QuizNotAvailable):
        services.start_attempt(quiz=closed, user=trainee)
    hidden = quiz([question()], is_published=False)
    with pytest.raises(services.QuizNotAvailable):
        services.start_attempt(quiz=hidden, user=trainee)
    assert Attempt.objects.filter(user=trainee).count() == 1


def test_seeded_shuffle_and_random_draw(trainee, other_trainee):
    category = ensure_category("图片处理/格式")
    pool = [question(category, name=f"池{i}", options=[(f"选项{j}", 100 if j == 0 else 0, "") for j in range(4)]) for i in range(10)]
    fixed = question(name="固定题")
    q = quiz([fixed], draws=[(ensure_category("图片处理"), 4)], shuffle_questions=True, shuffle_choices=True)
    attempt = services.start_attempt(quiz=q, user=trainee)
    ids = attempt.question_ids()
    assert len(ids) == 5 and fixed.pk in ids and len(set(ids)) == 5
    assert set(ids) - {fixed.pk} <= {p.pk for p in pool}
    # The layout is a function of the seed: rebuilding gives the same list and option order.
    assert services.build_layout(q, attempt.seed) == attempt.layout
    layouts = {tuple(tuple(item["choices"]) for item in services.build_layout(q, seed)) for seed in range(8)}
    assert len(layouts) > 1


def test_ordering_options_never_shown_in_the_right_order(trainee):
    item = question(qtype="ordering", options=[("登录", 0, ""), ("编辑", 0, ""), ("提交审核", 0, "")])
    right = list(item.choices.order_by("sort_order").values_list("pk", flat=True))
    q = quiz([item], shuffle_choices=False)
    for seed in range(20):
        assert services.build_layout(q, seed)[0]["choices"] != right


def test_invalid_answers_store_nothing(trainee, other_trainee):
    a, b = question(name="甲"), question(name="乙")
    q = quiz([a, b])
    attempt = services.start_attempt(quiz=q, user=trainee)
    foreign = question(name="别处的题")
    bad_inputs = [
        {a.pk: right_answer(a), b.pk: {"choices": [foreign.choices.first().pk]}},
        {a.pk: right_answer(a), b.pk: {"choices": [c.pk for c in b.choices.all()]}},
        {a.pk: right_answer(a), foreign.pk: right_answer(foreign)},
        {a.pk: "A"},
        {a.pk: {"choices": "1"}},
    ]
    for answers in bad_inputs:
        with pytest.raises(services.InvalidAnswer):
            services.save_answers(attempt=attempt, answers=answers)
    assert not Response.objects.filter(attempt=attempt).exists()


def test_autosave_overwrites(trainee):
    a = question()
    attempt = services.start_attempt(quiz=quiz([a]), user=trainee)
    services.save_answers(attempt=attempt, answers={a.pk: wrong_answer(a)})
    services.save_answers(attempt=attempt, answers={a.pk: right_answer(a)})
    assert Response.objects.get(attempt=attempt).answer == right_answer(a)
    assert services.submit_attempt(attempt=attempt, user=trainee).percent == 100


def test_deadline_grace_and_automatic_finalising(trainee):
    a, b = question(name="甲"), question(name="乙")
    q = quiz([a, b], time_limit_minutes=10)
    start = timezone.now() - timedelta(minutes=30)
    attempt = services.start_attempt(quiz=q, user=trainee, now=start)
    assert attempt.deadline == start + timedelta(minutes=10)
    services.save_answers(attempt=attempt, answers={a.pk: right_answer(a)}, now=start + timedelta(minutes=5))
    # Within the grace period an answer still counts.
    services.save_answers(attempt=attempt, answers={b.pk: wrong_answer(b)}, now=attempt.deadline + timedelta(seconds=services.GRACE_SECONDS - 1))
    # After it: refused, and the attempt is submitted with what was saved.
    with pytest.raises(services.AttemptClosed):
        services.save_answers(attempt=attempt, answers={b.pk: right_answer(b)}, now=attempt.deadline + timedelta(minutes=1))
    attempt.refresh_from_db()
    assert attempt.is_finished and attempt.auto_submitted
    assert attempt.submitted_at == attempt.deadline
    assert attempt.percent == 50
    assert AuditEvent.objects.filter(action="quiz.attempt.grade", object_id=str(attempt.pk), actor=None).count() == 1


def test_deadline_capped_by_close_date(trainee):
    closes = timezone.now() + timedelta(minutes=5)
    attempt = services.start_attempt(quiz=quiz([question()], time_limit_minutes=60, closes_at=closes), user=trainee)
    assert attempt.deadline == closes


def test_close_overdue_attempts_command(trainee, other_trainee):
    q = quiz([question()], time_limit_minutes=5)
    old = services.start_attempt(quiz=q, user=trainee, now=timezone.now() - timedelta(hours=1))
    fresh = services.start_attempt(quiz=q, user=other_trainee)
    from django.core.management import call_command

    call_command("close_overdue_attempts")
    old.refresh_from_db()
    fresh.refresh_from_db()
    assert old.is_finished and old.auto_submitted and not fresh.is_finished


def test_start_after_overdue_finalises_and_opens_a_new_one(trainee):
    q = quiz([question()], time_limit_minutes=5)
    old = services.start_attempt(quiz=q, user=trainee, now=timezone.now() - timedelta(hours=1))
    new = services.start_attempt(quiz=q, user=trainee)
    old.refresh_from_db()
    assert old.is_finished and new.number == 2


def test_submit_twice_is_refused_and_graded_once(trainee):
    a = question()
    attempt = services.start_attempt(quiz=quiz([a]), user=trainee)
    services.submit_attempt(attempt=attempt, user=trainee, answers={a.pk: right_answer(a)})
    with pytest.raises(services.AttemptClosed):
        services.submit_attempt(attempt=attempt, user=trainee, answers={a.pk: wrong_answer(a)})
    with pytest.raises(services.AttemptClosed):
        services.save_answers(attempt=attempt, answers={a.pk: wrong_answer(a)})
    attempt.refresh_from_db()
    assert attempt.percent == 100
    assert AuditEvent.objects.filter(action="quiz.attempt.grade", object_id=str(attempt.pk)).count() == 1


def test_unanswered_questions_get_a_zero_response(trainee):
    questions = [question(name=f"题{i}") for i in range(3)]
    attempt = services.submit_attempt(attempt=services.start_attempt(quiz=quiz(questions), user=trainee), user=trainee)
    assert Response.objects.filter(attempt=attempt, score=0).count() == 3 and attempt.percent == 0


def test_regrade_after_fixing_a_key_is_audited(trainee, other_trainee, trainer):
    a, b = question(name="答案标错的题"), question(name="正常题")
    q = quiz([a, b], pass_mark=100)
    wrong_key = a.choices.get(text="错的")
    for user in (trainee, other_trainee):
        attempt = services.start_attempt(quiz=q, user=user)
        services.submit_attempt(attempt=attempt, user=user, answers={a.pk: {"choices": [wrong_key.pk]}, b.pk: right_answer(b)})
    # The trainer finds the key was wrong and fixes it.
    a.choices.update(fraction=0)
    a.choices.filter(pk=wrong_key.pk).update(fraction=100)
    report = services.regrade_quiz(quiz=q, actor=trainer)
    assert (report.attempts, report.changed, report.newly_passed) == (2, 2, 2)
    assert set(Attempt.objects.filter(quiz=q).values_list("percent", flat=True)) == {Decimal("100.00")}
    events = AuditEvent.objects.filter(action="quiz.attempt.regrade")
    assert events.count() == 2
    assert all(e.before["percent"] == "50.00" and e.after["percent"] == "100.00" and e.actor == trainer for e in events)
    # Nothing changes on a second regrade, and no attempt event is written.
    assert services.regrade_quiz(quiz=q, actor=trainer).changed == 0
    assert AuditEvent.objects.filter(action="quiz.attempt.regrade").count() == 2


def _submit_queries(user, n):
    questions = [question(name=f"题{i}", options=[("对", 100, ""), ("错", 0, ""), ("也错", 0, "")]) for i in range(n)]
    extra = question(qtype="short", name="填空", options=[("RGB", 100, "")])
    q = quiz([*questions, extra])
    attempt = services.start_attempt(quiz=q, user=user)
    answers = {item.pk: right_answer(item) for item in [*questions, extra]}
    services.save_answers(attempt=attempt, answers=answers)
    with CaptureQueriesContext(connection) as queries:
        attempt = services.submit_attempt(attempt=attempt, user=user)
    assert attempt.percent == 100
    return len(queries)


def test_grading_runs_a_constant_number_of_queries(trainee, other_trainee):
    small = _submit_queries(trainee, 5)
    large = _submit_queries(other_trainee, 50)
    assert large == small
    assert large <= 20


def test_a_draw_slot_cannot_ask_for_more_questions_than_the_category_has():
    from django.core.exceptions import ValidationError

    from quizzes.models import QuizSlot

    category = ensure_category("图片处理/格式")
    question(category, name="一")
    question(category, name="二")
    q = quiz()
    QuizSlot(quiz=q, category=ensure_category("图片处理"), draw_count=2).full_clean()
    with pytest.raises(ValidationError) as error:
        QuizSlot(quiz=q, category=ensure_category("图片处理"), draw_count=3).full_clean()
    assert "draw_count" in error.value.message_dict
    with pytest.raises(ValidationError):
        QuizSlot(quiz=q, category=ensure_category("图片处理"), draw_count=1, include_subcategories=False).full_clean()


def test_results_page_closes_overdue_attempts(client, trainee, trainer):
    q = quiz([question()], time_limit_minutes=5)
    attempt = services.start_attempt(quiz=q, user=trainee, now=timezone.now() - timedelta(hours=1))
    client.force_login(trainer)
    client.get(f"/quizzes/{q.pk}/results/")
    attempt.refresh_from_db()
    assert attempt.is_finished and attempt.auto_submitted
