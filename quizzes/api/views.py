"""Quiz API: quizzes (no answers), start, get an attempt, save answers, submit, result; results and
statistics for trainers. Errors are {"detail": message, "code": code} in the user's language."""

from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from lms import permissions

from .. import focus, selectors, services, statistics
from ..holders import holder_of
from ..models import Attempt, Quiz
from .serializers import (
    AnswersInputSerializer,
    AttemptSerializer,
    QuizSerializer,
    ResultRowSerializer,
    ResultSerializer,
    SavedSerializer,
    StatisticsSerializer,
    SubmitInputSerializer,
)

ERROR = OpenApiResponse(description='{"detail": "…", "code": "…"}')


def _error(error: services.QuizError, code: int = status.HTTP_409_CONFLICT) -> Response:
    return Response({"detail": error.message, "code": error.code}, status=code)


def _attempt_payload(attempt: Attempt, *, answered: bool = True) -> dict:
    questions = selectors.attempt_questions(attempt=attempt, reveal=False, answered=answered)
    return AttemptSerializer(attempt, context={"questions": questions, "now": timezone.now()}).data


def _own_attempt(request, pk) -> Attempt:
    attempt = get_object_or_404(Attempt.objects.select_related("quiz", "user"), pk=pk)
    if attempt.user_id != request.user.pk:
        # Another person's attempt does not exist for this user.
        raise NotFound()
    return attempt


class QuizViewSet(viewsets.ReadOnlyModelViewSet):
    """Published quizzes with the signed-in user's standing. No question content, no answers."""

    lookup_value_regex = r"\d+"  # ids only: anything else is a plain 404 from the router

    serializer_class = QuizSerializer

    def get_queryset(self):
        return selectors.published_quizzes().prefetch_related("slots")

    def get_serializer_context(self):
        context = super().get_serializer_context()
        # OPTIONS (metadata) builds a serializer without going through list/retrieve.
        context["outcomes"] = getattr(self, "_outcomes", {})
        return context

    def list(self, request, *args, **kwargs):
        """Published quizzes with the signed-in user's standing. No question content, no answers."""
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        self._outcomes = selectors.outcomes(user=request.user, quiz_ids=[q.pk for q in page])
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request, *args, **kwargs):
        quiz = self.get_object()
        self._outcomes = {quiz.pk: selectors.outcome(user=request.user, quiz=quiz)}
        return Response(self.get_serializer(quiz).data)

    @extend_schema(request=None, responses={201: AttemptSerializer, 200: AttemptSerializer, 409: ERROR}, summary="Start (or resume) an attempt")
    @action(detail=True, methods=["post"])
    def attempts(self, request, pk=None):
        """Start an attempt (201) or get the open one back (200): its questions in this attempt's order,
        never the answers. 409 when the quiz is closed or no attempts are left. The calling client
        (token + optional `X-Client-Id` header, or browser session) answers it from now on: another
        client's saves get 409 `taken_over`."""
        # Not get_object(): the list's queryset prefetches slots a start does not need.
        quiz = selectors.published_quiz(int(pk))
        if quiz is None:
            raise NotFound
        try:
            attempt, created = services.begin_attempt(quiz=quiz, user=request.user, holder=holder_of(request))
        except services.QuizError as error:
            return _error(error)
        return Response(_attempt_payload(attempt, answered=not created), status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)

    @extend_schema(
        responses=ResultRowSerializer(many=True),
        parameters=[OpenApiParameter("team", str, description="County team code, e.g. hanshou")],
        summary="Results per trainee (trainers, team leads, bureau admins; only the teams they may see)",
    )
    @action(detail=True, methods=["get"], pagination_class=None)
    def results(self, request, pk=None):
        """Each trainee of the teams the caller may see who attempted the quiz, with grade and attempts;
        `?team=<code>` narrows to one team."""
        if not permissions.can_see_quiz_results(request.user):
            raise PermissionDenied()
        quiz = get_object_or_404(Quiz, pk=pk)
        team = None
        if request.query_params.get("team"):
            team = permissions.visible_teams(request.user).filter(code=request.query_params["team"]).first()
            if team is None:
                raise NotFound()
        rows = selectors.quiz_results(quiz=quiz, viewer=request.user, team=team)
        return Response(ResultRowSerializer(rows, many=True).data)

    @extend_schema(responses=StatisticsSerializer, summary="Item analysis (trainers and bureau admins)")
    @action(detail=True, methods=["get"], pagination_class=None)
    def statistics(self, request, pk=None):
        """Item analysis: facility index, standard deviation and discrimination index per question."""
        if not permissions.can_manage_quizzes(request.user):
            raise PermissionDenied()
        quiz = get_object_or_404(Quiz, pk=pk)
        return Response(StatisticsSerializer(statistics.quiz_statistics(quiz=quiz)).data)


