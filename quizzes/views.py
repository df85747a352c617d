"""Quiz pages: overview and start, taking an attempt, its result, and the trainers' results and item analysis."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lms import permissions

from . import attempt_markup, selectors, services, statistics
from .forms import answers_from_post
from .holders import holder_of
from .models import Attempt, Quiz


def _own_attempt(request, attempt_id: int) -> Attempt:
    attempt = get_object_or_404(Attempt.objects.select_related("quiz", "user"), pk=attempt_id)
    if attempt.user_id != request.user.pk:
        raise Http404
    return attempt


@login_required
def quiz_detail(request, quiz_id: int):
    quiz = get_object_or_404(Quiz, pk=quiz_id)
    if not quiz.is_published and not permissions.can_manage_quizzes(request.user):
        raise Http404
    outcome = selectors.outcome(user=request.user, quiz=quiz)
    open_attempt = outcome.open_attempt
    if open_attempt is not None:
        # A property of the outcome: close the attempt if its time ran out, then read the outcome again.
        open_attempt.quiz = quiz
        if services.close_if_overdue(attempt=open_attempt).is_finished:
            outcome = selectors.outcome(user=request.user, quiz=quiz)
    return render(
        request,
        "quizzes/quiz_detail.html",
        {
            "quiz": quiz,
            "outcome": outcome,
            "question_count": selectors.question_count(quiz),
            "problem": services.availability_problem(quiz, timezone.now()),
            "can_manage": permissions.can_manage_quizzes(request.user),
            "can_see_results": permissions.can_see_quiz_results(request.user),
        },
    )


@login_required
@require_POST
def start(request, quiz_id: int):
    quiz = get_object_or_404(Quiz, pk=quiz_id)
    try:
        attempt = services.start_attempt(quiz=quiz, user=request.user, holder=holder_of(request))
    except services.QuizError as error:
        messages.error(request, error.message)
        return redirect("quizzes:detail", quiz_id=quiz.pk)
    return redirect("quizzes:attempt", attempt_id=attempt.pk)


@login_required
def attempt_page(request, attempt_id: int):
    attempt = services.close_if_overdue(attempt=_own_attempt(request, attempt_id))
    if attempt.is_finished:
        return redirect("quizzes:result", attempt_id=attempt.pk)
    # Opening the attempt here takes it over from any other browser (which is told on its next save).
    services.claim_attempt(attempt=attempt, holder=holder_of(request))
    questions = selectors.attempt_questions(attempt=attempt, reveal=False)
    return render(
        request,
        "quizzes/attempt.html",
        {"attempt": attempt, "quiz": attempt.quiz, "questions": questions, "fieldsets": attempt_markup.fieldsets(attempt, questions)},
    )


@login_required
@require_POST
def save(request, attempt_id: int):
    attempt = _own_attempt(request, attempt_id)
    answers = answers_from_post(request.POST, attempt.layout)
    try:
        services.save_answers(attempt=attempt, answers=answers, holder=holder_of(request))
    except services.TakenOver as error:
        return _taken_over(request, attempt, error)
    except services.AttemptClosed as error:
        messages.error(request, error.message)
        return redirect("quizzes:result", attempt_id=attempt.pk)
    except services.QuizError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Your answers are saved."))
    return redirect("quizzes:attempt", attempt_id=attempt.pk)


@login_required
@require_POST
def submit(request, attempt_id: int):
    attempt = _own_attempt(request, attempt_id)
    answers = answers_from_post(request.POST, attempt.layout)
    try:
        services.submit_attempt(attempt=attempt, user=request.user, answers=answers, holder=holder_of(request))
    except services.TakenOver as error:
        return _taken_over(request, attempt, error)
    except services.AttemptClosed as error:
        messages.error(request, error.message)
    except services.QuizError as error:
        messages.error(request, error.message)
        return redirect("quizzes:attempt", attempt_id=attempt.pk)
    return redirect("quizzes:result", attempt_id=attempt.pk)


def _taken_over(request, attempt: Attempt, error: services.TakenOver):
    """What was posted is not saved; the page says where the attempt is answered and offers it back."""
    return render(request, "quizzes/taken_over.html", {"attempt": attempt, "quiz": attempt.quiz, "message": error.message}, status=409)


@login_required
def result(request, attempt_id: int):
    attempt = get_object_or_404(Attempt.objects.select_related("quiz", "user"), pk=attempt_id)
    if not permissions.can_view_person(request.user, attempt.user):
        raise Http404
    attempt = services.close_if_overdue(attempt=attempt)
    if not attempt.is_finished:
        if attempt.user_id == request.user.pk:
            return redirect("quizzes:attempt", attempt_id=attempt.pk)
    outcome = selectors.outcome(user=attempt.user, quiz=attempt.quiz)
    reveal = selectors.answers_visible(attempt=attempt, viewer=request.user, used=outcome.used)
    return render(
        request,
        "quizzes/result.html",
        {
            "attempt": attempt,
            "quiz": attempt.quiz,
            "reveal": reveal,
            "is_own": attempt.user_id == request.user.pk,
            # Which questions were wrong is itself a hint for the next attempt: marks per question only with the answers.
            "questions": selectors.attempt_questions(attempt=attempt, reveal=reveal, show_marks=reveal) if attempt.is_finished else [],
            "outcome": outcome,
        },
    )


@login_required
def results(request, quiz_id: int):
    if not permissions.can_see_quiz_results(request.user):
        raise PermissionDenied
    quiz = get_object_or_404(Quiz, pk=quiz_id)
    teams = list(permissions.visible_teams(request.user).order_by("sort_order", "code"))
    team = None
    if request.GET.get("team"):
        team = next((t for t in teams if t.code == request.GET["team"]), None)
        if team is None:
            raise Http404
    # Results must not show attempts whose time ran out as still running.
    services.close_overdue_attempts(quiz=quiz)
    rows = selectors.quiz_results(quiz=quiz, viewer=request.user, team=team)
    return render(
        request,
        "quizzes/results.html",
        {
            "quiz": quiz,
            "rows": rows,
            "teams": teams,
            "team": team,
            "passed": sum(r.passed for r in rows),
            "can_manage": permissions.can_manage_quizzes(request.user),
        },
    )


@login_required
def analysis(request, quiz_id: int):
    if not permissions.can_manage_quizzes(request.user):
        raise PermissionDenied
    quiz = get_object_or_404(Quiz, pk=quiz_id)
    return render(
        request,
        "quizzes/analysis.html",
        {"quiz": quiz, "stats": statistics.quiz_statistics(quiz=quiz), "reliable_attempts": statistics.RELIABLE_ATTEMPTS},
    )


@login_required
@require_POST
def regrade(request, quiz_id: int):
    if not permissions.can_manage_quizzes(request.user):
        raise PermissionDenied
    quiz = get_object_or_404(Quiz, pk=quiz_id)
    report = services.regrade_quiz(quiz=quiz, actor=request.user)
    messages.success(
        request,
        _("Regraded %(n)d attempts: %(changed)d changed, %(passed)d now pass.")
        % {"n": report.attempts, "changed": report.changed, "passed": report.newly_passed},
    )
    return redirect(reverse("quizzes:results", args=[quiz.pk]))


