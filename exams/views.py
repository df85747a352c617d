"""Trainee pages (我的考试, a sitting's waiting/start page) and the results page for the bureau and trainers."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from quizzes.holders import holder_of

from . import exports, permissions, selectors, services
from .models import ExamSitting


@login_required
def my_exams(request):
    return render(request, "exams/my_exams.html", {"groups": selectors.my_sittings(user=request.user), "now": timezone.now()})


def _my_sitting(request, sitting_id: int):
    sitting = get_object_or_404(ExamSitting.objects.select_related("quiz"), pk=sitting_id)
    now = timezone.now()
    services.open_sitting(sitting=sitting, now=now)
    mine = selectors.my_sitting(user=request.user, sitting=sitting, now=now)
    if mine is None:
        raise Http404
    return sitting, mine, now


@login_required
def sitting_page(request, sitting_id: int):
    sitting, mine, now = _my_sitting(request, sitting_id)
    return render(
        request,
        "exams/sitting.html",
        {
            "sitting": sitting,
            "mine": mine,
            "now": now,
            # The countdown runs on the server's clock: the page carries server-now and the opening in
            # epoch milliseconds, and the script counts from the offset between them, not the browser's time.
            "server_now_ms": int(now.timestamp() * 1000),
            "opens_at_ms": int(sitting.opens_at.timestamp() * 1000),
            "entry_message": services.entry_closed_message(sitting) if mine.phase == "entry_closed" else "",
        },
    )


@login_required
@require_POST
def start(request, sitting_id: int):
    sitting = get_object_or_404(ExamSitting.objects.select_related("quiz"), pk=sitting_id)
    try:
        attempt = services.start_sitting_attempt(sitting=sitting, user=request.user, holder=holder_of(request))
    except services.NotInvited:
        raise Http404 from None
    except services.SittingError as error:
        messages.error(request, error.message)
        return redirect("exams:sitting", sitting_id=sitting.pk)
    return redirect("quizzes:attempt", attempt_id=attempt.pk)


@login_required
def results(request, sitting_id: int):
    if not permissions.can_see_results(request.user):
        raise PermissionDenied
    sitting = get_object_or_404(permissions.visible_sittings(request.user).select_related("quiz", "parent"), pk=sitting_id)
    services.open_sitting(sitting=sitting)
    report = selectors.sitting_results(sitting=sitting, teams=permissions.result_teams(request.user))
    wanted = request.GET.get("format")
    if wanted in ("csv", "csv-teams", "xlsx"):
        body, content_type, suffix = exports.render(report, wanted)
        response = HttpResponse(body, content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="sitting-{sitting.pk}-results.{suffix}"'
        return response
    return render(
        request,
        "exams/results.html",
        {"sitting": sitting, "report": report, "can_manage": permissions.can_manage_sitting(request.user, sitting)},
    )
