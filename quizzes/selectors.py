"""Reads of the quiz engine for pages, the API, the lesson block and course completion.

Every function runs a constant number of queries however many questions, attempts or quizzes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Case, Count, F, IntegerField, QuerySet, Sum, Value, When
from django.db.models.functions import Coalesce

from lms.compiled_query import CompiledQuery
from lms.models import CountyTeam, Membership, Role, User
from lms.request_cache import remember

from .models import Attempt, AttemptStatus, Choice, FocusLoss, GradingMethod, Question, Quiz, Response


def published_quizzes() -> QuerySet[Quiz]:
    return Quiz.objects.filter(is_published=True).order_by("title", "pk")


_PUBLISHED_QUIZ = CompiledQuery(Quiz, lambda pk: published_quizzes().filter(pk=pk), ids=("pk",))


def published_quiz(pk: int) -> Quiz | None:
    """One published quiz by id, or None: the API start's lookup, compiled once (lms/compiled_query.py)."""
    found = _PUBLISHED_QUIZ.objects(pk=pk)
    return found[0] if found else None


def final_percent(attempts: list[Attempt], method: str) -> Decimal | None:
    """The quiz grade from the submitted attempts (oldest first) by the quiz's grading method."""
    graded = [a for a in attempts if a.status == AttemptStatus.SUBMITTED and a.percent is not None]
    if not graded:
        return None
    if method == GradingMethod.FIRST:
        return graded[0].percent
    if method == GradingMethod.LAST:
        return graded[-1].percent
    if method == GradingMethod.AVERAGE:
        return (sum(a.percent for a in graded) / len(graded)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return max(a.percent for a in graded)


@dataclass
class QuizOutcome:
    """Where a trainee stands with one quiz."""

    quiz: Quiz
    attempts: list[Attempt] = field(default_factory=list)

    @property
    def grade(self) -> Decimal | None:
        return final_percent(self.attempts, self.quiz.grading_method)

    @property
    def passed(self) -> bool:
        grade = self.grade
        return grade is not None and grade >= self.quiz.pass_mark

    @property
    def used(self) -> int:
        return len(self.attempts)

    @property
    def attempts_left(self) -> int | None:
        """None when unlimited."""
        if not self.quiz.max_attempts:
            return None
        return max(0, self.quiz.max_attempts - self.used)

    @property
    def open_attempt(self) -> Attempt | None:
        return next((a for a in self.attempts if a.status == AttemptStatus.IN_PROGRESS), None)

    @property
    def submitted(self) -> list[Attempt]:
        return [a for a in self.attempts if a.status == AttemptStatus.SUBMITTED]


def outcomes(*, user: User, quiz_ids) -> dict[int, QuizOutcome]:
    """{quiz id: QuizOutcome} for many quizzes, in two queries."""
    quiz_ids = set(quiz_ids)
    if not quiz_ids:
        return {}
    # The question count rides along (a fixed question counts 1, a random draw its draw count), so a quiz
    # card shown from these outcomes needs no query of its own.
    quizzes = Quiz.objects.filter(pk__in=quiz_ids).annotate(
        question_total=Coalesce(Sum(Case(When(slots__question__isnull=False, then=Value(1)), default=F("slots__draw_count"), output_field=IntegerField())), Value(0))
    )
    result = {quiz.pk: QuizOutcome(quiz=quiz) for quiz in quizzes}
    remember(outcome.quiz for outcome in result.values())  # a quiz card of the same page reuses them
    if user.is_authenticated and result:
        for attempt in Attempt.objects.filter(user=user, quiz_id__in=result).order_by("number").defer("layout"):
            result[attempt.quiz_id].attempts.append(attempt)
    return result


def outcome(*, user: User, quiz: Quiz) -> QuizOutcome:
    result = QuizOutcome(quiz=quiz)
    if user.is_authenticated:
        result.attempts = list(Attempt.objects.filter(user=user, quiz=quiz).order_by("number").defer("layout"))
    return result


def question_count(quiz: Quiz) -> int:
    if hasattr(quiz, "question_total"):  # annotated by outcomes()
        return quiz.question_total
    return sum(1 if slot.question_id else slot.draw_count for slot in quiz.slots.all())


def answers_visible(*, attempt: Attempt, viewer: User, now: datetime | None = None, used: int | None = None) -> bool:
    """May `viewer` see the right answers and feedback of `attempt`? Staff allowed to see the trainee
    always may (after submission); the trainee only as the quiz's review policy and the review gates
    say (quizzes/review.py). `used`: the trainee's attempts at the quiz, when the caller knows it."""
    from lms import permissions

    from .review import trainee_may_review

    if not attempt.is_finished:
        return False
    if viewer.pk != attempt.user_id:
        return permissions.can_view_person(viewer, attempt.user)
    if used is None:
        used = Attempt.objects.filter(quiz_id=attempt.quiz_id, user_id=attempt.user_id).count()
    return trainee_may_review(attempt, used=used, now=now)


@dataclass
class OptionView:
    pk: int
    text: str
    weight: Decimal | None = None  # only filled when answers may be shown
    feedback: str = ""
    chosen: bool = False
    correct_position: int | None = None


@dataclass
class QuestionView:
    """One question of an attempt as the page or the API shows it."""

    number: int
    question: Question
    qtype: str
    points: Decimal
    options: list[OptionView]
    answer: dict
    fraction: Decimal | None = None
    score: Decimal | None = None
    reveal: bool = False
    accepted_answers: list[str] = field(default_factory=list)
    feedback: list[str] = field(default_factory=list)

    @property
    def answered(self) -> bool:
        from .grading import is_answered

        return is_answered(self.qtype, self.answer)

    @property
    def state(self) -> str:
        if self.fraction is None:
            return ""
        if self.fraction >= 1:
            return "correct"
        return "partial" if self.fraction > 0 else "wrong"


def _bank_for(attempt: Attempt) -> tuple[dict[int, Question], dict[int, list[Choice]]]:
    """Questions and options (in stored order) of the attempt: from the quiz's cached content when it
    has them all (no query), else from the bank (a question since taken out of the quiz)."""
    from .content import quiz_content

    ids = attempt.question_ids()
    content = quiz_content(attempt.quiz)
    if all(qid in content.questions for qid in ids):
        return content.questions, content.choices
    questions = {q.pk: q for q in Question.objects.filter(pk__in=ids)}
    choices: dict[int, list[Choice]] = {}
    for choice in Choice.objects.filter(question_id__in=ids).order_by("sort_order", "pk"):
        choices.setdefault(choice.question_id, []).append(choice)
    return questions, choices


def attempt_questions(*, attempt: Attempt, reveal: bool, show_marks: bool = True, answered: bool = True) -> list[QuestionView]:
    """The attempt's questions in its frozen order, with the trainee's answers. Right answers, weights
    and feedback are only read into the result when `reveal` is true. One query (the responses; none
    for an attempt just created, `answered=False`) when the quiz's content is cached, three otherwise."""
    questions, choices_of = _bank_for(attempt)
    responses = {r.question_id: r for r in Response.objects.filter(attempt=attempt)} if answered else {}
    views = []
    for number, item in enumerate(attempt.layout, start=1):
        question = questions.get(item["q"])
        if question is None:
            continue
        response = responses.get(question.pk)
        answer = response.answer if response else {}
        order = answer.get("order") if question.qtype == "ordering" and answer.get("order") else item["choices"]
        chosen = set(answer.get("choices") or [])
        right_order = choices_of.get(question.pk, [])
        choices = {c.pk: c for c in right_order}
        positions = {c.pk: i for i, c in enumerate(right_order, start=1)}
        options = []
        for cid in order:
            choice = choices.get(cid)
            if choice is None:
                continue
            option = OptionView(pk=choice.pk, text=choice.text, chosen=cid in chosen)
            if reveal:
                option.weight = choice.fraction
                option.feedback = choice.feedback if (cid in chosen) else ""
                option.correct_position = positions.get(cid)
            options.append(option)
        view = QuestionView(
            number=number, question=question, qtype=question.qtype, points=Decimal(item["points"]), options=options, answer=answer, reveal=reveal
        )
        if show_marks and attempt.is_finished and response is not None:
            view.fraction, view.score = response.fraction, response.score
        if reveal:
            if question.qtype == "short":
                from .grading import matches

                view.accepted_answers = [c.text for c in right_order if c.fraction > 0]
                given = answer.get("text") or ""
                view.feedback = [c.feedback for c in right_order if c.feedback and given and matches(c.text, given)][:1]
            else:
                view.feedback = [o.feedback for o in options if o.feedback]
        views.append(view)
    return views


def visible_trainees(viewer: User) -> QuerySet[User]:
    """Trainees whose attempts `viewer` may see: members of the teams they can see."""
    from lms import permissions

    teams = permissions.visible_teams(viewer)
    return User.objects.filter(memberships__role=Role.TRAINEE, memberships__team__in=teams)


@dataclass
class ResultRow:
    user: User
    team: CountyTeam | None
    attempts: list[Attempt]
    grade: Decimal | None
    passed: bool


def quiz_results(*, quiz: Quiz, viewer: User, team: CountyTeam | None = None) -> list[ResultRow]:
    """Each visible trainee who attempted `quiz`: their attempts (with `focus_loss_count` and `seconds_away`)
    and quiz grade. Four queries."""
    trainees = visible_trainees(viewer)
    attempts = Attempt.objects.filter(quiz=quiz, user__in=trainees).defer("layout").select_related("user").order_by("user_id", "number")
    if team is not None:
        attempts = attempts.filter(user__memberships__team=team, user__memberships__role=Role.TRAINEE)
    by_user: dict[int, list[Attempt]] = {}
    users: dict[int, User] = {}
    for attempt in attempts:
        by_user.setdefault(attempt.user_id, []).append(attempt)
        users[attempt.user_id] = attempt.user
    teams = {
        m.user_id: m.team
        for m in Membership.objects.filter(user_id__in=users, role=Role.TRAINEE).select_related("team")
    }
    # Focus losses (切屏) beside each attempt: one more query, whatever the number of attempts.
    away = focus_loss_summary(a.pk for attempts_of in by_user.values() for a in attempts_of)
    for attempts_of in by_user.values():
        for attempt in attempts_of:
            attempt.focus_loss_count, attempt.seconds_away = away.get(attempt.pk, (0, 0))
    rows = []
    for user_id, user_attempts in by_user.items():
        grade = final_percent(user_attempts, quiz.grading_method)
        rows.append(ResultRow(user=users[user_id], team=teams.get(user_id), attempts=user_attempts, grade=grade,
                              passed=grade is not None and grade >= quiz.pass_mark))
    rows.sort(key=lambda r: ((r.team.sort_order, r.team.code) if r.team else (10**6, ""), r.user.username))
    return rows



def full_marks_answers(*, attempt) -> dict[int, dict]:
    """An answer to each question of `attempt` that earns full marks, in the form the quiz engine takes.

    For demo data and test set-up: never sent to a trainee (the review policy decides what they see).
    """
    from .models import Question

    answers = {}
    for question in Question.objects.filter(pk__in=attempt.question_ids()).prefetch_related("choices"):
        choices = sorted(question.choices.all(), key=lambda c: (c.sort_order, c.pk))
        best = max(choices, key=lambda c: c.fraction)
        if question.qtype == "short":
            answers[question.pk] = {"text": best.text}
        elif question.qtype == "ordering":
            answers[question.pk] = {"order": [c.pk for c in choices]}
        elif question.qtype == "multiple":
            answers[question.pk] = {"choices": [c.pk for c in choices if c.fraction > 0]}
        else:
            answers[question.pk] = {"choices": [best.pk]}
    return answers


def focus_loss_counts(attempt_ids) -> dict[int, int]:
    """{attempt id: number of focus losses} for the attempts that have any (the exams app's results)."""
    return dict(
        FocusLoss.objects.filter(attempt_id__in=list(attempt_ids)).values_list("attempt_id").annotate(n=Count("pk")).values_list("attempt_id", "n")
    )


def focus_loss_summary(attempt_ids) -> dict[int, tuple[int, int]]:
    """{attempt id: (count, total seconds away)} in one query, for the results page."""
    rows = (
        FocusLoss.objects.filter(attempt_id__in=list(attempt_ids))
        .values("attempt_id")
        .annotate(n=Count("pk"), ms=Sum("duration_ms"))
        .values_list("attempt_id", "n", "ms")
    )
    return {attempt_id: (n, round((ms or 0) / 1000)) for attempt_id, n, ms in rows}
