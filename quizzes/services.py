"""Writes of the quiz engine: start an attempt, save answers, submit and grade, regrade.

Time rules (stated once, enforced here): an attempt's deadline is its start plus the time limit,
capped at the quiz's close date. Answers that reach the server up to GRACE_SECONDS after the deadline
still count (they were on their way when time ran out); later ones are refused and the attempt is
submitted with what was saved. An overdue attempt is finalised the next time anyone touches it
(the trainee, a trainer's results page, the API) and by `manage.py close_overdue_attempts`.
"""

from __future__ import annotations

import random
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from lms.models import User
from lms.progress import progress_changed
from lms.selectors import team_of
from lms.services import record_audit

from . import grading
from .models import Attempt, AttemptStatus, Choice, Question, QuestionType, Quiz, Response

GRACE_SECONDS = 30
MAX_TEXT_ANSWER = 500


class QuizError(Exception):
    """A rule of the quiz stops the action; `message` says why, in the user's language."""

    code = "quiz_error"

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class QuizNotAvailable(QuizError):
    code = "not_available"


class NoAttemptsLeft(QuizError):
    code = "no_attempts_left"


class AttemptClosed(QuizError):
    code = "attempt_closed"


class InvalidAnswer(QuizError):
    code = "invalid_answer"


def _now(now: datetime | None) -> datetime:
    return now or timezone.now()


def is_overdue(attempt: Attempt, now: datetime) -> bool:
    """True once the grace period after the deadline has passed."""
    return attempt.deadline is not None and now > attempt.deadline + timedelta(seconds=GRACE_SECONDS)


def availability_problem(quiz: Quiz, now: datetime) -> str | None:
    if not quiz.is_published:
        return _("This quiz is not open to trainees.")
    if quiz.opens_at and now < quiz.opens_at:
        return _("This quiz opens on %(when)s.") % {"when": timezone.localtime(quiz.opens_at).strftime("%Y-%m-%d %H:%M")}
    if quiz.closes_at and now >= quiz.closes_at:
        return _("This quiz closed on %(when)s.") % {"when": timezone.localtime(quiz.closes_at).strftime("%Y-%m-%d %H:%M")}
    return None


# ---------------------------------------------------------------------------------------------
# Starting


def build_layout(quiz: Quiz, seed: int) -> list[dict]:
    """The question list of a new attempt: fixed questions plus random draws, shuffled by `seed`.

    Four queries whatever the size of the quiz: slots, the draw pools, questions, choices.
    """
    rng = random.Random(seed)
    slots = list(quiz.slots.select_related("category").order_by("sort_order", "pk"))
    fixed_ids = {slot.question_id for slot in slots if slot.question_id}
    pool_rows: list[tuple[int, str]] = []
    draw_slots = [slot for slot in slots if slot.category_id]
    if draw_slots:
        from django.db.models import Q

        match = Q()
        for slot in draw_slots:
            match |= slot.category.subtree_q() if slot.include_subcategories else Q(category_id=slot.category_id)
        pool_rows = list(Question.objects.filter(match, is_active=True).order_by("pk").values_list("pk", "category__path"))
    chosen: list[int] = []
    used = set(fixed_ids)
    for slot in slots:
        if slot.question_id:
            chosen.append(slot.question_id)
            continue
        path = slot.category.path
        pool = [
            pk
            for pk, qpath in pool_rows
            if pk not in used and (qpath == path or (slot.include_subcategories and qpath.startswith(path + "/")))
        ]
        picked = rng.sample(pool, min(slot.draw_count, len(pool)))
        used.update(picked)
        chosen.extend(picked)
    if quiz.shuffle_questions:
        rng.shuffle(chosen)
    questions = {q.pk: q for q in Question.objects.filter(pk__in=chosen).only("pk", "qtype", "points")}
    choices: dict[int, list[int]] = {}
    for qid, cid in Choice.objects.filter(question_id__in=chosen).order_by("sort_order", "pk").values_list("question_id", "pk"):
        choices.setdefault(qid, []).append(cid)
    layout = []
    for qid in chosen:
        question = questions.get(qid)
        if question is None:
            continue
        ids = [] if question.qtype == QuestionType.SHORT else list(choices.get(qid, []))
        if question.qtype == QuestionType.ORDERING and len(ids) > 1:
            # The stored order is the answer: always scramble, and never hand out the right order.
            right = list(ids)
            rng.shuffle(ids)
            if ids == right:
                ids = ids[1:] + ids[:1]
        elif quiz.shuffle_choices and question.qtype in (QuestionType.SINGLE, QuestionType.MULTIPLE):
            rng.shuffle(ids)
        layout.append({"q": qid, "t": question.qtype, "points": str(question.points), "choices": ids})
    return layout


