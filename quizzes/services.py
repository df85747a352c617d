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

from django.db import connections, router, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lms.compiled_query import CompiledQuery
from lms.models import User
from lms.progress import progress_changed
from lms.selectors import team_of
from lms.services import record_audit

from . import grading, start_rules
from .content import QuizContent, quiz_content
from .models import Attempt, AttemptStatus, Choice, Question, QuestionType, Quiz, Response
from .models.bank import PATH_SEPARATOR

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


class TakenOver(QuizError):
    """Another browser or client opened the attempt since; this one may no longer save into it."""

    code = "taken_over"


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


def build_layout(quiz: Quiz, seed: int, *, seen: frozenset[int] | set[int] = frozenset(), content: QuizContent | None = None) -> list[dict]:
    """The question list of a new attempt: fixed questions plus random draws, shuffled by `seed`.

    Draws prefer questions not in `seen` (asked in the trainee's earlier attempts), so a retry is
    asked different questions as far as the bank allows, then tops up from the seen ones. No query
    when the quiz's content is cached (quizzes/content.py).
    """
    content = content or quiz_content(quiz)
    rng = random.Random(seed)
    chosen: list[int] = []
    used = {slot.question_id for slot in content.slots if slot.question_id}
    for slot in content.slots:
        if slot.question_id:
            chosen.append(slot.question_id)
            continue
        path = slot.category_path
        pool = [
            pk
            for pk, qpath in content.pool
            if pk not in used and (qpath == path or (slot.include_subcategories and qpath.startswith(path + PATH_SEPARATOR)))
        ]
        fresh = [pk for pk in pool if pk not in seen]
        picked = rng.sample(fresh, min(slot.draw_count, len(fresh)))
        if len(picked) < slot.draw_count:
            again = [pk for pk in pool if pk in seen]
            picked += rng.sample(again, min(slot.draw_count - len(picked), len(again)))
        used.update(picked)
        chosen.extend(picked)
    if quiz.shuffle_questions:
        rng.shuffle(chosen)
    layout = []
    for qid in chosen:
        question = content.questions.get(qid)
        if question is None:
            continue
        ids = [] if question.qtype == QuestionType.SHORT else [c.pk for c in content.choices.get(qid, [])]
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


def new_attempt(
    *, quiz: Quiz, user: User, number: int, now: datetime, seen: set[int] | frozenset[int] = frozenset(),
    closes_at: datetime | None = None, holder: str = "",
) -> Attempt | None:
    """An unsaved attempt numbered `number`: its questions drawn (avoiding `seen` as far as the bank allows)
    and frozen, its deadline the quiz's time limit, cut at `closes_at`. None when the quiz has no questions.

    Every way of starting (a free attempt here, a sitting in exams/) builds its attempt this way and
    writes it with `insert_attempt`."""
    seed = secrets.randbits(48)
    layout = build_layout(quiz, seed, seen=seen)
    if not layout:
        return None
    deadline = now + timedelta(minutes=quiz.time_limit_minutes) if quiz.time_limit_minutes else None
    if closes_at and (deadline is None or deadline > closes_at):
        deadline = closes_at
    return Attempt(
        quiz=quiz,
        user=user,
        number=number,
        seed=seed,
        layout=layout,
        started_at=now,
        deadline=deadline,
        holder=holder,
        max_score=sum((Decimal(item["points"]) for item in layout), Decimal("0")),
    )


