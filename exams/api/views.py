"""Exam sittings API: a trainee's sittings and start; the results per team for the bureau and trainers
(scoped as the results page). Errors are {"detail": message, "code": code} in the user's language."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from quizzes.holders import holder_of

from .. import permissions, selectors, services
from ..exports import state_label
from ..models import ExamSitting

ERROR = OpenApiResponse(description='{"detail": "…", "code": "…"}')


class SittingSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="sitting.pk")
    title = serializers.CharField(source="sitting.title")
    quiz = serializers.IntegerField(source="sitting.quiz_id")
    opens_at = serializers.DateTimeField(source="sitting.opens_at")
    latest_entry_at = serializers.DateTimeField(source="sitting.entry_deadline")
    closes_at = serializers.DateTimeField(source="sitting.closes_at")
    max_attempts = serializers.IntegerField(source="sitting.max_attempts")
    review_policy = serializers.CharField(source="sitting.review_policy")
    focus_loss_limit = serializers.IntegerField(source="sitting.focus_loss_limit", allow_null=True)
    contact = serializers.CharField(source="sitting.contact")
    makeup_of = serializers.IntegerField(source="sitting.parent_id", allow_null=True)
    phase = serializers.ChoiceField(choices=["upcoming", "open", "entry_closed", "past"])
    state = serializers.SerializerMethodField()
    attempts = serializers.SerializerMethodField()
    open_attempt = serializers.SerializerMethodField()

    def get_state(self, obj) -> str:
        return obj.standing.state if obj.standing else "absent"

    def get_attempts(self, obj) -> list[int]:
        return [a.pk for a in obj.standing.attempts] if obj.standing else []

    def get_open_attempt(self, obj) -> int | None:
        attempt = obj.standing.open_attempt if obj.standing else None
        return attempt.pk if attempt else None


class MySittingsSerializer(serializers.Serializer):
    upcoming = SittingSerializer(many=True)
    open = SittingSerializer(many=True)
    past = SittingSerializer(many=True)


class StartedSerializer(serializers.Serializer):
    attempt = serializers.IntegerField()
    deadline = serializers.DateTimeField(allow_null=True)


class TeamFiguresSerializer(serializers.Serializer):
    team = serializers.CharField(source="team.code", allow_null=True, default=None)
    team_name = serializers.CharField(source="team.name", allow_null=True, default=None)
    invited = serializers.IntegerField()
    started = serializers.IntegerField()
    submitted = serializers.IntegerField()
    passed = serializers.IntegerField()
    absent = serializers.IntegerField()


class PersonSerializer(serializers.Serializer):
    username = serializers.CharField(source="invitation.user.username")
    name = serializers.CharField(source="invitation.user.full_name")
    team = serializers.CharField(source="invitation.team.code", allow_null=True, default=None)
    state = serializers.CharField()
    state_label = serializers.SerializerMethodField()
    best_percent = serializers.SerializerMethodField()
    attempts = serializers.SerializerMethodField()

    def get_state_label(self, obj) -> str:
        return state_label(obj.state)

    def get_best_percent(self, obj) -> str | None:
        return str(obj.best.percent) if obj.best else None

    def get_attempts(self, obj) -> int:
        return len(obj.attempts)


class ResultsSerializer(serializers.Serializer):
    sitting = serializers.IntegerField(source="sitting.pk")
    title = serializers.CharField(source="sitting.title")
    teams = TeamFiguresSerializer(many=True)
    total = TeamFiguresSerializer()
    people = PersonSerializer(many=True)


class MySittingsView(APIView):
    """The signed-in trainee's sittings: upcoming, open (including entry closed) and past."""

    @extend_schema(responses=MySittingsSerializer, operation_id="exams_mine_list")
    def get(self, request):
        return Response(MySittingsSerializer(selectors.my_sittings(user=request.user)).data)


class MySittingView(APIView):
    """One sitting as the signed-in trainee sees it (404 when not invited)."""

    @extend_schema(responses={200: SittingSerializer, 404: ERROR})
    def get(self, request, pk: int):
        sitting = get_object_or_404(ExamSitting.objects.select_related("quiz"), pk=pk)
        now = timezone.now()
        services.open_sitting(sitting=sitting, now=now)
        mine = selectors.my_sitting(user=request.user, sitting=sitting, now=now)
        if mine is None:
            raise NotFound()
        return Response(SittingSerializer(mine).data)


class StartView(APIView):
    """Start (or resume) the trainee's attempt in the sitting; then use /api/v1/attempts/<id>/ to answer."""

    @extend_schema(request=None, responses={201: StartedSerializer, 404: ERROR, 409: ERROR})
    def post(self, request, pk: int):
        sitting = get_object_or_404(ExamSitting.objects.select_related("quiz"), pk=pk)
        try:
            attempt = services.start_sitting_attempt(sitting=sitting, user=request.user, holder=holder_of(request))
        except services.NotInvited as error:
            return Response({"detail": error.message, "code": error.code}, status=status.HTTP_404_NOT_FOUND)
        except services.SittingError as error:
            return Response({"detail": error.message, "code": error.code}, status=status.HTTP_409_CONFLICT)
        return Response({"attempt": attempt.pk, "deadline": attempt.deadline}, status=status.HTTP_201_CREATED)


class ResultsView(APIView):
    """Invited, started, submitted, passed and absent per team, and each person's result — limited to the
    teams the signed-in person may see (bureau: all; trainer: supervised; team lead: own)."""

    @extend_schema(responses={200: ResultsSerializer, 403: ERROR, 404: ERROR})
    def get(self, request, pk: int):
        if not permissions.can_see_results(request.user):
            raise PermissionDenied()
        sitting = get_object_or_404(permissions.visible_sittings(request.user), pk=pk)
        services.open_sitting(sitting=sitting)
        report = selectors.sitting_results(sitting=sitting, teams=permissions.result_teams(request.user))
        return Response(ResultsSerializer(report).data)


class SittingRowSerializer(serializers.ModelSerializer):
    makeup_of = serializers.IntegerField(source="parent_id", allow_null=True)
    teams = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)

    class Meta:
        model = ExamSitting
        fields = [
            "id",
            "title",
            "quiz",
            "opens_at",
            "latest_entry_at",
            "closes_at",
            "max_attempts",
            "review_policy",
            "makeup_of",
            "teams",
        ]


class ManagedSittingsView(APIView):
    """Sittings whose results the signed-in staff member may see, newest first."""

    @extend_schema(responses={200: SittingRowSerializer(many=True), 403: ERROR})
    def get(self, request):
        if not permissions.can_see_results(request.user):
            raise PermissionDenied()
        sittings = permissions.visible_sittings(request.user).order_by("-opens_at", "pk").prefetch_related("teams")
        return Response(SittingRowSerializer(sittings, many=True).data)