def start_attempt(*, quiz: Quiz, user: User, now: datetime | None = None) -> Attempt:
    """Start (or resume) `user`'s attempt at `quiz`.

    An unfinished attempt is resumed rather than duplicated. The user's row is locked while the next
    number is chosen, so two starts at once are numbered one after the other, without a gap.
    """
    now = _now(now)
    overdue = None
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=user.pk).first()
        current = Attempt.objects.filter(quiz=quiz, user=user, status=AttemptStatus.IN_PROGRESS).first()
        if current is not None:
            if not is_overdue(current, now):
                return current
            overdue = current
    if overdue is not None:
        finalise_attempt(attempt=overdue, now=now, auto=True)
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=user.pk).first()
        current = Attempt.objects.filter(quiz=quiz, user=user, status=AttemptStatus.IN_PROGRESS).first()
        if current is not None:
            return current
        problem = availability_problem(quiz, now)
        if problem:
            raise QuizNotAvailable(problem)
        used = Attempt.objects.filter(quiz=quiz, user=user).aggregate(n=Max("number"))["n"] or 0
        if quiz.max_attempts and used >= quiz.max_attempts:
            raise NoAttemptsLeft(_("You have used all %(n)d attempts at this quiz.") % {"n": quiz.max_attempts})
        seed = secrets.randbits(48)
        layout = build_layout(quiz, seed)
        if not layout:
            raise QuizNotAvailable(_("This quiz has no questions yet."))
        deadline = now + timedelta(minutes=quiz.time_limit_minutes) if quiz.time_limit_minutes else None
        if quiz.closes_at and (deadline is None or deadline > quiz.closes_at):
            deadline = quiz.closes_at
        return Attempt.objects.create(
            quiz=quiz,
            user=user,
            number=used + 1,
            seed=seed,
            layout=layout,
            started_at=now,
            deadline=deadline,
            max_score=sum((Decimal(item["points"]) for item in layout), Decimal("0")),
        )


# ---------------------------------------------------------------------------------------------
# Answering


def _clean_answer(item: dict, raw) -> dict:
    """Check one answer against the attempt's frozen question; raise InvalidAnswer when malformed."""
    qtype = item["t"]
    offered = item["choices"]
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise InvalidAnswer(_("An answer must be an object."))
    if qtype == QuestionType.SHORT:
        text = raw.get("text", "")
        if not isinstance(text, str):
            raise InvalidAnswer(_("A short answer must be text."))
        if len(text) > MAX_TEXT_ANSWER:
            raise InvalidAnswer(_("An answer can be at most %(n)d characters.") % {"n": MAX_TEXT_ANSWER})
        return {"text": text.strip()}
    if qtype == QuestionType.ORDERING:
        order = raw.get("order", [])
        if not isinstance(order, list) or (order and sorted(order) != sorted(offered)):
            raise InvalidAnswer(_("An ordering answer must list every item exactly once."))
        return {"order": order}
    chosen = raw.get("choices", [])
    if not isinstance(chosen, list) or not all(isinstance(c, int) and not isinstance(c, bool) for c in chosen):
        raise InvalidAnswer(_("Choices must be a list of option ids."))
    if not set(chosen) <= set(offered):
        raise InvalidAnswer(_("That option does not belong to this question."))
    if qtype in (QuestionType.SINGLE, QuestionType.TRUE_FALSE) and len(chosen) > 1:
        raise InvalidAnswer(_("Choose only one option for this question."))
    return {"choices": sorted(set(chosen), key=chosen.index)}