def insert_attempt(attempt: Attempt) -> bool:
    """INSERT … ON CONFLICT DO NOTHING RETURNING id: True when the row was written (its pk is set).

    False when a unique constraint (the same number, or another open attempt of this trainee at this
    quiz) says a concurrent start got there first. The constraints are the arbiter: no lock round, no
    savepoint, and a conflict does not abort a surrounding transaction (PostgreSQL and SQLite alike).
    """
    meta = Attempt._meta
    fields = [f for f in meta.concrete_fields if not f.primary_key]
    connection = connections[router.db_for_write(Attempt)]
    quote = connection.ops.quote_name
    values = [f.get_db_prep_save(f.pre_save(attempt, True), connection=connection) for f in fields]
    sql = (
        f"INSERT INTO {quote(meta.db_table)} ({', '.join(quote(f.column) for f in fields)}) "
        f"VALUES ({', '.join(['%s'] * len(fields))}) ON CONFLICT DO NOTHING RETURNING {quote(meta.pk.column)}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, values)
        row = cursor.fetchone()
    if row is None:
        return False
    attempt.pk = row[0]
    attempt._state.adding, attempt._state.db = False, connection.alias
    return True


# Read by every start, the first thing an exam-day storm does hundreds of times a second: compiled once.
_ATTEMPTS_AT = CompiledQuery(
    Attempt,
    lambda quiz_id, user_id: Attempt.objects.filter(quiz_id=quiz_id, user_id=user_id).order_by("number"),
    ids=("quiz_id", "user_id"),
)


def begin_attempt(*, quiz: Quiz, user: User, now: datetime | None = None, holder: str = "") -> tuple[Attempt, bool]:
    """Start (or resume) `user`'s attempt at `quiz`; returns (attempt, created).

    Two queries on the way to a new attempt: the trainee's attempts at the quiz, and one INSERT that
    the unique constraints guard, so two starts at once make one attempt, numbered without a gap
    (the loser of a race finds the winner's attempt and resumes it). An unfinished attempt is resumed
    rather than duplicated, and `holder` (the client that opens it, quizzes/holders.py) takes it over.
    """
    now = _now(now)
    for _round in range(4):
        attempts = _ATTEMPTS_AT.objects(quiz_id=quiz.pk, user_id=user.pk)
        current = next((a for a in attempts if a.status == AttemptStatus.IN_PROGRESS), None)
        if current is not None:
            if not is_overdue(current, now):
                current.quiz = quiz
                claim_attempt(attempt=current, holder=holder)
                return current, False
            try:
                finalise_attempt(attempt=current, now=now, auto=True)
            except AttemptClosed:
                pass
            continue
        problem = availability_problem(quiz, now) or start_rules.refusal(quiz=quiz, user=user)
        if problem:
            raise QuizNotAvailable(problem)
        used = attempts[-1].number if attempts else 0
        if quiz.max_attempts and used >= quiz.max_attempts:
            raise NoAttemptsLeft(_("You have used all %(n)d attempts at this quiz.") % {"n": quiz.max_attempts})
        seen = {item["q"] for a in attempts for item in a.layout}
        attempt = new_attempt(quiz=quiz, user=user, number=used + 1, now=now, seen=seen, closes_at=quiz.closes_at, holder=holder)
        if attempt is None:
            raise QuizNotAvailable(_("This quiz has no questions yet."))
        if insert_attempt(attempt):
            return attempt, True
    # Four rounds lost in a row means something else keeps writing this trainee's attempts.
    raise QuizNotAvailable(_("The attempt could not be started; please try again."))


def start_attempt(*, quiz: Quiz, user: User, now: datetime | None = None, holder: str = "") -> Attempt:
    """Start (or resume) `user`'s attempt at `quiz` (see begin_attempt)."""
    return begin_attempt(quiz=quiz, user=user, now=now, holder=holder)[0]


def claim_attempt(*, attempt: Attempt, holder: str) -> bool:
    """`holder` answers `attempt` from now on; the client that held it is refused on its next save.

    One UPDATE, only when the holder changes (an empty holder claims nothing: server-side callers).
    Returns True when it changed hands.
    """
    if not holder or attempt.holder == holder:
        return False
    Attempt.objects.filter(pk=attempt.pk, status=AttemptStatus.IN_PROGRESS).update(holder=holder)
    attempt.holder = holder
    return True


def _check_holder(locked: Attempt, holder: str | None) -> None:
    """Refuse a save or submit from a client that no longer holds the attempt (the row is locked)."""
    if holder and locked.holder and locked.holder != holder:
        raise TakenOver(
            _("This attempt has been opened in another browser or window, and is now answered there. "
              "Nothing was saved here. To answer here, take it back.")
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
    """Check every answer against the frozen layout, then write them in one upsert (insert or update
    on the response's unique (attempt, question)): nothing is written when one is malformed."""
    layout = {item["q"]: item for item in attempt.layout}
    cleaned = {}
    for qid, raw in answers.items():
        if qid not in layout:
            raise InvalidAnswer(_("Question %(id)s is not part of this attempt.") % {"id": qid})
        cleaned[qid] = _clean_answer(layout[qid], raw)
    if not cleaned:
        return
    Response.objects.bulk_create(
        [Response(attempt=attempt, question_id=qid, answer=answer, saved_at=now) for qid, answer in cleaned.items()],
        update_conflicts=True,
        unique_fields=["attempt", "question"],
        update_fields=["answer", "saved_at"],
    )


def save_answers(*, attempt: Attempt, answers: dict[int, dict], now: datetime | None = None, holder: str | None = None) -> Attempt:
    """Autosave: store `answers` ({question id: answer}) in an unfinished attempt.

    Nothing is stored when one answer is malformed, or when `holder` is given and another client has
    taken the attempt over (TakenOver). After the deadline (plus grace) nothing is stored, the attempt
    is submitted with what was saved before, and AttemptClosed is raised.
    """
    now = _now(now)
    with transaction.atomic():
        locked = Attempt.objects.select_for_update().get(pk=attempt.pk, **({"user_id": attempt.user_id} if attempt.user_id else {}))
        if locked.is_finished:
            raise AttemptClosed(_("This attempt has already been submitted."))
        _check_holder(locked, holder)
        if not is_overdue(locked, now):
            _write_answers(locked, answers, now)
            return locked
    finalise_attempt(attempt=locked, now=now, auto=True)
    raise AttemptClosed(_("Time is up: the attempt was submitted with the answers saved before the deadline."))


# ---------------------------------------------------------------------------------------------
# Grading


def _options_by_question(question_ids, quiz: Quiz | None = None) -> tuple[dict[int, str], dict[int, list[grading.Option]]]:
    """Question types and graded options; from the quiz's cached content (no query) when it has them all.
    A regrade passes no quiz: it must read the bank as it is now."""
    if quiz is not None:
        content = quiz_content(quiz)
        if all(qid in content.questions for qid in question_ids):
            return (
                {qid: content.questions[qid].qtype for qid in question_ids},
                {
                    qid: [grading.Option(pk=c.pk, text=c.text, weight=c.fraction, order=c.sort_order or 0) for c in content.choices.get(qid, [])]
                    for qid in question_ids
                },
            )
    qtypes = dict(Question.objects.filter(pk__in=question_ids).values_list("pk", "qtype"))
    options: dict[int, list[grading.Option]] = {}
    for choice in Choice.objects.filter(question_id__in=question_ids).order_by("sort_order", "pk").only(
        "pk", "question_id", "text", "fraction", "sort_order"
    ):
        options.setdefault(choice.question_id, []).append(
            grading.Option(pk=choice.pk, text=choice.text, weight=choice.fraction, order=choice.sort_order or 0)
        )
    return qtypes, options


def _grade_attempts(attempts: list[Attempt], now: datetime, *, quiz: Quiz | None = None) -> None:
    """Grade (or regrade) `attempts` in a constant number of queries; rows must be locked by the caller."""
    question_ids = {qid for attempt in attempts for qid in attempt.question_ids()}
    qtypes, options = _options_by_question(question_ids, quiz)
    responses: dict[tuple[int, int], Response] = {
        (r.attempt_id, r.question_id): r for r in Response.objects.filter(attempt__in=attempts)
    }
    written = []
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
                if qid in qtypes:
                    written.append(Response(attempt=attempt, question_id=qid, answer={}, fraction=fraction, score=score, saved_at=now))
            elif response.fraction != fraction or response.score != score:
                response.fraction, response.score = fraction, score
                # Without its pk, so every row of the upsert is keyed by (attempt, question) alone.
                written.append(Response(attempt=attempt, question_id=qid, answer=response.answer, fraction=fraction, score=score, saved_at=response.saved_at))
        attempt.score = total
        attempt.percent = (
            (total * 100 / attempt.max_score).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP) if attempt.max_score else Decimal("0")
        )
        attempt.passed = attempt.percent >= attempt.quiz.pass_mark
        attempt.graded_at = now
    # Unanswered questions get a row, answered ones their marks: one INSERT … ON CONFLICT DO UPDATE
    # (the pair is unique and the attempts are locked) instead of an INSERT and a CASE-per-row UPDATE.
    if written:
        Response.objects.bulk_create(
            written, update_conflicts=True, unique_fields=["attempt", "question"], update_fields=["fraction", "score"]
        )


def _summary(attempt: Attempt) -> dict:
    return {"score": str(attempt.score), "percent": str(attempt.percent), "passed": attempt.passed}


def finalise_attempt(
    *, attempt: Attempt, now: datetime | None = None, answers: dict[int, dict] | None = None, auto: bool = False, actor: User | None = None,
    holder: str | None = None,
) -> Attempt:
    """Submit and grade an attempt, once.

    The attempt row is locked first, so of two submits racing, the second finds it submitted and
    gets AttemptClosed; the grade is written and audited exactly once. Final `answers` are stored
    first when they arrive in time. After a pass, course completion is re-checked.
    """
    now = _now(now)
    with transaction.atomic():
        # Only the attempt's owner's, when the caller says whose (the API passes the requester; another
        # person's attempt then does not exist for them: Attempt.DoesNotExist).
        owner = {"user_id": attempt.user_id} if attempt.user_id else {}
        locked = Attempt.objects.select_for_update(of=("self",)).select_related("quiz", "user").get(pk=attempt.pk, **owner)
        if locked.is_finished:
            raise AttemptClosed(_("This attempt has already been submitted."))
        late = is_overdue(locked, now)
        if not late:
            _check_holder(locked, holder)
        if answers and not late:
            _write_answers(locked, answers, now)
        _grade_attempts([locked], now, quiz=locked.quiz)
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


def submit_attempt(
    *, attempt: Attempt, user: User, answers: dict[int, dict] | None = None, now: datetime | None = None, holder: str | None = None
) -> Attempt:
    """The trainee submits their attempt (with any last answers); refused (TakenOver) from a client
    that no longer holds it, so a forgotten tab cannot hand in what another browser is answering."""
    return finalise_attempt(attempt=attempt, now=now, answers=answers, actor=user, holder=holder)


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