class AttemptView(APIView):
    """One of the user's own attempts with its questions in the attempt's order (no answers revealed)."""

    @extend_schema(responses={200: AttemptSerializer, 404: ERROR})
    def get(self, request, pk: int):
        attempt = services.close_if_overdue(attempt=_own_attempt(request, pk))
        if not attempt.is_finished:
            # Opening the attempt takes it over from any other client (told on its next save: 409 taken_over).
            services.claim_attempt(attempt=attempt, holder=holder_of(request))
        return Response(_attempt_payload(attempt))


class AttemptAnswersView(APIView):
    """Autosave: store answers in an unfinished attempt. 409 once it is submitted or its time is up."""

    @extend_schema(request=AnswersInputSerializer, responses={200: SavedSerializer, 400: ERROR, 409: ERROR})
    def put(self, request, pk: int):
        data = AnswersInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        now = timezone.now()
        # The service reads the attempt once, locked and only if it is the caller's: no read before it.
        mine = Attempt(pk=pk, user_id=request.user.pk)
        try:
            attempt = services.save_answers(attempt=mine, answers=data.validated_data["answers"], now=now, holder=holder_of(request))
        except Attempt.DoesNotExist:
            raise NotFound() from None
        except services.InvalidAnswer as error:
            return _error(error, status.HTTP_400_BAD_REQUEST)
        except services.QuizError as error:
            return _error(error)
        left = None if attempt.deadline is None else max(0, int((attempt.deadline - now).total_seconds()))
        return Response(SavedSerializer({"status": attempt.status, "saved_at": now, "seconds_left": left}).data)

    patch = put


class AttemptSubmitView(APIView):
    """Submit (with optional last answers) and get the result. A second submit gets 409."""

    @extend_schema(request=SubmitInputSerializer, responses={200: ResultSerializer, 400: ERROR, 409: ERROR})
    def post(self, request, pk: int):
        data = SubmitInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        # As for autosave: the service reads the attempt once, locked and only if it is the caller's.
        mine = Attempt(pk=pk, user_id=request.user.pk)
        try:
            attempt = services.submit_attempt(
                attempt=mine, user=request.user, answers=data.validated_data.get("answers"), holder=holder_of(request)
            )
        except Attempt.DoesNotExist:
            raise NotFound() from None
        except services.InvalidAnswer as error:
            return _error(error, status.HTTP_400_BAD_REQUEST)
        except services.QuizError as error:
            return _error(error)
        return Response(_result_payload(attempt, request.user))


def _result_payload(attempt: Attempt, viewer) -> dict:
    outcome = selectors.outcome(user=attempt.user, quiz=attempt.quiz)
    reveal = selectors.answers_visible(attempt=attempt, viewer=viewer, used=outcome.used)
    return ResultSerializer(
        attempt,
        context={"reveal": reveal, "questions": selectors.attempt_questions(attempt=attempt, reveal=reveal, show_marks=reveal), "outcome": outcome},
    ).data


class AttemptResultView(APIView):
    """The result of a submitted attempt: the trainee's own, or a trainee's the viewer may see."""

    @extend_schema(responses={200: ResultSerializer, 404: ERROR, 409: ERROR})
    def get(self, request, pk: int):
        attempt = get_object_or_404(Attempt.objects.select_related("quiz", "user"), pk=pk)
        if not permissions.can_view_person(request.user, attempt.user):
            raise NotFound()
        attempt = services.close_if_overdue(attempt=attempt)
        if not attempt.is_finished:
            return Response({"detail": _("This attempt has not been submitted yet."), "code": "in_progress"}, status=status.HTTP_409_CONFLICT)
        return Response(_result_payload(attempt, request.user))


class AttemptFocusView(APIView):
    """Focus losses (切屏) of the caller's own unfinished attempt, sent by the attempt page: 202 with how many
    were recorded. At most 20 events a request, 30 requests a minute (429 past that) and 500 an attempt."""

    @extend_schema(
        request={"application/json": {"type": "object", "properties": {"events": {"type": "array", "items": {"type": "object"}}}}},
        responses={202: OpenApiResponse(description='{"recorded": n}'), 400: ERROR, 404: ERROR, 409: ERROR, 429: ERROR},
        summary="Record that the attempt page was hidden or lost focus",
    )
    def post(self, request, pk: int):
        events = request.data.get("events") if isinstance(request.data, dict) else None
        if not isinstance(events, list):
            return Response({"detail": _("Send {\"events\": [{\"kind\": \"hidden\", \"ms\": 1200}]}."), "code": "invalid"}, status=status.HTTP_400_BAD_REQUEST)
        try:
            recorded = focus.record_focus_losses(attempt_id=pk, user_id=request.user.pk, events=events)
        except Attempt.DoesNotExist:
            raise NotFound() from None
        except focus.TooManyReports as error:
            return _error(error, status.HTTP_429_TOO_MANY_REQUESTS)
        except services.QuizError as error:
            return _error(error)
        return Response({"recorded": recorded}, status=status.HTTP_202_ACCEPTED)