def _write_answers(attempt: Attempt, answers: dict[int, dict], now: datetime) -> None:
    layout = {item["q"]: item for item in attempt.layout}
    cleaned = {}
    for qid, raw in answers.items():
        if qid not in layout:
            raise InvalidAnswer(_("Question %(id)s is not part of this attempt.") % {"id": qid})
        cleaned[qid] = _clean_answer(layout[qid], raw)
    if not cleaned:
        return
    existing = {r.question_id: r for r in Response.objects.filter(attempt=attempt, question_id__in=cleaned)}
    changed, new = [], []
    for qid, answer in cleaned.items():
        response = existing.get(qid)
        if response is None:
            new.append(Response(attempt=attempt, question_id=qid, answer=answer, saved_at=now))
        elif response.answer != answer:
            response.answer, response.saved_at = answer, now
            changed.append(response)
    Response.objects.bulk_create(new)
    Response.objects.bulk_update(changed, ["answer", "saved_at"])


def save_answers(*, attempt: Attempt, answers: dict[int, dict], now: datetime | None = None) -> Attempt:
    """Autosave: store `answers` ({question id: answer}) in an unfinished attempt.

    Nothing is stored when one answer is malformed. After the deadline (plus grace) nothing is stored,
    the attempt is submitted with what was saved before, and AttemptClosed is raised.
    """
    now = _now(now)
    with transaction.atomic():
        locked = Attempt.objects.select_for_update().get(pk=attempt.pk)
        if locked.is_finished:
            raise AttemptClosed(_("This attempt has already been submitted."))
        if not is_overdue(locked, now):
            _write_answers(locked, answers, now)
            return locked
    finalise_attempt(attempt=locked, now=now, auto=True)
    raise AttemptClosed(_("Time is up: the attempt was submitted with the answers saved before the deadline."))


# ---------------------------------------------------------------------------------------------
# Grading


def _options_by_question(question_ids) -> tuple[dict[int, str], dict[int, list[grading.Option]]]:
    qtypes = dict(Question.objects.filter(pk__in=question_ids).values_list("pk", "qtype"))
    options: dict[int, list[grading.Option]] = {}
    for choice in Choice.objects.filter(question_id__in=question_ids).order_by("sort_order", "pk").only(
        "pk", "question_id", "text", "fraction", "sort_order"
    ):
        options.setdefault(choice.question_id, []).append(
            grading.Option(pk=choice.pk, text=choice.text, weight=choice.fraction, order=choice.sort_order or 0)
        )
    return qtypes, options


def _grade_attempts(attempts: list[Attempt], now: datetime) -> None:
    """Grade (or regrade) `attempts` in a constant number of queries; rows must be locked by the caller."""
    question_ids = {qid for attempt in attempts for qid in attempt.question_ids()}
    qtypes, options = _options_by_question(question_ids)
    responses: dict[tuple[int, int], Response] = {
        (r.attempt_id, r.question_id): r for r in Response.objects.filter(attempt__in=attempts)
    }
    changed, new = [], []
    for attempt in attempts:
        total = Decimal("0")
        for item in attempt.layout:
            qid = item["q"]
            response = responses.get((attempt.pk, qid))
            # A question deleted from the bank keeps its place but earns nothing.
            fraction = grading.grade(qtypes.get(qid, ""), options.get(qid, []), response.answer if response else None)
            score = grading.points(fraction, Decimal(item["points"]))
            total += score
            if response is None:
                new.append(Response(attempt=attempt, question_id=qid, answer={}, fraction=fraction, score=score, saved_at=now))
            elif response.fraction != fraction or response.score != score:
                response.fraction, response.score = fraction, score
                changed.append(response)
        attempt.score = total
        attempt.percent = (
            (total * 100 / attempt.max_score).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP) if attempt.max_score else Decimal("0")
        )
        attempt.passed = attempt.percent >= attempt.quiz.pass_mark
        attempt.graded_at = now
    Response.objects.bulk_create([r for r in new if r.question_id in qtypes])
    Response.objects.bulk_update(changed, ["fraction", "score"])


def _summary(attempt: Attempt) -> dict:
    return {"score": str(attempt.score), "percent": str(attempt.percent), "passed": attempt.passed}


def finalise_attempt(
    *, attempt: Attempt, now: datetime | None = None, answers: dict[int, dict] | None = None, auto: bool = False, actor: User | None = None
) -> Attempt:
    """Submit and grade an attempt, once.

    The attempt row is locked first, so of two submits racing, the second finds it submitted and
    gets AttemptClosed; the grade is written and audited exactly once. Final `answers` are stored
    first when they arrive in time. After a pass, course completion is re-checked.
    """
    now = _now(now)
    with transaction.atomic():
        locked = Attempt.objects.select_for_update(of=("self",)).select_related("quiz").get(pk=attempt.pk)
        if locked.is_finished:
            raise AttemptClosed(_("This attempt has already been submitted."))
        late = is_overdue(locked, now)
        if answers and not late:
            _write_answers(locked, answers, now)
        _grade_attempts([locked], now)
        locked.status = AttemptStatus.SUBMITTED
        locked.auto_submitted = auto or late
        # An overdue attempt counts as submitted at its deadline, not when somebody noticed it.
        locked.submitted_at = min(now, locked.deadline) if late and locked.deadline else now
        locked.save(update_fields=["status", "auto_submitted", "submitted_at", "score", "percent", "passed", "graded_at"])
        record_audit(
            actor=actor if actor is not None else (None if locked.auto_submitted else locked.user),
            action="quiz.attempt.grade",
            obj=locked,
            team=team_of(locked.user),
            after=_summary(locked),
            note=_("submitted automatically after the deadline") if locked.auto_submitted else "",
        )
    if locked.passed:
        progress_changed(locked.user, source=locked)
    return locked


def submit_attempt(*, attempt: Attempt, user: User, answers: dict[int, dict] | None = None, now: datetime | None = None) -> Attempt:
    """The trainee submits their attempt (with any last answers)."""
    return finalise_attempt(attempt=attempt, now=now, answers=answers, actor=user)


def close_overdue_attempts(*, now: datetime | None = None, quiz: Quiz | None = None) -> int:
    """Finalise every attempt (of `quiz`, or of all quizzes) whose time ran out; returns how many were closed."""
    now = _now(now)
    cutoff = now - timedelta(seconds=GRACE_SECONDS)
    closed = 0
    overdue = Attempt.objects.filter(status=AttemptStatus.IN_PROGRESS, deadline__lt=cutoff).order_by("pk")
    if quiz is not None:
        overdue = overdue.filter(quiz=quiz)
    for attempt in overdue:
        try:
            finalise_attempt(attempt=attempt, now=now, auto=True)
            closed += 1
        except AttemptClosed:
            pass
    return closed


def close_if_overdue(*, attempt: Attempt, now: datetime | None = None) -> Attempt:
    """Finalise `attempt` when its time ran out (pages and the API call this before showing it)."""
    now = _now(now)
    if not attempt.is_finished and is_overdue(attempt, now):
        try:
            return finalise_attempt(attempt=attempt, now=now, auto=True)
        except AttemptClosed:
            attempt.refresh_from_db()
    return attempt


@dataclass
class RegradeReport:
    attempts: int
    changed: int
    newly_passed: int


def regrade_quiz(*, quiz: Quiz, actor: User, now: datetime | None = None) -> RegradeReport:
    """Grade every submitted attempt of `quiz` again with the questions as they are now (after a fix).

    Each attempt whose score changes gets an audit event with the old and the new score.
    """
    now = _now(now)
    with transaction.atomic():
        attempts = list(
            Attempt.objects.select_for_update(of=("self",)).filter(quiz=quiz, status=AttemptStatus.SUBMITTED).select_related("quiz").order_by("pk")
        )
        before = {a.pk: _summary(a) for a in attempts}
        _grade_attempts(attempts, now)
        Attempt.objects.bulk_update(attempts, ["score", "percent", "passed", "graded_at"])
        changed = [a for a in attempts if _summary(a) != before[a.pk]]
        newly_passed = [a for a in changed if a.passed and not before[a.pk]["passed"]]
        for attempt in changed:
            record_audit(actor=actor, action="quiz.attempt.regrade", obj=attempt, before=before[attempt.pk], after=_summary(attempt))
        record_audit(actor=actor, action="quiz.regrade", obj=quiz, after={"attempts": len(attempts), "changed": len(changed)})
    for user in {a.user for a in newly_passed}:
        progress_changed(user, source=quiz)
    return RegradeReport(attempts=len(attempts), changed=len(changed), newly_passed=len(newly_passed))

